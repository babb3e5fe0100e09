package validate

import (
	"context"
	"fmt"
	"strings"
)

// PlainRead reads every file of the tree with DuckDB's strict typed
// read_csv and nothing else (no rejects table, no checksums, no work
// tables): the baseline that benchmarks compare validate with. It returns
// the rows read. Every column is converted, since a bare count(*) would
// skip the conversions.
func PlainRead(ctx context.Context, opt Options) (int64, error) {
	root, err := FindRoot(opt.OAPath)
	if err != nil {
		return 0, err
	}
	t, err := discover(root, opt.Pipelines)
	if err != nil {
		return 0, err
	}
	inspectHeaders(t.files)
	var good []*file
	for _, f := range t.files {
		if f.Error == "" {
			good = append(good, f)
		}
	}
	db, err := OpenWork(ctx, WorkOptions{Dir: opt.WorkDir, MemoryLimit: opt.MemoryLimit})
	if err != nil {
		return 0, err
	}
	defer db.Close()
	var total int64
	for _, b := range allBatches(good) {
		s, l := b.src, b.layout
		var counts []string
		for _, f := range l.Fields {
			counts = append(counts, "count("+quoteIdent(strings.ToLower(f.Header))+")")
		}
		q := "SELECT count(*), " + strings.Join(counts, " + ") + " FROM " + ReadCSVSQL(s, l, b.skip, 1, clean)
		var n, vals int64
		if err := db.Conn.QueryRowContext(ctx, q, b.paths()).Scan(&n, &vals); err != nil {
			return 0, fmt.Errorf("failed to read %s: %w", s.Name, err)
		}
		total += n
	}
	return total, nil
}

// allBatches groups files and splits the groups into batches.
func allBatches(files []*file) []group {
	var out []group
	for _, g := range groupFiles(files, 0) {
		out = append(out, g.batches()...)
	}
	return out
}
