package plainread

import (
	"context"
	"fmt"
	"strings"

	"spotmigrate/dialect"
	"spotmigrate/validate"
	"spotmigrate/workdb"
)

// Read reads every file of the tree with DuckDB's strict typed
// read_csv and nothing else (no rejects table, no checksums, no sha256):
// the baseline that validate is compared with. It returns the rows read.
// Every column is counted, since a bare count(*) would skip the
// conversions.
func Read(ctx context.Context, oaPath, workDir string) (int64, error) {
	groups, err := validate.Discover(oaPath, []string{"flow", "dns", "proxy"})
	if err != nil {
		return 0, err
	}
	w, err := workdb.Open(ctx, workdb.Options{Dir: workDir})
	if err != nil {
		return 0, err
	}
	defer func() { _ = w.Close() }()
	var total int64
	for _, g := range groups {
		for _, b := range g.Batches() {
			var counts []string
			for _, f := range b.Layout.Fields {
				counts = append(counts, "count("+dialect.DuckDB{}.Ident(f.Header)+")")
			}
			q := "SELECT count(*), " + strings.Join(counts, " + ") + " FROM " + workdb.TypedReadSQL(b, 1)
			var n, vals int64
			if err := w.Conn.QueryRowContext(ctx, q, b.Paths()).Scan(&n, &vals); err != nil {
				return 0, fmt.Errorf("failed to read %s: %w", b.Source.Name, err)
			}
			total += n
		}
	}
	return total, nil
}
