// Package checksum defines the order-independent checksum spotmigrate uses to
// prove that a table partition holds exactly the rows the manifest expects.
//
// Canonical text of a row: three groups joined by one TAB, each in table
// order (partition columns excluded): the STRING columns joined by TAB (NULL
// as \N, each backslash doubled, each TAB written as \t); the FLOAT columns
// joined by TAB (NULL as \N, else the value widened to a double and printed
// as C's printf("%.9g"), nan, inf, -inf); the integer columns as one list
// "[v1, v2, NULL]" (base 10, "[]" when there are none).
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
