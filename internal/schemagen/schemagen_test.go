package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"spotmigrate/internal/golden"
	"spotmigrate/internal/testkit"
	"spotmigrate/reconcile"
)

// TestSchemasCommitted fails when docs/schema/ differs from what the
// generator gives (go test ./internal/schemagen -update rewrites it).
func TestSchemasCommitted(t *testing.T) {
	t.Chdir(testkit.Repo())
	schemas, err := Generate()
	if err != nil {
		t.Fatal(err)
	}
	if len(schemas) != 2 {
		t.Fatalf("got %d schemas, want 2", len(schemas))
	}
	for _, s := range schemas {
		golden.Check(t, s.Path, s.JSON)
	}
}

// TestGoldensValid validates every JSON golden against the schema it names.
func TestGoldensValid(t *testing.T) {
	paths, err := filepath.Glob(testkit.Repo("testdata", "golden", "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no JSON golden files: %v", err)
	}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		testkit.CheckSchema(t, filepath.Base(p), b)
	}
}

// TestSchemaRejects checks that the schemas are strict: a status with a
// space, a missing required member, an unknown member or another $schema
// fails.
func TestSchemaRejects(t *testing.T) {
	b, err := os.ReadFile(testkit.Repo("testdata", "golden", "reconcile-tampered.json"))
	if err != nil {
		t.Fatal(err)
	}
	for name, edit := range map[string]func(map[string]any){
		"old status":     func(d map[string]any) { unit(d)["status"] = "ROWS DIFFER" },
		"no target":      func(d map[string]any) { delete(d, "target") },
		"unknown member": func(d map[string]any) { unit(d)["comment"] = "x" },
		"other schema":   func(d map[string]any) { d["$schema"] = strings.Replace(reconcile.SchemaID, "reconcile", "manifest", 1) },
		"string rows":    func(d map[string]any) { unit(d)["actual_rows"] = "4" },
	} {
		var d map[string]any
		if err := json.Unmarshal(b, &d); err != nil {
			t.Fatal(err)
		}
		edit(d)
		out, err := json.Marshal(d)
		if err != nil {
			t.Fatal(err)
		}
		if testkit.ValidateSchema(out) == nil {
			t.Errorf("%s: the edited report validates", name)
		}
	}
}

func unit(d map[string]any) map[string]any {
	return d["units"].([]any)[0].(map[string]any)
}
