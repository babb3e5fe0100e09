package reconcile

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"

	"spotmigrate/catalog"
	"spotmigrate/checksum"
	"spotmigrate/dialect"
	"spotmigrate/manifest"
	"spotmigrate/provenance"
)

// Querier is what reconcile needs of a database handle.
type Querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Status of one unit.
const (
	Match    = "ok"
	Missing  = "missing"
	Rows     = "rows_differ"
	Checksum = "checksum_differs"
	Extra    = "not_in_manifest"
	// TableMissing and TableAltered mark every expected partition of a
	// table that is gone from the target, or no longer has the Spot 1.0
	// columns.
	TableMissing = "table_missing"
	TableAltered = "table_altered"
)

// Statuses are the unit statuses, in the order the schema lists them.
var Statuses = []string{Match, Missing, Rows, Checksum, Extra, TableMissing, TableAltered}

// SchemaID is the $id of the JSON Schema of the report
// (docs/schema/reconcile.schema.json), which every report names in its
// "$schema" member.
const SchemaID = "https://spotmigrate.invalid/schema/reconcile.schema.json"

// Unit is the outcome for one partition.
type Unit struct {
	manifest.PartitionKey
	// ExpectedRows is the manifest's row count (0 for a partition not in
	// the manifest).
	ExpectedRows int64 `json:"expected_rows"`
	// ActualRows is the row count found on the target (0 when the partition
	// or its table is missing).
	ActualRows int64 `json:"actual_rows"`
	// ExpectedChecksum is the manifest's checksum of the partition
	// (docs/CHECKSUM.md; empty for a partition not in the manifest).
	ExpectedChecksum string `json:"expected_checksum"`
	// ActualChecksum is the checksum of the rows found on the target (empty
	// when there are none).
	ActualChecksum string `json:"actual_checksum"`
	// Status is the outcome: ok, missing, rows_differ, checksum_differs,
	// not_in_manifest, table_missing or table_altered.
	Status string `json:"status"`
	// Files are the old files the partition's rows come from, listed for a
	// unit that failed.
	Files []string `json:"files,omitempty"`
}

// Report is the outcome of a reconcile.
type Report struct {
	// Schema is the $id of the report's JSON Schema (SchemaID).
	Schema string `json:"$schema"`
	// Version is the version of the report format (1).
	Version int `json:"version"`
	// Target names the target that was read: duckdb:FILE, or the engine's
	// dialect://host:port.
	Target string `json:"target"`
	// Database is the database (schema) holding the Spot 1.0 tables.
	Database string `json:"database"`
	// Pipelines are the pipelines reconciled.
	Pipelines []string `json:"pipelines"`
	// Units holds one outcome per partition, in catalog table order, then
	// by date.
	Units []Unit `json:"units"`
	// Matched counts the units whose status is ok.
	Matched int `json:"matched"`
	// Failed counts the units and files that did not match (partitions not
	// in the manifest excluded).
	Failed int `json:"failed"`
	// Extra counts the partitions found on the target that are not in the
	// manifest (left alone; they do not fail the report).
	Extra int `json:"not_in_manifest"`
	// Files are the copied files read back (storyboard JSON, feedback,
	// notebooks); FilesMatched counts those that verified, and Failed
	// counts the others too.
	Files        []FileUnit `json:"files,omitempty"`
	FilesMatched int        `json:"files_matched,omitempty"`
	// Provenance says which build made the report, when, where, with which
	// arguments, and against which manifest (its manifest_sha256 is the
	// sha256 of the manifest file compared with).
	Provenance *provenance.Provenance `json:"provenance,omitempty"`
}

// OK reports whether every unit of the manifest matched.
func (r *Report) OK() bool { return r.Failed == 0 }

// PipelineOK reports whether every unit of one pipeline matched.
func (r *Report) PipelineOK(pipe string) bool {
	if !r.filesOK(pipe) {
		return false
	}
	for _, u := range r.Units {
		t, _ := catalog.TableByName(u.Table)
		if t.Pipeline == pipe && u.Status != Match && u.Status != Extra {
			return false
		}
	}
	return true
}

type actual struct {
	rows int64
	sum  string
}

// Run reconciles the tables of the manifest's pipelines in database db.
func Run(ctx context.Context, q Querier, d dialect.Dialect, db, target string, m *manifest.Manifest) (*Report, error) {
	return RunTables(ctx, q, d, db, target, m, nil)
}

