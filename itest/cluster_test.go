//go:build itest

package itest

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/colinmarc/hdfs/v2"

	"spotmigrate/catalog"
	"spotmigrate/internal/testkit"
	"spotmigrate/reconcile"
)

func hdfsClient(t *testing.T) *hdfs.Client {
	t.Helper()
	c, err := hdfs.NewClient(hdfs.ClientOptions{Addresses: []string{cluster["HDFS"]}, User: "root"})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { c.Close() })
	return c
}

func expected(t *testing.T) map[string]int64 { return testkit.ExpectedCounts(t) }

func readReport(t *testing.T, path string) *reconcile.Report {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var r reconcile.Report
	if err := json.Unmarshal(b, &r); err != nil {
		t.Fatal(err)
	}
	return &r
}

// TestMigrateSampleOnCluster migrates the sample tree into the engine and
// checks rows per partition, the partition folders, a second run, and that
// staging is gone.
func TestMigrateSampleOnCluster(t *testing.T) {
	dir, tg := sample(t), newTarget(t, "a")
	report := filepath.Join(dir, "reconcile.json")
	r := spot(t, dir, nil, append([]string{"migrate", "--oa-path", "spot-oa", "--staging-db", "spot_a_stg",
		"--format", "json", "--output", report}, tg.flags()...)...)
	if r.Code != 0 {
		t.Fatalf("migrate: exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	if !strings.Contains(r.Stderr, "Target statements per table: 5 to 5") {
		t.Errorf("statements per table not flat:\n%s", r.Stderr)
	}
	rep, want := readReport(t, report), expected(t)
	if len(rep.Units) != len(want) || !rep.OK() {
		t.Fatalf("%d units (ok=%v), want %d matching", len(rep.Units), rep.OK(), len(want))
	}
	for _, u := range rep.Units {
		k := fmt.Sprintf("%s/%s", u.Table, u.Dir())
		if u.ActualRows != want[k] || u.Status != reconcile.Match {
			t.Errorf("%s: %d rows on the engine (%s), want %d", k, u.ActualRows, u.Status, want[k])
		}
	}
	fs := hdfsClient(t)
	for _, p := range []string{"/flow/hive/oa/suspicious/y=2016/m=12/d=1", "/dns/hive/oa/edge/y=2016/m=7/d=12", "/proxy/hive/oa/timeline/y=2016/m=10/d=20"} {
		files, err := fs.ReadDir(tg.huser + p)
		if err != nil || len(files) == 0 {
			t.Errorf("partition folder %s: %v (%d files)", tg.huser+p, err, len(files))
		}
	}
	if _, err := fs.Stat(tg.staging); !os.IsNotExist(err) {
		t.Errorf("staging folder %s still exists (%v)", tg.staging, err)
	}
	_, db := tg.engine(t)
	if _, err := db.ExecContext(context.Background(), "USE `spot_a_stg`"); err == nil {
		t.Errorf("staging database spot_a_stg still exists")
	}
	if _, err := os.Stat(filepath.Join(dir, "spot-oa", "data", "backup", "flow.2", ".spotmigrate-archive", "files.json")); err != nil {
		t.Errorf("flow not archived: %v", err)
	}

	again := spot(t, dir, nil, append([]string{"migrate", "--oa-path", "spot-oa", "--staging-db", "spot_a_stg",
		"--format", "json", "--output", report}, tg.flags()...)...)
	if again.Code != 0 || !strings.Contains(again.Stderr, "Loaded 0 table(s); 20 table(s) already matched") {
		t.Fatalf("second run: exit %d\n%s", again.Code, again.Stderr)
	}
	for _, u := range readReport(t, report).Units {
		if k := u.Table + "/" + u.Dir(); u.ActualRows != want[k] {
			t.Errorf("after a second run %s has %d rows, want %d", k, u.ActualRows, want[k])
		}
	}
}

// run starts the binary in the background.
func start(t *testing.T, dir string, env []string, args ...string) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var errb strings.Builder
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	return cmd, &errb
}

