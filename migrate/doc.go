// Package load runs a verified migration: validate, write staging files,
// load the 20 tables, reconcile, and archive (package archive) only what
// reconciled.
//
// Terms:
//
//   - Target: where the Spot 1.0 tables live, behind the Engine interface:
//     the embedded DuckDB database file by default, or Impala over HDFS.
//   - Staging files: typed Parquet files (Snappy, Parquet v1 pages, no
//     timestamp columns) holding the rows of each table in their final
//     shape, in Hive partition folders y=/m=/d=. DuckDB writes them from the
//     work database; the same files serve every engine.
//   - Unit: one (table, y, m, d) partition. Loading replaces the units
//     present in staging, so a load can be repeated without duplicating.
//   - Ledger: a JSON file beside the target recording each unit's phase and
//     whether it is dirty (a phase started and not finished). A re-run first
//     reconciles: units that already match are left alone, the rest are
//     loaded again. Two runs at once on one target or tree are refused.
//   - Plan: every statement and file operation, printed instead of run with
//     --dry-run.
package migrate
