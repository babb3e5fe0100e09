// Package dialect holds every difference between the engines spotmigrate
// talks to, as SQL text: embedded DuckDB (the default target), Impala (the
// Spot 1.0 engine) and Hive (HiveServer2 engines other than Impala, such as
// the Spark Thrift server the integration tests run).
//
// Identifiers are checked against a plain pattern before they are quoted,
// and literals are quoted for the engine; nothing read from an old file is
// ever part of a statement.
package dialect
