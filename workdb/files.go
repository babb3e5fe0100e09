package workdb

import (
	"context"
	"database/sql/driver"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/duckdb/duckdb-go/v2"

	"spotmigrate/catalog"
)

// Input is one readable old file as the work database reads it.
type Input struct {
	// ID is the file's row in the files table (f.id in mapping SQL).
	ID int
	// ReadPath is the path read_csv reads: the file itself, or a plain-named
	// link in the work folder for a path with glob characters.
	ReadPath string
	// Size is the file's size in bytes, which bounds batches.
	Size   int64
	Source *catalog.Source
	Layout *catalog.Layout
	// Skip is the number of blank lines before the header.
	Skip int
	// Y, M, D and Day (YYYY-MM-DD) are the day folder's date; Day is empty
	// for an ingest summary.
	Y, M, D int
	Day     string
	// Fields are the values of the source pattern's named groups.
	Fields map[string]string
}

// Batch limits: one read_csv statement reads at most this many files or
// bytes, which bounds statement size and gives progress its steps.
var (
	batchFiles = envInt("SPOTMIGRATE_BATCH_FILES", 4000)
	batchBytes = int64(envInt("SPOTMIGRATE_BATCH_MB", 256)) << 20
)

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// SetBatchLimits sets the batch and materialisation limits (for tests that
// exercise batch boundaries) and returns a function that restores them.
func SetBatchLimits(files, materialised int, small int64) (restore func()) {
	savedB, savedM, savedS := batchFiles, materialisedFiles, smallFiles
	batchFiles, materialisedFiles, smallFiles = files, materialised, small
	return func() { batchFiles, materialisedFiles, smallFiles = savedB, savedM, savedS }
}

// RegisterFiles appends the files to the files table. A path holding glob
// characters is read through a plain-named link in the work folder, since
// read_csv would expand it; ReadPath is set to that link.
func (w *Work) RegisterFiles(ctx context.Context, files []*Input) error {
	fields := catalog.FileFields()
	err := w.Conn.Raw(func(dc any) error {
		conn, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		app, err := duckdb.NewAppenderFromConn(conn, "", "files")
		if err != nil {
			return err
		}
		for _, f := range files {
			if err := w.link(f); err != nil {
				_ = app.Close()
				return err
			}
			if err := app.AppendRow(fileRow(f, fields)...); err != nil {
				_ = app.Close()
				return err
			}
		}
		return app.Close()
	})
	if err != nil {
		return fmt.Errorf("failed to register files: %w", err)
	}
	return nil
}

// fileRow is the files table row of f.
func fileRow(f *Input, fields []string) []driver.Value {
	row := []driver.Value{int32(f.ID), int16(f.Y), int8(f.M), int8(f.D), nil}
	if f.Day != "" {
		row[4] = time.Date(f.Y, time.Month(f.M), f.D, 0, 0, 0, 0, time.UTC)
	}
	for _, n := range fields {
		if v, ok := f.Fields[n]; ok {
			row = append(row, v)
		} else {
			row = append(row, nil)
		}
	}
	return row
}

// globChars are the characters read_csv expands in a path.
const globChars = "*?[]{}"

func (w *Work) link(f *Input) error {
	if !strings.ContainsAny(f.ReadPath, globChars) {
		return nil
	}
	dir := filepath.Join(w.Dir, "links")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("failed to create link folder: %w", err)
	}
	link := filepath.Join(dir, fmt.Sprintf("f%d", f.ID))
	if err := os.Symlink(f.ReadPath, link); err != nil {
		return fmt.Errorf("failed to link file %d: %w", f.ID, err)
	}
	f.ReadPath = link
	return nil
}

// Group is the readable files of one source layout that start with the
// same number of blank lines.
type Group struct {
	Source *catalog.Source
	Layout *catalog.Layout
	Skip   int
	Files  []*Input
	// idParam, when set, is the parameter holding the files' ids, in list
	// order: for a group whose ids are not consecutive.
	idParam int
}

// Like returns an empty group of the same source, layout and skip.
func (g Group) Like() Group { return Group{Source: g.Source, Layout: g.Layout, Skip: g.Skip} }

// Paths are the read paths of the group's files, in order.
func (g Group) Paths() []string {
	out := make([]string, len(g.Files))
	for i, f := range g.Files {
		out[i] = f.ReadPath
	}
	return out
}

// Bytes is the size of the group's files.
func (g Group) Bytes() int64 {
	var n int64
	for _, f := range g.Files {
		n += f.Size
	}
	return n
}

// GroupFiles groups files by source, layout and leading blank lines, in
// catalog order, and numbers them in that order from lastID+1: the files
// of a group, and of each of its batches, have consecutive ids, so a
// read_csv row's file_index gives its file (see sourceRel).
func GroupFiles(files []*Input, lastID int) []Group {
	var out []Group
	for i := range catalog.Sources {
		s := &catalog.Sources[i]
		for j := range s.Layouts {
			bySkip := map[int]*Group{}
			var skips []int
			for _, f := range files {
				if f.Source != s || f.Layout != &s.Layouts[j] {
					continue
				}
				if bySkip[f.Skip] == nil {
					bySkip[f.Skip] = &Group{Source: s, Layout: f.Layout, Skip: f.Skip}
					skips = append(skips, f.Skip)
				}
				bySkip[f.Skip].Files = append(bySkip[f.Skip].Files, f)
			}
			slices.Sort(skips)
			for _, k := range skips {
				out = append(out, *bySkip[k])
			}
		}
	}
	id := lastID
	for _, g := range out {
		for _, f := range g.Files {
			id++
			f.ID = id
		}
	}
	return out
}

// firstID is the id of the group's first file; it panics unless the ids
// are consecutive, which sourceRel relies on.
func (g Group) firstID() int {
	if g.idParam > 0 {
		return 0
	}
	for i, f := range g.Files {
		if f.ID != g.Files[0].ID+i {
			panic(fmt.Sprintf("file ids of %s are not consecutive", g.Source.Name))
		}
	}
	return g.Files[0].ID
}

// Batches splits a group into bounded batches.
func (g Group) Batches() []Group {
	var out []Group
	cur := g.Like()
	var size int64
	for _, f := range g.Files {
		if len(cur.Files) > 0 && (len(cur.Files) >= batchFiles || size+f.Size > batchBytes) {
			out = append(out, cur)
			cur, size = g.Like(), 0
		}
		cur.Files = append(cur.Files, f)
		size += f.Size
	}
	return append(out, cur)
}

// Materialised batches: a batch of files averaging under smallFiles bytes
// is materialised before its pass (see passRel), in batches of at most
// materialisedFiles files, which bounds the memory it takes (on the 1 GB
// tree, 4000-file batches raised validate's peak RSS from 0.5 to 0.75 GiB;
// 2000-file batches were as fast, at 0.55 GiB).
var (
	smallFiles        int64 = 1 << 20
	materialisedFiles       = 2000
)

func (g Group) small() bool { return g.Bytes() < smallFiles*int64(len(g.Files)) }

// PassBatches splits a group into the batches of its passes.
func (g Group) PassBatches() []Group {
	var out []Group
	for _, b := range g.Batches() {
		small := b.small()
		for small && len(b.Files) > materialisedFiles {
			head := b.Like()
			head.Files = b.Files[:materialisedFiles]
			out = append(out, head)
			b.Files = b.Files[materialisedFiles:]
		}
		out = append(out, b)
	}
	return out
}
