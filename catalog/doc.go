// Package catalog declares, once and as data, everything spotmigrate knows
// about the old Apache Spot OA files and the Spot 1.0 tables they feed.
//
// Terms:
//
//   - Table: one of the 20 Spot 1.0 OA tables (columns and Impala types exactly
//     as in the 1.0 DDL, partitioned by y SMALLINT, m TINYINT, d TINYINT).
//   - Source: one kind of old file (flow_scores.csv, chord-*.tsv, ...): where it
//     lives, how it is delimited and quoted, which null marker its writer used,
//     and the layouts it was written in over time.
//   - Layout: one header line a source was written with, and the typed fields it
//     declares. The layout of a file is detected from its header line, never by
//     column position alone.
//   - Mapping: how the rows of one source become rows of one table: an SQL
//     expression per target column, the partition, the row filters ("scored"
//     rules) and the row checks that reject a row which cannot be migrated
//     faithfully.
//
// The transform expressions are DuckDB SQL: every engine receives the rows
// already in the target shape (typed Parquet staging files), so no other engine
// needs to repeat them. DDL for Impala and for the embedded DuckDB target is
// generated from the same tables.
package catalog
