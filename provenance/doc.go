// Package provenance says where a report comes from: the spotmigrate build
// (version, commit, Go and DuckDB versions), when the run started and
// ended, on which host and as which user, the command line with its secrets
// masked, and the manifest, OA tree and target it concerns. The manifest
// and the reconcile report carry one each (docs/MANIFEST.md).
package provenance
