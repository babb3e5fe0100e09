package manifest

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
)

// TestReadKeepsSchema checks that a manifest read back keeps its $schema,
// and that one written before manifests named it gets SchemaID.
func TestReadKeepsSchema(t *testing.T) {
	dir := t.TempDir()
	for name, c := range map[string]struct{ doc, want string }{
		"named":   {`{"$schema":"https://example.invalid/other.json","version":1}`, "https://example.invalid/other.json"},
		"unnamed": {`{"version":1}`, SchemaID},
	} {
		path := filepath.Join(dir, name+".json")
		if err := os.WriteFile(path, []byte(c.doc), 0o644); err != nil {
			t.Fatal(err)
		}
		m, err := Read(path)
		if err != nil {
			t.Fatal(err)
		}
		if m.Schema != c.want {
			t.Errorf("%s: $schema %q, want %q", name, m.Schema, c.want)
		}
		b, err := json.Marshal(m)
		if err != nil {
			t.Fatal(err)
		}
		var back map[string]any
		if err := json.Unmarshal(b, &back); err != nil {
			t.Fatal(err)
		}
		if back["$schema"] != c.want {
			t.Errorf("%s: written again with $schema %v, want %q", name, back["$schema"], c.want)
		}
	}
}
