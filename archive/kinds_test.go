package archive

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestEntryJSON(t *testing.T) {
	cases := []struct {
		name, path string
		wantBytes  bool
	}{
		{"utf-8", "sub/é.csv", false},
		{"invalid byte in file", "bad\xff\xfename.csv", true},
		{"invalid byte in folder", "dir\x80/x", true},
		{"replacement character itself", "a\uFFFDb", false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := []Entry{{Path: c.path, Bytes: 3, SHA256: sum("abc")}}
			b, err := json.Marshal(in)
			if err != nil {
				t.Fatal(err)
			}
			if got := strings.Contains(string(b), `"path_bytes"`); got != c.wantBytes {
				t.Errorf("JSON %s has path_bytes: %v, want %v", b, got, c.wantBytes)
			}
			var out []Entry
			if err := json.Unmarshal(b, &out); err != nil {
				t.Fatal(err)
			}
			if len(out) != 1 || out[0] != in[0] {
				t.Errorf("round trip = %+v, want %+v", out, in)
			}
		})
	}
}

// TestNamesAsBytes archives and restores names that are not valid UTF-8,
// byte for byte, by a rename and by a copy.
func TestNamesAsBytes(t *testing.T) {
	for _, mode := range crashModes {
		t.Run(mode.name, func(t *testing.T) {
			src, dst := richSetup(t, mode.prepare(t))
			pristine := snapshot(t, src)
			if err := Move(src, dst, nil, crashMeta); err != nil {
				t.Fatal(err)
			}
			b, err := os.ReadFile(filepath.Join(dst, MetaDir, "files.json"))
			if err != nil || !strings.Contains(string(b), `"path_bytes"`) {
				t.Errorf("files.json has no path_bytes (%v): %s", err, b)
			}
			if err := Verify(dst, readInventory(t, dst)); err != nil {
				t.Fatal(err)
			}
			if err := Restore(dst, src); err != nil {
				t.Fatal(err)
			}
			sameTree(t, "restored tree", snapshot(t, src), pristine)
		})
	}
}

// linkSetup writes tree to <tmp>/oa/data/flow with symbolic links to a
// file and a folder outside it and to a file and a folder inside it, and
// returns the outside folder and the tree the archive must hold.
func linkSetup(t *testing.T, src string) (outside string, want map[string]string) {
	t.Helper()
	outside = filepath.Join(filepath.Dir(filepath.Dir(filepath.Dir(src))), "outside")
	writeTree(t, outside, map[string]string{"ext.txt": "external", "extdir/f1": "one", "extdir/sub/f2": "two"})
	links := map[string]string{
		"ext.txt":  filepath.Join(outside, "ext.txt"),
		"extdir":   "../../../outside/extdir",
		"alias":    "a.txt",
		"subalias": "sub",
	}
	for name, target := range links {
		if err := os.Symlink(target, filepath.Join(src, name)); err != nil {
			t.Fatal(err)
		}
	}
	ref := t.TempDir()
	writeTree(t, ref, tree)
	writeTree(t, ref, map[string]string{
		"ext.txt": "external", "extdir/f1": "one", "extdir/sub/f2": "two",
		"alias": tree["a.txt"], "subalias/b.bin": tree["sub/b.bin"], "subalias/deep/c": tree["sub/deep/c"],
	})
	return outside, snapshot(t, ref)
}

func TestMoveRefusesSymlink(t *testing.T) {
	cases := []struct{ name, target string }{
		{"to a file inside", "a.txt"},
		{"to a folder outside", "/"},
		{"dangling", "nowhere"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src, dst := setup(t)
			if err := os.Symlink(c.target, filepath.Join(src, "sub", "link")); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, src)
			errorIs(t, Move(src, dst, nil, nil), "failed to archive "+src+": sub/link is a symbolic link")
			sameTree(t, "source", snapshot(t, src), before)
			mustExist(t, dst, false)
			_, err := Inventory(src)
			errorIs(t, err, "sub/link is a symbolic link")
		})
	}
}

// TestMoveFollowSymlinks archives the content of links, leaves what they
// point to alone, and survives a crash during the removal of the source.
func TestMoveFollowSymlinks(t *testing.T) {
	points := []crashPoint{{"", 0}, {"partial-renamed", 1}, {"src-removed", 1}}
	for n := 1; n <= 7; n++ { // 4 links and 3 files
		points = append(points, crashPoint{"src-removing", n})
	}
	for _, mode := range crashModes {
		for _, cp := range points {
			t.Run(mode.name+"/"+cp.String(), func(t *testing.T) {
				followOnce(t, mode, cp)
			})
		}
	}
}

func followOnce(t *testing.T, mode crashMode, cp crashPoint) {
	src, dst := setup(t)
	if root := mode.prepare(t); root != "" {
		dst = filepath.Join(root, "archive", "flow")
	}
	outside, want := linkSetup(t, src)
	outsideBefore := snapshot(t, outside)
	known := append(knownOf("a.txt"), entry("extdir/f1", "one"))
	crashAt(t, cp.step, cp.nth)
	err := MoveWith(src, dst, known, nil, Options{FollowSymlinks: true})
	noCrash()
	if cp.step != "" {
		errorIs(t, err, errCrash.Error())
		if st, err := Recover(src, dst); err != nil || st != Archived {
			t.Fatalf("Recover = %v, %v, want archived", st, err)
		}
	} else if err != nil {
		t.Fatal(err)
	}
	sameTree(t, "archive", withoutMeta(snapshot(t, dst)), want)
	sameTree(t, "outside the tree", snapshot(t, outside), outsideBefore)
	mustExist(t, src, false)
	if err := Restore(dst, src); err != nil {
		t.Fatal(err)
	}
	sameTree(t, "restored", snapshot(t, src), want)
}

