package archive

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

// richTree is tree plus names that are not valid UTF-8.
var richTree = map[string]string{
	"a.txt":                "alpha",
	"sub/b.bin":            "bravo\x00\x01",
	"sub/deep/c":           "charlie",
	"bad\xff\xfename.csv":  "x,y\n1,2\n",
	"dir\x80/x":            "x-ray",
	"dir\x80/nested\xc3/z": "zulu",
}

// richFiles is the number of regular files in richTree.
var richFiles = len(richTree)

var errCrash = errors.New("simulated crash")

// crashAt makes Step fail at the nth call with name, for the rest of the
// test or until noCrash.
func crashAt(t *testing.T, name string, nth int) {
	t.Helper()
	old, n := Step, 0
	Step = func(s string) error {
		if s == name {
			n++
			if n == nth {
				return errCrash
			}
		}
		return nil
	}
	t.Cleanup(func() { Step = old })
}

func noCrash() { Step = func(string) error { return nil } }

// recordSteps records every step name for the rest of the test.
func recordSteps(t *testing.T) *[]string {
	t.Helper()
	old, seen := Step, new([]string)
	Step = func(s string) error { *seen = append(*seen, s); return old(s) }
	t.Cleanup(func() { Step = old })
	return seen
}

// snapshot returns everything under dir: folders ("rel/" → "dir"), files
// (rel → "file " + content), links (rel → "link -> " + target) and other
// kinds by mode.
func snapshot(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		rel = filepath.ToSlash(rel)
		switch {
		case d.IsDir():
			out[rel+"/"] = "dir"
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			out[rel] = "link -> " + target
			return err
		case d.Type().IsRegular():
			b, err := os.ReadFile(p)
			out[rel] = "file " + string(b)
			return err
		default:
			out[rel] = d.Type().String()
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// richSetup writes richTree and an empty folder to <tmp>/oa/data/flow; the
// archive goes to archiveRoot/archive/flow (the test's temporary folder
// when archiveRoot is "").
func richSetup(t *testing.T, archiveRoot string) (src, dst string) {
	t.Helper()
	tmp := t.TempDir()
	src = filepath.Join(tmp, "oa", "data", "flow")
	writeTree(t, src, richTree)
	if err := os.MkdirAll(filepath.Join(src, "empty", "folder"), 0o755); err != nil {
		t.Fatal(err)
	}
	if archiveRoot == "" {
		archiveRoot = tmp
	}
	return src, filepath.Join(archiveRoot, "archive", "flow")
}

func richInventory() []Entry {
	var out []Entry
	for p, c := range richTree {
		out = append(out, entry(p, c))
	}
	return sorted(out)
}

var crashMeta = map[string][]byte{"manifest.json": []byte(`{"m":1}`), "reconcile.json": []byte(`{"ok":true}`)}

// crashMode is where the archive goes and how Move gets there.
type crashMode struct {
	name string
	xdev bool
	// prepare returns the root of the archive folder ("" for the test's
	// temporary folder), forcing EXDEV if needed.
	prepare func(t *testing.T) string
}

var crashModes = []crashMode{
	{"same fs", false, func(*testing.T) string { return "" }},
	{"forced xdev", true, func(t *testing.T) string { forceXDEV(t); return "" }},
	{"real xdev", true, shmDir},
}

// crashPoint is the nth call of a step.
type crashPoint struct {
	step string
	nth  int
}

func (c crashPoint) String() string { return fmt.Sprintf("%s#%d", c.step, c.nth) }

// crashPoints lists every step once, and the per-file removal step once per
// file.
func crashPoints(steps []string) []crashPoint {
	var out []crashPoint
	for _, s := range steps {
		n := 1
		if strings.HasSuffix(s, "src-removing") {
			n = richFiles
		}
		for i := 1; i <= n; i++ {
			out = append(out, crashPoint{s, i})
		}
	}
	return out
}

// moveOutcome is the state Recover must reach after a crash at step, and
// whether Move reaches the step at all.
func moveOutcome(xdev bool, step string) (State, bool) {
	switch {
	case step == "meta-written":
		return RolledBack, true
	case step == "renamed":
		return Archived, !xdev
	case !xdev:
		return Archived, false
	case slices.Contains([]string{"copied", "copy-synced", "copy-verified", "copy-meta-written"}, step):
		return RolledBack, true
	}
	return Archived, true
}

// checkRolledBack asserts that src is whole as pristine, without MetaDir,
// and nothing of the archive is left.
func checkRolledBack(t *testing.T, src, dst string, pristine map[string]string) {
	t.Helper()
	sameTree(t, "source after roll back", snapshot(t, src), pristine)
	mustExist(t, dst, false)
	mustExist(t, dst+".partial", false)
}

// checkWholeArchive asserts that dst is pristine plus MetaDir with files.json
// and the meta files, and src and the partial copy are gone.
func checkWholeArchive(t *testing.T, src, dst string, pristine map[string]string) {
	t.Helper()
	snap := snapshot(t, dst)
	sameTree(t, "archive", withoutMeta(snap), pristine)
	if got := readInventory(t, dst); !slices.Equal(got, richInventory()) {
		t.Errorf("files.json = %+v, want %+v", got, richInventory())
	}
	for name, content := range crashMeta {
		if got := snap[MetaDir+"/"+name]; got != "file "+string(content) {
			t.Errorf("meta %s = %q, want %q", name, got, content)
		}
	}
	mustExist(t, src, false)
	mustExist(t, dst+".partial", false)
}

// TestMoveCrashMatrix crashes Move at every step (and after every file
// removed), recovers, and checks that the tree is whole at exactly one
// place, then that it restores byte for byte.
func TestMoveCrashMatrix(t *testing.T) {
	reached := map[string]bool{}
	for _, mode := range crashModes {
		for _, cp := range crashPoints(MoveSteps) {
			t.Run(mode.name+"/"+cp.String(), func(t *testing.T) {
				if crashMoveOnce(t, mode, cp) {
					reached[cp.step] = true
				}
			})
		}
	}
	for _, s := range MoveSteps {
		if !reached[s] && !t.Skipped() {
			t.Errorf("no mode reached step %s", s)
		}
	}
}

// crashMoveOnce runs one cell of the crash matrix and reports whether Move
// reached the step.
func crashMoveOnce(t *testing.T, mode crashMode, cp crashPoint) bool {
	src, dst := richSetup(t, mode.prepare(t))
	pristine := snapshot(t, src)
	want, reaches := moveOutcome(mode.xdev, cp.step)
	crashAt(t, cp.step, cp.nth)
	err := Move(src, dst, knownOf("a.txt"), crashMeta)
	noCrash()
	if reaches != errors.Is(err, errCrash) {
		t.Fatalf("Move = %v, want the crash: %v", err, reaches)
	}
	for range 2 { // a second Recover finds nothing left to do
		st, err := Recover(src, dst)
		if err != nil || st != want {
			t.Fatalf("Recover = %v, %v, want %v", st, err, want)
		}
	}
	if want == RolledBack {
		checkRolledBack(t, src, dst, pristine)
		if err := Move(src, dst, nil, crashMeta); err != nil {
			t.Fatalf("Move after roll back: %v", err)
		}
	}
	checkWholeArchive(t, src, dst, pristine)
	if err := Restore(dst, src); err != nil {
		t.Fatal(err)
	}
	sameTree(t, "restored tree", snapshot(t, src), pristine)
	mustExist(t, dst, false)
	return reaches
}

// restoreOutcome is the state RecoverRestore must reach after a crash at
// step, and whether Restore reaches the step.
func restoreOutcome(xdev bool, step string) (State, bool) {
	copying := []string{"restore-copied", "restore-copy-synced", "restore-copy-verified"}
	renaming := []string{"restore-renamed", "restore-meta-removed"}
	switch {
	case step == "restore-marked":
		return RolledBack, true
	case step == "restore-unmarked":
		return Restored, true
	case slices.Contains(renaming, step):
		return Restored, !xdev
	case !xdev:
		return Restored, false
	case slices.Contains(copying, step):
		return RolledBack, true
	}
	return Restored, true
}

// TestRestoreCrashMatrix crashes Restore at every step, then either
// recovers with RecoverRestore or runs the restore command's sequence again
// (Latest, Restore), and checks that the tree is whole at exactly one place.
func TestRestoreCrashMatrix(t *testing.T) {
	reached := map[string]bool{}
	for _, mode := range crashModes {
		for _, cp := range crashPoints(RestoreSteps) {
			for _, rerun := range []bool{false, true} {
				name := mode.name + "/" + cp.String() + map[bool]string{false: "/recover", true: "/rerun"}[rerun]
				t.Run(name, func(t *testing.T) {
					if crashRestoreOnce(t, mode, cp, rerun) {
						reached[cp.step] = true
					}
				})
			}
		}
	}
	for _, s := range RestoreSteps {
		if !reached[s] && !t.Skipped() {
			t.Errorf("no mode reached step %s", s)
		}
	}
}

func crashRestoreOnce(t *testing.T, mode crashMode, cp crashPoint, rerun bool) bool {
	src, dst := richSetup(t, mode.prepare(t))
	pristine := snapshot(t, src)
	if err := Move(src, dst, nil, crashMeta); err != nil {
		t.Fatal(err)
	}
	archived := snapshot(t, dst)
	want, reaches := restoreOutcome(mode.xdev, cp.step)
	crashAt(t, cp.step, cp.nth)
	err := Restore(dst, src)
	noCrash()
	if reaches != errors.Is(err, errCrash) {
		t.Fatalf("Restore = %v, want the crash: %v", err, reaches)
	}
	if rerun {
		rerunRestore(t, filepath.Dir(dst), src)
	} else {
		recoverRestoreTwice(t, dst, src, want, archived)
	}
	sameTree(t, "restored tree", snapshot(t, src), pristine)
	for _, p := range []string{dst, dst + restoringSuffix, src + ".partial"} {
		mustExist(t, p, false)
	}
	return reaches
}

// rerunRestore does what the restore command does: Restore the latest
// archive, if any is left.
func rerunRestore(t *testing.T, dir, to string) {
	t.Helper()
	arch := Latest(dir, "flow")
	if arch == "" {
		return
	}
	if err := Restore(arch, to); err != nil {
		t.Fatalf("Restore again: %v", err)
	}
}

// recoverRestoreTwice recovers, checks the state reached, and finishes the
// restore after a roll back.
func recoverRestoreTwice(t *testing.T, arch, to string, want State, archived map[string]string) {
	t.Helper()
	for range 2 {
		st, err := RecoverRestore(arch, to)
		if err != nil || st != want {
			t.Fatalf("RecoverRestore = %v, %v, want %v", st, err, want)
		}
	}
	if want != RolledBack {
		return
	}
	sameTree(t, "archive after roll back", snapshot(t, arch), archived)
	mustExist(t, to, false)
	mustExist(t, arch+restoringSuffix, false)
	if err := Restore(arch, to); err != nil {
		t.Fatal(err)
	}
}

// TestMoveCrashLeavesEverything shows that a crash does no clean up: the
// partial copy and the source's MetaDir stay for Recover.
func TestMoveCrashLeavesEverything(t *testing.T) {
	forceXDEV(t)
	src, dst := richSetup(t, "")
	crashAt(t, "copy-meta-written", 1)
	errorIs(t, Move(src, dst, nil, crashMeta), errCrash.Error())
	mustExist(t, filepath.Join(src, MetaDir, "files.json"), true)
	mustExist(t, filepath.Join(dst+".partial", MetaDir, "files.json"), true)
	mustExist(t, dst, false)
}

func TestStepsInOrder(t *testing.T) {
	cases := []struct {
		name string
		xdev bool
		want []string
	}{
		{"same fs", false, []string{"meta-written", "renamed", "restore-marked", "restore-renamed", "restore-meta-removed", "restore-unmarked"}},
		{"cross device", true, []string{
			"meta-written", "copied", "copy-synced", "copy-verified", "copy-meta-written", "partial-renamed", "src-removing", "src-removing", "src-removed",
			"restore-marked", "restore-copied", "restore-copy-synced", "restore-copy-verified", "restore-partial-renamed", "restore-src-removing", "restore-src-removing", "restore-src-removed", "restore-unmarked",
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if c.xdev {
				forceXDEV(t)
			}
			tmp := t.TempDir()
			src, dst := filepath.Join(tmp, "flow"), filepath.Join(tmp, "archive", "flow")
			writeTree(t, src, map[string]string{"a": "1", "d/b": "2"})
			seen := recordSteps(t)
			if err := Move(src, dst, nil, nil); err != nil {
				t.Fatal(err)
			}
			if err := Restore(dst, src); err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(*seen, c.want) {
				t.Errorf("steps = %q, want %q", *seen, c.want)
			}
		})
	}
}
