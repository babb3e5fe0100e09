package main

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"spotmigrate/archive"
	"spotmigrate/manifest"
	"spotmigrate/provenance"
	"spotmigrate/reconcile"
)

// checkProvenance checks the real values of a provenance, which the golden
// files hold as placeholders: a run between t0 and t1 of this build on
// this host, as this user, with args.
func checkProvenance(t *testing.T, what string, p *provenance.Provenance, t0, t1 time.Time, args []string) {
	t.Helper()
	if p == nil {
		t.Fatalf("%s: no provenance", what)
	}
	started, err := time.Parse(time.RFC3339, p.Started)
	if err != nil || !strings.HasSuffix(p.Started, "Z") {
		t.Errorf("%s: started %q is not an RFC 3339 UTC time: %v", what, p.Started, err)
	}
	ended, err := time.Parse(time.RFC3339, p.Ended)
	if err != nil || !strings.HasSuffix(p.Ended, "Z") {
		t.Errorf("%s: ended %q is not an RFC 3339 UTC time: %v", what, p.Ended, err)
	}
	if started.Before(t0.Truncate(time.Millisecond)) || ended.Before(started) || ended.After(t1) {
		t.Errorf("%s: started %s, ended %s: not in order within the run (%s to %s)", what, p.Started, p.Ended, t0, t1)
	}
	if d, err := time.ParseDuration(p.Duration); err != nil || d != ended.Sub(started) {
		t.Errorf("%s: duration %q, want ended - started = %s", what, p.Duration, ended.Sub(started))
	}
	if host, _ := os.Hostname(); p.Host != host {
		t.Errorf("%s: host %q, want %q", what, p.Host, host)
	}
	if u, err := user.Current(); err == nil && p.User != u.Username {
		t.Errorf("%s: user %q, want %q", what, p.User, u.Username)
	}
	if p.Tool != "spotmigrate" || p.Version == "" || p.Commit == "" || p.GoVersion != runtime.Version() ||
		!slices.Contains([]string{"true", "false", "unknown"}, p.Modified) {
		t.Errorf("%s: build %q %q %q (modified %q), go %q", what, p.Tool, p.Version, p.Commit, p.Modified, p.GoVersion)
	}
	if !strings.HasPrefix(p.DuckDBVersion, "v1.") {
		t.Errorf("%s: DuckDB version %q", what, p.DuckDBVersion)
	}
	if !slices.Equal(p.Args, args) {
		t.Errorf("%s: args %q, want %q", what, p.Args, args)
	}
	if len(p.ManifestSHA256) != 64 {
		t.Errorf("%s: manifest sha256 %q", what, p.ManifestSHA256)
	}
}

func sha256File(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}

func readReport(t *testing.T, what string, b []byte) *reconcile.Report {
	t.Helper()
	var r reconcile.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
	return &r
}

// TestValidateProvenance checks the provenance of a validate run: real
// values, and a manifest_sha256 that is the manifest's ContentSHA256.
func TestValidateProvenance(t *testing.T) {
	dir := repoPath("testdata", "sample")
	out := filepath.Join(t.TempDir(), "manifest.json")
	t0 := time.Now()
	r := spot(t, dir, nil, "validate", "--oa-path", "spot-oa", "--format", "json", "--output", out)
	t1 := time.Now()
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	m, err := manifest.Read(out)
	if err != nil {
		t.Fatal(err)
	}
	checkProvenance(t, "validate", m.Provenance, t0, t1, []string{"validate", "--oa-path", "spot-oa", "--format", "json", "--output", out})
	if sum, _ := manifest.ContentSHA256(m); m.Provenance.ManifestSHA256 != sum {
		t.Errorf("manifest_sha256 %s, want the content sha256 %s", m.Provenance.ManifestSHA256, sum)
	}
	if oa, _ := filepath.Abs(filepath.Join(dir, "spot-oa")); m.Provenance.OAPath != oa || m.Provenance.Target != "" {
		t.Errorf("oa_path %q, target %q; want %q and none", m.Provenance.OAPath, m.Provenance.Target, oa)
	}
}

