// Command schemagen writes the JSON Schemas of the two documents spotmigrate
// publishes, generated from their Go types (descriptions from the Go doc
// comments): docs/schema/manifest.schema.json for manifest.Manifest and
// docs/schema/reconcile.schema.json for reconcile.Report. Run it from the
// module root:
//
//	go run ./internal/schemagen
//
// (or go test ./internal/schemagen -update). Its test fails when the
// committed schemas differ from what it generates, so they cannot drift
// from the types.
package main
