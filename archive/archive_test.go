package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"syscall"
	"testing"
)

// tree is the test pipeline folder: slash path → content.
var tree = map[string]string{
	"a.txt":      "alpha",
	"sub/b.bin":  "bravo\x00\x01",
	"sub/deep/c": "charlie",
}

func sum(s string) string {
	h := sha256.Sum256([]byte(s))
	return hex.EncodeToString(h[:])
}

func entry(p, content string) Entry {
	return Entry{Path: p, Bytes: int64(len(content)), SHA256: sum(content)}
}

// knownOf returns the validated entries of tree for the given paths.
func knownOf(paths ...string) []Entry {
	var out []Entry
	for _, p := range paths {
		out = append(out, entry(p, tree[p]))
	}
	return out
}

func writeTree(t *testing.T, dir string, files map[string]string) {
	t.Helper()
	for p, content := range files {
		full := filepath.Join(dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// readTree returns every regular file under dir (slash path → content),
// MetaDir included.
func readTree(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		b, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		out[filepath.ToSlash(rel)] = string(b)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// withoutMeta returns files without the entries under MetaDir.
func withoutMeta(files map[string]string) map[string]string {
	out := map[string]string{}
	for p, c := range files {
		if !strings.HasPrefix(p, MetaDir+"/") {
			out[p] = c
		}
	}
	return out
}

func mustExist(t *testing.T, p string, want bool) {
	t.Helper()
	if got := exists(p); got != want {
		t.Errorf("exists(%s) = %v, want %v", p, got, want)
	}
}

func sameTree(t *testing.T, what string, got, want map[string]string) {
	t.Helper()
	if !reflect.DeepEqual(got, want) {
		t.Errorf("%s:\n got  %q\n want %q", what, got, want)
	}
}

func errorIs(t *testing.T, err error, want string) {
	t.Helper()
	if err == nil {
		t.Fatalf("error = nil, want %q", want)
	}
	if !strings.Contains(err.Error(), want) {
		t.Fatalf("error = %q, want it to contain %q", err, want)
	}
}

// forceXDEV makes every rename through the package variable fail with EXDEV
// for the rest of the test, as between two file systems.
func forceXDEV(t *testing.T) {
	t.Helper()
	old := rename
	rename = func(from, to string) error {
		return &os.LinkError{Op: "rename", Old: from, New: to, Err: syscall.EXDEV}
	}
	t.Cleanup(func() { rename = old })
}

// countRenames counts the calls of the package rename for the rest of the
// test, passing them on to the current one.
func countRenames(t *testing.T) *int {
	t.Helper()
	old, n := rename, new(int)
	rename = func(from, to string) error { *n++; return old(from, to) }
	t.Cleanup(func() { rename = old })
	return n
}

func readInventory(t *testing.T, dir string) []Entry {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, MetaDir, "files.json"))
	if err != nil {
		t.Fatal(err)
	}
	var inv []Entry
	if err := json.Unmarshal(b, &inv); err != nil {
		t.Fatal(err)
	}
	return inv
}

// setup writes tree to <tmp>/oa/data/flow and returns it with the archive
// destination <tmp>/archive/flow.
func setup(t *testing.T) (src, dst string) {
	t.Helper()
	tmp := t.TempDir()
	src = filepath.Join(tmp, "oa", "data", "flow")
	writeTree(t, src, tree)
	return src, filepath.Join(tmp, "archive", "flow")
}

// checkArchived asserts that src was moved to dst whole, with want in
// files.json and meta written.
func checkArchived(t *testing.T, src, dst string, want []Entry, meta map[string][]byte) {
	t.Helper()
	files := readTree(t, dst)
	sameTree(t, "archived files", withoutMeta(files), tree)
	if got := readInventory(t, dst); !reflect.DeepEqual(got, want) {
		t.Errorf("files.json = %+v, want %+v", got, want)
	}
	for name, content := range meta {
		if got := files[MetaDir+"/"+name]; got != string(content) {
			t.Errorf("meta %s = %q, want %q", name, got, content)
		}
	}
	mustExist(t, src, false)
	mustExist(t, dst+".partial", false)
}

func TestMove(t *testing.T) {
	want := []Entry{entry("a.txt", tree["a.txt"]), entry("sub/b.bin", tree["sub/b.bin"]), entry("sub/deep/c", tree["sub/deep/c"])}
	cases := []struct {
		name  string
		xdev  bool
		known []Entry
	}{
		{"same fs, partly known", false, knownOf("a.txt", "sub/b.bin")},
		{"same fs, nothing known", false, nil},
		{"cross device, partly known", true, knownOf("a.txt", "sub/b.bin")},
		{"cross device, all known", true, knownOf("a.txt", "sub/b.bin", "sub/deep/c")},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.xdev {
				forceXDEV(t)
			}
			src, dst := setup(t)
			meta := map[string][]byte{"manifest.json": []byte(`{"m":1}`), "reconcile.txt": []byte("ok\n")}
			if err := Move(src, dst, c.known, meta); err != nil {
				t.Fatal(err)
			}
			checkArchived(t, src, dst, want, meta)
			if len(meta) != 2 {
				t.Errorf("Move changed the caller's meta map: %v", meta)
			}
		})
	}
}

