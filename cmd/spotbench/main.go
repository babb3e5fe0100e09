// Command spotbench measures spotmigrate on a generated OA tree: validate
// and migrate beside DuckDB's plain strict typed read_csv of the same files,
// with wall time, throughput and peak RSS of each (each runs as its own
// process). The plain read and validate run in alternation, several rounds,
// and the medians are compared: timings on a shared machine drift by more
// than the differences measured. `make bench` runs it.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"

	"spotmigrate/internal/oagen"
	"spotmigrate/internal/plainread"
	"spotmigrate/manifest"
)

func main() {
	dir := flag.String("dir", "/tmp/spotmigrate-bench", "folder for the generated tree and the targets")
	size := flag.String("size", "1GB", "size of the generated tree")
	days := flag.Int("days", 7, "day folders per pipeline")
	bin := flag.String("bin", "bin/spotmigrate", "the spotmigrate binary")
	plain := flag.String("plain", "", "internal: run the plain read of this tree and exit")
	withMigrate := flag.Bool("migrate", true, "measure migrate too")
	rounds := flag.Int("rounds", 5, "alternating rounds of the plain read and validate")
	rejects := flag.Float64("reject-share", 0.3, "also validate a tree of the same size whose small files carry a rejected row in this share of them, against the clean tree (0: skip)")
	flag.Parse()
	if *plain != "" {
		n, err := plainread.Read(context.Background(), *plain, filepath.Join(os.TempDir(), "spotbench-plain"))
		if err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		fmt.Printf("rows %d\n", n)
		return
	}
	if err := run(*dir, *size, *days, *bin, *rounds, *withMigrate); err != nil {
		fmt.Fprintf(os.Stderr, "spotbench: %v\n", err)
		os.Exit(1)
	}
	if *rejects > 0 {
		if err := runRejects(*dir, *size, *days, *bin, *rounds, *rejects); err != nil {
			fmt.Fprintf(os.Stderr, "spotbench: %v\n", err)
			os.Exit(1)
		}
	}
}

// generated returns the tree of size and days (with a share of reject
// files), generating it the first time.
func generated(dir, size string, days int, share float64) (string, error) {
	bytesWanted, err := oagen.ParseSize(size)
	if err != nil {
		return "", err
	}
	// v2: the real shapes of spec §7 (a tree of an older generator is not reused)
	name := fmt.Sprintf("tree-v2-%s-%dd", strings.ToLower(size), days)
	if share > 0 {
		name += fmt.Sprintf("-rejects%.0f", share*100)
	}
	tree := filepath.Join(dir, name)
	if _, err := os.Stat(filepath.Join(tree, "spot-oa")); err != nil {
		fmt.Printf("generating %s (%d days, reject share %.2f) in %s\n", size, days, share, tree)
		if _, err := oagen.Generate(tree, oagen.Options{Size: bytesWanted, Days: days, Seed: 1, RejectShare: share}); err != nil {
			return "", err
		}
	}
	return tree, nil
}

// runRejects validates the clean tree and one whose small files carry
// rejected rows in the given share, in alternation, and compares medians.
func runRejects(dir, size string, days int, bin string, rounds int, share float64) error {
	clean, err := generated(dir, size, days, 0)
	if err != nil {
		return err
	}
	bad, err := generated(dir, size, days, share)
	if err != nil {
		return err
	}
	out := filepath.Join(dir, "manifest-rejects.json")
	validateTree := func(tree string) (measurement, error) {
		// exit 3: rejected rows were found, which is what this tree holds
		return measureCodes(bin, []int{0, 3}, "validate", "--oa-path", filepath.Join(tree, "spot-oa"), "--format", "json", "--output", out)
	}
	var cleans, bads []measurement
	for i := range max(rounds, 1) {
		c, err := validateTree(clean)
		if err != nil {
			return err
		}
		b, err := validateTree(bad)
		if err != nil {
			return err
		}
		fmt.Printf("round %d: clean %.1f s, with rejects %.1f s (%.2fx)\n", i+1, c.wall.Seconds(), b.wall.Seconds(), b.wall.Seconds()/c.wall.Seconds())
		cleans, bads = append(cleans, c), append(bads, b)
	}
	m, err := manifest.Read(out)
	if err != nil {
		return err
	}
	c, b := median(cleans), median(bads)
	fmt.Printf("\nreject-heavy tree: %d of %d files with rejected rows (%.0f %%), %d rejected rows\n",
		m.Summary.FilesRejected, m.Summary.Files, 100*float64(m.Summary.FilesRejected)/float64(m.Summary.Files), m.Summary.Rejected)
	fmt.Printf("validate clean %.1f s (%.0f MiB peak), with rejects %.1f s (%.0f MiB peak): %.2fx the clean time (medians of %d rounds)\n",
		c.wall.Seconds(), float64(c.maxRSS)/1024, b.wall.Seconds(), float64(b.maxRSS)/1024, b.wall.Seconds()/c.wall.Seconds(), len(bads))
	return nil
}

