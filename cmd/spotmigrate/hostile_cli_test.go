package main

import (
	"bytes"
	"errors"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"spotmigrate/archive"
	"spotmigrate/internal/testkit"
)

// hostileCase is one entry of the hostile-tree corpus: how the sample tree
// is spoiled, the command run on it, its exit code, what its output must
// say, and what must hold afterwards.
type hostileCase struct {
	name  string
	setup func(t *testing.T, dir string)
	// run runs the command; nil runs migrate on the embedded target.
	run   func(t *testing.T, dir string) testkit.Result
	code  int
	want  []string
	check func(t *testing.T, dir string)
}

func dataPath(dir string, parts ...string) string {
	return filepath.Join(append([]string{dir, "spot-oa", "data"}, parts...)...)
}

var migrateArgs = []string{"migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb"}

// appendLine appends a line to a file of the tree, ending it as the file's
// lines end (CRLF or LF).
func appendLine(t *testing.T, path, line string) {
	t.Helper()
	if b, _ := os.ReadFile(path); bytes.Contains(b, []byte("\r\n")) {
		line += "\r"
	}
	appendRaw(t, path, line)
}

// appendRaw appends line and LF to a file of the tree.
func appendRaw(t *testing.T, path, line string) {
	t.Helper()
	f, err := os.OpenFile(path, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := f.WriteString(line + "\n"); err != nil {
		t.Fatal(err)
	}
}

// stillInTree fails unless the pipeline folder is still in the tree.
func stillInTree(pipe string) func(t *testing.T, dir string) {
	return func(t *testing.T, dir string) {
		t.Helper()
		if _, err := os.Stat(dataPath(dir, pipe)); err != nil {
			t.Errorf("%s left the tree: %v", pipe, err)
		}
	}
}

// longLine is a flow_scores row whose first field is n bytes long.
func longLine(n int) string { return strings.Repeat("x", n) + strings.Repeat(",1", 20) }

func hostileCases() []hostileCase {
	flowScores := func(dir string) string { return dataPath(dir, "flow", "20161010", "flow_scores.csv") }
	return []hostileCase{
		{name: "edge files deleted between runs (a half-deleted source)",
			setup: func(t *testing.T, dir string) {
				if r := spot(t, dir, nil, append(migrateArgs, "--no-archive")...); r.Code != 0 {
					t.Fatalf("first run: exit %d\n%s", r.Code, r.Stderr)
				}
				edges, _ := filepath.Glob(dataPath(dir, "flow", "20161010", "edge-*"))
				for _, e := range edges[:2] {
					os.Remove(e)
				}
			},
			code: exitUsage, want: []string{"2 file(s) differ from the run this target was migrated from", "flow/20161010/edge-", "is gone", "--accept-tree-change"}},
		{name: "a 40 MiB line", setup: func(t *testing.T, dir string) { appendLine(t, flowScores(dir), longLine(40<<20)) },
			code: exitRejects, want: []string{"flow/20161010/flow_scores.csv", "longer than", "Not archived flow"}, check: stillInTree("flow")},
		{name: "a 3 MiB line", setup: func(t *testing.T, dir string) { appendLine(t, flowScores(dir), longLine(3<<20)) },
			code: exitRejects, want: []string{"flow/20161010/flow_scores.csv:", "line longer than 2000000 bytes", "Not archived flow"}, check: stillInTree("flow")},
		{name: "an LF line at the end of a CRLF file", setup: func(t *testing.T, dir string) { appendRaw(t, flowScores(dir), longLine(10)) },
			code: exitRejects, want: []string{"flow/20161010/flow_scores.csv: the reader cannot parse this file", "some of its lines end in CRLF, others in LF", "Not archived flow"},
			check: stillInTree("flow")},
		{name: "a file changed between validate and archive", run: func(t *testing.T, dir string) testkit.Result {
			// proxy is the third pipeline archived
			return paused(t, dir, "before-archive@3", func() {
				appendLine(t, dataPath(dir, "proxy", "20161020", "threats.csv"), "10.1.1.1|late|added while migrating")
			}, migrateArgs...)
		}, code: exitRejects, want: []string{"Not archived proxy: its folder changed since it was validated", "20161020/threats.csv changed since it was validated"},
			check: stillInTree("proxy")},
		{name: "a file rewritten at the same size between validate and archive", run: func(t *testing.T, dir string) testkit.Result {
			return paused(t, dir, "before-archive@3", func() {
				p := dataPath(dir, "proxy", "20161020", "threats.csv")
				b, _ := os.ReadFile(p)
				os.WriteFile(p, bytes.ToUpper(b), 0o644)
				later := time.Now().Add(time.Second)
				os.Chtimes(p, later, later)
			}, migrateArgs...)
		}, code: exitRejects, want: []string{"Not archived proxy: its folder changed since it was validated", "20161020/threats.csv changed since it was validated (modified "},
			check: stillInTree("proxy")},
		{name: "a pipeline folder removed between runs",
			setup: func(t *testing.T, dir string) {
				if r := spot(t, dir, nil, append(migrateArgs, "--no-archive")...); r.Code != 0 {
					t.Fatalf("first run: exit %d\n%s", r.Code, r.Stderr)
				}
				os.Rename(dataPath(dir, "dns"), filepath.Join(dir, "dns-elsewhere"))
			},
			code: exitUsage, want: []string{"dns/", "is gone", "Put the files back"}},
		{name: "a crash between the archive rename and the ledger", setup: func(t *testing.T, dir string) {
			if r := spot(t, dir, []string{"SPOTMIGRATE_FAILPOINT=renamed:crash"}, migrateArgs...); r.Code != 97 {
				t.Fatalf("crashed run: exit %d\n%s", r.Code, r.Stderr)
			}
		}, code: exitOK, want: []string{"Recovered the interrupted archive of flow (archived).", "OK: all "}},
		{name: "a FIFO named like a data file", setup: func(t *testing.T, dir string) {
			if err := syscall.Mkfifo(dataPath(dir, "dns", "20160712", "dns_scores_2.csv"), 0o644); err != nil {
				t.Fatal(err)
			}
			os.Remove(dataPath(dir, "dns", "20160712", "dns_scores.csv"))
			if err := syscall.Mkfifo(dataPath(dir, "dns", "20160712", "dns_scores.csv"), 0o644); err != nil {
				t.Fatal(err)
			}
		}, run: validateRun, code: exitOK, want: []string{"dns/20160712/dns_scores.csv: not a regular file (a FIFO, socket or device), not read"}},
		{name: "a socket in a day folder", setup: func(t *testing.T, dir string) {
			l, err := net.Listen("unix", dataPath(dir, "proxy", "20161020", "proxy_scores_x.tsv"))
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { l.Close() })
		}, run: validateRun, code: exitOK, want: []string{"proxy/20161020/proxy_scores_x.tsv: not a regular file (a FIFO, socket or device), not read"}},
		{name: "a non-UTF-8 data file name", setup: func(t *testing.T, dir string) {
			b, _ := os.ReadFile(dataPath(dir, "dns", "20160712", "edge-www.wikipedia.org_08_00.csv"))
			os.WriteFile(dataPath(dir, "dns", "20160712", "edge-www.wiki\xffpedia.org_08_00.csv"), b, 0o644)
		}, code: exitRejects, want: []string{`dns/20160712/edge-www.wiki\xffpedia.org_08_00.csv: the file name is not valid UTF-8; rename it to migrate it`, "Not archived dns"},
			check: stillInTree("dns")},
		{name: "a non-UTF-8 folder name archived and restored", setup: func(t *testing.T, dir string) {
			os.MkdirAll(dataPath(dir, "proxy", "notes-\xfe\xff"), 0o755)
			os.WriteFile(dataPath(dir, "proxy", "notes-\xfe\xff", "n\x80.txt"), []byte("kept byte for byte"), 0o644)
		}, code: exitOK, want: []string{"Archived proxy to "},
			check: func(t *testing.T, dir string) {
				if r := spot(t, dir, nil, "restore", "--oa-path", "spot-oa"); r.Code != 0 {
					t.Fatalf("restore: exit %d\n%s", r.Code, r.Stderr)
				}
				if b, err := os.ReadFile(dataPath(dir, "proxy", "notes-\xfe\xff", "n\x80.txt")); err != nil || string(b) != "kept byte for byte" {
					t.Errorf("the non-UTF-8 folder did not come back: %q, %v", b, err)
				}
			}},
		{name: "a day folder linked out of the tree", setup: linkDayOut, code: exitRejects,
			want: []string{"dns/20170101: a symbolic link to ", "outside the dns folder (use --follow-symlinks to read it)", "Not archived dns"}, check: stillInTree("dns")},
		{name: "a day folder linked out of the tree, followed", setup: linkDayOut,
			run: func(t *testing.T, dir string) testkit.Result {
				return spot(t, dir, nil, append(migrateArgs, "--follow-symlinks")...)
			}, code: exitOK, want: []string{"Archived dns to "},
			check: func(t *testing.T, dir string) {
				day := filepath.Join(archive.Latest(dataPath(dir, "backup"), "dns"), "20170101")
				if st, err := os.Lstat(day); err != nil || !st.IsDir() {
					t.Fatalf("the archive holds no copy of the linked day folder: %v", err)
				}
				if _, err := os.Stat(filepath.Join(dir, "elsewhere", "20170101", "dns_scores.csv")); err != nil {
					t.Errorf("the link's target was touched: %v", err)
				}
			}},
		{name: "a truncated ledger", setup: func(t *testing.T, dir string) {
			migrated(t, dir)
			p := filepath.Join(dir, "out", "spot.duckdb.ledger.json")
			b, _ := os.ReadFile(p)
			os.WriteFile(p, b[:len(b)/3], 0o644)
		}, code: exitUsage, want: []string{"the ledger is damaged", "--rebuild-ledger"}},
		{name: "a SQLite file as target", setup: func(t *testing.T, dir string) {
			os.MkdirAll(filepath.Join(dir, "out"), 0o755)
			os.WriteFile(filepath.Join(dir, "out", "spot.duckdb"), sqliteHeader, 0o644)
		}, code: exitUsage, want: []string{"not a DuckDB database file"}, check: stillInTree("flow")},
	}
}