// TestMoveRenameTrustsKnown shows that a rename is not verified again: the
// validated sha256 goes into files.json as it is, without reading the file.
func TestMoveRenameTrustsKnown(t *testing.T) {
	src, dst := setup(t)
	renames := countRenames(t)
	fake := Entry{Path: "a.txt", Bytes: int64(len(tree["a.txt"])), SHA256: strings.Repeat("ab", 32)}
	if err := Move(src, dst, []Entry{fake}, nil); err != nil {
		t.Fatal(err)
	}
	want := []Entry{fake, entry("sub/b.bin", tree["sub/b.bin"]), entry("sub/deep/c", tree["sub/deep/c"])}
	checkArchived(t, src, dst, want, nil)
	if *renames != 1 {
		t.Errorf("renames = %d, want 1", *renames)
	}
}

func TestMoveRejects(t *testing.T) {
	cases := []struct {
		name    string
		xdev    bool
		known   func(t *testing.T, src string) []Entry
		wantErr func(src, dst string) string
	}{
		{
			name: "known file grew",
			known: func(t *testing.T, src string) []Entry {
				writeTree(t, src, map[string]string{"a.txt": "alpha!"})
				return knownOf("a.txt")
			},
			wantErr: func(src, _ string) string {
				return "failed to archive " + src + ": a.txt changed since it was validated (6 bytes, validated 5)"
			},
		},
		{
			name: "known file is gone",
			known: func(t *testing.T, src string) []Entry {
				return append(knownOf("a.txt"), entry("sub/gone.txt", "x"))
			},
			wantErr: func(src, _ string) string {
				return "failed to archive " + src + ": sub/gone.txt is gone since it was validated"
			},
		},
		{
			name: "content changed, same size, cross device",
			xdev: true,
			known: func(t *testing.T, src string) []Entry {
				writeTree(t, src, map[string]string{"sub/b.bin": "BRAVO\x00\x01"})
				return knownOf("a.txt", "sub/b.bin")
			},
			wantErr: func(_, dst string) string {
				return "failed to verify " + dst + ".partial: sub/b.bin differs"
			},
		},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.xdev {
				forceXDEV(t)
			}
			src, dst := setup(t)
			known := c.known(t, src)
			before := readTree(t, src)
			errorIs(t, Move(src, dst, known, nil), c.wantErr(src, dst))
			sameTree(t, "source after a failed move", readTree(t, src), before)
			mustExist(t, dst, false)
			mustExist(t, dst+".partial", false)
		})
	}
}

