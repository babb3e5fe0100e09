package main

import (
	"context"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"spotmigrate/manifest"
	"spotmigrate/provenance"
)

// startProvenance begins the provenance of a command that starts now;
// args is its command line after the program name.
func startProvenance(args []string) *provenance.Provenance {
	return provenance.New(args, time.Now())
}

// withDuckDB adds the version of the embedded DuckDB library to p
// ("unknown" when DuckDB cannot be asked).
func withDuckDB(ctx context.Context, p *provenance.Provenance) *provenance.Provenance {
	p.DuckDBVersion = duckdbVersion(ctx)
	return p
}

// duckdbVersion asks an in-memory DuckDB for its library version.
func duckdbVersion(ctx context.Context) string {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return "unknown"
	}
	defer db.Close()
	var v string
	if err := db.QueryRowContext(ctx, "SELECT library_version FROM pragma_version()").Scan(&v); err != nil || v == "" {
		return "unknown"
	}
	return v
}

// absPath is path made absolute (as it is when that fails).
func absPath(path string) string {
	if abs, err := filepath.Abs(path); err == nil {
		return abs
	}
	return path
}

// readManifest reads the manifest file at path and the hex sha256 of its
// bytes.
func readManifest(path string) (*manifest.Manifest, string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, "", withCode(exitUsage, fmt.Errorf("failed to read manifest: %w", err))
	}
	m, err := manifest.Decode(b, path)
	if err != nil {
		return nil, "", withCode(exitUsage, err)
	}
	sum := sha256.Sum256(b)
	return m, hex.EncodeToString(sum[:]), nil
}