// linkDayOut moves a dns day folder out of the tree and links it back.
func linkDayOut(t *testing.T, dir string) {
	out := filepath.Join(dir, "elsewhere", "20170101")
	os.MkdirAll(filepath.Dir(out), 0o755)
	if err := os.Rename(dataPath(dir, "dns", "20160712"), out); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(out, dataPath(dir, "dns", "20170101")); err != nil {
		t.Fatal(err)
	}
}

func validateRun(t *testing.T, dir string) testkit.Result {
	return spot(t, dir, nil, "validate", "--oa-path", "spot-oa")
}

// TestHostileTrees runs the hostile-tree corpus: every case exits with its
// code, says what it must, and neither crashes, hangs nor loses a file.
func TestHostileTrees(t *testing.T) {
	for _, c := range hostileCases() {
		t.Run(c.name, func(t *testing.T) {
			dir := sampleCopy(t)
			if c.setup != nil {
				c.setup(t, dir)
			}
			run := c.run
			if run == nil {
				run = func(t *testing.T, dir string) testkit.Result { return spot(t, dir, nil, migrateArgs...) }
			}
			r := run(t, dir)
			if r.Code != c.code {
				t.Fatalf("exit %d, want %d\n%s\n%s", r.Code, c.code, r.Stdout, r.Stderr)
			}
			out := r.Stdout + r.Stderr
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("output lacks %q:\n%s", w, out)
				}
			}
			if c.check != nil {
				c.check(t, dir)
			}
		})
	}
}

// paused runs the binary with the failpoint fp in wait mode: act runs while
// the run waits there, then the run goes on.
func paused(t *testing.T, dir, fp string, act func(), args ...string) testkit.Result {
	t.Helper()
	marker := filepath.Join(dir, "failpoint.marker")
	cmd := testkit.Command(bin, dir, []string{"SPOTMIGRATE_FAILPOINT=" + fp + ":wait", "SPOTMIGRATE_FAILPOINT_FILE=" + marker}, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	for deadline := time.Now().Add(time.Minute); ; time.Sleep(50 * time.Millisecond) {
		if _, err := os.Stat(marker); err == nil {
			break
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			t.Fatalf("the run never reached %s\n%s", fp, errb.String())
		}
	}
	act()
	os.Remove(marker)
	err := cmd.Wait()
	r := testkit.Result{Stdout: out.String(), Stderr: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.Code = ee.ExitCode()
	} else if err != nil {
		t.Fatal(err)
	}
	return r
}