func TestMoveDestinationExists(t *testing.T) {
	cases := []struct {
		name string
		make func(dst string) error
	}{
		{"folder", func(dst string) error { return os.MkdirAll(dst, 0o755) }},
		{"file", func(dst string) error { return os.WriteFile(dst, []byte("old"), 0o644) }},
		{"dangling symlink", func(dst string) error { return os.Symlink("nowhere", dst) }},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src, dst := setup(t)
			if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
				t.Fatal(err)
			}
			if err := c.make(dst); err != nil {
				t.Fatal(err)
			}
			errorIs(t, Move(src, dst, nil, nil), "failed to archive "+src+": "+dst+" already exists")
			sameTree(t, "source", readTree(t, src), tree)
			entries, err := os.ReadDir(filepath.Dir(dst))
			if err != nil || len(entries) != 1 {
				t.Errorf("archive folder holds %v (%v), want only the old %s", entries, err, dst)
			}
		})
	}
}

// skipOrFail skips, or fails when SPOTMIGRATE_REQUIRE_XDEV is set.
func skipOrFail(t *testing.T, msg string) {
	t.Helper()
	if os.Getenv("SPOTMIGRATE_REQUIRE_XDEV") != "" {
		t.Fatal(msg + " (SPOTMIGRATE_REQUIRE_XDEV is set)")
	}
	t.Skip(msg + "; set SPOTMIGRATE_REQUIRE_XDEV=1 to make this a failure")
}

