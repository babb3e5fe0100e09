// Package plainread is the baseline of the benchmarks: DuckDB's strict
// typed read of every file of a tree, and nothing else.
package plainread