func run(dir, size string, days int, bin string, rounds int, withMigrate bool) error {
	tree, err := generated(dir, size, days, 0)
	if err != nil {
		return err
	}
	files, total, err := treeSize(filepath.Join(tree, "spot-oa", "data"))
	if err != nil {
		return err
	}
	fmt.Printf("tree: %s, %d files, %.1f MiB, %d day folders per pipeline\n", tree, files, mib(total), days)
	self, _ := os.Executable()
	oa := filepath.Join(tree, "spot-oa")
	// warm the page cache so that every run reads from memory
	if _, err := measure(self, "-plain", oa); err != nil {
		return err
	}
	target := filepath.Join(dir, "bench.duckdb")
	var plains, vals, migs []measurement
	for i := range max(rounds, 1) {
		p, err := measure(self, "-plain", oa)
		if err != nil {
			return err
		}
		v, err := measure(bin, "validate", "--oa-path", oa, "--format", "json", "--output", filepath.Join(dir, "manifest.json"))
		if err != nil {
			return err
		}
		plains, vals = append(plains, p), append(vals, v)
		line := fmt.Sprintf("round %d: plain %.1f s, validate %.1f s (%.2fx)", i+1, p.wall.Seconds(), v.wall.Seconds(), p.wall.Seconds()/v.wall.Seconds())
		if withMigrate {
			mg, err := migrateFresh(bin, oa, target)
			if err != nil {
				return err
			}
			migs = append(migs, mg)
			line += fmt.Sprintf(", migrate %.1f s (%.2fx validate)", mg.wall.Seconds(), mg.wall.Seconds()/v.wall.Seconds())
		}
		fmt.Println(line)
	}
	plain, val := median(plains), median(vals)
	runs := []named{{"plain typed read_csv (baseline)", plain}, {"spotmigrate validate", val}}
	var mig measurement
	if withMigrate {
		mig = median(migs)
		runs = append(runs, named{"spotmigrate migrate (embedded)", mig})
	}
	fmt.Printf("\n%-34s %9s %9s %10s\n", "run", "seconds", "MB/s", "peak RSS")
	for _, r := range runs {
		fmt.Printf("%-34s %9.1f %9.1f %7.0f MiB\n", r.name, r.m.wall.Seconds(), mib(total)/r.m.wall.Seconds(), float64(r.m.maxRSS)/1024)
	}
	fmt.Printf("\nvalidate / plain throughput: %.2fx (medians of %d rounds; peak RSS: the largest)\n",
		plain.wall.Seconds()/val.wall.Seconds(), len(vals))
	if withMigrate {
		stmts := regexp.MustCompile(`Target statements per table: .*`).FindString(mig.stderr)
		fmt.Printf("migrate / validate time:     %.2fx (medians)\nmigrate / plain time:        %.2fx\n%s\n",
			mig.wall.Seconds()/val.wall.Seconds(), mig.wall.Seconds()/plain.wall.Seconds(), stmts)
	}
	return nil
}

// migrateFresh migrates oa into a new embedded target (--no-archive, so
// the tree stays for the next round).
func migrateFresh(bin, oa, target string) (measurement, error) {
	for _, p := range []string{target, target + ".wal", target + ".ledger.json", target + ".manifest.json"} {
		_ = os.Remove(p)
	}
	return measure(bin, "migrate", "--oa-path", oa, "--target", target, "--no-archive")
}

type named struct {
	name string
	m    measurement
}

type measurement struct {
	wall   time.Duration
	maxRSS int64 // KiB
	stderr string
}

// measure runs a command and returns its wall time and peak RSS.
func measure(name string, args ...string) (measurement, error) {
	return measureCodes(name, []int{0}, args...)
}

// measureCodes is measure for a command whose exit codes ok are success.
func measureCodes(name string, ok []int, args ...string) (measurement, error) {
	cmd := exec.Command(name, args...)
	var errb bytes.Buffer
	cmd.Stderr = &errb
	start := time.Now()
	err := cmd.Run()
	m := measurement{wall: time.Since(start), stderr: errb.String()}
	var ee *exec.ExitError
	if err != nil && (!errors.As(err, &ee) || !slices.Contains(ok, ee.ExitCode())) {
		return m, fmt.Errorf("%s %s: %w\n%s", name, strings.Join(args, " "), err, errb.String())
	}
	if ru, ok := cmd.ProcessState.SysUsage().(*syscall.Rusage); ok {
		m.maxRSS = ru.Maxrss
	}
	return m, nil
}

// median returns the run of median wall time, with the largest peak RSS of
// all the runs.
func median(ms []measurement) measurement {
	sorted := slices.Clone(ms)
	slices.SortFunc(sorted, func(a, b measurement) int { return int(a.wall - b.wall) })
	m := sorted[len(sorted)/2]
	for _, x := range ms {
		m.maxRSS = max(m.maxRSS, x.maxRSS)
	}
	return m
}

func treeSize(dir string) (int, int64, error) {
	var n int
	var total int64
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		n++
		total += info.Size()
		return nil
	})
	return n, total, err
}

func mib(n int64) float64 { return float64(n) / (1 << 20) }
