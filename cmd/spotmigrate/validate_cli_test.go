package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"spotmigrate/internal/golden"
	"spotmigrate/internal/testkit"
	"spotmigrate/manifest"
)

// TestValidateCorpus runs validate on every broken tree of testdata/corpus
// and compares exit code and report with the case's want.txt.
func TestValidateCorpus(t *testing.T) {
	cases, err := os.ReadDir(repoPath("testdata", "corpus"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if !c.IsDir() {
			continue
		}
		t.Run(c.Name(), func(t *testing.T) {
			dir := repoPath("testdata", "corpus", c.Name())
			tree := filepath.Join(dir, "spot-oa")
			before := treeHash(t, tree)
			r := spot(t, dir, nil, "validate", "--oa-path", "spot-oa")
			if after := treeHash(t, tree); after != before {
				t.Errorf("validate modified the OA tree")
			}
			oa, _ := filepath.Abs(tree)
			got := fmt.Sprintf("exit: %d\n%s--- stderr\n%s", r.Code, r.Stdout, r.Stderr)
			golden.Check(t, filepath.Join(dir, "want.txt"), normalized(got, filepath.Join(oa, "data"), "<root>", oa, "<oa-path>"))
		})
	}
}

// TestValidateFormats checks every report format of the sample tree.
func TestValidateFormats(t *testing.T) {
	dir := repoPath("testdata", "sample")
	oa, _ := filepath.Abs(filepath.Join(dir, "spot-oa"))
	for _, f := range []string{"table", "json", "markdown", "junit"} {
		t.Run(f, func(t *testing.T) {
			r := spot(t, dir, nil, "validate", "--oa-path", "spot-oa", "--format", f)
			if r.Code != 0 {
				t.Fatalf("exit %d: %s", r.Code, r.Stderr)
			}
			golden.Check(t, repoPath("testdata", "golden", "validate."+f), normalized(r.Stdout, filepath.Join(oa, "data"), "<root>", oa, "<oa-path>"))
			if f == "json" {
				testkit.CheckSchema(t, "validate --format json", []byte(r.Stdout))
			}
		})
	}
}

// TestValidateOutputFile writes the manifest to a file and reads it back.
func TestValidateOutputFile(t *testing.T) {
	out := filepath.Join(t.TempDir(), "manifest.json")
	r := spot(t, repoPath("testdata", "sample"), nil, "validate", "--oa-path", "spot-oa", "--format", "json", "--output", out)
	if r.Code != 0 || r.Stdout != "" {
		t.Fatalf("exit %d, stdout %q, stderr %s", r.Code, r.Stdout, r.Stderr)
	}
	if !strings.HasPrefix(r.Stderr, "OK: ") {
		t.Errorf("stderr = %q, want the verdict", r.Stderr)
	}
	m, err := manifest.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	if len(m.Partitions) != 55 || m.Summary.Landing != 180 {
		t.Errorf("manifest has %d partitions and %d rows, want 55 and 180", len(m.Partitions), m.Summary.Landing)
	}
	var raw map[string]any
	b, _ := os.ReadFile(out)
	if err := json.Unmarshal(b, &raw); err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{"version", "files", "skipped", "partitions"} {
		if _, ok := raw[k]; !ok {
			t.Errorf("manifest lacks %q", k)
		}
	}
}

// TestUsageErrors checks exit code 2 and the message for bad invocations.
func TestUsageErrors(t *testing.T) {
	for _, tc := range []struct {
		args []string
		msg  string
	}{
		{[]string{"validate"}, "spotmigrate: --oa-path is required\n"},
		{[]string{"validate", "--oa-path", "/nonexistent"}, "spotmigrate: failed to open OA path: stat /nonexistent: no such file or directory\n"},
		{[]string{"validate", "--oa-path", ".", "--pipelines", "flow,web"}, "spotmigrate: --pipelines: unknown pipeline \"web\" (want flow, dns, proxy)\n"},
		{[]string{"validate", "--oa-path", ".", "--format", "xml"}, "spotmigrate: --format: unknown format \"xml\" (want table, json, markdown, junit or html)\n"},
		{[]string{"validate", "--oa-path", ".", "--dns-timezone", "PDT"}, "spotmigrate: --dns-timezone: \"PDT\" is not TOKEN=±HH:MM (e.g. PDT=-07:00)\n"},
		{[]string{"validate", "--oa-path", ".", "--dns-timezone", "PDT=-07:00,PDT=-08:00"}, "spotmigrate: --dns-timezone: PDT given twice\n"},
		{[]string{"validate", "--oa-path", ".", "--dns-timezone", "X=+15:00"}, "spotmigrate: --dns-timezone: \"X=+15:00\": offset out of range (at most ±14:00)\n"},
		{[]string{"validate", "--oa-path", ".", "--iana-dir", "/nonexistent"}, "spotmigrate: --iana-dir: /nonexistent is not a folder\n"},
		{[]string{"frobnicate"}, "spotmigrate: unknown command \"frobnicate\" (see spotmigrate --help)\n"},
		{[]string{"migrate", "--oa-path", ".", "--db", "spot;drop"}, "spotmigrate: invalid --db \"spot;drop\": use letters, digits and underscores, starting with a letter or underscore\n"},
	} {
		r := spot(t, repoPath("testdata", "sample"), nil, tc.args...)
		if r.Code != 2 || r.Stderr != tc.msg {
			t.Errorf("%v: exit %d, stderr %q; want exit 2, %q", tc.args, r.Code, r.Stderr, tc.msg)
		}
	}
}

// TestHelpListsExitCodes checks that --help documents the exit codes.
func TestHelpListsExitCodes(t *testing.T) {
	readme, err := os.ReadFile(repoPath("README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range exitCodes {
		if row := fmt.Sprintf("| %d | %s |\n", c.code, c.meaning); !strings.Contains(string(readme), row) {
			t.Errorf("README.md lacks the exit code row %q", row)
		}
	}
	for _, args := range [][]string{{"--help"}, {"validate", "-h"}, {"migrate", "-h"}, {"reconcile", "-h"}} {
		r := spot(t, ".", nil, args...)
		if r.Code != 0 || !strings.Contains(r.Stderr, "3  rejected rows or file errors were found") {
			t.Errorf("%v: exit %d, help lacks the exit codes:\n%s", args, r.Code, r.Stderr)
		}
	}
}
