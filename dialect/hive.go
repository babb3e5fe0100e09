package dialect

import (
	"strings"

	"spotmigrate/catalog"
)

// Hive is a HiveServer2 engine other than Impala (Hive itself, or the Spark
// Thrift server used by the integration tests). It shares Impala's SQL
// (quoting, DDL, INSERT OVERWRITE) except for the methods below.
type Hive struct{ Impala }

// Name implements Dialect.
func (Hive) Name() string { return "hive" }

// CreateStaging implements Dialect: an external table over the uploaded
// files, which hold y, m and d as columns.
func (d Hive) CreateStaging(db string, t *catalog.Table, location string) []string {
	return []string{dropTable(d, db, t), createStagingTable(d, db, t, location)}
}

// Refresh implements Dialect: REFRESH TABLE drops cached metadata.
func (d Hive) Refresh(db string, t *catalog.Table) []string {
	return []string{"REFRESH TABLE " + d.Ident(db) + "." + d.Ident(t.Name)}
}

// ComputeStats implements Dialect.
func (d Hive) ComputeStats(db string, t *catalog.Table) string {
	return "ANALYZE TABLE " + d.Ident(db) + "." + d.Ident(t.Name) + " COMPUTE STATISTICS"
}

// SelectRows implements Dialect. impala-go reads a column's NULL bitmap
// without checking its length, and Spark's Thrift server shortens the bitmap
// after its last NULL, so a column without NULLs makes impala-go panic. A
// sentinel row of NULLs, sorted last, keeps every bitmap whole: the reader
// skips it (its partition columns are NULL, which no real row has), and the
// connection fetches the whole result in one batch (load.hiveBatch).
func (d Hive) SelectRows(db string, t *catalog.Table) string {
	nulls := make([]string, len(t.Columns)+3)
	for i := range nulls {
		nulls[i] = "NULL"
	}
	return "SELECT y, m, d, " + names(d, t, false) + " FROM (SELECT 0 AS spotmigrate_sentinel, y, m, d, " +
		names(d, t, false) + " FROM " + d.Ident(db) + "." + d.Ident(t.Name) +
		" UNION ALL SELECT 1, " + strings.Join(nulls, ", ") + ") sentinel_rows ORDER BY spotmigrate_sentinel"
}
