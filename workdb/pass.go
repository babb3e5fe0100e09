package workdb

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"spotmigrate/catalog"
)

// RawReject is a reject as DuckDB stored it.
type RawReject struct {
	Path      string
	Line      int64
	Column    int
	Field     string
	ErrorType string
	CSVLine   string
	Message   string
}

// PassRow is what one pass says of the rows of one file in one partition.
type PassRow struct {
	FileID  int
	Y, M, D sql.NullInt64
	Rows    int64
	// Bad counts the rows the source's checks reject; Rejected holds, per
	// check, the distinct (column value, reported value) pairs of the rows
	// it rejects first.
	Bad      int64
	Rejected [][][2]string
	Maps     []MapStats
}

// MapStats is what a pass says of the landing rows of one mapping.
type MapStats struct {
	Landing  int64
	Checksum string
	Filtered []int64
	Noted    int64
	// Values holds, per notice, the distinct values it holds on landing rows.
	Values [][]string
}

// PassSpec says what else one read of a batch yields besides its figures.
type PassSpec struct {
	// Relations are filled from the rows of the batch.
	Relations []*catalog.Relation
	// Stage, when set, is the staging folder: the landing rows of every
	// mapping are written as Parquet under Stage/<table>/, in a file named
	// after Seq (unique per batch of a run).
	Stage string
	Seq   int
}

// Pass reads one batch once for all the mappings of its source (a source
// that feeds no table is still read with its types, so its bad rows show)
// and returns its figures and the rows DuckDB rejected. The batch is read
// first without recording rejects, which costs less; only a batch that
// holds a bad row is read again, recording them. A batch that fills
// relations or staging files, or one of small files, is materialised
// first: read_csv hands over each file's rows as their own chunk, and the
// per-chunk cost of every expression dominates on small files (measured
// on the 1 GB tree: the edge files' passes 10–23 % faster).
func (w *Work) Pass(ctx context.Context, b Group, l Landing, spec PassSpec) ([]PassRow, []RawReject, error) {
	materialise := b.small() || len(spec.Relations) > 0 || spec.Stage != ""
	rel := ""
	switch {
	case spec.Stage != "":
		// a table of its own, which the staging connection reads
		rel = fmt.Sprintf("staged_rows_%d", spec.Seq)
	case materialise:
		rel = "batch_rows"
	}
	var rows []PassRow
	var rejects []RawReject
	err := w.read(ctx, b, rel, func(mode readMode) error {
		var err error
		rows, err = w.passRows(ctx, b, l, mode, rel)
		return err
	})
	if err == ErrRejects {
		if rejects, err = w.takeRejects(ctx); err != nil {
			return nil, nil, err
		}
	}
	if err != nil && err != ErrRejects {
		if ctx.Err() == nil {
			err = readError{err}
		}
		return nil, nil, err
	}
	if rel != "" {
		if err := w.fromBatch(ctx, b, l, spec, rel); err != nil {
			return nil, nil, err
		}
	}
	return rows, rejects, nil
}

// The staging files of a batch are written in the background, on a
// connection of their own, while the next batch is read: the read leaves
// a third of the two cores idle (waiting on small files), which the
// Parquet writer fills. One batch is staged at a time.
type stager struct {
	done chan error
}

// stage writes the staging files of the batch table rel (then drops it)
// in the background, after the previous batch's.
func (w *Work) stage(ctx context.Context, b Group, l Landing, spec PassSpec, rel string) error {
	if err := w.Flush(); err != nil {
		return err
	}
	var qs []string
	for _, m := range l.Maps() {
		if err := os.MkdirAll(filepath.Join(spec.Stage, m.Table), 0o755); err != nil {
			return fmt.Errorf("failed to create staging folder: %w", err)
		}
	}
	for i, m := range l.Maps() {
		qs = append(qs, StageSQL(l.SelectSQL(i, rel), filepath.Join(spec.Stage, m.Table), spec.Seq))
	}
	qs = append(qs, "DROP TABLE "+rel)
	done := make(chan error, 1)
	w.stager = &stager{done: done}
	go func() {
		done <- w.execAll(ctx, b, qs)
	}()
	return nil
}

