package reconcile

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"spotmigrate/manifest"
	"spotmigrate/report"
)

// File statuses.
const (
	FileMatch   = "ok"
	FileMissing = "missing"
	FileDiffers = "differs"
	// FileKept is a notebook that stood in place before the run: never
	// overwritten, only its presence is checked.
	FileKept = "kept"
)

// FileStatuses are the file statuses, in the order the schema lists them.
var FileStatuses = []string{FileMatch, FileMissing, FileDiffers, FileKept}

// FileReader reads a file back from where it landed.
type FileReader interface {
	Read(ctx context.Context, dest string) ([]byte, error)
	Where(dest string) string
}

// FileUnit is the outcome for one copied file.
type FileUnit struct {
	// Pipeline is the pipeline the copy belongs to.
	Pipeline string `json:"pipeline"`
	// Kind is storyboard, feedback or notebook.
	Kind string `json:"kind"`
	// Source is the old file (slash path from the data root), or the
	// notebook template.
	Source string `json:"source"`
	// Dest is the copy's Spot 1.0 place, as in the manifest.
	Dest string `json:"dest"`
	// Where is where the copy was read back (a local path or an HDFS URL).
	Where string `json:"where"`
	// Status is the outcome: ok, missing, differs or kept.
	Status string `json:"status"`
	// Bytes is the size the copy must have.
	Bytes int64 `json:"bytes"`
	// SHA256 is the sha256 the copy must have.
	SHA256 string `json:"sha256"`
	// Actual is the sha256 of a copy that differs.
	Actual string `json:"actual_sha256,omitempty"`
}

// CheckFiles reads back every copy of m (notebooks from nb, the others from
// files; nb may be nil when the notebooks are not checked) and adds the
// outcomes to r.
func (r *Report) CheckFiles(ctx context.Context, m *manifest.Manifest, files, nb FileReader) error {
	for _, c := range m.Copies {
		store := files
		if c.Kind == "notebook" {
			store = nb
		}
		if store == nil {
			continue
		}
		u, err := checkFile(ctx, store, c)
		if err != nil {
			return err
		}
		if u.Status == FileMatch || u.Status == FileKept {
			r.FilesMatched++
		} else {
			r.Failed++
		}
		r.Files = append(r.Files, u)
	}
	return nil
}

func checkFile(ctx context.Context, store FileReader, c manifest.Copy) (FileUnit, error) {
	u := FileUnit{Pipeline: c.Pipeline, Kind: c.Kind, Source: c.Source, Dest: c.Dest, Where: store.Where(c.Dest),
		Bytes: c.Bytes, SHA256: c.SHA256, Status: FileMatch}
	b, err := store.Read(ctx, c.Dest)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		u.Status = FileMissing
		return u, nil
	case err != nil:
		return u, err
	case c.Kept:
		u.Status = FileKept
		return u, nil
	}
	h := sha256.Sum256(b)
	if u.Actual = hex.EncodeToString(h[:]); u.Actual != c.SHA256 {
		u.Status = FileDiffers
	} else {
		u.Actual = ""
	}
	return u, nil
}

// filesOK reports whether every file of pipe verified.
func (r *Report) filesOK(pipe string) bool {
	for _, u := range r.Files {
		if u.Pipeline == pipe && u.Status != FileMatch && u.Status != FileKept {
			return false
		}
	}
	return true
}

// fileSummary counts the files per kind: "3 storyboard (3 OK), 2 feedback (1 OK, 1 DIFFERS)".
func (r *Report) fileRows() [][]string {
	type agg struct{ n, ok, bad int64 }
	var order []string
	by := map[string]*agg{}
	for _, u := range r.Files {
		a := by[u.Kind]
		if a == nil {
			a = &agg{}
			by[u.Kind] = a
			order = append(order, u.Kind)
		}
		a.n++
		if u.Status == FileMatch || u.Status == FileKept {
			a.ok++
		} else {
			a.bad++
		}
	}
	var rows [][]string
	for _, k := range order {
		rows = append(rows, []string{k, n(by[k].n), n(by[k].ok), n(by[k].bad)})
	}
	return rows
}

func (r *Report) badFileRows() [][]string {
	var rows [][]string
	for _, u := range r.Files {
		if u.Status != FileMatch && u.Status != FileKept {
			rows = append(rows, []string{u.Kind, manifest.Shown(u.Source), u.Where, u.Status})
		}
	}
	return rows
}

// writeFiles writes the files section of the text and Markdown reports.
func (r *Report) writeFiles(b *strings.Builder, md bool) error {
	if len(r.Files) == 0 {
		return nil
	}
	section(b, md, "Files")
	var t strings.Builder
	if err := report.Table(&t, md, []string{"KIND", "FILES", "OK", "FAILED"}, r.fileRows()); err != nil {
		return err
	}
	b.WriteString(t.String())
	if bad := r.badFileRows(); len(bad) > 0 {
		section(b, md, "File mismatches")
		t.Reset()
		if err := report.Table(&t, md, []string{"KIND", "SOURCE", "DESTINATION", "STATUS"}, bad); err != nil {
			return err
		}
		b.WriteString(t.String())
	}
	return nil
}

// fileCases are the JUnit cases of the files.
func (r *Report) fileCases(doc *report.Suites) {
	if len(r.Files) == 0 {
		return
	}
	s := &report.Suite{Name: "files"}
	for _, u := range r.Files {
		c := &report.Case{Class: "files." + u.Kind, Name: u.Dest}
		if u.Status != FileMatch && u.Status != FileKept {
			c.Failure = &report.Message{Message: u.Status, Text: fmt.Sprintf("%s %s: %s at %s (sha256 %s)",
				u.Kind, manifest.Shown(u.Source), u.Status, u.Where, u.SHA256)}
		}
		s.Add(c)
	}
	doc.Suites = append(doc.Suites, s)
}
