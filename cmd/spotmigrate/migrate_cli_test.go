package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"spotmigrate/archive"
	"spotmigrate/catalog"
	"spotmigrate/internal/golden"
	"spotmigrate/internal/testkit"
)

// sampleCopy copies the sample tree into a temporary folder and returns
// that folder (holding spot-oa/).
func sampleCopy(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	copyTree(t, repoPath("testdata", "sample", "spot-oa"), filepath.Join(dir, "spot-oa"))
	return dir
}

func expectedCounts(t *testing.T) map[string]int64 { return testkit.ExpectedCounts(t) }

// openTarget opens a target database file read-only.
func openTarget(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", path+"?access_mode=read_only")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// targetCounts returns the rows per partition of every table.
func targetCounts(t *testing.T, path string) map[string]int64 {
	t.Helper()
	db := openTarget(t, path)
	defer db.Close()
	out := map[string]int64{}
	for _, tb := range catalog.Tables {
		rows, err := db.Query(`SELECT y, m, d, count(*) FROM spot.spot."` + tb.Name + `" GROUP BY ALL`)
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var y, m, d int
			var n int64
			rows.Scan(&y, &m, &d, &n)
			out[fmt.Sprintf("%s/y=%d/m=%d/d=%d", tb.Name, y, m, d)] = n
		}
		rows.Close()
	}
	return out
}

func checkCounts(t *testing.T, target string) {
	t.Helper()
	want, got := expectedCounts(t), targetCounts(t, target)
	for k, n := range want {
		if got[k] != n {
			t.Errorf("%s: %d rows on the target, want %d", k, got[k], n)
		}
	}
	for k := range got {
		if _, ok := want[k]; !ok {
			t.Errorf("%s: unexpected partition on the target", k)
		}
	}
}