// waitMarker waits until a failpoint marker appears.
func waitMarker(t *testing.T, marker string, cmd *exec.Cmd, errb *strings.Builder) {
	t.Helper()
	for deadline := time.Now().Add(5 * time.Minute); time.Now().Before(deadline); time.Sleep(200 * time.Millisecond) {
		if _, err := os.Stat(marker); err == nil {
			return
		}
		if cmd.ProcessState != nil {
			break
		}
	}
	cmd.Process.Kill()
	t.Fatalf("failpoint not reached:\n%s", errb.String())
}

func script(t *testing.T, name string, args ...string) {
	t.Helper()
	c := exec.Command(repo("cluster", name), args...)
	out, err := c.CombinedOutput()
	if err != nil {
		t.Fatalf("%s %v: %v\n%s", name, args, err, out)
	}
}

// TestEngineStoppedMidMigration stops the SQL engine while a migration is
// between table loads: the run fails, the source stays, and a re-run after
// the engine is back completes.
func TestEngineStoppedMidMigration(t *testing.T) {
	dir, tg := sample(t), newTarget(t, "b")
	before := treeHash(t, filepath.Join(dir, "spot-oa"))
	marker := filepath.Join(t.TempDir(), "failpoint")
	args := append([]string{"migrate", "--oa-path", "spot-oa", "--staging-db", "spot_b_stg"}, tg.flags()...)
	cmd, errb := start(t, dir, []string{"SPOTMIGRATE_FAILPOINT=after-load@6:wait", "SPOTMIGRATE_FAILPOINT_FILE=" + marker}, args...)
	waitMarker(t, marker, cmd, errb)
	script(t, "down.sh", state, "spark")
	os.Remove(marker)
	err := cmd.Wait()
	script(t, "up.sh", state, "spark")
	if err == nil {
		t.Fatalf("the run went on without its engine:\n%s", errb.String())
	}
	if got := treeHash(t, filepath.Join(dir, "spot-oa")); got != before {
		t.Fatalf("the failed run changed the source tree:\n%s", errb.String())
	}
	r := spot(t, dir, nil, args...)
	if r.Code != 0 || !strings.Contains(r.Stdout, "OK: all 55 partition(s) and 12 file(s) match the manifest") {
		t.Fatalf("re-run: exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	if !strings.Contains(r.Stderr, "Resumed an interrupted run") || !strings.Contains(r.Stderr, "Archived proxy to ") {
		t.Errorf("re-run did not resume and archive:\n%s", r.Stderr)
	}
}

// insertCopy duplicates one row of a partition on the engine.
func insertCopy(t *testing.T, tg target, table, where string, y, m, d int) {
	t.Helper()
	tb, _ := catalog.TableByName(table)
	var cols []string
	for _, c := range tb.Columns {
		cols = append(cols, "`"+c.Name+"`")
	}
	_, db := tg.engine(t)
	q := fmt.Sprintf("INSERT INTO `%s`.`%s` PARTITION (y=%d, m=%d, d=%d) SELECT %s FROM `%s`.`%s` WHERE %s LIMIT 1",
		tg.db, table, y, m, d, strings.Join(cols, ", "), tg.db, table, where)
	if _, err := db.ExecContext(context.Background(), q); err != nil {
		t.Fatal(err)
	}
}

// TestTamperOnCluster changes partitions on the engine: reconcile names the
// table and partition, a re-run reloads only the tampered table, and a
// migration whose reconcile fails archives nothing.
func TestTamperOnCluster(t *testing.T) {
	dir, tg := sample(t), newTarget(t, "c")
	base := append([]string{"--pipelines", "flow", "--staging-db", "spot_c_stg"}, tg.flags()...)
	if r := spot(t, dir, nil, append([]string{"migrate", "--oa-path", "spot-oa", "--no-archive"}, base...)...); r.Code != 0 {
		t.Fatalf("migrate: exit %d\n%s", r.Code, r.Stderr)
	}
	insertCopy(t, tg, "flow_edge", "y = 2016 AND m = 11 AND d = 30", 2016, 11, 30)
	rec := spot(t, dir, nil, append([]string{"reconcile"}, tg.flags()...)...)
	if rec.Code != 4 || !strings.Contains(rec.Stdout, "flow_edge") || !strings.Contains(rec.Stdout, "y=2016/m=11/d=30") ||
		!strings.Contains(rec.Stdout, "rows_differ") {
		t.Fatalf("reconcile of a tampered engine: exit %d\n%s%s", rec.Code, rec.Stdout, rec.Stderr)
	}

	marker := filepath.Join(t.TempDir(), "failpoint")
	cmd, errb := start(t, dir, []string{"SPOTMIGRATE_FAILPOINT=before-reconcile:wait", "SPOTMIGRATE_FAILPOINT_FILE=" + marker},
		append([]string{"migrate", "--oa-path", "spot-oa"}, base...)...)
	waitMarker(t, marker, cmd, errb)
	// flow_edge is the table this run reloads; the six that matched the
	// ledger were checksummed before the load, once, and are left alone.
	insertCopy(t, tg, "flow_edge", "y = 2016 AND m = 11 AND d = 30", 2016, 11, 30)
	os.Remove(marker)
	err := cmd.Wait()
	if cmd.ProcessState.ExitCode() != 4 || !strings.Contains(errb.String(), "Not archived flow: reconcile failed.") {
		t.Fatalf("migrate over a tampered engine: %v\n%s", err, errb.String())
	}
	if _, err := os.Stat(filepath.Join(dir, "spot-oa", "data", "flow", "20161201", "flow_scores.csv")); err != nil {
		t.Errorf("flow was moved despite the failed reconcile: %v", err)
	}
}

// TestHostileValuesOnCluster carries quotes, semicolons, $( and backticks in
// DNS names, anchors and titles through to the engine as data.
func TestHostileValuesOnCluster(t *testing.T) {
	dir, tg := t.TempDir(), newTarget(t, "d")
	day := filepath.Join(dir, "spot-oa", "data", "dns", "20160708")
	os.MkdirAll(day, 0o755)
	hostile := []string{"a'b;DROP TABLE `spot_d`.`dns_edge`;--.com", `x"y$(touch pwned).net`, "back`tick`.org", `semi;colon\'.io`}
	var threats strings.Builder
	threats.WriteString("ip_dst|dns_qry_name|title|summary\n")
	for i, h := range hostile {
		dendro := fmt.Sprintf("total,dns_qry_name,ip_dst,sev\n%d,%s,10.0.0.%d,0\n", i+1, h, i)
		if err := os.WriteFile(filepath.Join(day, "threat-dendro-"+h+".csv"), []byte(dendro), 0o644); err != nil {
			t.Fatal(err)
		}
		fmt.Fprintf(&threats, "|%s|'; DROP DATABASE `%s` CASCADE; -- %d|$(rm -rf /) `id`\\n\"quoted\"\n", h, tg.db, i)
	}
	os.WriteFile(filepath.Join(day, "threats.csv"), []byte(threats.String()), 0o644)
	r := spot(t, dir, nil, append([]string{"migrate", "--oa-path", "spot-oa", "--pipelines", "dns", "--staging-db", "spot_d_stg"}, tg.flags()...)...)
	if r.Code != 0 || !strings.Contains(r.Stdout, "OK: all 2 partition(s) match the manifest") {
		t.Fatalf("migrate: exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	if _, err := os.Stat(filepath.Join(dir, "pwned")); err == nil {
		t.Errorf("a value was executed by a shell")
	}
	// the engine holds the values read back (same checksum) and its tables are all there
	rec := spot(t, dir, nil, append([]string{"reconcile", "--format", "json"}, tg.flags()...)...)
	if rec.Code != 0 || !strings.Contains(rec.Stdout, `"table": "dns_threat_dendro"`) {
		t.Errorf("reconcile: exit %d\n%s", rec.Code, rec.Stdout)
	}
}

// TestCompatFormOnCluster runs the six positional arguments of the original
// migrate_to_spot_1_0.py (with the flags this engine needs first).
func TestCompatFormOnCluster(t *testing.T) {
	dir, tg := sample(t), newTarget(t, "e")
	r := spot(t, dir, nil, "--dialect", "hive", "--hdfs", cluster["HDFS"], "--hdfs-user", "root", "--huser", tg.huser,
		"--ledger-dir", tg.ledger, "proxy", "spot-oa/", "spot_e_stg", tg.staging+"/", tg.db, cluster["HS2"])
	if r.Code != 0 || !strings.Contains(r.Stdout, "OK: all 12 partition(s) and 2 file(s) match the manifest") {
		t.Fatalf("compatibility form: exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
}
