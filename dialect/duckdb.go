package dialect

import (
	"strings"

	"spotmigrate/catalog"
	"spotmigrate/checksum"
)

// DuckDB is the embedded target: a schema of a DuckDB database file,
// attached under the name Catalog (names are qualified with it, since a
// database file called spot.duckdb would clash with a schema called spot).
type DuckDB struct{ Catalog string }

// Name implements Dialect.
func (DuckDB) Name() string { return "duckdb" }

// Ident implements Dialect.
func (DuckDB) Ident(name string) string { mustIdent(name); return `"` + name + `"` }

// schema is the qualified name of a schema.
func (d DuckDB) schema(db string) string {
	if d.Catalog == "" {
		return d.Ident(db)
	}
	return d.Ident(d.Catalog) + "." + d.Ident(db)
}

// Literal implements Dialect: DuckDB literals double the quote and have no
// backslash escapes.
func (DuckDB) Literal(s string) string { return "'" + strings.ReplaceAll(s, "'", "''") + "'" }

// CreateDatabase implements Dialect.
func (d DuckDB) CreateDatabase(db, _ string) string {
	return "CREATE SCHEMA IF NOT EXISTS " + d.schema(db)
}

// CreateTable implements Dialect.
func (d DuckDB) CreateTable(db string, t *catalog.Table, _ string) string {
	cols := append(append([]catalog.Column{}, t.Columns...), catalog.PartitionColumns...)
	return "CREATE TABLE IF NOT EXISTS " + d.schema(db) + "." + d.Ident(t.Name) + " (" +
		columnList(d, cols, catalog.Type.DuckDB) + ")"
}

// CreateStaging implements Dialect: a view over the staging Parquet files.
func (d DuckDB) CreateStaging(db string, t *catalog.Table, location string) []string {
	return []string{"CREATE OR REPLACE VIEW " + d.schema(db) + "." + d.Ident(t.Name) + " AS SELECT * FROM read_parquet(" +
		d.Literal(strings.TrimRight(location, "/")+"/*.parquet") + ")"}
}

// LoadTable implements Dialect: delete the staged partitions, then insert
// (the caller runs both in one transaction).
func (d DuckDB) LoadTable(db, staging string, t *catalog.Table) []string {
	target := d.schema(db) + "." + d.Ident(t.Name)
	src := d.schema(staging) + "." + d.Ident(t.Name)
	return []string{
		"DELETE FROM " + target + " WHERE (y, m, d) IN (SELECT DISTINCT y, m, d FROM " + src + ")",
		"INSERT INTO " + target + " (" + names(d, t, true) + ") SELECT " + names(d, t, true) + " FROM " + src,
	}
}

// Refresh implements Dialect: nothing to refresh.
func (DuckDB) Refresh(string, *catalog.Table) []string { return nil }

// ComputeStats implements Dialect.
func (DuckDB) ComputeStats(string, *catalog.Table) string { return "" }

// DropDatabase implements Dialect.
func (d DuckDB) DropDatabase(db string) string {
	return "DROP SCHEMA IF EXISTS " + d.schema(db) + " CASCADE"
}

// SelectRows implements Dialect.
func (d DuckDB) SelectRows(db string, t *catalog.Table) string {
	return "SELECT y, m, d, " + names(d, t, false) + " FROM " + d.schema(db) + "." + d.Ident(t.Name)
}

// Probe implements Dialect.
func (d DuckDB) Probe(db string, t *catalog.Table) string {
	return "SELECT * FROM " + d.schema(db) + "." + d.Ident(t.Name) + " LIMIT 0"
}

// Checksums implements Dialect: DuckDB computes the canonical checksum.
func (d DuckDB) Checksums(db string, t *catalog.Table) string {
	h := checksum.DuckDBRowHash("t", t.Columns)
	return "SELECT y, m, d, count(*), " + checksum.DuckDBAggregate(h) + " FROM " +
		d.schema(db) + "." + d.Ident(t.Name) + " t GROUP BY y, m, d"
}
