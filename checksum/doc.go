// Package checksum defines the order-independent checksum spotmigrate uses to
// prove that a table partition holds exactly the rows the manifest expects.
//
// Canonical text of a row: the values of the table's columns, in table order
// (partition columns excluded), joined by one TAB. Each value is written as:
//
//   - NULL: the two characters \N;
//   - STRING: the text with each backslash doubled and each TAB written as \t;
//   - INT, BIGINT, SMALLINT, TINYINT: base-10 digits, '-' for negatives;
//   - FLOAT: the value widened to a double and printed as C's printf("%.9g")
//     (nine significant digits round-trip every float32; nan, inf, -inf).
//
// Row hash: the first 8 bytes of MD5(canonical text), read as a
// little-endian unsigned 64-bit integer (DuckDB's md5_number_upper). Partition checksum: the sum of the row hashes of
// its rows modulo 2^64, written as 16 lower-case hex digits, always reported
// beside the row count. A sum detects a changed value (its hash changes), a
// dropped row (its hash is missing) and a duplicated row (its hash counts
// twice), and it does not depend on row order.
//
// The same function is computed two ways: SQL (DuckDB), used when the rows
// are in DuckDB, and Go (Sum), used over rows read back from any engine. A
// test holds the two equal.
package checksum
