package archive

import (
	"os"
	"path/filepath"
	"testing"
)

// crashedMove runs a cross-device Move of richTree that crashes at the nth
// call of step.
func crashedMove(t *testing.T, step string, nth int) (src, dst string) {
	t.Helper()
	forceXDEV(t)
	src, dst = richSetup(t, "")
	crashAt(t, step, nth)
	errorIs(t, Move(src, dst, nil, crashMeta), errCrash.Error())
	noCrash()
	return src, dst
}

// TestRecoverKeepsWhatItCannotProve changes the disk after a crash and
// checks that Recover names the problem and removes nothing.
func TestRecoverKeepsWhatItCannotProve(t *testing.T) {
	cases := []struct {
		name    string
		step    string
		nth     int
		change  func(t *testing.T, src, dst string)
		wantErr string
	}{
		{"new file in the source", "partial-renamed", 1, func(t *testing.T, src, _ string) {
			writeTree(t, src, map[string]string{"sub/extra.txt": "new"})
		}, "sub/extra.txt is not in "},
		{"file changed during removal", "src-removing", 1, func(t *testing.T, src, _ string) {
			writeTree(t, src, map[string]string{"sub/deep/c": "CHARLIE"})
		}, "sub/deep/c differs from its copy in "},
		{"folder only in the source", "src-removing", 2, func(t *testing.T, src, _ string) {
			if err := os.Mkdir(filepath.Join(src, "sub", "newdir"), 0o755); err != nil {
				t.Fatal(err)
			}
		}, "folder sub/newdir is not in "},
		{"archive damaged", "src-removing", 3, func(t *testing.T, _, dst string) {
			writeTree(t, dst, map[string]string{"a.txt": "ALPHA"})
		}, "a.txt differs (sha256"},
		{"archive without files.json", "partial-renamed", 1, func(t *testing.T, _, dst string) {
			if err := os.Remove(filepath.Join(dst, MetaDir, "files.json")); err != nil {
				t.Fatal(err)
			}
		}, "failed to read archive manifest"},
		{"source not being archived", "src-removing", 1, func(t *testing.T, src, _ string) {
			if err := os.RemoveAll(filepath.Join(src, MetaDir)); err != nil {
				t.Fatal(err)
			}
		}, "is not being archived"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			src, dst := crashedMove(t, c.step, c.nth)
			c.change(t, src, dst)
			before, archived := snapshot(t, src), snapshot(t, dst)
			_, err := Recover(src, dst)
			errorIs(t, err, c.wantErr)
			sameTree(t, "source after a refused recovery", snapshot(t, src), before)
			sameTree(t, "archive after a refused recovery", snapshot(t, dst), archived)
		})
	}
}

func TestRecoverNothingToWorkWith(t *testing.T) {
	t.Run("neither", func(t *testing.T) {
		tmp := t.TempDir()
		_, err := Recover(filepath.Join(tmp, "flow"), filepath.Join(tmp, "archive", "flow"))
		errorIs(t, err, "neither ")
	})
	t.Run("only the partial copy", func(t *testing.T) {
		src, dst := crashedMove(t, "copy-meta-written", 1)
		if err := os.RemoveAll(src); err != nil {
			t.Fatal(err)
		}
		_, err := Recover(src, dst)
		errorIs(t, err, "only "+dst+".partial (it is kept)")
		mustExist(t, dst+".partial", true)
	})
	t.Run("untouched source", func(t *testing.T) {
		src, dst := richSetup(t, "")
		before := snapshot(t, src)
		if st, err := Recover(src, dst); err != nil || st != RolledBack {
			t.Fatalf("Recover = %v, %v, want rolled back", st, err)
		}
		sameTree(t, "source", snapshot(t, src), before)
	})
}

