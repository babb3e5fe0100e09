package manifest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"spotmigrate/provenance"
	"spotmigrate/report"
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

// TestContentSHA256 checks that a manifest's sha256 leaves its provenance
// out, follows its content, and is what jq gives of the written document
// without the provenance member.
func TestContentSHA256(t *testing.T) {
	m := &Manifest{Schema: SchemaID, Version: Version, Root: "/data <&>", Pipelines: []string{"flow"},
		Files: []File{}, Skipped: []Skipped{}, Partitions: []Partition{{PartitionKey: PartitionKey{Table: "flow_scores", Y: 2016, M: 7, D: 8}, Rows: 2, Checksum: "62aad58494ac79b0", Files: []string{"flow/20160708/flow_scores.csv"}}}}
	before, err := ContentSHA256(m)
	if err != nil {
		t.Fatal(err)
	}
	if err := m.SetProvenance(&provenance.Provenance{Tool: provenance.Tool, Started: "2026-01-01T00:00:00.000Z"}); err != nil {
		t.Fatal(err)
	}
	if m.Provenance.ManifestSHA256 != before {
		t.Errorf("manifest_sha256 %s, want %s", m.Provenance.ManifestSHA256, before)
	}
	if after, _ := ContentSHA256(m); after != before {
		t.Errorf("the provenance changed the sha256: %s, then %s", before, after)
	}
	m.Partitions[0].Rows = 3
	if changed, _ := ContentSHA256(m); changed == before {
		t.Errorf("a changed partition kept the sha256")
	}
	m.Partitions[0].Rows = 2
	// jq is the independent reading of the definition (.ci/run installs it)
	jq, err := exec.LookPath("jq")
	if err != nil {
		t.Fatal("jq is not installed (apt-get install jq): the definition of manifest_sha256 is checked with it")
	}
	var doc bytes.Buffer
	if err := m.Write(&doc, report.JSON); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(jq, "-cj", "del(.provenance)")
	cmd.Stdin = &doc
	out, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if sum := sha256.Sum256(out); hex.EncodeToString(sum[:]) != before {
		t.Errorf("jq -cj 'del(.provenance)' gives %s, want %s", hex.EncodeToString(sum[:]), before)
	}
}
