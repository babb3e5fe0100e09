package main

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"spotmigrate/internal/golden"
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

// normalized is a report as its golden file holds it: each path of paths
// replaced with its placeholder (in order), then the provenance values
// that differ from run to run (golden.NormalizeProvenance).
func normalized(out string, paths ...string) []byte {
	for i := 0; i+1 < len(paths); i += 2 {
		out = strings.ReplaceAll(out, paths[i], paths[i+1])
	}
	return golden.NormalizeProvenance([]byte(out))
}

func treeHash(t *testing.T, dir string) string { return testkit.TreeHash(t, dir) }

func copyTree(t *testing.T, src, dst string) { testkit.CopyTree(t, src, dst) }