// Flush waits until the staging files of every batch are written.
func (w *Work) Flush() error {
	if w.stager == nil {
		return nil
	}
	err := <-w.stager.done
	w.stager = nil
	return err
}

// execAll runs qs on a connection of its own.
func (w *Work) execAll(ctx context.Context, b Group, qs []string) error {
	conn, err := w.DB.Conn(ctx)
	if err != nil {
		return fmt.Errorf("failed to open a staging connection: %w", err)
	}
	defer conn.Close()
	for _, q := range qs {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			return fmt.Errorf("failed to stage the rows of %s: %s: %w", b.Source.Name, firstLine(q), err)
		}
	}
	return nil
}

// ErrRead marks a batch DuckDB's reader failed on as a whole (a file of it
// it cannot parse, such as mixed line endings): nothing of the batch was
// counted, related or staged, so its files can be read again one by one.
var ErrRead = errors.New("the reader failed")

type readError struct{ error }

func (e readError) Is(target error) bool { return target == ErrRead }
func (e readError) Unwrap() error        { return e.error }

// ErrRejects says that a read recorded rejects (internal to Pass).
var ErrRejects = fmt.Errorf("rows were rejected")

// read runs query in clean mode, then in strict mode when a row is bad
// (returning ErrRejects after a strict read that succeeded). When rel is
// set, the batch's rows are first read into that table.
func (w *Work) read(ctx context.Context, b Group, rel string, query func(readMode) error) error {
	for _, mode := range []readMode{clean, strict} {
		err := w.materialise(ctx, b, rel, mode)
		if err == nil {
			err = query(mode)
		}
		switch {
		case err == nil && mode == strict:
			return ErrRejects
		case err == nil:
			return nil
		case ctx.Err() != nil || mode == strict:
			return err
		}
	}
	return nil
}

func (w *Work) materialise(ctx context.Context, b Group, rel string, mode readMode) error {
	if rel == "" {
		return nil
	}
	kind := "TEMP TABLE"
	if rel != "batch_rows" {
		kind = "TABLE"
	}
	q := "CREATE OR REPLACE " + kind + " " + rel + " AS SELECT * FROM " + sourceRel(b, 1, mode)
	if _, err := w.Conn.ExecContext(ctx, q, b.Paths()); err != nil {
		return fmt.Errorf("failed to read %d %s file(s) starting with %s: %w", len(b.Files), b.Source.Name, b.Files[0].ReadPath, err)
	}
	return nil
}

// fromBatch fills the relations from a materialised batch and writes its
// staging files (in the background), then drops it.
func (w *Work) fromBatch(ctx context.Context, b Group, l Landing, spec PassSpec, rel string) error {
	for _, r := range spec.Relations {
		if _, err := w.Conn.ExecContext(ctx, relationSQL(r, rel)); err != nil {
			return fmt.Errorf("failed to build %s from %s: %w", r.Name, b.Source.Name, err)
		}
	}
	if spec.Stage != "" {
		return w.stage(ctx, b, l, spec, rel)
	}
	if _, err := w.Conn.ExecContext(ctx, "DROP TABLE "+rel); err != nil {
		return fmt.Errorf("failed to drop the rows of %s: %w", b.Source.Name, err)
	}
	return nil
}

// StageSQL writes the landing rows (query: y, m, d, then the table's
// columns) of one batch into dir as one Parquet file readable by Impala
// 2.5 (Snappy, v1 pages), named after seq so that batches add to a folder.
// The partition is a column of the file, not a folder: the load's
// dynamic-partition INSERT reads it like any column (a partitioned write
// took 1.5 times as long and more memory).
func StageSQL(query, dir string, seq int) string {
	return "COPY (" + query + ") TO " + sq.Literal(filepath.Join(dir, fmt.Sprintf("b%d.parquet", seq))) +
		" (FORMAT parquet, COMPRESSION snappy, PARQUET_VERSION V1)"
}

