package testkit

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Repo returns a path from the repository root.
func Repo(parts ...string) string {
	_, file, _, _ := runtime.Caller(0)
	return filepath.Join(append([]string{filepath.Dir(file), "..", ".."}, parts...)...)
}

// Result is one run of a binary.
type Result struct {
	Code           int
	Stdout, Stderr string
}

// Command is bin with args, to run in dir with extra environment; the
// per-user state folder of remote targets' ledgers is the test's own unless
// env says otherwise.
func Command(bin, dir string, env []string, args ...string) *exec.Cmd {
	cmd := exec.Command(bin, args...)
	cmd.Dir = dir
	cmd.Env = append(append(os.Environ(), "XDG_STATE_HOME="+filepath.Join(dir, ".state")), env...)
	return cmd
}

// Run runs bin with args in dir, with extra environment.
func Run(t testing.TB, bin, dir string, env []string, args ...string) Result {
	t.Helper()
	cmd := Command(bin, dir, env, args...)
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	err := cmd.Run()
	r := Result{Stdout: out.String(), Stderr: errb.String()}
	var ee *exec.ExitError
	if errors.As(err, &ee) {
		r.Code = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("failed to run %s: %v", bin, err)
	}
	return r
}

// TreeHash hashes every path, link target and file content under dir.
func TreeHash(t testing.TB, dir string) string {
	t.Helper()
	return TreeHashWithout(t, dir)
}

// TreeHashWithout is TreeHash leaving out the entries named skip (at any
// depth), such as an archive's metadata folder.
func TreeHashWithout(t testing.TB, dir string, skip ...string) string {
	t.Helper()
	h := sha256.New()
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p != dir && slices.Contains(skip, d.Name()) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		fmt.Fprintf(h, "%s %v\n", rel, d.Type())
		switch {
		case d.Type()&fs.ModeSymlink != 0:
			target, _ := os.Readlink(p)
			fmt.Fprintln(h, target)
		case d.Type().IsRegular():
			f, err := os.Open(p)
			if err != nil {
				return err
			}
			defer func() { _ = f.Close() }()
			if _, err := io.Copy(h, f); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(h.Sum(nil))
}

// ExpectedCounts reads testdata/sample/expected_counts.tsv: rows per
// partition, keyed table/y=Y/m=M/d=D.
func ExpectedCounts(t testing.TB) map[string]int64 {
	t.Helper()
	f, err := os.Open(Repo("testdata", "sample", "expected_counts.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = f.Close() }()
	out := map[string]int64{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		p := strings.Split(sc.Text(), "\t")
		n, err := strconv.ParseInt(p[4], 10, 64)
		if err != nil {
			t.Fatalf("bad line %q in expected_counts.tsv", sc.Text())
		}
		out[fmt.Sprintf("%s/y=%s/m=%s/d=%s", p[0], p[1], p[2], p[3])] = n
	}
	return out
}

// CopyTree copies a folder, keeping symbolic links as links.
func CopyTree(t *testing.T, src, dst string) {
	t.Helper()
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		to := filepath.Join(dst, rel)
		switch {
		case d.IsDir():
			return os.MkdirAll(to, 0o755)
		case d.Type()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(target, to)
		}
		b, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(to, b, 0o644)
	})
	if err != nil {
		t.Fatal(err)
	}
}
