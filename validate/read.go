package validate

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"spotmigrate/catalog"
)

// Batch limits: one read_csv statement reads at most this many files or
// bytes, which bounds statement size and gives progress its steps.
const (
	batchFiles = 2000
	batchBytes = 128 << 20
)

// registerFiles inserts the readable files into the files table. Paths
// holding glob characters are read through a plain-named link in the work
// folder, since read_csv would expand them.
func (w *Work) registerFiles(ctx context.Context, files []*file) error {
	fields := catalog.FileFields()
	cols := "id, read_path, path, source, y, m, d, day"
	marks := "?, ?, ?, ?, ?, ?, ?, CAST(? AS DATE)"
	for _, n := range fields {
		cols += ", " + quoteIdent(n)
		marks += ", ?"
	}
	tx, err := w.Conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("failed to register files: %w", err)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, "INSERT INTO files ("+cols+") VALUES ("+marks+")")
	if err != nil {
		return fmt.Errorf("failed to register files: %w", err)
	}
	defer st.Close()
	for _, f := range files {
		readPath, err := w.readPath(f)
		if err != nil {
			return err
		}
		args := []any{f.id, readPath, f.Path, f.Source, f.y, f.m, f.d, nullIfEmpty(f.day)}
		for _, n := range fields {
			args = append(args, nullIfEmpty(f.fields[n]))
		}
		if _, err := st.ExecContext(ctx, args...); err != nil {
			return fmt.Errorf("failed to register %s: %w", f.Path, err)
		}
		f.abs = readPath
	}
	return tx.Commit()
}

func nullIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

var globChars = regexp.MustCompile(`[*?\[\]{}]`)

func (w *Work) readPath(f *file) (string, error) {
	if !globChars.MatchString(f.abs) {
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

// batches groups files by source and layout, in bounded batches.
func batches(files []*file) [][]*file {
	type key struct {
		src    *catalog.Source
		layout *catalog.Layout
	}
	var order []key
	groups := map[key][]*file{}
	for _, f := range files {
		k := key{f.src, f.layout}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], f)
	}
	var out [][]*file
	for _, k := range order {
		var cur []*file
		var size int64
		for _, f := range groups[k] {
			if len(cur) > 0 && (len(cur) >= batchFiles || size+f.Bytes > batchBytes) {
				out = append(out, cur)
				cur, size = nil, 0
			}
			cur = append(cur, f)
			size += f.Bytes
		}
		out = append(out, cur)
	}
	return out
}

// ReadCSVSQL returns the strictly typed read_csv call for files of one
// source layout; the file list is bound as parameter $1.
func ReadCSVSQL(s *catalog.Source, l *catalog.Layout) string {
	var cols, strs []string
	for _, f := range l.Fields {
		cols = append(cols, quoteLit(f.Header)+": "+quoteLit(string(f.Type)))
		if f.Type == catalog.Text {
			strs = append(strs, quoteLit(f.Header))
		}
	}
	opts := []string{
		"header = true", "auto_detect = false", "delim = " + quoteLit(string(s.Delim)),
		"columns = {" + strings.Join(cols, ", ") + "}",
		"timestampformat = " + quoteLit(catalog.TimestampFormat),
		"dateformat = " + quoteLit(catalog.DateFormat),
		"filename = true", "store_rejects = true",
		"rejects_table = 'rej_errors'", "rejects_scan = 'rej_scans'",
		"nullstr = " + quoteLit(s.NullMarker),
	}
	if s.Quoted {
		opts = append(opts, `quote = '"'`, `escape = '"'`)
	} else {
		opts = append(opts, "quote = ''", "escape = ''")
	}
	if s.NullMarker == "" && len(strs) > 0 {
		opts = append(opts, "force_not_null = ["+strings.Join(strs, ", ")+"]")
	}
	return "read_csv($1, " + strings.Join(opts, ", ") + ")"
}

// insertSQL reads a batch into the source table, mapping the layout's
// fields to the source's canonical columns.
func insertSQL(s *catalog.Source, l *catalog.Layout) string {
	byName := map[string]catalog.Field{}
	for _, f := range l.Fields {
		byName[f.Name()] = f
	}
	cols := []string{"file_id"}
	exprs := []string{"f.id"}
	for _, c := range s.Canonical() {
		cols = append(cols, quoteIdent(c.Name()))
		if f, ok := byName[c.Name()]; ok {
			exprs = append(exprs, `r.`+quoteIdent(f.Header))
		} else {
			exprs = append(exprs, "CAST(NULL AS "+string(c.Type)+")")
		}
	}
	return "INSERT INTO " + srcTable(s) + " (" + strings.Join(cols, ", ") + ") SELECT " +
		strings.Join(exprs, ", ") + " FROM " + ReadCSVSQL(s, l) + " r JOIN files f ON f.read_path = r.filename"
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

// readBatch loads one batch and returns its rejects.
func (w *Work) readBatch(ctx context.Context, batch []*file) ([]rawReject, error) {
	s, l := batch[0].src, batch[0].layout
	paths := make([]string, len(batch))
	for i, f := range batch {
		paths[i] = f.abs
	}
	if _, err := w.Conn.ExecContext(ctx, insertSQL(s, l), paths); err != nil {
		return nil, fmt.Errorf("failed to read %d %s file(s) starting with %s: %w", len(batch), s.Name, batch[0].Path, err)
	}
	rows, err := w.Conn.QueryContext(ctx, `SELECT s.file_path, e.line, e.column_idx, coalesce(e.column_name, ''),
		CAST(e.error_type AS VARCHAR), coalesce(e.csv_line, ''), coalesce(e.error_message, '')
		FROM rej_errors e JOIN rej_scans s USING (scan_id, file_id) ORDER BY s.file_path, e.line, e.column_idx`)
	if err != nil {
		return nil, fmt.Errorf("failed to read rejects: %w", err)
	}
	var out []rawReject
	for rows.Next() {
		var r rawReject
		var col sql.NullInt64
		var line sql.NullInt64
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
