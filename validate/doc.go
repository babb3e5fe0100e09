// Package validate reads an old Spot OA tree into an embedded DuckDB work
// database with the target types, and describes what a migration would do.
//
// Terms:
//
//   - Tree: the folder that holds the pipeline folders (flow, dns, proxy),
//     i.e. spot-oa/data. --oa-path may name it or its spot-oa parent.
//   - File: one old file classified to a catalog source; Path is relative to
//     the tree. Skipped: a file or folder that matches no source, with the
//     reason.
//   - Data row: a line of a file after its header (blank lines and repeated
//     header lines excluded). Rejected row: a data row that cannot be typed or
//     migrated faithfully, reported with its line, column and reason. File
//     error: a file that cannot be read at all (empty, unknown header,
//     unreadable).
//   - Filtered row: a row a mapping deliberately leaves out (for example an
//     unscored row for a threat_investigation table), counted per rule.
//   - Partition: a (table, y, m, d) unit with the rows that will land there
//     and their checksum (package checksum).
//   - Manifest: the versioned JSON report that migrate and reconcile read.
//
// The work database holds a files table, the IANA registries and the
// relations; the rows of the old files are never copied into it. Each batch
// of files of one source layout is read by one streaming read_csv query
// that types every column and, for every mapping of the source at once,
// counts, checks, filters and checksums the rows (passSQL). A row finds its
// file by its position in the batch (read_csv's file_index): the files of a
// batch have consecutive ids. The landing rows of a mapping are a SELECT
// over the same read (LandingSQL), which migrate writes as staging files.
// While DuckDB reads one source, a background reader takes the header and
// sha256 of the files of the next ones (inspect.go).
package validate
