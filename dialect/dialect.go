package dialect

import (
	"fmt"
	"strings"

	"spotmigrate/catalog"
)

// Dialect returns the SQL one engine needs for each step.
type Dialect interface {
	// Name is the engine name used by --dialect.
	Name() string
	// Ident quotes a catalog or user identifier; it panics on one that is
	// not a plain identifier (callers validate user input first).
	Ident(name string) string
	// Literal quotes a string literal.
	Literal(s string) string
	CreateDatabase(db, location string) string
	// CreateTable creates a Spot 1.0 table; location is its storage folder
	// (empty for an engine that manages storage itself).
	CreateTable(db string, t *catalog.Table, location string) string
	// CreateStaging creates the staging table of t over the staging files
	// in location (Parquet, partitioned folders y=/m=/d=).
	CreateStaging(db string, t *catalog.Table, location string) []string
	// LoadTable replaces the partitions of t present in the staging table.
	LoadTable(db, staging string, t *catalog.Table) []string
	// Refresh makes the engine see the new files of t.
	Refresh(db string, t *catalog.Table) []string
	// ComputeStats gathers table statistics, or returns "" if unsupported.
	ComputeStats(db string, t *catalog.Table) string
	DropDatabase(db string) string
	// SelectRows returns y, m, d and the columns of t, for checksums.
	SelectRows(db string, t *catalog.Table) string
	// Checksums returns y, m, d, rows, checksum per partition of t computed
	// by the engine, or "" when the engine cannot compute the canonical
	// checksum itself (then it is computed in Go over SelectRows).
	Checksums(db string, t *catalog.Table) string
	// Probe selects no row of t: its result columns show whether the table
	// exists with the Spot 1.0 columns.
	Probe(db string, t *catalog.Table) string
}

// ByName returns the dialect called name.
func ByName(name string) (Dialect, error) {
	switch name {
	case "duckdb":
		return DuckDB{}, nil
	case "impala":
		return Impala{}, nil
	case "hive":
		return Hive{}, nil
	}
	return nil, fmt.Errorf("unknown dialect %q (want duckdb, impala or hive)", name)
}

// CheckIdent validates a user-given database name.
func CheckIdent(what, name string) error {
	if !catalog.ValidIdent(name) {
		return fmt.Errorf("invalid %s %q: use letters, digits and underscores, starting with a letter or underscore", what, name)
	}
	return nil
}

func mustIdent(name string) {
	if !catalog.ValidIdent(name) {
		panic("dialect: invalid identifier " + name)
	}
}

// columnList renders "name TYPE, ..." with an engine's quoting and types.
func columnList(d Dialect, cols []catalog.Column, typ func(catalog.Type) string) string {
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = d.Ident(c.Name) + " " + typ(c.Type)
	}
	return strings.Join(parts, ", ")
}

// names renders the quoted column names of t, then y, m, d if withPart.
func names(d Dialect, t *catalog.Table, withPart bool) string {
	cols := t.Columns
	if withPart {
		cols = append(append([]catalog.Column{}, t.Columns...), catalog.PartitionColumns...)
	}
	parts := make([]string, len(cols))
	for i, c := range cols {
		parts[i] = d.Ident(c.Name)
	}
	return strings.Join(parts, ", ")
}

func impalaType(t catalog.Type) string { return string(t) }

// Location is the HDFS folder of a Spot 1.0 table: ${HUSER}/<pipe>/hive/oa/<sub>.
func Location(huser string, t *catalog.Table) string {
	return strings.TrimRight(huser, "/") + "/" + t.Pipeline + "/hive/oa/" + t.Location
}