// TestRecoverSourceBesideOtherArchive: a source that was never being
// archived is not removed because an archive stands at dst.
func TestRecoverSourceBesideOtherArchive(t *testing.T) {
	src, dst := richSetup(t, "")
	other := filepath.Join(filepath.Dir(src), "other")
	writeTree(t, other, tree)
	if err := Move(other, dst, nil, nil); err != nil {
		t.Fatal(err)
	}
	before := snapshot(t, src)
	_, err := Recover(src, dst)
	errorIs(t, err, "is not being archived")
	sameTree(t, "source", snapshot(t, src), before)
}

// crashedRestore archives richTree across devices and crashes Restore at
// the nth call of step.
func crashedRestore(t *testing.T, step string, nth int) (arch, to string) {
	t.Helper()
	forceXDEV(t)
	to, arch = richSetup(t, "")
	if err := Move(to, arch, nil, crashMeta); err != nil {
		t.Fatal(err)
	}
	crashAt(t, step, nth)
	errorIs(t, Restore(arch, to), errCrash.Error())
	noCrash()
	return arch, to
}

func TestRecoverRestoreRefuses(t *testing.T) {
	t.Run("another destination", func(t *testing.T) {
		arch, to := crashedRestore(t, "restore-marked", 1)
		_, err := RecoverRestore(arch, to+"x")
		errorIs(t, err, "it is being restored to "+to+", not "+to+"x")
		errorIs(t, Restore(arch, to+"x"), "it is being restored to")
		mustExist(t, arch+restoringSuffix, true)
	})
	t.Run("archive file changed during removal", func(t *testing.T) {
		arch, to := crashedRestore(t, "restore-src-removing", 1)
		writeTree(t, arch, map[string]string{"sub/deep/c": "CHARLIE"})
		before := snapshot(t, arch)
		_, err := RecoverRestore(arch, to)
		errorIs(t, err, "sub/deep/c differs from its copy in "+to)
		errorIs(t, Restore(arch, to), "sub/deep/c differs from its copy in "+to)
		sameTree(t, "archive", snapshot(t, arch), before)
	})
	t.Run("restored tree damaged", func(t *testing.T) {
		arch, to := crashedRestore(t, "restore-partial-renamed", 1)
		writeTree(t, to, map[string]string{"a.txt": "ALPHA"})
		before := snapshot(t, arch)
		_, err := RecoverRestore(arch, to)
		errorIs(t, err, "failed to verify "+to+": a.txt differs")
		sameTree(t, "archive", snapshot(t, arch), before)
	})
}

func TestRecoverRestoreWithoutMarker(t *testing.T) {
	src, dst := richSetup(t, "")
	if err := Move(src, dst, nil, nil); err != nil {
		t.Fatal(err)
	}
	if st, err := RecoverRestore(dst, src); err != nil || st != RolledBack {
		t.Fatalf("RecoverRestore before = %v, %v, want rolled back", st, err)
	}
	if err := Restore(dst, src); err != nil {
		t.Fatal(err)
	}
	if st, err := RecoverRestore(dst, src); err != nil || st != Restored {
		t.Fatalf("RecoverRestore after = %v, %v, want restored", st, err)
	}
}

// TestLatestSeesRestoreInProgress: an archive renamed away by a restore
// that crashed is still the latest, and its name is not given again.
func TestLatestSeesRestoreInProgress(t *testing.T) {
	dir := t.TempDir()
	writeTree(t, dir, map[string]string{"flow/" + MetaDir + "/files.json": "[]", "flow.2" + restoringSuffix: "{}"})
	if got, want := Latest(dir, "flow"), filepath.Join(dir, "flow.2"); got != want {
		t.Errorf("Latest = %s, want %s", got, want)
	}
	if got, want := FreeName(dir, "flow"), filepath.Join(dir, "flow.3"); got != want {
		t.Errorf("FreeName = %s, want %s", got, want)
	}
	errorIs(t, Move(filepath.Join(dir, "flow"), filepath.Join(dir, "flow.2"), nil, nil), "flow.2.restoring already exists")
}
