// Package testkit holds what the CLI tests and the integration tests share:
// running the spotmigrate binary, hashing a tree, and the hand-checked
// counts of the sample tree.
package testkit
