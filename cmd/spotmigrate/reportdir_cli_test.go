package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"spotmigrate/internal/testkit"
)

// TestReportDir writes every format of validate and migrate runs into
// timestamped folders: five files each, the JSON valid against its schema,
// the text ending in the run's verdict, and a second run in the same second
// getting a folder of its own.
func TestReportDir(t *testing.T) {
	dir := sampleCopy(t)
	for i := 0; i < 2; i++ {
		if r := spot(t, dir, nil, "validate", "--oa-path", "spot-oa", "--report-dir", "reports"); r.Code != 0 || !strings.Contains(r.Stderr, "Reports in every format written to ") {
			t.Fatalf("validate: exit %d\n%s", r.Code, r.Stderr)
		}
	}
	if r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--report-dir", "reports"); r.Code != 0 {
		t.Fatalf("migrate: exit %d\n%s", r.Code, r.Stderr)
	}
	folders, _ := filepath.Glob(filepath.Join(dir, "reports", "*"))
	var validates, migrates int
	for _, f := range folders {
		switch base := filepath.Base(f); {
		case strings.HasPrefix(base, "validate-"):
			validates++
		case strings.HasPrefix(base, "migrate-"):
			migrates++
		}
		for _, rf := range reportFiles {
			b, err := os.ReadFile(filepath.Join(f, rf.name))
			if err != nil || len(b) == 0 {
				t.Errorf("%s/%s: %v (%d bytes)", f, rf.name, err, len(b))
			}
		}
		j, _ := os.ReadFile(filepath.Join(f, "report.json"))
		testkit.CheckSchema(t, f+"/report.json", j)
		txt, _ := os.ReadFile(filepath.Join(f, "report.txt"))
		if !strings.Contains(string(txt), "OK: ") {
			t.Errorf("%s/report.txt holds no verdict", f)
		}
	}
	if validates != 2 || migrates != 1 {
		t.Errorf("report folders %v: want 2 of validate and 1 of migrate", folders)
	}
}
