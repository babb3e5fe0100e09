// Command oagen writes a synthetic pre-1.0 Apache Spot OA data tree of a
// requested size, for benchmarks and large-scale tests.
//
//	oagen -out /tmp/oa -size 1GB -days 7 -seed 1 -pipelines flow,dns,proxy
//	oagen -out /tmp/oa -size 64MB -start 20161009 -days 40 -dns-zone PDT -dns-switch-day 29
//	oagen -out /tmp/oa -size 64MB -reject-share 0.2
//
// The tree lands in <out>/spot-oa/data/{flow,dns,proxy}/, the IANA registries
// in <out>/spot-oa/oa/components/iana/. See package oagen.
package main

import (
	"errors"
	"flag"
	"fmt"
	"os"
	"strings"
	"time"

	"spotmigrate/internal/oagen"
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
	zone := fs.String("dns-zone", "", "DNS collector `zone`: a token (PDT, CEST, ...), TOKEN=±HH:MM, or a tz name such as America/Los_Angeles (default UTC)")
	switchDay := fs.Int("dns-switch-day", 0, "make day folder `n` (1 = the first) a DST switch day of -dns-zone's token pair (0 = none)")
	noRegistry := fs.Bool("no-registry", false, "do not write spot-oa/oa/components/iana (iana_config.json and the registry CSVs)")
	unconfigured := fs.Bool("unconfigured", false, "write raw codes in the IANA name columns, as an install whose lookups missed")
	rejectShare := fs.Float64("reject-share", 0, "`share` (0..1) of the small per-day files that get one rejected row")
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
	st, err := oagen.Generate(*out, oagen.Options{Size: n, Days: *days, Seed: *seed, Pipelines: list, Start: day, Workers: *workers,
		DNSZone: *zone, DNSSwitchDay: *switchDay, NoRegistry: *noRegistry, Unconfigured: *unconfigured, RejectShare: *rejectShare})
	if err != nil {
		return err
	}
	el := time.Since(t0)
	fmt.Printf("wrote %d files, %d bytes (%.1f MiB) in %s: %.1f MiB/s\n",
		st.Files, st.Bytes, float64(st.Bytes)/(1<<20), el.Round(time.Millisecond), float64(st.Bytes)/(1<<20)/el.Seconds())
	var rows int64
	for _, r := range st.Rows {
		rows += r
	}
	fmt.Printf("expected: %d rows landing in %d partitions, %d notices, %d rejected rows (in %d of %d small files)\n",
		rows, len(st.Rows), st.Notices, st.Rejected, st.RejectedFiles, st.SmallFiles)
	return nil
}
