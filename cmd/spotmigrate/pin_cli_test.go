package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"spotmigrate/internal/golden"
)

// TestMigratePinned is the deterministic form of a half-deleted source: a
// re-run whose tree lost files since the target was migrated from it, or
// lost a whole pipeline folder that was never archived, refuses before the
// target is touched, naming the files; --accept-tree-change goes on.
func TestMigratePinned(t *testing.T) {
	dir := sampleCopy(t)
	data := filepath.Join(dir, "spot-oa", "data")
	target := filepath.Join(dir, "out", "spot.duckdb")
	if r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--no-archive"); r.Code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.Code, r.Stderr)
	}
	before := targetCounts(t, target)
	day := filepath.Join(data, "flow", "20161010")
	for _, f := range []string{"edge-10_0_2_15-10_0_2_3-03-14.tsv", "edge-198_51_100_23-10_0_2_15-17-40.tsv"} {
		if err := os.Remove(filepath.Join(day, f)); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(data, "dns", "20160712", "dns_scores.csv"), []byte("changed\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--no-archive")
	if r.Code != 2 {
		t.Fatalf("run on a tree that lost files: exit %d, want 2\n%s", r.Code, r.Stderr)
	}
	golden.Check(t, repoPath("testdata", "golden", "migrate-pin-lost.stderr"), []byte(strings.ReplaceAll(r.Stderr, dir, "<dir>")))
	sameCounts(t, targetCounts(t, target), before)

	// without the pin (a ledger of an older build), the ledger's reconciled
	// counts still keep the partition from shrinking
	if err := os.Remove(target + ".pin.json"); err != nil {
		t.Fatal(err)
	}
	r = spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--no-archive", "--pipelines", "flow")
	if want := "partition flow_edge/y=2016/m=10/d=10 was reconciled with 5 row(s) and the tree now gives 2"; r.Code != 2 || !strings.Contains(r.Stderr, want) {
		t.Fatalf("run without a pin: exit %d, want 2 and %q\n%s", r.Code, want, r.Stderr)
	}
	sameCounts(t, targetCounts(t, target), before)

	r = spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--no-archive", "--accept-tree-change")
	if r.Code != 0 && r.Code != 3 {
		t.Fatalf("run with --accept-tree-change: exit %d\n%s", r.Code, r.Stderr)
	}
	if got := targetCounts(t, target)["flow_edge/y=2016/m=10/d=10"]; got != 2 {
		t.Errorf("after --accept-tree-change flow_edge 2016-10-10 has %d rows, want 2", got)
	}
}

// TestMigratePipelineGone checks that a pipeline folder removed between
// runs, and never archived, is an error naming its files, not a pipeline
// silently left out of the manifest.
func TestMigratePipelineGone(t *testing.T) {
	dir := sampleCopy(t)
	data := filepath.Join(dir, "spot-oa", "data")
	if r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--no-archive"); r.Code != 0 {
		t.Fatalf("first run: exit %d\n%s", r.Code, r.Stderr)
	}
	if err := os.Rename(filepath.Join(data, "proxy"), filepath.Join(dir, "proxy-elsewhere")); err != nil {
		t.Fatal(err)
	}
	r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--no-archive")
	if want := "proxy/20161020/proxy_scores.tsv is gone"; r.Code != 2 || !strings.Contains(r.Stderr, want) {
		t.Fatalf("run without the proxy folder: exit %d, want 2 and %q\n%s", r.Code, want, r.Stderr)
	}
	if err := os.Rename(filepath.Join(dir, "proxy-elsewhere"), filepath.Join(data, "proxy")); err != nil {
		t.Fatal(err)
	}
	if r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--no-archive"); r.Code != 0 {
		t.Fatalf("run with the folder back: exit %d\n%s", r.Code, r.Stderr)
	}
}

func sameCounts(t *testing.T, got, want map[string]int64) {
	t.Helper()
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d rows on the target, was %d", k, got[k], n)
		}
	}
	if len(got) != len(want) {
		t.Errorf("%d partitions on the target, was %d", len(got), len(want))
	}
}
