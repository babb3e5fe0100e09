package dialect

import "spotmigrate/catalog"

// Hive is a HiveServer2 engine other than Impala (Hive itself, or the Spark
// Thrift server used by the integration tests). It shares Impala's SQL
// (quoting, DDL, INSERT OVERWRITE) except for the methods below.
type Hive struct{ Impala }

// Name implements Dialect.
func (Hive) Name() string { return "hive" }

// CreateStaging implements Dialect: Hive discovers partition folders with
// MSCK REPAIR TABLE.
func (d Hive) CreateStaging(db string, t *catalog.Table, location string) []string {
	return []string{createExternal(d, db, t, location, false),
		"MSCK REPAIR TABLE " + d.Ident(db) + "." + d.Ident(t.Name)}
}

// Refresh implements Dialect: REFRESH TABLE drops cached metadata.
func (d Hive) Refresh(db string, t *catalog.Table) []string {
	return []string{"REFRESH TABLE " + d.Ident(db) + "." + d.Ident(t.Name)}
}

// ComputeStats implements Dialect.
func (d Hive) ComputeStats(db string, t *catalog.Table) string {
	return "ANALYZE TABLE " + d.Ident(db) + "." + d.Ident(t.Name) + " COMPUTE STATISTICS"
}
