package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"syscall"
	"testing"

	"spotmigrate/archive"
	"spotmigrate/internal/testkit"
)

// crashPoints are the archive steps a crash is tried at, for an archive on
// the same file system and on another one. src-removing@N stops the
// cross-device move after N source files were removed.
var crashPoints = map[string][]string{
	"same-device": {"meta-written", "renamed"},
	"cross-device": {"meta-written", "copied", "copy-synced", "copy-verified", "copy-meta-written", "partial-renamed",
		"src-removing@1", "src-removing@6", "src-removed"},
}

// crossDeviceDir returns a folder on another file system than the test's
// temporary folder (/dev/shm), or "" when there is none.
func crossDeviceDir(t *testing.T) string {
	t.Helper()
	var a, b syscall.Stat_t
	if syscall.Stat(os.TempDir(), &a) != nil || syscall.Stat("/dev/shm", &b) != nil || a.Dev == b.Dev {
		if os.Getenv("SPOTMIGRATE_REQUIRE_XDEV") != "" {
			t.Fatal("no second file system for the cross-device archive (/dev/shm)")
		}
		return ""
	}
	d, err := os.MkdirTemp("/dev/shm", "spotmigrate-xdev-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(d) })
	return d
}

// TestArchiveCrashMatrix crashes migrate (the process exits at once) at
// every archive step, on one file system and across two. After each crash
// either a plain re-run of migrate or a restore must leave no row lost or
// doubled: the re-run ends with every partition exact and every pipeline
// archived byte for byte, a restore then gives back the pristine tree; a
// restore right after the crash gives back the pristine tree too.
func TestArchiveCrashMatrix(t *testing.T) {
	var tried, recovered atomic.Int32
	for dev, points := range crashPoints {
		archiveRoot := ""
		if dev == "cross-device" {
			if archiveRoot = crossDeviceDir(t); archiveRoot == "" {
				t.Log("no second file system: cross-device crashes not tried")
				continue
			}
		}
		for _, fp := range points {
			for _, then := range []string{"migrate", "restore"} {
				t.Run(dev+"/"+fp+"/"+then, func(t *testing.T) {
					t.Parallel()
					tried.Add(1)
					crashCell(t, archiveRoot, fp, then)
					if !t.Failed() {
						recovered.Add(1)
					}
				})
			}
		}
	}
	t.Cleanup(func() { t.Logf("crash points tried: %d, recovered: %d", tried.Load(), recovered.Load()) })
}

func crashCell(t *testing.T, archiveRoot, fp, then string) {
	dir := sampleCopy(t)
	data := filepath.Join(dir, "spot-oa", "data")
	pristine := map[string]string{}
	for _, p := range []string{"flow", "dns", "proxy"} {
		pristine[p] = treeHash(t, filepath.Join(data, p))
	}
	arch := filepath.Join(data, "backup")
	args := []string{"migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb"}
	if archiveRoot != "" {
		var err error
		if arch, err = os.MkdirTemp(archiveRoot, "archive-"); err != nil {
			t.Fatal(err)
		}
		args = append(args, "--archive-dir", arch)
	}
	before, _ := filepath.Glob(filepath.Join(arch, "*")) // the sample has an old backup/
	r := spot(t, dir, []string{"SPOTMIGRATE_FAILPOINT=" + fp + ":crash"}, args...)
	if r.Code != 97 {
		t.Fatalf("crashed run: exit %d, want 97\n%s", r.Code, r.Stderr)
	}
	restore := []string{"restore", "--oa-path", "spot-oa", "--archive-dir", arch}
	if then == "migrate" {
		r = spot(t, dir, nil, args...)
		if r.Code != 0 {
			t.Fatalf("re-run: exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
		}
		checkCounts(t, filepath.Join(dir, "out", "spot.duckdb"))
		for p, want := range pristine {
			if _, err := os.Lstat(filepath.Join(data, p)); err == nil {
				t.Errorf("%s is still in the tree after the re-run", p)
			}
			got := testkit.TreeHashWithout(t, archive.Latest(arch, p), archive.MetaDir)
			if got != want {
				t.Errorf("the archive of %s differs from the original", p)
			}
		}
	}
	if r = spot(t, dir, nil, restore...); r.Code != 0 {
		t.Fatalf("restore: exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	for p, want := range pristine {
		if got := treeHash(t, filepath.Join(data, p)); got != want {
			t.Errorf("%s after restore differs from the original\n%s", p, r.Stdout)
		}
	}
	if left, _ := filepath.Glob(filepath.Join(arch, "*")); strings.Join(left, ",") != strings.Join(before, ",") {
		t.Errorf("the archive folder after restore holds %s, want %s", strings.Join(left, ", "), strings.Join(before, ", "))
	}
}

// TestStatementCrashMatrix crashes migrate before each target statement
// and each file operation of the sample's plan in turn (the numbered lines
// of --verbose), then checks that a plain re-run ends with every partition
// exact, no row doubled, and every pipeline archived byte for byte.
func TestStatementCrashMatrix(t *testing.T) {
	dir := sampleCopy(t)
	r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--verbose")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	count := map[string]int{}
	for _, l := range strings.Split(r.Stdout, "\n") {
		if f := strings.Fields(l); len(f) > 1 && strings.HasSuffix(f[0], ".") {
			switch f[1] {
			case "target":
				count["statement"]++
			case "fs", "hdfs", "copy":
				count["op"]++
			}
		}
	}
	if count["statement"] < 100 || count["op"] < 4 {
		t.Fatalf("the plan has %d statement(s) and %d file operation(s); want at least 100 and 4", count["statement"], count["op"])
	}
	var tried, recovered atomic.Int32
	for kind, n := range count {
		for i := 1; i <= n; i++ {
			t.Run(fmt.Sprintf("%s@%d", kind, i), func(t *testing.T) {
				t.Parallel()
				tried.Add(1)
				crashAndRerun(t, fmt.Sprintf("%s@%d", kind, i))
				if !t.Failed() {
					recovered.Add(1)
				}
			})
		}
	}
	t.Cleanup(func() { t.Logf("crash points tried: %d, recovered: %d", tried.Load(), recovered.Load()) })
}

func crashAndRerun(t *testing.T, fp string) {
	dir := sampleCopy(t)
	data := filepath.Join(dir, "spot-oa", "data")
	pristine := map[string]string{}
	for _, p := range []string{"flow", "dns", "proxy"} {
		pristine[p] = treeHash(t, filepath.Join(data, p))
	}
	args := []string{"migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb"}
	if r := spot(t, dir, []string{"SPOTMIGRATE_FAILPOINT=" + fp + ":crash"}, args...); r.Code != 97 {
		t.Fatalf("crashed run: exit %d, want 97\n%s", r.Code, r.Stderr)
	}
	if r := spot(t, dir, nil, args...); r.Code != 0 {
		t.Fatalf("re-run: exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	checkCounts(t, filepath.Join(dir, "out", "spot.duckdb"))
	for p, want := range pristine {
		if got := testkit.TreeHashWithout(t, archive.Latest(filepath.Join(data, "backup"), p), archive.MetaDir); got != want {
			t.Errorf("the archive of %s differs from the original", p)
		}
	}
}
