// Package reach replays Spot 1.0's own reads against a migrated target.
//
// Spot 1.0 (v1.0-incubating, commit 4e3982e) reads its 20 OA tables only
// through the functions of spot-oa/api/resources/{flow,dns,proxy}.py, called
// by the GraphQL API (spot-oa/api/graphql/<pipe>/query.py) with arguments the
// UI stores or the Threat Investigation notebooks send. A migrated row that
// none of those reads can find is lost to the analyst, however well it
// reconciles. Reads lists each of those lookups, translated to DuckDB SQL over
// schema spot of the embedded target, with every argument bound as a
// parameter; docs/READS.md says where each argument comes from.
//
// The tests (reach_test.go) migrate an old OA tree with the spotmigrate binary
// as a user would, then, for every scored or threat row of the old tree that
// has detail files, make the read the UI would make for it and compare the
// rows found with the rows of the old files, counted by the tests' own small
// parser (oldtree_test.go), independently of spotmigrate's code.
package reach