// TestMigrateProvenance migrates with secret flags: the printed reconcile
// report, the manifest beside the target and the archived manifest.json
// and reconcile.json carry the run's provenance with the secrets masked,
// and a later reconcile names the manifest file by its sha256.
func TestMigrateProvenance(t *testing.T) {
	dir := sampleCopy(t)
	args := []string{"migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--pipelines", "proxy",
		"--keytab", "/secret/spot.keytab", "--impala-password-file=/secret/pw", "--format", "json"}
	t0 := time.Now()
	r := spot(t, dir, nil, args...)
	t1 := time.Now()
	if r.Code != 0 {
		t.Fatalf("migrate: exit %d\n%s", r.Code, r.Stderr)
	}
	masked := slices.Clone(args)
	masked[8], masked[9] = "***", "--impala-password-file=***"
	target := filepath.Join(dir, "out", "spot.duckdb")
	manifestFile := target + ".manifest.json"
	oa := filepath.Join(dir, "spot-oa")

	rep := readReport(t, "migrate", []byte(r.Stdout))
	checkProvenance(t, "migrate reconcile report", rep.Provenance, t0, t1, masked)
	if rep.Provenance.ManifestSHA256 != sha256File(t, manifestFile) || rep.Provenance.Target != "duckdb:out/spot.duckdb" ||
		rep.Provenance.OAPath != oa {
		t.Errorf("reconcile report: manifest %s, target %q, oa_path %q", rep.Provenance.ManifestSHA256, rep.Provenance.Target, rep.Provenance.OAPath)
	}
	m, err := manifest.Read(manifestFile)
	if err != nil {
		t.Fatal(err)
	}
	checkProvenance(t, "migrate manifest", m.Provenance, t0, t1, masked)
	if sum, _ := manifest.ContentSHA256(m); m.Provenance.ManifestSHA256 != sum || m.Provenance.Target != "duckdb:out/spot.duckdb" {
		t.Errorf("manifest: manifest_sha256 %s (want %s), target %q", m.Provenance.ManifestSHA256, sum, m.Provenance.Target)
	}
	if m.Provenance.Ended > rep.Provenance.Ended || m.Provenance.Started != rep.Provenance.Started {
		t.Errorf("the manifest (%s to %s) was not complete before the reconcile (%s to %s)",
			m.Provenance.Started, m.Provenance.Ended, rep.Provenance.Started, rep.Provenance.Ended)
	}

	meta := filepath.Join(dir, "spot-oa", "data", "backup", "proxy.2", archive.MetaDir)
	archived, err := os.ReadFile(filepath.Join(meta, "reconcile.json"))
	if err != nil {
		t.Fatal(err)
	}
	if string(archived) != r.Stdout {
		t.Errorf("the archived reconcile.json differs from the printed report:\n%s", archived)
	}
	if sha256File(t, filepath.Join(meta, "manifest.json")) != rep.Provenance.ManifestSHA256 {
		t.Errorf("the archived manifest.json is not the manifest the report names")
	}
	for _, f := range []string{manifestFile, filepath.Join(meta, "manifest.json"), filepath.Join(meta, "reconcile.json")} {
		if b, _ := os.ReadFile(f); strings.Contains(string(b), "/secret") {
			t.Errorf("%s holds a secret flag's value", f)
		}
	}

	t0 = time.Now()
	r = spot(t, dir, nil, "reconcile", "--target", "out/spot.duckdb", "--format", "json", "--impala-password-file", "/secret/pw")
	t1 = time.Now()
	if r.Code != 0 {
		t.Fatalf("reconcile: exit %d\n%s", r.Code, r.Stderr)
	}
	rep = readReport(t, "reconcile", []byte(r.Stdout))
	checkProvenance(t, "reconcile", rep.Provenance, t0, t1,
		[]string{"reconcile", "--target", "out/spot.duckdb", "--format", "json", "--impala-password-file", "***"})
	if rep.Provenance.ManifestSHA256 != sha256File(t, manifestFile) || rep.Provenance.OAPath != oa {
		t.Errorf("reconcile: manifest %s, oa_path %q", rep.Provenance.ManifestSHA256, rep.Provenance.OAPath)
	}
}
