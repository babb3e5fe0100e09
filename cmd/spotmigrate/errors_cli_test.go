package main

import (
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"spotmigrate/internal/golden"
	"spotmigrate/reconcile"
)

// errorCase is one class of error: how to provoke it in a fresh copy of
// the sample tree, and the exit code it must give.
type errorCase struct {
	name  string
	code  int
	setup func(t *testing.T, dir string) // may be nil
	args  []string
}

// migrated migrates the proxy pipeline of the sample into out/spot.duckdb
// without archiving it.
func migrated(t *testing.T, dir string) {
	t.Helper()
	if r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--pipelines", "proxy", "--no-archive"); r.Code != 0 {
		t.Fatalf("migrate: exit %d\n%s", r.Code, r.Stderr)
	}
}

// execTarget runs statements on the target file.
func execTarget(t *testing.T, path string, stmts ...string) {
	t.Helper()
	db, err := sql.Open("duckdb", path)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range stmts {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// holdLock takes an exclusive flock on path for the rest of the test.
func holdLock(t *testing.T, path string) {
	t.Helper()
	flags := os.O_RDONLY | os.O_CREATE
	if st, err := os.Stat(path); err == nil && st.IsDir() {
		flags = os.O_RDONLY
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { f.Close() })
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		t.Fatal(err)
	}
}

var sqliteHeader = append([]byte("SQLite format 3\x00"), make([]byte, 84)...)

func errorCases() []errorCase {
	mig := []string{"migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--pipelines", "proxy", "--no-archive"}
	return []errorCase{
		{name: "oa-path is a file", code: exitUsage, args: []string{"validate", "--oa-path", "spot-oa/data/proxy/20161020/proxy_scores.tsv"}},
		{name: "oa-path is missing", code: exitUsage, args: []string{"validate", "--oa-path", "nowhere"}},
		{name: "no pipeline folder", code: exitUsage, setup: func(t *testing.T, dir string) { os.MkdirAll(filepath.Join(dir, "empty", "data"), 0o755) },
			args: []string{"migrate", "--oa-path", "empty", "--target", "out/spot.duckdb"}},
		{name: "target is a SQLite file", code: exitUsage, setup: func(t *testing.T, dir string) {
			os.MkdirAll(filepath.Join(dir, "out"), 0o755)
			os.WriteFile(filepath.Join(dir, "out", "spot.duckdb"), sqliteHeader, 0o644)
		}, args: mig},
		{name: "reconcile a SQLite file", code: exitUsage, setup: func(t *testing.T, dir string) {
			os.WriteFile(filepath.Join(dir, "other.db"), sqliteHeader, 0o644)
			os.WriteFile(filepath.Join(dir, "m.json"), []byte(`{"version":1,"pipelines":["proxy"],"files":[],"partitions":[]}`), 0o644)
		}, args: []string{"reconcile", "--target", "other.db", "--manifest", "m.json"}},
		{name: "damaged ledger", code: exitUsage, setup: func(t *testing.T, dir string) {
			migrated(t, dir)
			p := filepath.Join(dir, "out", "spot.duckdb.ledger.json")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)/2], 0o644)
		}, args: mig},
		{name: "target locked", code: exitLocked, setup: func(t *testing.T, dir string) {
			os.MkdirAll(filepath.Join(dir, "out"), 0o755)
			holdLock(t, filepath.Join(dir, "out", "spot.duckdb.ledger.json.lock"))
		}, args: mig},
		{name: "reconcile during a migrate", code: exitLocked, setup: func(t *testing.T, dir string) {
			migrated(t, dir)
			holdLock(t, filepath.Join(dir, "out", "spot.duckdb.ledger.json.lock"))
		}, args: []string{"reconcile", "--target", "out/spot.duckdb"}},
		{name: "restore during a migrate", code: exitLocked, setup: func(t *testing.T, dir string) {
			holdLock(t, filepath.Join(dir, "spot-oa", "data"))
		}, args: []string{"restore", "--oa-path", "spot-oa"}},
		{name: "dropped table", code: exitMismatch, setup: func(t *testing.T, dir string) {
			migrated(t, dir)
			execTarget(t, filepath.Join(dir, "out", "spot.duckdb"), `DROP TABLE spot.spot.proxy_timeline`)
		}, args: []string{"reconcile", "--target", "out/spot.duckdb"}},
		{name: "altered table", code: exitMismatch, setup: func(t *testing.T, dir string) {
			migrated(t, dir)
			execTarget(t, filepath.Join(dir, "out", "spot.duckdb"), `ALTER TABLE spot.spot.proxy_storyboard DROP COLUMN title`)
		}, args: []string{"reconcile", "--target", "out/spot.duckdb"}},
		{name: "unknown command", code: exitUsage, args: []string{"migrat"}},
	}
}

