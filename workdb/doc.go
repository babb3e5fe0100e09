// Package workdb is the embedded DuckDB work database of one run, and the
// one generator of "the landing rows of a source" (Landing).
//
// The work database holds the files table (one row per readable old file:
// its id, its day and the fields of its name), the install's IANA
// registries (iana_keys, iana_values), the DNS zone offsets (tz_flag) and
// the relations of the catalog (derived tables such as the URI candidates
// of each day). The rows of the old files are not stored in it: each batch
// of files of one source layout is read by one read_csv statement with the
// target types (sourceRel).
//
// Landing derives everything a run says of a source's rows from its
// mappings: the rows its checks reject (a rejected row lands in none of the
// source's tables), per table the landing rows, their checksum, the rows
// each filter leaves out and the notices. Pass reads a batch once for all
// of that, and, when migrating, writes the same landing rows as staging
// Parquet and fills the relations from the same read.
//
// The SQL a mapping may use is the catalog's contract (catalog/contract.go):
// alias s for the source row, f for its file, the registry and zone tables
// and the relations the mapping declares.
package workdb
