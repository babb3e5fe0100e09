//go:build itest

package itest

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"spotmigrate/dialect"
	"spotmigrate/internal/testkit"
	"spotmigrate/migrate"
)

var (
	bin     string            // the spotmigrate binary
	cluster map[string]string // the env file of cluster/up.sh (HDFS, HS2, ...)
	state   string            // the cluster's state folder
)

var repo = testkit.Repo

func TestMain(m *testing.M) {
	code, err := setUp(m)
	if err != nil {
		fmt.Fprintf(os.Stderr, "itest: %v\n", err)
		code = 1
	}
	os.Exit(code)
}

// setUp builds the binary, starts (or joins) the cluster, runs the tests
// and stops what it started.
func setUp(m *testing.M) (int, error) {
	dir, err := os.MkdirTemp("", "spotmigrate-itest-")
	if err != nil {
		return 1, err
	}
	defer os.RemoveAll(dir)
	bin = filepath.Join(dir, "spotmigrate")
	if out, err := exec.Command("go", "build", "-o", bin, repo("cmd", "spotmigrate")).CombinedOutput(); err != nil {
		return 1, fmt.Errorf("failed to build spotmigrate: %v\n%s", err, out)
	}
	state = os.Getenv("SPOTMIGRATE_CLUSTER")
	if state == "" {
		state = filepath.Join(dir, "cluster")
		t0 := time.Now()
		up := exec.Command(repo("cluster", "up.sh"), state)
		up.Stdout, up.Stderr = os.Stderr, os.Stderr
		if err := up.Run(); err != nil {
			return 1, fmt.Errorf("failed to start the test cluster (cluster/up.sh): %w", err)
		}
		fmt.Fprintf(os.Stderr, "itest: cluster up in %.1fs\n", time.Since(t0).Seconds())
		defer func() {
			down := exec.Command(repo("cluster", "down.sh"), state)
			down.Stdout, down.Stderr = os.Stderr, os.Stderr
			down.Run()
		}()
	}
	if cluster, err = readEnv(filepath.Join(state, "env")); err != nil {
		return 1, fmt.Errorf("failed to read the cluster addresses: %w", err)
	}
	return m.Run(), nil
}

func readEnv(path string) (map[string]string, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	out := map[string]string{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if k, v, ok := strings.Cut(sc.Text(), "="); ok {
			out[k] = v
		}
	}
	return out, sc.Err()
}

// target is one isolated Spot database on the cluster.
type target struct {
	db, huser, staging, ledger string
}

func newTarget(t *testing.T, name string) target {
	return target{db: "spot_" + name, huser: "/user/itest/" + name, staging: "/user/itest/" + name + "-staging",
		ledger: t.TempDir()}
}

// flags are the spotmigrate flags of this target.
func (tg target) flags() []string {
	return []string{"--impala", cluster["HS2"], "--dialect", "hive", "--hdfs", cluster["HDFS"], "--hdfs-user", "root",
		"--db", tg.db, "--huser", tg.huser, "--staging-path", tg.staging, "--ledger-dir", tg.ledger}
}

// engine opens the target the way spotmigrate does.
func (tg target) engine(t *testing.T) (*migrate.Remote, migrate.DB) {
	t.Helper()
	host, port, _ := strings.Cut(cluster["HS2"], ":")
	e, err := migrate.NewRemote(migrate.RemoteOptions{Dialect: dialect.Hive{}, Host: host, Port: port, DB: tg.db,
		HUser: tg.huser, StagingPath: tg.staging, HDFS: migrate.HDFSOptions{Address: cluster["HDFS"], User: "root"}})
	if err != nil {
		t.Fatal(err)
	}
	db, err := e.Open(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { e.Close() })
	return e, db
}

// spot runs the binary in dir.
func spot(t *testing.T, dir string, env []string, args ...string) testkit.Result {
	t.Helper()
	return testkit.Run(t, bin, dir, env, args...)
}

// sample copies the bundled sample tree into a temporary folder.
func sample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "spot-oa"), os.DirFS(repo("testdata", "sample", "spot-oa"))); err != nil {
		t.Fatal(err)
	}
	return dir
}

func treeHash(t *testing.T, dir string) string { return testkit.TreeHash(t, dir) }
