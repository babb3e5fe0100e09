package reconcile

import (
	"context"
	"database/sql"
	"fmt"
	"slices"

	"spotmigrate/catalog"
	"spotmigrate/checksum"
	"spotmigrate/dialect"
	"spotmigrate/validate"
)

// Querier is what reconcile needs of a database handle.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Status of one unit.
const (
	Match    = "OK"
	Missing  = "MISSING"
	Rows     = "ROWS DIFFER"
	Checksum = "CHECKSUM DIFFERS"
	Extra    = "NOT IN MANIFEST"
)

// Unit is the outcome for one partition.
type Unit struct {
	Table            string   `json:"table"`
	Y                int      `json:"y"`
	M                int      `json:"m"`
	D                int      `json:"d"`
	ExpectedRows     int64    `json:"expected_rows"`
	ActualRows       int64    `json:"actual_rows"`
	ExpectedChecksum string   `json:"expected_checksum"`
	ActualChecksum   string   `json:"actual_checksum"`
	Status           string   `json:"status"`
	Files            []string `json:"files,omitempty"`
}

// Report is the outcome of a reconcile.
type Report struct {
	Version   int      `json:"version"`
	Target    string   `json:"target"`
	Database  string   `json:"database"`
	Pipelines []string `json:"pipelines"`
	Units     []Unit   `json:"units"`
	Matched   int      `json:"matched"`
	Failed    int      `json:"failed"`
	Extra     int      `json:"not_in_manifest"`
}

// OK reports whether every unit of the manifest matched.
func (r *Report) OK() bool { return r.Failed == 0 }

// PipelineOK reports whether every unit of one pipeline matched.
func (r *Report) PipelineOK(pipe string) bool {
	for _, u := range r.Units {
		t, _ := catalog.TableByName(u.Table)
		if t.Pipeline == pipe && u.Status != Match && u.Status != Extra {
			return false
		}
	}
	return true
}

type key struct {
	table   string
	y, m, d int
}

type actual struct {
	rows int64
	sum  string
}

// Run reconciles the tables of the manifest's pipelines in database db.
func Run(ctx context.Context, q Querier, d dialect.Dialect, db, target string, m *validate.Manifest) (*Report, error) {
	rep := &Report{Version: 1, Target: target, Database: db, Pipelines: m.Pipelines}
	expected := map[key]validate.Partition{}
	for _, p := range m.Partitions {
		expected[key{p.Table, p.Y, p.M, p.D}] = p
	}
	for i := range catalog.Tables {
		t := &catalog.Tables[i]
		if !slices.Contains(m.Pipelines, t.Pipeline) {
			continue
		}
		got, err := tableChecksums(ctx, q, d, db, t)
		if err != nil {
			return nil, err
		}
		rep.addTable(t.Name, expected, got)
	}
	return rep, nil
}

func (r *Report) addTable(table string, expected map[key]validate.Partition, got map[key]actual) {
	var keys []key
	for k := range expected {
		if k.table == table {
			keys = append(keys, k)
		}
	}
	for k := range got {
		if _, ok := expected[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(a, b key) int {
		if a.y != b.y {
			return a.y - b.y
		}
		if a.m != b.m {
			return a.m - b.m
		}
		return a.d - b.d
	})
	for _, k := range keys {
		e, inManifest := expected[k]
		a, onTarget := got[k]
		u := Unit{Table: table, Y: k.y, M: k.m, D: k.d, ExpectedRows: e.Rows, ExpectedChecksum: e.Checksum,
			ActualRows: a.rows, ActualChecksum: a.sum, Files: e.Files}
		switch {
		case !inManifest:
			u.Status = Extra
			r.Extra++
		case !onTarget:
			u.Status = Missing
		case a.rows != e.Rows:
			u.Status = Rows
		case a.sum != e.Checksum:
			u.Status = Checksum
		default:
			u.Status = Match
		}
		if u.Status == Match {
			r.Matched++
			u.Files = nil
		} else if u.Status != Extra {
			r.Failed++
		}
		r.Units = append(r.Units, u)
	}
}

// tableChecksums returns the rows and checksum of every partition of t.
func tableChecksums(ctx context.Context, q Querier, d dialect.Dialect, db string, t *catalog.Table) (map[key]actual, error) {
	if sqlText := d.Checksums(db, t); sqlText != "" {
		return engineChecksums(ctx, q, sqlText, t)
	}
	return goChecksums(ctx, q, d.SelectRows(db, t), t)
}

func engineChecksums(ctx context.Context, q Querier, sqlText string, t *catalog.Table) (map[key]actual, error) {
	rows, err := q.QueryContext(ctx, sqlText)
	if err != nil {
		return nil, fmt.Errorf("failed to compute checksums of %s: %w", t.Name, err)
	}
	defer rows.Close()
	out := map[key]actual{}
	for rows.Next() {
		var y, m, d int
		var a actual
		if err := rows.Scan(&y, &m, &d, &a.rows, &a.sum); err != nil {
			return nil, fmt.Errorf("failed to compute checksums of %s: %w", t.Name, err)
		}
		out[key{t.Name, y, m, d}] = a
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("failed to compute checksums of %s: %w", t.Name, err)
	}
	return out, nil
}

// goChecksums reads every row back and computes the checksum in Go.
func goChecksums(ctx context.Context, q Querier, sqlText string, t *catalog.Table) (map[key]actual, error) {
	rows, err := q.QueryContext(ctx, sqlText)
	if err != nil {
		return nil, fmt.Errorf("failed to read rows of %s: %w", t.Name, err)
	}
	defer rows.Close()
	sums := map[key]*checksum.Sum{}
	vals := make([]any, len(t.Columns)+3)
	ptrs := make([]any, len(vals))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return nil, fmt.Errorf("failed to read rows of %s: %w", t.Name, err)
		}
		if vals[0] == nil {
			continue // a dialect's sentinel row: real rows always have a partition
		}
		k, err := partitionKey(t.Name, vals[:3])
		if err != nil {
			return nil, err
		}
		s := sums[k]
		if s == nil {
			s = &checksum.Sum{}
			sums[k] = s
		}
		if err := s.Add(t.Columns, vals[3:]); err != nil {
			return nil, fmt.Errorf("failed to checksum a row of %s: %w", t.Name, err)
		}
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("failed to read rows of %s: %w", t.Name, err)
	}
	out := map[key]actual{}
	for k, s := range sums {
		out[k] = actual{rows: int64(s.Rows), sum: s.Hex()}
	}
	return out, nil
}

func partitionKey(table string, v []any) (key, error) {
	var ymd [3]int
	for i, x := range v {
		n, err := checksum.Int(x)
		if err != nil {
			return key{}, fmt.Errorf("failed to read the partition of a row of %s: %w", table, err)
		}
		ymd[i] = int(n)
	}
	return key{table, ymd[0], ymd[1], ymd[2]}, nil
}
