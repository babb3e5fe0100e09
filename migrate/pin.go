package migrate

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"spotmigrate/catalog"
	"spotmigrate/manifest"
	"spotmigrate/oafiles"
)

// ErrPinChanged is returned when the tree lost or changed files the
// target's migration started from (the pin), or a reconciled partition
// would be replaced with fewer rows.
var ErrPinChanged = errors.New("the tree no longer holds what this target was migrated from")

// pin is the list of files a target's migration started from: every later
// run checks the tree against it, not against a fresh look at the tree.
type pin struct {
	Version int       `json:"version"`
	Files   []pinFile `json:"files"`
}

type pinFile struct {
	Path     string `json:"path"`
	Pipeline string `json:"pipeline"`
	Bytes    int64  `json:"bytes"`
	SHA256   string `json:"sha256"`
}

// PinPath is where migrate keeps the pin of a target.
func PinPath(e Engine) string {
	return strings.TrimSuffix(e.LedgerPath(), ".ledger.json") + ".pin.json"
}

func readPin(path string) (*pin, error) {
	b, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return &pin{Version: 1}, nil
	}
	if err != nil {
		return nil, fmt.Errorf("failed to read pin: %w", err)
	}
	p := &pin{}
	if err := json.Unmarshal(b, p); err != nil {
		return nil, fmt.Errorf("failed to parse pin %s: %w (move it aside to pin the tree as it is now)", path, err)
	}
	return p, nil
}

// checkPin compares the files of m with the pin, for the pipelines this run
// reads from the tree (selected and not archived), and writes the new pin:
// the files of m for those pipelines, the pinned ones for the others. A
// pinned pipeline whose folder is gone and was never archived, a pinned
// file that is gone and a file whose sha256 changed refuse the run unless
// accept is set. New files are taken in. It returns the new pin, for the
// caller to save once nothing else refuses the run.
func (mg *migration) checkPin(m *manifest.Manifest) (*pin, error) {
	path := PinPath(mg.opt.Engine)
	old, err := readPin(path)
	if err != nil {
		return nil, err
	}
	read := func(pipe string) bool {
		if !slices.Contains(mg.opt.Validate.Pipelines, pipe) {
			return false
		}
		_, err := os.Stat(filepath.Join(mg.root, pipe))
		return err == nil || mg.led.Archived[pipe] == nil
	}
	now := map[string]pinFile{}
	for _, f := range readFiles(m) {
		now[f.Path] = f
	}
	var lost []string
	next := &pin{Version: 1}
	for _, f := range old.Files {
		if !read(f.Pipeline) {
			next.Files = append(next.Files, f)
			continue
		}
		g, ok := now[f.Path]
		switch {
		case !ok:
			lost = append(lost, f.Path+" is gone")
		case g.SHA256 != f.SHA256 || g.Bytes != f.Bytes:
			lost = append(lost, f.Path+" changed")
		}
	}
	if len(lost) > 0 && !mg.opt.AcceptTreeChange {
		return nil, pinError(path, lost)
	}
	next.Files = append(next.Files, readFiles(m)...)
	sort.Slice(next.Files, func(i, j int) bool { return next.Files[i].Path < next.Files[j].Path })
	return next, nil
}

// readFiles are the files of the tree a run read whole: the data files
// and the sources of the copies (storyboard JSON, feedback).
func readFiles(m *manifest.Manifest) []pinFile {
	var out []pinFile
	for _, f := range m.Files {
		if f.SHA256 != "" {
			out = append(out, pinFile{Path: f.Path, Pipeline: f.Pipeline, Bytes: f.Bytes, SHA256: f.SHA256})
		}
	}
	for _, c := range m.Copies {
		if c.Kind != oafiles.Notebook {
			out = append(out, pinFile{Path: c.Source, Pipeline: c.Pipeline, Bytes: c.SourceBytes, SHA256: c.SourceSHA256})
		}
	}
	return out
}

// save writes the pin of a target durably.
func (p *pin) save(path string) error {
	b, err := json.Marshal(p)
	if err != nil {
		return fmt.Errorf("failed to encode pin: %w", err)
	}
	if err := writeSynced(path, b); err != nil {
		return fmt.Errorf("failed to write pin: %w", err)
	}
	return nil
}

// pinError names the first lost or changed files and says what to do.
func pinError(path string, lost []string) error {
	sort.Strings(lost)
	const show = 10
	list := strings.Join(lost[:min(show, len(lost))], "; ")
	if len(lost) > show {
		list += fmt.Sprintf("; and %d more", len(lost)-show)
	}
	return fmt.Errorf("failed to check the tree against %s: %d file(s) differ from the run this target was migrated from: %s. "+
		"Put the files back (spotmigrate restore, or from a copy), or re-run with --accept-tree-change after review: %w",
		path, len(lost), list, ErrPinChanged)
}

// checkShrink refuses to replace a partition the ledger holds as
// reconciled with fewer rows than it had, unless accept is set.
func (mg *migration) checkShrink() error {
	if mg.opt.AcceptTreeChange {
		return nil
	}
	for i := range catalog.Tables {
		if err := mg.shrinks(catalog.Tables[i].Name); err != nil {
			return err
		}
	}
	return nil
}

func (mg *migration) shrinks(table string) error {
	for _, k := range mg.units(table) {
		u := mg.led.Units[k.name]
		if u != nil && u.Phase == PhaseReconciled && !u.Dirty && k.rows < u.Rows {
			return fmt.Errorf("failed to load %s: partition %s was reconciled with %d row(s) and the tree now gives %d. "+
				"Put the missing files back, or re-run with --accept-tree-change after review: %w",
				table, k.name, u.Rows, k.rows, ErrPinChanged)
		}
	}
	return nil
}