// shmDir returns a fresh folder under /dev/shm, removed after the test, if
// a rename from the test's temporary folder to it fails with EXDEV.
func shmDir(t *testing.T) string {
	t.Helper()
	dir, err := os.MkdirTemp("/dev/shm", "spotmigrate-archive-test-")
	if err != nil {
		skipOrFail(t, "no real cross-device move: cannot use /dev/shm: "+err.Error())
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	probe := filepath.Join(t.TempDir(), "probe")
	if err := os.WriteFile(probe, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	err = os.Rename(probe, filepath.Join(dir, "probe"))
	switch {
	case err == nil:
		skipOrFail(t, "no real cross-device move: /dev/shm is on the same file system as "+os.TempDir())
	case !errors.Is(err, syscall.EXDEV):
		t.Fatalf("failed to probe /dev/shm: %v", err)
	}
	return dir
}

func TestMoveRealCrossDevice(t *testing.T) {
	shm := shmDir(t)
	src, _ := setup(t)
	dst := filepath.Join(shm, "archive", "flow")
	var sawXDEV bool
	old := rename
	rename = func(from, to string) error {
		err := old(from, to)
		sawXDEV = sawXDEV || errors.Is(err, syscall.EXDEV)
		return err
	}
	t.Cleanup(func() { rename = old })
	if err := Move(src, dst, knownOf("a.txt"), map[string][]byte{"manifest.json": []byte("{}")}); err != nil {
		t.Fatal(err)
	}
	if !sawXDEV {
		t.Error("the rename did not fail with EXDEV: the copy path was not taken")
	}
	want := []Entry{entry("a.txt", tree["a.txt"]), entry("sub/b.bin", tree["sub/b.bin"]), entry("sub/deep/c", tree["sub/deep/c"])}
	checkArchived(t, src, dst, want, map[string][]byte{"manifest.json": []byte("{}")})
	if err := Restore(dst, src); err != nil {
		t.Fatal(err)
	}
	sameTree(t, "restored across devices", readTree(t, src), tree)
	mustExist(t, dst, false)
}

func TestRestore(t *testing.T) {
	for _, xdev := range []bool{false, true} {
		t.Run(map[bool]string{false: "same fs", true: "cross device"}[xdev], func(t *testing.T) {
			if xdev {
				forceXDEV(t)
			}
			src, dst := setup(t)
			if err := Move(src, dst, knownOf("a.txt"), map[string][]byte{"manifest.json": []byte("{}")}); err != nil {
				t.Fatal(err)
			}
			if err := Restore(dst, src); err != nil {
				t.Fatal(err)
			}
			sameTree(t, "restored tree", readTree(t, src), tree)
			mustExist(t, dst, false)
			mustExist(t, dst+MetaDir, false)
			mustExist(t, src+".partial", false)
		})
	}
}

func TestRestoreTampered(t *testing.T) {
	cases := []struct {
		name    string
		tamper  func(dst string) error
		wantErr string
	}{
		{"one byte changed", func(dst string) error {
			return os.WriteFile(filepath.Join(dst, "sub", "deep", "c"), []byte("charliE"), 0o644)
		}, "sub/deep/c differs"},
		{"file removed", func(dst string) error {
			return os.Remove(filepath.Join(dst, "a.txt"))
		}, "a.txt is missing"},
		{"file added", func(dst string) error {
			return os.WriteFile(filepath.Join(dst, "sub", "new.txt"), []byte("x"), 0o644)
		}, "unexpected file sub/new.txt"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src, dst := setup(t)
			if err := Move(src, dst, nil, nil); err != nil {
				t.Fatal(err)
			}
			if err := c.tamper(dst); err != nil {
				t.Fatal(err)
			}
			before := readTree(t, dst)
			errorIs(t, Restore(dst, src), "failed to verify "+dst+": "+c.wantErr)
			sameTree(t, "archive after a failed restore", readTree(t, dst), before)
			mustExist(t, src, false)
		})
	}
}

func TestFreeName(t *testing.T) {
	dir := t.TempDir()
	for _, want := range []string{"flow", "flow.2", "flow.3"} {
		got := FreeName(dir, "flow")
		if got != filepath.Join(dir, want) {
			t.Fatalf("FreeName = %s, want %s", got, filepath.Join(dir, want))
		}
		if err := os.Mkdir(got, 0o755); err != nil {
			t.Fatal(err)
		}
	}
}

func TestLatest(t *testing.T) {
	cases := []struct {
		name     string
		archives []string // folders to create; a trailing "/" + MetaDir marks an archive
		want     string
	}{
		{"none", nil, ""},
		{"folder without meta", []string{"flow"}, ""},
		{"one", []string{"flow/" + MetaDir}, "flow"},
		{"three", []string{"flow/" + MetaDir, "flow.2/" + MetaDir, "flow.3/" + MetaDir}, "flow.3"},
		{"newest has no meta", []string{"flow/" + MetaDir, "flow.2/" + MetaDir, "flow.3"}, "flow.2"},
		{"other name", []string{"flowx/" + MetaDir}, ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			for _, a := range c.archives {
				if err := os.MkdirAll(filepath.Join(dir, filepath.FromSlash(a)), 0o755); err != nil {
					t.Fatal(err)
				}
			}
			want := c.want
			if want != "" {
				want = filepath.Join(dir, want)
			}
			if got := Latest(dir, "flow"); got != want {
				t.Errorf("Latest = %q, want %q", got, want)
			}
		})
	}
}

func TestVerify(t *testing.T) {
	full := []Entry{entry("a.txt", tree["a.txt"]), entry("sub/b.bin", tree["sub/b.bin"]), entry("sub/deep/c", tree["sub/deep/c"])}
	cases := []struct {
		name    string
		want    []Entry
		wantErr string
	}{
		{"exact", full, ""},
		{"missing", append(full[:3:3], entry("d.txt", "delta")), "d.txt is missing"},
		{"differs", []Entry{full[0], entry("sub/b.bin", "other"), full[2]}, "sub/b.bin differs (sha256 " + sum(tree["sub/b.bin"]) + ", want " + sum("other") + ")"},
		{"unexpected", full[:2], "unexpected file sub/deep/c"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			writeTree(t, dir, tree)
			writeTree(t, dir, map[string]string{MetaDir + "/files.json": "[]"})
			err := Verify(dir, c.want)
			if c.wantErr == "" {
				if err != nil {
					t.Fatalf("Verify = %v, want nil", err)
				}
				return
			}
			errorIs(t, err, "failed to verify "+dir+": "+c.wantErr)
		})
	}
}
