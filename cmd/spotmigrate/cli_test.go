package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"spotmigrate/internal/testkit"
)

// bin is the spotmigrate binary the CLI tests run, built once.
var bin string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "spotmigrate-bin-")
	if err != nil {
		panic(err)
	}
	bin = filepath.Join(dir, "spotmigrate")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		fmt.Fprintf(os.Stderr, "failed to build spotmigrate: %v\n%s", err, out)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// spot runs the binary with args in dir, with extra environment.
func spot(t *testing.T, dir string, env []string, args ...string) testkit.Result {
	t.Helper()
	return testkit.Run(t, bin, dir, env, args...)
}

var repoPath = testkit.Repo

func treeHash(t *testing.T, dir string) string { return testkit.TreeHash(t, dir) }

func copyTree(t *testing.T, src, dst string) { testkit.CopyTree(t, src, dst) }
