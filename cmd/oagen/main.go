// Command oagen writes a synthetic pre-1.0 Apache Spot OA data tree of a
// requested size, for benchmarks and large-scale tests.
//
//	oagen -out /tmp/oa -size 1GB -days 7 -seed 1 -pipelines flow,dns,proxy
//
// The tree lands in <out>/spot-oa/data/{flow,dns,proxy}/. See package oagen.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"spotmigrate/oagen"
)

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "oagen:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("oagen", flag.ContinueOnError)
	out := fs.String("out", "", "output `dir`; the tree is written to <dir>/spot-oa/data (required)")
	size := fs.String("size", "100MB", "target total `size`, e.g. 2MB, 100MB, 1GB (binary units)")
	days := fs.Int("days", 7, "number of day folders per pipeline")
	seed := fs.Int64("seed", 1, "random seed; the same flags give the same tree")
	pipes := fs.String("pipelines", "flow,dns,proxy", "comma-separated `list` of pipelines")
	start := fs.String("start", oagen.DefaultStart.Format("20060102"), "first day as `YYYYMMDD`")
	workers := fs.Int("workers", 0, "parallel workers (0 = GOMAXPROCS)")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return nil
		}
		return fmt.Errorf("failed to parse flags: %w", err)
	}
	if *out == "" {
		fs.Usage()
		return fmt.Errorf("failed to parse flags: -out is required")
	}
	n, err := oagen.ParseSize(*size)
	if err != nil {
		return err
	}
	day, err := time.Parse("20060102", *start)
	if err != nil {
		return fmt.Errorf("failed to parse -start %q: want YYYYMMDD: %w", *start, err)
	}
	var list []string
	for _, p := range strings.Split(*pipes, ",") {
		if p = strings.TrimSpace(p); p != "" {
			list = append(list, p)
		}
	}
	t0 := time.Now()
	st, err := oagen.Generate(*out, oagen.Options{Size: n, Days: *days, Seed: *seed, Pipelines: list, Start: day, Workers: *workers})
	if err != nil {
		return err
	}
	el := time.Since(t0)
	fmt.Printf("wrote %d files, %d bytes (%.1f MiB) in %s: %.1f MiB/s\n",
		st.Files, st.Bytes, float64(st.Bytes)/(1<<20), el.Round(time.Millisecond), float64(st.Bytes)/(1<<20)/el.Seconds())
	return nil
}
