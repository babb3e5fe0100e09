package archive

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// State is where a folder stands once Recover or RecoverRestore is done.
type State int

const (
	// RolledBack: the folder is whole at its original place again (the
	// source of Move, the archive of Restore) and the leftovers of the
	// interrupted operation are gone.
	RolledBack State = iota + 1
	// Archived: Move is complete; dst holds the verified folder with its
	// MetaDir and the source is gone.
	Archived
	// Restored: Restore is complete; dst holds the verified folder without
	// MetaDir and the archive is gone.
	Restored
)

// String names the state.
func (s State) String() string {
	switch s {
	case RolledBack:
		return "rolled back"
	case Archived:
		return "archived"
	case Restored:
		return "restored"
	}
	return fmt.Sprintf("State(%d)", int(s))
}

// Recover finishes or rolls back a Move(src, dst) that may have been
// interrupted at any point (or never started, or finished). While dst does
// not exist src is whole, so it rolls back: it removes dst.partial and
// src/MetaDir. Once dst exists, it verifies dst against its files.json and
// removes what is left of src, but only after checking that every file
// there (through symbolic links too) is identical in dst and every folder
// is in dst. Anything it cannot prove to be a copy is kept and named in the
// error, and nothing is removed then.
func Recover(src, dst string) (State, error) {
	st, err := (&run{}).recoverMove(src, dst)
	if err != nil {
		return 0, fmt.Errorf("failed to recover the archive of %s to %s: %w", show(src), show(dst), err)
	}
	return st, nil
}

func (r *run) recoverMove(src, dst string) (State, error) {
	part := dst + ".partial"
	has, err := presence(src, dst, part)
	if err != nil {
		return 0, err
	}
	switch {
	case !has[1] && has[0]:
		return rollBackMove(src, part)
	case !has[1]:
		return 0, neither(src, dst, part, has[2])
	case has[2]:
		return 0, fmt.Errorf("both %s and %s exist (both are kept)", show(dst), show(part))
	}
	return r.finishMove(src, dst, has[0])
}

// presence reports for each path whether something is there.
func presence(paths ...string) ([]bool, error) {
	out := make([]bool, len(paths))
	for i, p := range paths {
		ok, err := present(p)
		if err != nil {
			return nil, err
		}
		out[i] = ok
	}
	return out, nil
}

func neither(from, to, part string, hasPart bool) error {
	if hasPart {
		return fmt.Errorf("neither %s nor %s exists, only %s (it is kept)", show(from), show(to), show(part))
	}
	return fmt.Errorf("neither %s nor %s exists", show(from), show(to))
}

func rollBackMove(src, part string) (State, error) {
	if err := removePartial(part); err != nil {
		return 0, err
	}
	if err := removeMeta(src); err != nil {
		return 0, err
	}
	return RolledBack, nil
}

// removePartial removes the partial copy part, if any, durably.
func removePartial(part string) error {
	if !exists(part) {
		return nil
	}
	if err := os.RemoveAll(part); err != nil {
		return fmt.Errorf("failed to remove %s: %w", show(part), err)
	}
	return syncParents(part)
}

func (r *run) finishMove(src, dst string, hasSrc bool) (State, error) {
	inv, err := loadInventory(dst)
	if err != nil {
		return 0, err
	}
	if err := Verify(dst, inv); err != nil {
		return 0, err
	}
	if !hasSrc {
		return Archived, nil
	}
	if !hasMeta(src) {
		return Archived, removeEmpty(src, dst)
	}
	if err := provenCopy(src, dst, inv, true); err != nil {
		return 0, err
	}
	return Archived, r.removeSource(src, "")
}

// removeEmpty removes src, left without its MetaDir by the very end of a
// removal; src must be empty.
func removeEmpty(src, dst string) error {
	if err := os.Remove(src); err != nil {
		return fmt.Errorf("%s exists beside its archive %s and is not being archived (it has no %s; it is kept): %w", show(src), show(dst), MetaDir, err)
	}
	return syncParents(src)
}

func hasMeta(dir string) bool { return exists(filepath.Join(dir, MetaDir)) }

// Interrupted reports whether src is a folder a Move was interrupted on:
// Move writes MetaDir into src before anything moves, and removes it last.
func Interrupted(src string) bool { return hasMeta(src) }

// RecoverRestore finishes or rolls back a Restore(arch, dst) that may have
// been interrupted, using the marker <arch>.restoring that Restore wrote
// before moving anything (it holds dst and the inventory). While dst does
// not exist the archive is whole, so it rolls back (removes dst.partial and
// the marker). Once dst exists, it verifies dst against the inventory,
// removes what is left of the archive (only files proven identical in dst),
// dst/MetaDir and the marker. Without a marker it only reports a state that
// needs nothing: RolledBack for a whole archive and no dst, Restored for no
// archive and a dst without MetaDir.
func RecoverRestore(arch, dst string) (State, error) {
	st, err := (&run{}).recoverRestore(arch, dst)
	if err != nil {
		return 0, fmt.Errorf("failed to recover the restore of %s to %s: %w", show(arch), show(dst), err)
	}
	return st, nil
}

func (r *run) recoverRestore(arch, dst string) (State, error) {
	mk, err := readMarker(arch)
	if errors.Is(err, fs.ErrNotExist) {
		if err := removeMarker(arch); err != nil {
			return 0, err
		}
		return unmarked(arch, dst)
	}
	if err != nil {
		return 0, err
	}
	if filepath.Clean(mk.To) != filepath.Clean(dst) {
		return 0, fmt.Errorf("it is being restored to %s, not %s", show(mk.To), show(dst))
	}
	part := dst + ".partial"
	has, err := presence(arch, dst, part)
	if err != nil {
		return 0, err
	}
	switch {
	case !has[1] && has[0]:
		return rollBackRestore(arch, part)
	case !has[1]:
		return 0, neither(arch, dst, part, has[2])
	case has[2]:
		return 0, fmt.Errorf("both %s and %s exist (both are kept)", show(dst), show(part))
	}
	return r.finishRestore(arch, dst, mk.Files, has[0])
}

func rollBackRestore(arch, part string) (State, error) {
	if err := removePartial(part); err != nil {
		return 0, err
	}
	if err := removeMarker(arch); err != nil {
		return 0, err
	}
	return RolledBack, nil
}

func (r *run) finishRestore(arch, dst string, inv []Entry, hasArch bool) (State, error) {
	if err := Verify(dst, inv); err != nil {
		return 0, err
	}
	if hasArch {
		if err := provenCopy(arch, dst, inv, true); err != nil {
			return 0, err
		}
		if err := r.removeSource(arch, "restore-"); err != nil {
			return 0, err
		}
	}
	if err := removeMeta(dst); err != nil {
		return 0, err
	}
	if err := removeMarker(arch); err != nil {
		return 0, err
	}
	return Restored, nil
}

// unmarked reports the state of arch and dst when no restore is marked.
func unmarked(arch, dst string) (State, error) {
	hasDst, err := present(dst)
	if err != nil {
		return 0, err
	}
	switch {
	case !hasDst && exists(filepath.Join(arch, MetaDir, "files.json")):
		return RolledBack, nil
	case hasDst && !exists(arch) && !hasMeta(dst):
		return Restored, nil
	}
	return 0, fmt.Errorf("no restore is in progress, and %s and %s are not a whole archive without a restored folder, or the other way round", show(arch), show(dst))
}