// RunTables reconciles the tables of the manifest's pipelines that only
// keeps (all of them when only is nil): the target is read once per table.
func RunTables(ctx context.Context, q Querier, d dialect.Dialect, db, target string, m *manifest.Manifest, only func(table string) bool) (*Report, error) {
	rep := &Report{Schema: SchemaID, Version: 1, Target: target, Database: db, Pipelines: m.Pipelines, Units: []Unit{}}
	expected := map[manifest.PartitionKey]manifest.Partition{}
	for _, p := range m.Partitions {
		expected[p.PartitionKey] = p
	}
	for i := range catalog.Tables {
		t := &catalog.Tables[i]
		if !slices.Contains(m.Pipelines, t.Pipeline) || only != nil && !only(t.Name) {
			continue
		}
		status, err := probe(ctx, q, d, db, t)
		if err != nil {
			return nil, err
		}
		if status != "" {
			rep.addBroken(t.Name, status, expected)
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

// Add adds the units of other (a report on other tables of the same
// target) to r, in catalog table order.
func (r *Report) Add(other *Report) {
	r.Units = append(r.Units, other.Units...)
	r.Matched += other.Matched
	r.Failed += other.Failed
	r.Extra += other.Extra
	order := map[string]int{}
	for i, t := range catalog.Tables {
		order[t.Name] = i
	}
	slices.SortStableFunc(r.Units, func(a, b Unit) int { return order[a.Table] - order[b.Table] })
}

func (r *Report) addTable(table string, expected map[manifest.PartitionKey]manifest.Partition, got map[manifest.PartitionKey]actual) {
	var keys []manifest.PartitionKey
	for k := range expected {
		if k.Table == table {
			keys = append(keys, k)
		}
	}
	for k := range got {
		if _, ok := expected[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, manifest.PartitionKey.Compare)
	for _, k := range keys {
		e, inManifest := expected[k]
		a, onTarget := got[k]
		u := Unit{PartitionKey: k, ExpectedRows: e.Rows, ExpectedChecksum: e.Checksum,
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

// probe returns TableMissing or TableAltered when t cannot be read as the
// Spot 1.0 table, "" when it can. A failed probe is a missing table only
// when the engine still answers.
func probe(ctx context.Context, q Querier, d dialect.Dialect, db string, t *catalog.Table) (string, error) {
	rows, err := q.QueryContext(ctx, d.Probe(db, t))
	if err != nil {
		if alive(ctx, q) {
			return TableMissing, nil
		}
		return "", fmt.Errorf("failed to read table %s: %w", t.Name, err)
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return "", fmt.Errorf("failed to read the columns of %s: %w", t.Name, err)
	}
	if !sameColumns(cols, t) {
		return TableAltered, nil
	}
	return "", rows.Err()
}

// alive is true when the engine answers a trivial query.
func alive(ctx context.Context, q Querier) bool {
	rows, err := q.QueryContext(ctx, "SELECT 1")
	if err != nil {
		return false
	}
	_ = rows.Close()
	return true
}

// sameColumns compares the column names an engine returned (Hive may
// prefix them with the table name) with t's columns and y, m, d.
func sameColumns(got []string, t *catalog.Table) bool {
	want := map[string]bool{}
	for _, c := range append(slices.Clone(t.Columns), catalog.PartitionColumns...) {
		want[c.Name] = true
	}
	if len(got) != len(want) {
		return false
	}
	for _, g := range got {
		g = strings.ToLower(g[strings.LastIndex(g, ".")+1:])
		if !want[g] {
			return false
		}
		delete(want, g)
	}
	return true
}

// addBroken marks every expected partition of a missing or altered table
// (or the table itself when none is expected) as failed.
func (r *Report) addBroken(table, status string, expected map[manifest.PartitionKey]manifest.Partition) {
	var keys []manifest.PartitionKey
	for k := range expected {
		if k.Table == table {
			keys = append(keys, k)
		}
	}
	if len(keys) == 0 {
		keys = append(keys, manifest.PartitionKey{Table: table})
	}
	slices.SortFunc(keys, manifest.PartitionKey.Compare)
	for _, k := range keys {
		e := expected[k]
		r.Units = append(r.Units, Unit{PartitionKey: k, ExpectedRows: e.Rows, ExpectedChecksum: e.Checksum,
			Status: status, Files: e.Files})
		r.Failed++
	}
}

// tableChecksums returns the rows and checksum of every partition of t.
func tableChecksums(ctx context.Context, q Querier, d dialect.Dialect, db string, t *catalog.Table) (map[manifest.PartitionKey]actual, error) {
	if sqlText := d.Checksums(db, t); sqlText != "" {
		return engineChecksums(ctx, q, sqlText, t)
	}
	return goChecksums(ctx, q, d.SelectRows(db, t), t)
}

func engineChecksums(ctx context.Context, q Querier, sqlText string, t *catalog.Table) (map[manifest.PartitionKey]actual, error) {
	rows, err := q.QueryContext(ctx, sqlText)
	if err != nil {
		return nil, fmt.Errorf("failed to compute checksums of %s: %w", t.Name, err)
	}
	defer rows.Close()
	out := map[manifest.PartitionKey]actual{}
	for rows.Next() {
		var y, m, d int
		var a actual
		if err := rows.Scan(&y, &m, &d, &a.rows, &a.sum); err != nil {
			return nil, fmt.Errorf("failed to compute checksums of %s: %w", t.Name, err)
		}
		out[manifest.PartitionKey{Table: t.Name, Y: y, M: m, D: d}] = a
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("failed to compute checksums of %s: %w", t.Name, err)
	}
	return out, nil
}

// goChecksums reads every row back and computes the checksum in Go.
func goChecksums(ctx context.Context, q Querier, sqlText string, t *catalog.Table) (map[manifest.PartitionKey]actual, error) {
	rows, err := q.QueryContext(ctx, sqlText)
	if err != nil {
		return nil, fmt.Errorf("failed to read rows of %s: %w", t.Name, err)
	}
	defer rows.Close()
	sums := map[manifest.PartitionKey]*checksum.Sum{}
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
	out := map[manifest.PartitionKey]actual{}
	for k, s := range sums {
		out[k] = actual{rows: int64(s.Rows), sum: s.Hex()}
	}
	return out, nil
}

func partitionKey(table string, v []any) (manifest.PartitionKey, error) {
	var ymd [3]int
	for i, x := range v {
		n, err := checksum.Int(x)
		if err != nil {
			return manifest.PartitionKey{}, fmt.Errorf("failed to read the partition of a row of %s: %w", table, err)
		}
		ymd[i] = int(n)
	}
	return manifest.PartitionKey{Table: table, Y: ymd[0], M: ymd[1], D: ymd[2]}, nil
}
