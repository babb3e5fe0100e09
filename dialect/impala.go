package dialect

import (
	"strings"

	"spotmigrate/catalog"
)

// Impala is the Spot 1.0 engine (Impala 2.5 or later).
type Impala struct{}

// Name implements Dialect.
func (Impala) Name() string { return "impala" }

// Ident implements Dialect.
func (Impala) Ident(name string) string { mustIdent(name); return "`" + name + "`" }

// Literal implements Dialect: Impala and Hive literals escape with a backslash.
func (Impala) Literal(s string) string { return hiveLiteral(s) }

func hiveLiteral(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `'`, `\'`, "\n", `\n`, "\r", `\r`, "\x00", `\0`)
	return "'" + r.Replace(s) + "'"
}

// CreateDatabase implements Dialect.
func (d Impala) CreateDatabase(db, location string) string { return createDatabase(d, db, location) }

func createDatabase(d Dialect, db, location string) string {
	q := "CREATE DATABASE IF NOT EXISTS " + d.Ident(db)
	if location != "" {
		q += " LOCATION " + d.Literal(location)
	}
	return q
}

// CreateTable implements Dialect: the Spot 1.0 DDL.
func (d Impala) CreateTable(db string, t *catalog.Table, location string) string {
	return createExternal(d, db, t, location, true)
}

func createExternal(d Dialect, db string, t *catalog.Table, location string, ifNotExists bool) string {
	q := "CREATE EXTERNAL TABLE "
	if ifNotExists {
		q += "IF NOT EXISTS "
	}
	return q + d.Ident(db) + "." + d.Ident(t.Name) + " (" + columnList(d, t.Columns, impalaType) +
		") PARTITIONED BY (" + columnList(d, catalog.PartitionColumns, impalaType) +
		") STORED AS PARQUET LOCATION " + d.Literal(location)
}

// CreateStaging implements Dialect: an external table over the uploaded
// files, which hold y, m and d as columns.
func (d Impala) CreateStaging(db string, t *catalog.Table, location string) []string {
	return []string{dropTable(d, db, t), createStagingTable(d, db, t, location)}
}

// createStagingTable is an unpartitioned external table over staging files
// whose columns are the table's, then y, m, d.
func createStagingTable(d Dialect, db string, t *catalog.Table, location string) string {
	cols := append(append([]catalog.Column{}, t.Columns...), catalog.PartitionColumns...)
	return "CREATE EXTERNAL TABLE " + d.Ident(db) + "." + d.Ident(t.Name) + " (" + columnList(d, cols, impalaType) +
		") STORED AS PARQUET LOCATION " + d.Literal(location)
}

// LoadTable implements Dialect: one dynamic-partition INSERT OVERWRITE per
// table replaces exactly the partitions present in staging.
func (d Impala) LoadTable(db, staging string, t *catalog.Table) []string {
	return []string{insertOverwrite(d, db, staging, t)}
}

// dropTable drops a staging table left by an interrupted run (external:
// its files stay).
func dropTable(d Dialect, db string, t *catalog.Table) string {
	return "DROP TABLE IF EXISTS " + d.Ident(db) + "." + d.Ident(t.Name)
}

func insertOverwrite(d Dialect, db, staging string, t *catalog.Table) string {
	return "INSERT OVERWRITE TABLE " + d.Ident(db) + "." + d.Ident(t.Name) + " PARTITION (y, m, d) SELECT " +
		names(d, t, true) + " FROM " + d.Ident(staging) + "." + d.Ident(t.Name)
}

// Refresh implements Dialect.
func (d Impala) Refresh(db string, t *catalog.Table) []string {
	return []string{"REFRESH " + d.Ident(db) + "." + d.Ident(t.Name)}
}

// ComputeStats implements Dialect.
func (d Impala) ComputeStats(db string, t *catalog.Table) string {
	return "COMPUTE STATS " + d.Ident(db) + "." + d.Ident(t.Name)
}

// DropDatabase implements Dialect.
func (d Impala) DropDatabase(db string) string {
	return "DROP DATABASE IF EXISTS " + d.Ident(db) + " CASCADE"
}

// SelectRows implements Dialect.
func (d Impala) SelectRows(db string, t *catalog.Table) string {
	return "SELECT y, m, d, " + names(d, t, false) + " FROM " + d.Ident(db) + "." + d.Ident(t.Name)
}

// Probe implements Dialect.
func (d Impala) Probe(db string, t *catalog.Table) string {
	return "SELECT * FROM " + d.Ident(db) + "." + d.Ident(t.Name) + " LIMIT 0"
}

// Checksums implements Dialect: Impala has no MD5, so the checksum is
// computed in Go over the rows read back.
func (Impala) Checksums(string, *catalog.Table) string { return "" }
