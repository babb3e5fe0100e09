package archive

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"syscall"
)

// restoringSuffix names the marker <archive>.restoring that a Restore
// writes beside the archive before moving it: it holds the destination and
// the inventory, so that an interrupted restore can be finished.
const restoringSuffix = ".restoring"

// marker is the content of <archive>.restoring.
type marker struct {
	To      string  `json:"to"`
	ToBytes []byte  `json:"to_bytes,omitempty"`
	Files   []Entry `json:"files"`
}

func markerPath(arch string) string { return arch + restoringSuffix }

// Restoring reports whether a restore of arch was interrupted (its marker
// is there): Restore finishes it.
func Restoring(arch string) bool { return exists(markerPath(arch)) }

func writeMarker(arch, dst string, inv []Entry) error {
	to, raw := encodeName(dst)
	b, err := json.MarshalIndent(marker{To: to, ToBytes: raw, Files: inv}, "", "  ")
	if err != nil {
		return fmt.Errorf("failed to write restore marker: %w", err)
	}
	return writeAtomic(markerPath(arch), b)
}

func readMarker(arch string) (marker, error) {
	var m marker
	b, err := os.ReadFile(markerPath(arch))
	if err != nil {
		return m, err
	}
	if err := json.Unmarshal(b, &m); err != nil {
		return m, fmt.Errorf("failed to parse restore marker %s: %w", show(markerPath(arch)), err)
	}
	m.To = decodeName(m.To, m.ToBytes)
	return m, nil
}

// removeMarker removes the marker of arch (and a leftover half-written one)
// durably.
func removeMarker(arch string) error {
	for _, p := range []string{markerPath(arch) + ".tmp", markerPath(arch)} {
		if err := os.Remove(p); err != nil && !errors.Is(err, os.ErrNotExist) {
			return fmt.Errorf("failed to remove restore marker: %w", err)
		}
	}
	return syncParents(arch)
}

// Restore verifies the archive at arch and moves it back to dst (without
// its MetaDir). A restore of arch that was interrupted is finished first (or
// rolled back, then done again), so running Restore again works after a
// crash at any point. On an error other than one from Step, the archive is
// left in place.
func Restore(arch, dst string) error {
	r := &run{}
	if exists(markerPath(arch)) || exists(markerPath(arch)+".tmp") {
		st, err := r.recoverRestore(arch, dst)
		if err != nil || st == Restored {
			return err
		}
	}
	inv, err := loadInventory(arch)
	if err != nil {
		return err
	}
	if err := mustNotExist(dst); err != nil {
		return fmt.Errorf("failed to restore %s: %w", show(arch), err)
	}
	if err := Verify(arch, inv); err != nil {
		return err
	}
	rs := &restorer{transfer: transfer{run: r, from: arch, to: dst, inv: inv, prefix: "restore-"}}
	err = rs.do()
	if err != nil && !rs.crashed && !rs.placed {
		_ = os.RemoveAll(rs.part())
		_ = removeMarker(arch)
	}
	return err
}

// restorer is one Restore.
type restorer struct {
	transfer
}

func (rs *restorer) do() error {
	if err := writeMarker(rs.from, rs.to, rs.inv); err != nil {
		return err
	}
	if err := rs.step("restore-marked"); err != nil {
		return err
	}
	if err := rs.move(); err != nil {
		return err
	}
	if err := removeMarker(rs.from); err != nil {
		return err
	}
	return rs.step("restore-unmarked")
}

func (rs *restorer) move() error {
	err := rename(rs.from, rs.to)
	if errors.Is(err, syscall.EXDEV) {
		return rs.copyBack()
	}
	if err != nil {
		return fmt.Errorf("failed to move %s to %s: %w", show(rs.from), show(rs.to), err)
	}
	rs.placed = true
	if err := syncParents(rs.from, rs.to); err != nil {
		return err
	}
	if err := rs.step("restore-renamed"); err != nil {
		return err
	}
	if err := removeMeta(rs.to); err != nil {
		return err
	}
	return rs.step("restore-meta-removed")
}

func (rs *restorer) copyBack() error {
	items, err := scan(rs.from, false)
	if err != nil {
		return fmt.Errorf("failed to restore %s: %w", show(rs.from), err)
	}
	rs.items = items
	return rs.transfer.do()
}
