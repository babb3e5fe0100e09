package validate

import (
	"context"
	"database/sql"
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

// registerFiles appends the readable files to the files table. Paths
// holding glob characters are read through a plain-named link in the work
// folder, since read_csv would expand them.
func (w *Work) registerFiles(ctx context.Context, files []*file) error {
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
			readPath, err := w.readPath(f)
			if err != nil {
				app.Close()
				return err
			}
			f.abs = readPath
			row := []driver.Value{int32(f.id), int16(f.y), int8(f.m), int8(f.d), nil}
			if f.day != "" {
				row[4] = time.Date(f.y, time.Month(f.m), f.d, 0, 0, 0, 0, time.UTC)
			}
			for _, n := range fields {
				if v, ok := f.fields[n]; ok {
					row = append(row, v)
				} else {
					row = append(row, nil)
				}
			}
			if err := app.AppendRow(row...); err != nil {
				app.Close()
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

// globChars are the characters read_csv expands in a path.
const globChars = "*?[]{}"

func (w *Work) readPath(f *file) (string, error) {
	if !strings.ContainsAny(f.abs, globChars) {
		return f.abs, nil
	}
	dir := filepath.Join(w.Dir, "links")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", fmt.Errorf("failed to create link folder: %w", err)
	}
	link := filepath.Join(dir, fmt.Sprintf("f%d", f.id))
	if err := os.Symlink(f.abs, link); err != nil {
		return "", fmt.Errorf("failed to link %s: %w", f.Path, err)
	}
	return link, nil
}

// group is the readable files of one source layout that start with the
// same number of blank lines.
type group struct {
	src    *catalog.Source
	layout *catalog.Layout
	skip   int
	files  []*file
	// idParam, when set, is the parameter holding the files' ids, in list
	// order: for a group whose ids are not consecutive.
	idParam int
}

// like returns an empty group of the same source, layout and skip.
func (g group) like() group { return group{src: g.src, layout: g.layout, skip: g.skip} }

func (g group) paths() []string {
	out := make([]string, len(g.files))
	for i, f := range g.files {
		out[i] = f.abs
	}
	return out
}

// groupFiles groups files by source, layout and leading blank lines, in
// catalog order, and numbers them in that order from lastID+1: the files
// of a group, and of each of its batches, have consecutive ids, so a
// read_csv row's file_index gives its file (see sourceRel).
func groupFiles(files []*file, lastID int) []group {
	var out []group
	for i := range catalog.Sources {
		s := &catalog.Sources[i]
		for j := range s.Layouts {
			bySkip := map[int]*group{}
			var skips []int
			for _, f := range files {
				if f.src != s || f.layout != &s.Layouts[j] {
					continue
				}
				if bySkip[f.skip] == nil {
					bySkip[f.skip] = &group{src: s, layout: f.layout, skip: f.skip}
					skips = append(skips, f.skip)
				}
				bySkip[f.skip].files = append(bySkip[f.skip].files, f)
			}
			slices.Sort(skips)
			for _, k := range skips {
				out = append(out, *bySkip[k])
			}
		}
	}
	id := lastID
	for _, g := range out {
		for _, f := range g.files {
			id++
			f.id = id
		}
	}
	return out
}

// firstID is the id of the group's first file; it panics unless the ids
// are consecutive, which sourceRel relies on.
func (g group) firstID() int {
	if g.idParam > 0 {
		return 0
	}
	for i, f := range g.files {
		if f.id != g.files[0].id+i {
			panic(fmt.Sprintf("file ids of %s are not consecutive", g.src.Name))
		}
	}
	return g.files[0].id
}

// batches splits a group into bounded batches.
func (g group) batches() []group {
	var out []group
	cur := g.like()
	var size int64
	for _, f := range g.files {
		if len(cur.files) > 0 && (len(cur.files) >= batchFiles || size+f.Bytes > batchBytes) {
			out = append(out, cur)
			cur, size = g.like(), 0
		}
		cur.files = append(cur.files, f)
		size += f.Bytes
	}
	return append(out, cur)
}

// rawReject is a reject as DuckDB stored it.
type rawReject struct {
	path      string
	line      int64
	column    int
	field     string
	errorType string
	csvLine   string
	message   string
}

// takeRejects returns and clears the rejects DuckDB stored.
func (w *Work) takeRejects(ctx context.Context) ([]rawReject, error) {
	rows, err := w.Conn.QueryContext(ctx, `SELECT s.file_path, e.line, e.column_idx, coalesce(e.column_name, ''),
		CAST(e.error_type AS VARCHAR), coalesce(e.csv_line, ''), coalesce(e.error_message, '')
		FROM rej_errors e JOIN rej_scans s USING (scan_id, file_id) ORDER BY s.file_path, e.line, e.column_idx`)
	if err != nil {
		return nil, fmt.Errorf("failed to read rejects: %w", err)
	}
	var out []rawReject
	for rows.Next() {
		var r rawReject
		var col, line sql.NullInt64
		if err := rows.Scan(&r.path, &line, &col, &r.field, &r.errorType, &r.csvLine, &r.message); err != nil {
			rows.Close()
			return nil, fmt.Errorf("failed to read rejects: %w", err)
		}
		r.line, r.column = line.Int64, int(col.Int64)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("failed to read rejects: %w", err)
	}
	for _, q := range []string{"DELETE FROM rej_errors", "DELETE FROM rej_scans"} {
		if _, err := w.Conn.ExecContext(ctx, q); err != nil {
			return nil, fmt.Errorf("failed to clear rejects: %w", err)
		}
	}
	return out, nil
}

// passRow is one result row of passSQL.
type passRow struct {
	fileID  int
	y, m, d sql.NullInt64
	rows    int64
	maps    []mapStats
}

type mapStats struct {
	landing  int64
	checksum string
	bad      int64
	filtered []int64
	noted    int64
	// values holds, per notice, the distinct values it holds on landing rows;
	// rejected, per check, the distinct (column value, reported value) pairs
	// of the rows it rejects first.
	values   [][]string
	rejected [][][2]string
}

// pass reads one batch for all the mappings of its source (a source that
// feeds no table is still read with its types, so its bad rows show). The
// batch is read first without recording rejects, which costs less; only a
// batch that holds a bad row is read again, recording them.
func (w *Work) pass(ctx context.Context, b group, maps []*catalog.Mapping) ([]passRow, []rawReject, error) {
	out, err := w.passRows(ctx, b, maps, clean)
	if err == nil {
		return out, nil, nil
	}
	if ctx.Err() != nil {
		return nil, nil, err
	}
	if out, err = w.passRows(ctx, b, maps, strict); err != nil {
		return nil, nil, err
	}
	rejects, err := w.takeRejects(ctx)
	return out, rejects, err
}

func (w *Work) passRows(ctx context.Context, b group, maps []*catalog.Mapping, mode readMode) ([]passRow, error) {
	with, rel := passRel(b, mode)
	q := with + "SELECT file_id, NULL, NULL, NULL, count(*) FROM " + rel + " s GROUP BY file_id"
	if len(maps) > 0 {
		q = with + passSQL(maps, rel, w.strict)
	}
	rows, err := w.Conn.QueryContext(ctx, q, b.paths())
	if err != nil {
		return nil, fmt.Errorf("failed to read %d %s file(s) starting with %s: %w", len(b.files), b.src.Name, b.files[0].Path, err)
	}
	defer rows.Close()
	var out []passRow
	for rows.Next() {
		r := passRow{maps: make([]mapStats, len(maps))}
		dest := []any{&r.fileID, &r.y, &r.m, &r.d, &r.rows}
		lists := make([][]any, len(maps))
		for i, m := range maps {
			r.maps[i].filtered = make([]int64, len(m.Filters))
			dest = append(dest, &r.maps[i].landing, &r.maps[i].checksum, &r.maps[i].bad)
			for j := range m.Filters {
				dest = append(dest, &r.maps[i].filtered[j])
			}
			dest = append(dest, &r.maps[i].noted)
			lists[i] = make([]any, len(noticesOf(m, w.strict))+len(checksOf(m, w.strict)))
			for k := range lists[i] {
				dest = append(dest, &lists[i][k])
			}
		}
		if err := rows.Scan(dest...); err != nil {
			return nil, fmt.Errorf("failed to read %s: %w", b.src.Name, err)
		}
		for i, m := range maps {
			n := len(noticesOf(m, w.strict))
			r.maps[i].values = textLists(lists[i][:n])
			r.maps[i].rejected = pairLists(lists[i][n:])
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("failed to read %d %s file(s) starting with %s: %w", len(b.files), b.src.Name, b.files[0].Path, err)
	}
	return out, nil
}

// textLists turns scanned DuckDB lists of text into string slices.
func textLists(lists []any) [][]string {
	out := make([][]string, len(lists))
	for k, l := range lists {
		vs, _ := l.([]any)
		for _, v := range vs {
			if s, ok := v.(string); ok {
				out[k] = append(out[k], s)
			}
		}
	}
	return out
}

// pairLists turns scanned DuckDB lists of two-text lists into pairs.
func pairLists(lists []any) [][][2]string {
	out := make([][][2]string, len(lists))
	for k, l := range lists {
		ps, _ := l.([]any)
		for _, p := range ps {
			if kv, ok := p.([]any); ok && len(kv) == 2 {
				a, _ := kv[0].(string)
				b, _ := kv[1].(string)
				out[k] = append(out[k], [2]string{a, b})
			}
		}
	}
	return out
}

// Materialised batches: a batch of files averaging under smallFiles bytes
// is materialised before its pass (see passRel), in batches of at most
// materialisedFiles files, which bounds the memory it takes (on the 1 GB
// tree, 4000-file batches raised validate's peak RSS from 0.5 to 0.75 GiB;
// 2000-file batches were as fast, at 0.55 GiB). A variable for tests.
var (
	smallFiles        int64 = 1 << 20
	materialisedFiles       = 2000
)

func (g group) small() bool {
	var n int64
	for _, f := range g.files {
		n += f.Bytes
	}
	return n < smallFiles*int64(len(g.files))
}

// passBatches splits a group into the batches of its passes.
func (g group) passBatches() []group {
	var out []group
	for _, b := range g.batches() {
		small := b.small()
		for small && len(b.files) > materialisedFiles {
			head := b.like()
			head.files = b.files[:materialisedFiles]
			out = append(out, head)
			b.files = b.files[materialisedFiles:]
		}
		out = append(out, b)
	}
	return out
}

// passRel returns the source relation of a batch for its pass, and the WITH
// clause that defines it, if any. read_csv hands over each file's rows as
// their own chunk, and DuckDB's per-chunk cost of every expression then
// dominates on small files (an edge file has ~70 rows): a batch of small
// files is materialised first, which packs its rows into full chunks
// (measured on the 1 GB tree: the edge files' passes 10–23 % faster,
// validate 12 % faster in paired runs).
func passRel(b group, mode readMode) (with, rel string) {
	rel = sourceRel(b, 1, mode)
	if !b.small() {
		return "", rel
	}
	return "WITH batch_rows AS MATERIALIZED (SELECT * FROM " + rel + ") ", "batch_rows"
}

// fillRelations adds the rows of one batch to relations; a batch that
// feeds more than one is read once, into a temporary table.
func (w *Work) fillRelations(ctx context.Context, rels []*catalog.Relation, b group) error {
	rel, args := sourceRel(b, 1, lenient), []any{b.paths()}
	if len(rels) > 1 {
		if _, err := w.Conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE relation_rows AS SELECT * FROM "+rel, args...); err != nil {
			return fmt.Errorf("failed to read %s for its relations: %w", b.src.Name, err)
		}
		rel, args = "relation_rows", nil
	}
	for _, r := range rels {
		if _, err := w.Conn.ExecContext(ctx, relationSQL(r, rel), args...); err != nil {
			return fmt.Errorf("failed to build %s from %s: %w", r.Name, b.src.Name, err)
		}
	}
	if args == nil {
		if _, err := w.Conn.ExecContext(ctx, "DROP TABLE relation_rows"); err != nil {
			return fmt.Errorf("failed to drop the rows of %s: %w", b.src.Name, err)
		}
	}
	return nil
}
