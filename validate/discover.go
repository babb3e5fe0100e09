package validate

import (
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"time"

	"spotmigrate/catalog"
	"spotmigrate/manifest"
	"spotmigrate/workdb"
)

// tree is a discovered OA tree.
type tree struct {
	root    string
	files   []*file
	skipped []manifest.Skipped
}

// file is a discovered file with what the work needs beyond the manifest.
type file struct {
	manifest.File
	id      int
	abs     string
	src     *catalog.Source
	layout  *catalog.Layout
	y, m, d int
	day     string // YYYY-MM-DD, empty for ingest summaries
	fields  map[string]string
	size    int64 // from the folder listing, for progress before inspection
	// header is the header line as read (fields already split).
	header []string
	// skip is the number of blank lines before the header.
	skip int
	// lines and blank are the physical and the blank lines of the file,
	// counted while hashing it (when counted).
	lines, blank int64
	counted      bool
	// in is the file as the work database reads it (set when registered).
	in *workdb.Input
}

// FindRoot returns the folder holding the pipeline folders: oaPath/data for
// a spot-oa folder, or oaPath itself.
func FindRoot(oaPath string) (string, error) {
	abs, err := filepath.Abs(oaPath)
	if err != nil {
		return "", fmt.Errorf("failed to resolve %s: %w", oaPath, err)
	}
	if st, err := os.Stat(abs); err != nil {
		return "", fmt.Errorf("failed to open OA path: %w", err)
	} else if !st.IsDir() {
		return "", fmt.Errorf("failed to open OA path %s: not a folder", oaPath)
	}
	for _, cand := range []string{filepath.Join(abs, "data"), abs} {
		for _, p := range append([]string{"backup"}, catalog.Pipelines...) {
			if st, err := os.Stat(filepath.Join(cand, p)); err == nil && st.IsDir() {
				return cand, nil
			}
		}
	}
	return "", fmt.Errorf("failed to find a pipeline folder (flow, dns or proxy) in %s or %s", oaPath, filepath.Join(oaPath, "data"))
}

var dayName = regexp.MustCompile(`^[0-9]{8}$`)

// discover walks the pipeline folders of root and classifies every entry.
func discover(root string, pipelines []string) (*tree, error) {
	t := &tree{root: root}
	top, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("failed to list %s: %w", root, err)
	}
	for _, e := range top {
		name := e.Name()
		switch {
		case slices.Contains(pipelines, name):
			if err := t.pipeline(name); err != nil {
				return nil, err
			}
		case slices.Contains(catalog.Pipelines, name):
			t.skip(name+"/", "pipeline not selected (--pipelines)")
		case name == "backup":
			t.skip(name+"/", "backup folder of an earlier migration, not migrated")
		default:
			t.skip(name+entrySuffix(e), "not a pipeline folder (flow, dns, proxy)")
		}
	}
	return t, nil
}

func entrySuffix(e fs.DirEntry) string {
	if e.IsDir() {
		return "/"
	}
	return ""
}

func (t *tree) skip(rel, reason string) {
	t.skipped = append(t.skipped, manifest.Skipped{Path: rel, Reason: reason})
}

func (t *tree) pipeline(pipe string) error {
	dir := filepath.Join(t.root, pipe)
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("failed to list %s: %w", dir, err)
	}
	for _, e := range entries {
		name := e.Name()
		rel := path.Join(pipe, name)
		if !isDir(dir, e) {
			t.skip(rel, "not in a day folder (YYYYMMDD) or ingest_summary/")
			continue
		}
		switch {
		case name == "ingest_summary":
			if err := t.folder(pipe, rel, catalog.IngestSummary, 0, 0, 0); err != nil {
				return err
			}
		case dayName.MatchString(name):
			day, err := time.Parse("20060102", name)
			if err != nil {
				t.skip(rel+"/", "not a valid date (YYYYMMDD): "+name)
				continue
			}
			if err := t.folder(pipe, rel, catalog.DayFolder, day.Year(), int(day.Month()), day.Day()); err != nil {
				return err
			}
		case name == ".ipynb_checkpoints":
			t.skip(rel+"/", "notebook checkpoint folder, not migrated")
		default:
			t.skip(rel+"/", "not a day folder (YYYYMMDD)")
		}
	}
	return nil
}

