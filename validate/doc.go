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
// The work database holds one table per source (src_<source>) with the
// canonical typed columns of that source, a files table, and the IANA
// registries; the landing rows of each mapping are a SELECT over them
// (LandingSQL), used both for checksums and for writing staging files.
package validate