// TestErrorCodes provokes each class of error through the command line and
// checks its exit code; what each prints is one golden file.
func TestErrorCodes(t *testing.T) {
	var out strings.Builder
	for _, c := range errorCases() {
		dir := sampleCopy(t)
		if c.setup != nil {
			c.setup(t, dir)
		}
		r := spot(t, dir, nil, c.args...)
		if r.Code != c.code {
			t.Errorf("%s: exit %d, want %d\n%s", c.name, r.Code, c.code, r.Stderr)
		}
		text := r.Stderr
		if c.code == exitMismatch {
			text = mismatchLines(r.Stdout) + r.Stderr
		}
		fmt.Fprintf(&out, "== %s (exit %d)\n%s", c.name, r.Code, strings.ReplaceAll(text, dir, "<dir>"))
	}
	golden.Check(t, repoPath("testdata", "golden", "errors.stderr"), []byte(out.String()))
}

// mismatchLines keeps the verdict and the lines naming a broken table.
func mismatchLines(stdout string) string {
	var b strings.Builder
	for _, l := range strings.Split(stdout, "\n") {
		if strings.Contains(l, reconcile.TableMissing) || strings.Contains(l, reconcile.TableAltered) || strings.HasPrefix(l, "MISMATCH") {
			b.WriteString(strings.Join(strings.Fields(l), " ") + "\n")
		}
	}
	return b.String()
}

// TestNotDuckDBTargetUntouched checks that a target file that is not a
// DuckDB database is refused before DuckDB opens it: not a byte changes
// and no extension is fetched.
func TestNotDuckDBTargetUntouched(t *testing.T) {
	dir := sampleCopy(t)
	p := filepath.Join(dir, "spot.db")
	os.WriteFile(p, sqliteHeader, 0o644)
	r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "spot.db", "--pipelines", "proxy")
	if r.Code != exitUsage || !strings.Contains(r.Stderr, "not a DuckDB database file") {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	if b, _ := os.ReadFile(p); string(b) != string(sqliteHeader) {
		t.Errorf("the SQLite file was changed")
	}
	if _, err := os.Stat(filepath.Join(dir, "spot-oa", "data", "proxy")); err != nil {
		t.Errorf("the source moved: %v", err)
	}
}

// TestRebuildLedger damages the ledger after a full migration: the run
// that follows refuses and says how to recover; --rebuild-ledger moves the
// damaged ledger aside, finds the archived pipelines again and ends with
// every partition verified.
func TestRebuildLedger(t *testing.T) {
	dir := sampleCopy(t)
	args := []string{"migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb"}
	if r := spot(t, dir, nil, args...); r.Code != 0 {
		t.Fatalf("migrate: exit %d\n%s", r.Code, r.Stderr)
	}
	p := filepath.Join(dir, "out", "spot.duckdb.ledger.json")
	b, _ := os.ReadFile(p)
	os.WriteFile(p, b[:100], 0o644)
	if r := spot(t, dir, nil, args...); r.Code != exitUsage || !strings.Contains(r.Stderr, "--rebuild-ledger") {
		t.Fatalf("damaged ledger: exit %d\n%s", r.Code, r.Stderr)
	}
	r := spot(t, dir, nil, append(args, "--rebuild-ledger")...)
	if r.Code != 0 {
		t.Fatalf("--rebuild-ledger: exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	if !strings.Contains(r.Stdout, "OK: all ") {
		t.Errorf("no full match after the rebuild:\n%s", r.Stdout)
	}
	aside, _ := filepath.Glob(p + ".damaged-*")
	if len(aside) != 1 {
		t.Fatalf("damaged ledger not kept aside: %v", aside)
	}
	if kept, _ := os.ReadFile(aside[0]); string(kept) != string(b[:100]) {
		t.Errorf("the damaged ledger kept aside differs")
	}
	checkCounts(t, filepath.Join(dir, "out", "spot.duckdb"))
	r = spot(t, dir, nil, "reconcile", "--target", "out/spot.duckdb")
	if r.Code != 0 {
		t.Fatalf("reconcile after the rebuild: exit %d\n%s", r.Code, r.Stderr)
	}
}

// TestRemoteLedgerFound checks that the ledger of a remote target lives in
// the per-user state folder, whatever folder the run starts from, and that
// the run says where it is.
func TestRemoteLedgerFound(t *testing.T) {
	dir := sampleCopy(t)
	state := filepath.Join(dir, "state")
	var lines []string
	for _, cwd := range []string{dir, filepath.Join(dir, "spot-oa")} {
		r := spot(t, cwd, []string{"XDG_STATE_HOME=" + state}, "migrate", "--oa-path", filepath.Join(dir, "spot-oa"),
			"--impala", "node01", "--db", "migrated", "--pipelines", "proxy", "--dry-run")
		if r.Code != 0 {
			t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
		}
		lines = append(lines, strings.SplitN(r.Stderr, "\n", 2)[0])
	}
	want := "Ledger of impala://node01:21050: " + filepath.Join(state, "spotmigrate", "spotmigrate-node01_21050_migrated.ledger.json")
	for _, l := range lines {
		if l != want {
			t.Errorf("got %q, want %q", l, want)
		}
	}
}

// TestExitCodesDocumented checks that the README's table lists every exit
// code with the meaning --help prints.
func TestExitCodesDocumented(t *testing.T) {
	b, err := os.ReadFile(repoPath("README.md"))
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range exitCodes {
		if row := fmt.Sprintf("| %d | %s |", c.code, c.meaning); !strings.Contains(string(b), row) {
			t.Errorf("README.md lacks the row %q", row)
		}
	}
}