// isDir follows symbolic links.
func isDir(dir string, e fs.DirEntry) bool {
	if e.IsDir() {
		return true
	}
	if e.Type()&fs.ModeSymlink == 0 {
		return false
	}
	st, err := os.Stat(filepath.Join(dir, e.Name()))
	return err == nil && st.IsDir()
}

// isRegular is false for a FIFO, socket or device, or a link to one: a
// FIFO named like a data file would block the read forever. A link that
// cannot be followed counts as a file, so that its read fails loudly.
func isRegular(dir string, e fs.DirEntry) bool {
	if e.Type().IsRegular() {
		return true
	}
	if e.Type()&fs.ModeSymlink == 0 {
		return false
	}
	st, err := os.Stat(filepath.Join(dir, e.Name()))
	return err != nil || st.Mode().IsRegular()
}

func (t *tree) folder(pipe, rel string, scope catalog.Scope, y, m, d int) error {
	dir := filepath.Join(t.root, filepath.FromSlash(rel))
	entries, err := os.ReadDir(dir)
	if err != nil {
		return fmt.Errorf("failed to list %s: %w", dir, err)
	}
	for _, e := range entries {
		frel := path.Join(rel, e.Name())
		if isDir(dir, e) && e.Name() == ".ipynb_checkpoints" {
			t.skip(frel+"/", "notebook checkpoint folder, not migrated")
			continue
		}
		if isDir(dir, e) {
			t.skip(frel+"/", "folder inside a "+scopeName(scope)+", not migrated")
			continue
		}
		if !isRegular(dir, e) {
			t.skip(frel, "not a regular file (a FIFO, socket or device), not read")
			continue
		}
		f, reason := classify(pipe, scope, e.Name())
		if f == nil {
			t.skip(frel, reason)
			continue
		}
		f.Path, f.abs = frel, filepath.Join(dir, e.Name())
		if info, err := e.Info(); err == nil {
			f.size = info.Size()
		}
		f.y, f.m, f.d = y, m, d
		if scope == catalog.DayFolder {
			f.day = fmt.Sprintf("%04d-%02d-%02d", y, m, d)
		}
		t.files = append(t.files, f)
	}
	return nil
}

func scopeName(s catalog.Scope) string {
	if s == catalog.IngestSummary {
		return "ingest_summary folder"
	}
	return "day folder"
}

// classify returns the file for a matching source, or why it is skipped.
func classify(pipe string, scope catalog.Scope, name string) (*file, string) {
	for i := range catalog.Sources {
		s := &catalog.Sources[i]
		if s.Pipeline != pipe || s.Scope != scope {
			continue
		}
		m := s.Pattern.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		f := &file{src: s, fields: map[string]string{}}
		f.Pipeline, f.Source = pipe, s.Name
		for j, g := range s.Pattern.SubexpNames() {
			if g != "" {
				f.fields[g] = m[j]
			}
		}
		for _, mp := range catalog.MappingsOf(s.Name) {
			f.Tables = append(f.Tables, mp.Table)
		}
		if f.Tables == nil {
			f.Tables = []string{}
		}
		return f, ""
	}
	reason := "matches no Spot OA file kind of the " + pipe + " pipeline, not migrated"
	for _, sk := range catalog.Skips {
		if sk.Pattern.MatchString(name) {
			reason = sk.Reason
			break
		}
	}
	return nil, reason
}

// Discover finds the files of the tree and their layouts (without hashing
// or reading their rows) and returns the readable ones grouped by layout,
// numbered from 1: what a plain read of the tree reads.
func Discover(oaPath string, pipelines []string) ([]workdb.Group, error) {
	root, err := FindRoot(oaPath)
	if err != nil {
		return nil, err
	}
	t, err := discover(root, pipelines)
	if err != nil {
		return nil, err
	}
	inspectHeaders(t.files)
	var good []*workdb.Input
	for _, f := range t.files {
		if f.Error == "" {
			good = append(good, &workdb.Input{ReadPath: f.abs, Size: f.Bytes, Source: f.src, Layout: f.layout,
				Skip: f.skip, Y: f.y, M: f.m, D: f.d, Day: f.day, Fields: f.fields})
		}
	}
	return workdb.GroupFiles(good, 0), nil
}
