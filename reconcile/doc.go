// Package reconcile compares a target with a manifest: for every table
// partition the manifest lists, the rows and the canonical checksum (package
// checksum) found on the target against those expected.
//
// Terms: a unit is one (table, y, m, d) partition. A unit matches when both
// its row count and its checksum equal the manifest's. Partitions the target
// holds but the manifest does not list are reported as "not in manifest" and
// are not part of the verdict (they may hold data Spot 1.0 wrote itself).
package reconcile