func (w *Work) passRows(ctx context.Context, b Group, l Landing, mode readMode, rel string) ([]PassRow, error) {
	args := []any(nil)
	if rel == "" {
		rel, args = sourceRel(b, 1, mode), []any{b.Paths()}
	}
	q := "SELECT file_id, NULL, NULL, NULL, count(*), 0 FROM " + rel + " s GROUP BY file_id"
	if len(l.Maps()) > 0 {
		q = l.passSQL(rel)
	}
	rows, err := w.Conn.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("failed to read %d %s file(s) starting with %s: %w", len(b.Files), b.Source.Name, b.Files[0].ReadPath, err)
	}
	defer rows.Close()
	var out []PassRow
	for rows.Next() {
		r, err := scanPassRow(rows, l)
		if err != nil {
			return nil, fmt.Errorf("failed to read %s: %w", b.Source.Name, err)
		}
		out = append(out, r)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("failed to read %d %s file(s) starting with %s: %w", len(b.Files), b.Source.Name, b.Files[0].ReadPath, err)
	}
	return out, nil
}

// scanPassRow scans one row of passSQL.
func scanPassRow(rows *sql.Rows, l Landing) (PassRow, error) {
	r := PassRow{Maps: make([]MapStats, len(l.Maps()))}
	dest := []any{&r.FileID, &r.Y, &r.M, &r.D, &r.Rows, &r.Bad}
	pairs := make([]any, len(l.Checks()))
	if len(l.Maps()) > 0 {
		for k := range pairs {
			dest = append(dest, &pairs[k])
		}
	}
	values := make([][]any, len(l.Maps()))
	for i, m := range l.Maps() {
		st := &r.Maps[i]
		st.Filtered = make([]int64, len(m.Filters))
		dest = append(dest, &st.Landing, &st.Checksum)
		for j := range m.Filters {
			dest = append(dest, &st.Filtered[j])
		}
		dest = append(dest, &st.Noted)
		values[i] = make([]any, len(l.Notices(i)))
		for k := range values[i] {
			dest = append(dest, &values[i][k])
		}
	}
	if err := rows.Scan(dest...); err != nil {
		return r, err
	}
	r.Rejected = pairLists(pairs)
	for i := range r.Maps {
		r.Maps[i].Values = textLists(values[i])
	}
	return r, nil
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

// takeRejects returns and clears the rejects DuckDB stored.
func (w *Work) takeRejects(ctx context.Context) ([]RawReject, error) {
	rows, err := w.Conn.QueryContext(ctx, `SELECT s.file_path, e.line, e.column_idx, coalesce(e.column_name, ''),
		CAST(e.error_type AS VARCHAR), coalesce(e.csv_line, ''), coalesce(e.error_message, '')
		FROM rej_errors e JOIN rej_scans s USING (scan_id, file_id) ORDER BY s.file_path, e.line, e.column_idx`)
	if err != nil {
		return nil, fmt.Errorf("failed to read rejects: %w", err)
	}
	var out []RawReject
	for rows.Next() {
		var r RawReject
		var col, line sql.NullInt64
		if err := rows.Scan(&r.Path, &line, &col, &r.Field, &r.ErrorType, &r.CSVLine, &r.Message); err != nil {
			rows.Close()
			return nil, fmt.Errorf("failed to read rejects: %w", err)
		}
		r.Line, r.Column = line.Int64, int(col.Int64)
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

// FillRelations adds the rows of one batch to relations (for a batch whose
// source's pass does not fill them itself); a batch that feeds more than
// one is read once, into a temporary table.
func (w *Work) FillRelations(ctx context.Context, rels []*catalog.Relation, b Group) error {
	rel, args := sourceRel(b, 1, lenient), []any{b.Paths()}
	if len(rels) > 1 {
		if _, err := w.Conn.ExecContext(ctx, "CREATE OR REPLACE TEMP TABLE relation_rows AS SELECT * FROM "+rel, args...); err != nil {
			return fmt.Errorf("failed to read %s for its relations: %w", b.Source.Name, err)
		}
		rel, args = "relation_rows", nil
	}
	for _, r := range rels {
		if _, err := w.Conn.ExecContext(ctx, relationSQL(r, rel), args...); err != nil {
			return fmt.Errorf("failed to build %s from %s: %w", r.Name, b.Source.Name, err)
		}
	}
	if args == nil {
		if _, err := w.Conn.ExecContext(ctx, "DROP TABLE relation_rows"); err != nil {
			return fmt.Errorf("failed to drop the rows of %s: %w", b.Source.Name, err)
		}
	}
	return nil
}

// ReduceRelation replaces a filled relation by its final rows.
func (w *Work) ReduceRelation(ctx context.Context, rel *catalog.Relation) error {
	name := sq.Ident(rel.Name)
	reduce := rel.Reduce
	if reduce == "" {
		reduce = "SELECT DISTINCT * FROM " + name
	}
	if _, err := w.Conn.ExecContext(ctx, "CREATE OR REPLACE TABLE "+name+" AS "+reduce); err != nil {
		return fmt.Errorf("failed to build %s: %w", rel.Name, err)
	}
	return nil
}

// Findings reads the files of batch b again, in file order (ids are
// their ids), and returns the findings of mapping i of l on them, ordered
// by file and row.
func (w *Work) Findings(ctx context.Context, b Group, ids []int32, l Landing) ([][]Finding, error) {
	if err := w.readOrdered(ctx, b, ids); err != nil {
		return nil, err
	}
	out := make([][]Finding, len(l.Maps()))
	for i, m := range l.Maps() {
		fs, err := w.findings(ctx, l, i)
		if err != nil {
			return nil, fmt.Errorf("failed to check rows for %s: %w", m.Table, err)
		}
		out[i] = fs
	}
	if _, err := w.Conn.ExecContext(ctx, "DROP TABLE batch; DROP TABLE batch_read"); err != nil {
		return nil, fmt.Errorf("failed to drop the re-read rows: %w", err)
	}
	return out, nil
}

func (w *Work) findings(ctx context.Context, l Landing, i int) ([]Finding, error) {
	q := l.findingsSQL(i)
	if q == "" {
		return nil, nil
	}
	rows, err := w.Conn.QueryContext(ctx, q)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []Finding
	for rows.Next() {
		var f Finding
		if err := rows.Scan(&f.FileID, &f.Ord, &f.Index, &f.Value); err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, rows.Err()
}

// readOrdered reads the files of b into the temporary table batch, with
// each row's ordinal in its file (ord).
func (w *Work) readOrdered(ctx context.Context, b Group, ids []int32) error {
	b.idParam = 2
	qs := []string{"SET preserve_insertion_order = true",
		"CREATE OR REPLACE TEMP TABLE batch_read AS SELECT * FROM " + sourceRel(b, 1, lenient),
		"CREATE OR REPLACE TEMP TABLE batch AS SELECT *, rowid - min(rowid) OVER (PARTITION BY file_id) AS ord FROM batch_read",
		"SET preserve_insertion_order = false"}
	for _, q := range qs {
		var args []any
		if strings.Contains(q, "$1") {
			args = []any{b.Paths(), ids}
		}
		if _, err := w.Conn.ExecContext(ctx, q, args...); err != nil {
			_, _ = w.Conn.ExecContext(ctx, "SET preserve_insertion_order = false")
			return fmt.Errorf("failed to re-read %d %s file(s) starting with %s: %w", len(b.Files), b.Source.Name, b.Files[0].ReadPath, err)
		}
	}
	return nil
}