func TestMoveFollowSymlinksChangedContent(t *testing.T) {
	src, dst := setup(t)
	linkSetup(t, src)
	known := []Entry{{Path: "ext.txt", Bytes: int64(len("external")), SHA256: sum("EXTERNAL")}}
	before := snapshot(t, src)
	err := MoveWith(src, dst, known, nil, Options{FollowSymlinks: true})
	errorIs(t, err, "failed to verify "+dst+".partial: ext.txt differs")
	sameTree(t, "source", snapshot(t, src), before)
	mustExist(t, dst, false)
	mustExist(t, dst+".partial", false)
}

func TestMoveFollowSymlinkLoop(t *testing.T) {
	src, dst := setup(t)
	if err := os.Symlink("..", filepath.Join(src, "sub", "up")); err != nil {
		t.Fatal(err)
	}
	errorIs(t, MoveWith(src, dst, nil, nil, Options{FollowSymlinks: true}), "sub/up is a symbolic link loop")
	mustExist(t, filepath.Join(src, MetaDir), false)
}

// TestMoveFollowWithoutLinksRenames: with nothing to follow, the folder is
// still renamed rather than copied.
func TestMoveFollowWithoutLinksRenames(t *testing.T) {
	src, dst := setup(t)
	renames := countRenames(t)
	if err := MoveWith(src, dst, nil, nil, Options{FollowSymlinks: true}); err != nil {
		t.Fatal(err)
	}
	if *renames != 1 {
		t.Errorf("renames = %d, want 1", *renames)
	}
	sameTree(t, "archive", withoutMeta(readTree(t, dst)), tree)
}

// TestMoveRefusesFIFO: a named pipe is never opened (that would block) and
// blocks the archive, naming it.
func TestMoveRefusesFIFO(t *testing.T) {
	cases := []struct {
		name   string
		xdev   bool
		follow bool
		wantIn string
	}{
		{"same fs", false, false, "sub/pipe is a named pipe (FIFO)"},
		{"cross device", true, false, "sub/pipe is a named pipe (FIFO)"},
		{"through a followed link", false, true, "pipelink is a named pipe (FIFO)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.xdev {
				forceXDEV(t)
			}
			src, dst := setup(t)
			fifo := filepath.Join(src, "sub", "pipe")
			if c.follow {
				fifo = filepath.Join(t.TempDir(), "pipe")
				if err := os.Symlink(fifo, filepath.Join(src, "pipelink")); err != nil {
					t.Fatal(err)
				}
			}
			if err := syscall.Mkfifo(fifo, 0o644); err != nil {
				t.Fatal(err)
			}
			before := snapshot(t, src)
			errorIs(t, withTimeout(t, func() error {
				return MoveWith(src, dst, nil, nil, Options{FollowSymlinks: c.follow})
			}), c.wantIn)
			sameTree(t, "source", snapshot(t, src), before)
			mustExist(t, dst, false)
		})
	}
}

func TestVerifyRefusesFIFO(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, tree)
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Fatal(err)
	}
	errorIs(t, withTimeout(t, func() error { return Verify(dir, nil) }), "pipe is a named pipe (FIFO)")
}

// withTimeout runs fn, failing the test if it blocks for 10 seconds.
func withTimeout(t *testing.T, fn func() error) error {
	t.Helper()
	done := make(chan error, 1)
	go func() { done <- fn() }()
	select {
	case err := <-done:
		return err
	case <-time.After(10 * time.Second):
		t.Fatal("blocked: a FIFO was opened")
		return nil
	}
}

// TestMoveFollowRootLink: a pipeline folder that is itself a link is
// archived as content, and the folder it points to is left as it was.
func TestMoveFollowRootLink(t *testing.T) {
	tmp := t.TempDir()
	real := filepath.Join(tmp, "big", "flow")
	writeTree(t, real, tree)
	before := snapshot(t, real)
	src, dst := filepath.Join(tmp, "oa", "data", "flow"), filepath.Join(tmp, "archive", "flow")
	if err := os.MkdirAll(filepath.Dir(src), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink(real, src); err != nil {
		t.Fatal(err)
	}
	errorIs(t, Move(src, dst, nil, nil), src+" is a symbolic link")
	renames := countRenames(t)
	if err := MoveWith(src, dst, nil, nil, Options{FollowSymlinks: true}); err != nil {
		t.Fatal(err)
	}
	if *renames != 0 {
		t.Errorf("renames = %d, want 0 (a rename would move the link)", *renames)
	}
	sameTree(t, "archive", withoutMeta(readTree(t, dst)), tree)
	sameTree(t, "the linked folder", snapshot(t, real), before)
	mustExist(t, src, false)
}
