package main

import (
	"bytes"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"spotmigrate/internal/oagen"
	"spotmigrate/internal/testkit"
)

// stopWithin is how soon a run must stop after SIGINT or SIGTERM.
const stopWithin = 5 * time.Second

// TestSignalStops sends SIGTERM (and once SIGINT) to migrate at several
// moments of a run on a generated tree: validating, staging, loading,
// reconciling, archiving. The run must stop within stopWithin, exit 130 (or
// 0 when it had finished), and a plain re-run must land every row the
// generator wrote, exactly once.
func TestSignalStops(t *testing.T) {
	gen := t.TempDir()
	st, err := oagen.Generate(gen, oagen.Options{Size: 40 << 20, Days: 3, Seed: 7, Pipelines: []string{"flow", "dns", "proxy"},
		Start: oagen.DefaultStart})
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		sig   syscall.Signal
		after time.Duration
	}{
		{syscall.SIGTERM, 100 * time.Millisecond},
		{syscall.SIGINT, 400 * time.Millisecond},
		{syscall.SIGTERM, 900 * time.Millisecond},
		{syscall.SIGTERM, 1500 * time.Millisecond},
		{syscall.SIGTERM, 2200 * time.Millisecond},
	}
	interrupted := 0
	for _, c := range cases {
		dir := t.TempDir()
		copyTree(t, filepath.Join(gen, "spot-oa"), filepath.Join(dir, "spot-oa"))
		args := []string{"migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb"}
		code, took, stderr := signalled(t, dir, c.sig, c.after, args...)
		t.Logf("%v after %v: exit %d, %v after the signal", c.sig, c.after, code, took.Round(time.Millisecond))
		if took > stopWithin {
			t.Errorf("%v after %v: stopped %v after the signal, want within %v", c.sig, c.after, took.Round(time.Millisecond), stopWithin)
		}
		switch code {
		case exitInterrupted:
			interrupted++
			if !strings.Contains(stderr, "run the same command again to resume") {
				t.Errorf("%v after %v: stderr says nothing of resuming:\n%s", c.sig, c.after, stderr)
			}
		case exitOK:
		default:
			t.Fatalf("%v after %v: exit %d, want %d\n%s", c.sig, c.after, code, exitInterrupted, stderr)
		}
		r := spot(t, dir, nil, args...)
		if r.Code != 0 {
			t.Fatalf("%v after %v: re-run: exit %d\n%s", c.sig, c.after, r.Code, r.Stderr)
		}
		got := targetCounts(t, filepath.Join(dir, "out", "spot.duckdb"))
		for k, n := range st.Rows {
			if got[k] != n {
				t.Errorf("%v after %v: %s has %d rows, the generator wrote %d", c.sig, c.after, k, got[k], n)
			}
		}
		if len(got) != len(st.Rows) {
			t.Errorf("%v after %v: %d partitions on the target, want %d", c.sig, c.after, len(got), len(st.Rows))
		}
	}
	if interrupted < 3 {
		t.Errorf("only %d of %d runs were still running when signalled: the tree is too small to test stopping", interrupted, len(cases))
	}
}

// signalled runs the binary in dir, sends sig after the given time and
// returns the exit code, how long it took to stop after the signal, and
// its standard error.
func signalled(t *testing.T, dir string, sig syscall.Signal, after time.Duration, args ...string) (int, time.Duration, string) {
	t.Helper()
	cmd := testkit.Command(bin, dir, nil, args...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	time.Sleep(after)
	sent := time.Now()
	_ = cmd.Process.Signal(sig)
	done := make(chan error, 1)
	go func() { done <- cmd.Wait() }()
	var err error
	select {
	case err = <-done:
	case <-time.After(2 * time.Minute):
		_ = cmd.Process.Kill()
		t.Fatalf("%v: the run did not stop within two minutes", sig)
	}
	took := time.Since(sent)
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		return ee.ExitCode(), took, errb.String()
	}
	if err != nil {
		t.Fatal(err)
	}
	return 0, took, errb.String()
}
