package migrate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"time"

	"spotmigrate/archive"
	"spotmigrate/catalog"
)

// Unit phases recorded in the ledger.
const (
	PhaseStaged     = "staged"
	PhaseLoaded     = "loaded"
	PhaseReconciled = "reconciled"
	// PhaseCopied is the phase of a file unit written to its place.
	PhaseCopied = "copied"
)

// Ledger records the state of every unit of a target.
type Ledger struct {
	Version  int                   `json:"version"`
	Target   string                `json:"target"`
	Database string                `json:"database"`
	Units    map[string]*UnitState `json:"units"`
	Archived map[string]*Archived  `json:"archived,omitempty"`
	// Archiving records the archive of a pipeline before the first byte
	// moves; it is removed once the archive is recorded in Archived. One
	// left by a crash is finished or rolled back by the next run.
	Archiving map[string]*Archived `json:"archiving,omitempty"`
	path      string
	// rebuilt is set on a ledger started again by --rebuild-ledger: every
	// table is then checked against the target before it is loaded.
	rebuilt bool
}

// UnitState is the last phase of a unit; Dirty means that phase started and
// did not finish.
type UnitState struct {
	Phase    string `json:"phase"`
	Dirty    bool   `json:"dirty"`
	Rows     int64  `json:"rows"`
	Checksum string `json:"checksum"`
	Updated  string `json:"updated"`
}

// Archived records an archived pipeline folder.
type Archived struct {
	From string `json:"from"`
	To   string `json:"to"`
	At   string `json:"at"`
}

// ErrLedgerDamaged is returned for a ledger that cannot be parsed.
var ErrLedgerDamaged = errors.New("the ledger is damaged")

// openRunLedger opens the ledger of opt's target. With RebuildLedger, a
// ledger that exists is moved aside (never deleted) and a new one starts:
// the run then verifies the target against the manifest, and finds the
// pipelines archived before in the archive folder.
func openRunLedger(opt Options, root string) (*Ledger, error) {
	path := opt.Engine.LedgerPath()
	if !opt.RebuildLedger {
		return openLedger(path, opt.Engine.Name(), opt.DB)
	}
	if !opt.DryRun {
		aside := path + ".damaged-" + time.Now().UTC().Format("20060102T150405Z")
		if err := os.Rename(path, aside); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, fmt.Errorf("failed to move the ledger aside: %w", err)
		}
	}
	l := &Ledger{Version: 1, Target: opt.Engine.Name(), Database: opt.DB, Units: map[string]*UnitState{},
		Archived: map[string]*Archived{}, Archiving: map[string]*Archived{}, path: path, rebuilt: true}
	dir := archiveRoot(opt, root)
	for _, pipe := range catalog.Pipelines {
		if _, err := os.Lstat(filepath.Join(root, pipe)); err == nil {
			continue
		}
		if to := archive.Latest(dir, pipe); to != "" {
			l.Archived[pipe] = &Archived{From: filepath.Join(root, pipe), To: to, At: "rebuilt"}
		}
	}
	return l, nil
}

// openLedger reads the ledger at path, or starts an empty one.
func openLedger(path, target, db string) (*Ledger, error) {
	l := &Ledger{Version: 1, Target: target, Database: db, Units: map[string]*UnitState{},
		Archived: map[string]*Archived{}, Archiving: map[string]*Archived{}, path: path}
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return l, nil
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read ledger: %w", err)
	}
	if err := json.Unmarshal(b, l); err != nil {
		return nil, fmt.Errorf("failed to read ledger %s: %w: %v (run again with --rebuild-ledger to move it aside and rebuild it from the target and the manifest, or move it aside yourself)",
			path, ErrLedgerDamaged, err)
	}
	if l.Units == nil {
		l.Units = map[string]*UnitState{}
	}
	if l.Archived == nil {
		l.Archived = map[string]*Archived{}
	}
	if l.Archiving == nil {
		l.Archiving = map[string]*Archived{}
	}
	l.path = path
	return l, nil
}

// Dirty lists the units whose last phase did not finish.
func (l *Ledger) Dirty() []string {
	var out []string
	for k, u := range l.Units {
		if u.Dirty {
			out = append(out, k+" ("+u.Phase+")")
		}
	}
	sort.Strings(out)
	return out
}

// mark sets the phase of units and saves the ledger.
func (l *Ledger) mark(keys []unitKey, phase string, dirty bool) error {
	now := time.Now().UTC().Format(time.RFC3339)
	for _, k := range keys {
		l.Units[k.name] = &UnitState{Phase: phase, Dirty: dirty, Rows: k.rows, Checksum: k.checksum, Updated: now}
	}
	return l.save()
}

// reconciled is true when every unit of keys was reconciled, as the
// manifest expects it, and not touched since.
func (l *Ledger) reconciled(keys []unitKey) bool {
	for _, k := range keys {
		u := l.Units[k.name]
		if u == nil || u.Phase != PhaseReconciled || u.Dirty || u.Rows != k.rows || u.Checksum != k.checksum {
			return false
		}
	}
	return true
}

// copied is true when the file unit k was written as the manifest expects
// it and not touched since.
func (l *Ledger) copied(k unitKey) bool {
	u := l.Units[k.name]
	return u != nil && u.Phase == PhaseCopied && !u.Dirty && u.Rows == k.rows && u.Checksum == k.checksum
}

// save writes the ledger through a temporary file, synced before the
// rename, so a crash leaves the old ledger or the new one, never half.
func (l *Ledger) save() error {
	b, err := json.MarshalIndent(l, "", "  ")
	if err != nil {
		return fmt.Errorf("failed to encode ledger: %w", err)
	}
	if err := writeSynced(l.path, b); err != nil {
		return fmt.Errorf("failed to write ledger: %w", err)
	}
	return nil
}

// writeSynced replaces path with b durably: temporary file, fsync, rename,
// fsync of the folder.
func writeSynced(path string, b []byte) error {
	tmp := path + ".tmp"
	f, err := os.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, 0o644)
	if err != nil {
		return err
	}
	if _, err := f.Write(b); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Sync(); err != nil {
		_ = f.Close()
		return err
	}
	if err := f.Close(); err != nil {
		return err
	}
	if err := os.Rename(tmp, path); err != nil {
		return err
	}
	d, err := os.Open(filepath.Dir(path))
	if err != nil {
		return err
	}
	defer func() { _ = d.Close() }()
	return d.Sync()
}

// unitKey names a unit with what the manifest expects of it.
type unitKey struct {
	name     string
	rows     int64
	checksum string
}
