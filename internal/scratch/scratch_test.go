package scratch

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"
)

// TestSweep leaves three folders behind: one of a live run, one of a run
// killed with SIGKILL (a real child process holding the lock), and one of
// an older build without an owner file. Only the dead run's folder and the
// old orphan go.
func TestSweep(t *testing.T) {
	t.Setenv("TMPDIR", t.TempDir())
	live, release, err := New("spotmigrate-work-")
	if err != nil {
		t.Fatal(err)
	}
	defer release()
	dead, _, err := New("spotmigrate-stage-")
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(filepath.Join(dead, "big.parquet"), make([]byte, 1000), 0o644)
	// the dead folder's lock was taken by this process: hand it to a child
	// that is then killed, as a run killed mid-way would leave it
	handOver(t, dead)
	young := filepath.Join(os.TempDir(), "spotmigrate-work-young")
	old := filepath.Join(os.TempDir(), "spotmigrate-work-old")
	other := filepath.Join(os.TempDir(), "not-ours")
	for _, d := range []string{young, old, other} {
		os.MkdirAll(d, 0o755)
	}
	past := time.Now().Add(-2 * time.Hour)
	os.Chtimes(old, past, past)
	os.Chtimes(other, past, past)
	s, err := Sweep()
	if err != nil {
		t.Fatal(err)
	}
	if s.Folders != 2 || s.Bytes != 1000 {
		t.Errorf("swept %+v, want 2 folders of 1000 bytes", s)
	}
	for d, want := range map[string]bool{live: true, dead: false, young: true, old: false, other: true} {
		if _, err := os.Stat(d); (err == nil) != want {
			t.Errorf("%s: exists %v, want %v", d, err == nil, want)
		}
	}
}

// handOver makes a child process take the lock of dir's owner file after
// this process lets it go, and kills the child.
func handOver(t *testing.T, dir string) {
	t.Helper()
	// this process's lock is released by closing every descriptor of the
	// file: reopen-and-close is not enough with flock, so the test simply
	// replaces the owner file, then lets a child lock the new one and die
	owner := filepath.Join(dir, ownerFile)
	os.Remove(owner)
	os.WriteFile(owner, nil, 0o644)
	// one process (the shell becomes sleep) holds the lock until killed
	cmd := exec.Command("sh", "-c", `exec 9<>"$0" && flock 9 && exec sleep 60`, owner)
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(200 * time.Millisecond)
	if s, _ := Sweep(); s.Folders != 0 {
		t.Fatalf("swept a folder whose owner is alive")
	}
	cmd.Process.Kill()
	cmd.Wait()
}