// dumpTable renders the first rows of a table, ordered by every column.
func dumpTable(t *testing.T, db *sql.DB, table string) string {
	t.Helper()
	rows, err := db.Query(`SELECT * FROM spot.spot."` + table + `" ORDER BY ALL LIMIT 6`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	cols, _ := rows.Columns()
	var b strings.Builder
	b.WriteString(strings.Join(cols, "\t") + "\n")
	for rows.Next() {
		vals := make([]any, len(cols))
		ptrs := make([]any, len(cols))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			t.Fatal(err)
		}
		for i, v := range vals {
			if i > 0 {
				b.WriteByte('\t')
			}
			if v == nil {
				b.WriteString(`\N`)
			} else {
				fmt.Fprintf(&b, "%v", v)
			}
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestMigrateSample migrates the sample tree end to end and checks counts,
// values, the archive, a second run and restore.
func TestMigrateSample(t *testing.T) {
	dir := sampleCopy(t)
	data := filepath.Join(dir, "spot-oa", "data")
	flowHash := treeHash(t, filepath.Join(data, "flow"))
	r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb")
	if r.Code != 0 {
		t.Fatalf("migrate: exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	if !strings.Contains(r.Stdout, "OK: all 55 partition(s) and 12 file(s) match the manifest") {
		t.Errorf("reconcile report lacks the verdict:\n%s", r.Stdout)
	}
	target := filepath.Join(dir, "out", "spot.duckdb")
	checkCounts(t, target)
	db := openTarget(t, target)
	for _, tb := range catalog.Tables {
		golden.Check(t, repoPath("testdata", "golden", "tables", tb.Name+".tsv"), []byte(dumpTable(t, db, tb.Name)))
	}
	db.Close()
	for _, p := range catalog.Pipelines {
		if _, err := os.Stat(filepath.Join(data, p)); !os.IsNotExist(err) {
			t.Errorf("%s was not archived", p)
		}
		// the sample holds an older backup/<pipe> already: the archive goes beside it
		meta := filepath.Join(data, "backup", p+".2", ".spotmigrate-archive")
		for _, f := range []string{"files.json", "manifest.json", "reconcile.json"} {
			b, err := os.ReadFile(filepath.Join(meta, f))
			if err != nil {
				t.Errorf("archive of %s lacks %s: %v", p, f, err)
				continue
			}
			if f != "files.json" {
				testkit.CheckSchema(t, p+" archive "+f, b)
			}
		}
	}
	if b, err := os.ReadFile(target + ".manifest.json"); err != nil {
		t.Errorf("the target's manifest: %v", err)
	} else {
		testkit.CheckSchema(t, "spot.duckdb.manifest.json", b)
	}

	again := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb")
	if again.Code != 0 || !strings.Contains(again.Stderr, "Loaded 0 table(s); 20 table(s) already matched") {
		t.Fatalf("second run: exit %d\n%s", again.Code, again.Stderr)
	}
	checkCounts(t, target)

	rec := spot(t, dir, nil, "reconcile", "--target", "out/spot.duckdb")
	if rec.Code != 0 {
		t.Errorf("reconcile after migrate: exit %d\n%s%s", rec.Code, rec.Stdout, rec.Stderr)
	}

	res := spot(t, dir, nil, "restore", "--oa-path", "spot-oa", "--pipelines", "flow")
	if res.Code != 0 {
		t.Fatalf("restore: exit %d: %s", res.Code, res.Stderr)
	}
	if got := treeHash(t, filepath.Join(data, "flow")); got != flowHash {
		t.Errorf("restored flow folder differs from the original")
	}
}

// TestMigrateCrash stops a run at each phase boundary and in the middle of
// a load, as a crash would, then checks that a re-run completes with exact
// counts and that the source stayed untouched until the final archive.
func TestMigrateCrash(t *testing.T) {
	for _, fp := range []string{"after-stage@3", "mid-load@7", "after-load@12", "before-reconcile", "after-reconcile", "before-archive@2"} {
		t.Run(fp, func(t *testing.T) {
			dir := sampleCopy(t)
			data := filepath.Join(dir, "spot-oa", "data")
			before := treeHash(t, filepath.Join(data, "proxy"))
			r := spot(t, dir, []string{"SPOTMIGRATE_FAILPOINT=" + fp + ":crash"}, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb")
			if r.Code != 97 {
				t.Fatalf("crashed run: exit %d, want 97\n%s", r.Code, r.Stderr)
			}
			if got := treeHash(t, filepath.Join(data, "proxy")); got != before {
				t.Fatalf("the crashed run changed the proxy source folder")
			}
			r = spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb")
			if r.Code != 0 {
				t.Fatalf("re-run: exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
			}
			checkCounts(t, filepath.Join(dir, "out", "spot.duckdb"))
			// the archive holds exactly the original proxy folder, beside its metadata
			if got := testkit.TreeHashWithout(t, filepath.Join(data, "backup", "proxy.2"), archive.MetaDir); got != before {
				t.Errorf("the archived proxy folder differs from the original")
			}
		})
	}
}

// TestMigrateRejects checks that rejected rows block the archive unless
// --max-rejects allows them, and that the run lists each rejected row.
func TestMigrateRejects(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, repoPath("testdata", "corpus", "wrong-columns", "spot-oa"), filepath.Join(dir, "spot-oa"))
	r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb")
	if r.Code != 3 {
		t.Fatalf("exit %d, want 3\n%s", r.Code, r.Stderr)
	}
	for _, want := range []string{
		"Not archived flow: 2 rejected row(s) or file error(s), more than --max-rejects 0.",
		"  flow/20160708/flow_scores.csv:3:20: expected 21 columns, found 20",
		"  flow/20160708/flow_scores.csv:4:8: expected 21 columns, found 22",
	} {
		if !strings.Contains(r.Stderr, want+"\n") {
			t.Errorf("stderr lacks %q:\n%s", want, r.Stderr)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "spot-oa", "data", "flow", "20160708", "flow_scores.csv")); err != nil {
		t.Fatalf("source moved despite rejects: %v", err)
	}
	r = spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--max-rejects", "2")
	if r.Code != 0 || !strings.Contains(r.Stderr, "Archived flow to ") {
		t.Fatalf("with --max-rejects 2: exit %d\n%s", r.Code, r.Stderr)
	}
}

// TestMigrateDryRun checks the printed plan and that nothing was changed.
func TestMigrateDryRun(t *testing.T) {
	dir := sampleCopy(t)
	before := treeHash(t, filepath.Join(dir, "spot-oa"))
	r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--dry-run",
		"--staging-dir", "stage", "--pipelines", "proxy")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	if treeHash(t, filepath.Join(dir, "spot-oa")) != before {
		t.Errorf("dry run changed the tree")
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "spot.duckdb")); err == nil {
		t.Errorf("dry run created the target")
	}
	got := strings.ReplaceAll(r.Stdout, dir, "<dir>")
	golden.Check(t, repoPath("testdata", "golden", "migrate.dry-run"), []byte(got))
}

// TestMigrateLocked checks that a second run on a locked target refuses.
func TestMigrateLocked(t *testing.T) {
	dir := sampleCopy(t)
	os.MkdirAll(filepath.Join(dir, "out"), 0o755)
	f, err := os.Create(filepath.Join(dir, "out", "spot.duckdb.ledger.json.lock"))
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb")
	want := "spotmigrate: failed to lock target duckdb:out/spot.duckdb: locked by another spotmigrate run (wait for it to finish)\n"
	if r.Code != 5 || r.Stderr != want {
		t.Errorf("exit %d, stderr %q; want 5, %q", r.Code, r.Stderr, want)
	}
}

// TestCompatForm checks the six positional arguments of the original
// script: they map onto migrate with the Impala target, whose plan (the SQL
// Impala would receive, which cannot run here) is a golden file.
func TestCompatForm(t *testing.T) {
	dir := sampleCopy(t)
	r := spot(t, dir, nil, "--dry-run", "--staging-dir", "stage", "flow", "spot-oa/", "spot_migration",
		"/user/spotuser/spot_migration/", "migrated", "node01")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	golden.Check(t, repoPath("testdata", "golden", "compat-impala.dry-run"), []byte(strings.ReplaceAll(r.Stdout, dir, "<dir>")))
	r = spot(t, dir, nil, "flow", "spot-oa/", "spot_migration", "relative/path", "migrated", "node01")
	want := "spotmigrate: failed to configure staging: \"relative/path\" is not an absolute HDFS folder below /\n"
	if r.Code != 2 || r.Stderr != want {
		t.Errorf("exit %d, stderr %q; want 2, %q", r.Code, r.Stderr, want)
	}
}

// TestReconcileTampered changes the target after a migration: reconcile
// must fail with exit 4 naming the table, partition and source files, in
// every report format.
func TestReconcileTampered(t *testing.T) {
	dir := sampleCopy(t)
	r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--no-archive", "--pipelines", "proxy")
	if r.Code != 0 {
		t.Fatalf("migrate: exit %d\n%s", r.Code, r.Stderr)
	}
	tamper(t, filepath.Join(dir, "out", "spot.duckdb"))
	for _, f := range []string{"table", "json", "markdown", "junit"} {
		r := spot(t, dir, nil, "reconcile", "--target", "out/spot.duckdb", "--format", f)
		if r.Code != 4 {
			t.Fatalf("%s: exit %d, want 4\n%s", f, r.Code, r.Stderr)
		}
		golden.Check(t, repoPath("testdata", "golden", "reconcile-tampered."+f), normalized(r.Stdout, dir, "<dir>"))
		if f == "json" {
			testkit.CheckSchema(t, "reconcile --format json", []byte(r.Stdout))
		}
	}
}

// TestMigrateManifestMismatch checks that a preflight manifest binds the
// migration: a file changed since the manifest was written stops the run.
func TestMigrateManifestMismatch(t *testing.T) {
	dir := sampleCopy(t)
	man := filepath.Join(dir, "preflight.json")
	if r := spot(t, dir, nil, "validate", "--oa-path", "spot-oa", "--format", "json", "--output", man); r.Code != 0 {
		t.Fatalf("validate: exit %d: %s", r.Code, r.Stderr)
	}
	f := filepath.Join(dir, "spot-oa", "data", "flow", "20161201", "threats.csv")
	b, _ := os.ReadFile(f)
	os.WriteFile(f, append(b, []byte("10.0.0.9|Added later|After the preflight.\n")...), 0o644)
	r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--manifest", man)
	want := "spotmigrate: failed to match manifest " + man + ": flow/20161201/threats.csv changed: the tree changed since the manifest was written (validate again)\n"
	if r.Code != 2 || r.Stderr != want {
		t.Errorf("exit %d, stderr %q; want 2, %q", r.Code, r.Stderr, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "out", "spot.duckdb")); err == nil {
		t.Errorf("the target was created despite the mismatch")
	}
}

// TestSpotConfDefaults checks that spot.conf supplies the database, HDFS
// base and Impala daemon of the plan.
func TestSpotConfDefaults(t *testing.T) {
	dir := sampleCopy(t)
	conf := filepath.Join(dir, "spot.conf")
	os.WriteFile(conf, []byte("DBNAME='spot_prod'\nHUSER='/user/spotprod'\nIMPALA_DEM=node04\nIMPALA_PORT=21051\n"), 0o644)
	r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--pipelines", "flow", "--spot-conf", conf, "--dry-run")
	for _, want := range []string{"Plan for impala://node04:21051", "CREATE DATABASE IF NOT EXISTS `spot_prod`;",
		"LOCATION '/user/spotprod/flow/hive/oa/suspicious'"} {
		if r.Code != 0 || !strings.Contains(r.Stdout, want) {
			t.Errorf("exit %d: plan lacks %q:\n%.600s", r.Code, want, r.Stdout)
		}
	}
}

// TestMigrateOutcomeCapped checks that migrate lists at most 20 rejected
// rows and points to the manifest for the rest.
func TestMigrateOutcomeCapped(t *testing.T) {
	dir := t.TempDir()
	copyTree(t, repoPath("testdata", "corpus", "wrong-columns", "spot-oa"), filepath.Join(dir, "spot-oa"))
	f := filepath.Join(dir, "spot-oa", "data", "flow", "20160708", "flow_scores.csv")
	b, err := os.ReadFile(f)
	if err != nil {
		t.Fatal(err)
	}
	for i := range 25 {
		b = fmt.Appendf(b, "%d,2016-07-08 10:00:00,10.0.0.1\n", i)
	}
	os.WriteFile(f, b, 0o644)
	r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb")
	if r.Code != exitRejects {
		t.Fatalf("exit %d, want %d\n%s", r.Code, exitRejects, r.Stderr)
	}
	golden.Check(t, repoPath("testdata", "golden", "migrate-rejects-capped.stderr"), []byte(strings.ReplaceAll(r.Stderr, dir, "<dir>")))
}
