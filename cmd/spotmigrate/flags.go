package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strconv"
	"strings"

	"spotmigrate/catalog"
	"spotmigrate/report"
)

// newFlags returns a flag set whose usage text names the command and lists
// the exit codes.
func newFlags(name, synopsis string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprintf(stderr, "Usage: spotmigrate %s %s\n\nFlags:\n", name, synopsis)
		fs.PrintDefaults()
		fmt.Fprint(stderr, "\n"+exitCodesHelp())
	}
	return fs
}

// parse parses flags and maps -h and mistakes to the right outcome.
func parse(fs *flag.FlagSet, args []string) error {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return errHelp
		}
		return withCode(exitUsage, errReported)
	}
	if fs.NArg() > 0 {
		return usageErr("unexpected argument %q", fs.Arg(0))
	}
	return nil
}

// pipelinesFlag parses --pipelines.
func pipelinesFlag(s string) ([]string, error) {
	var out []string
	for _, p := range strings.Split(s, ",") {
		p = strings.TrimSpace(p)
		if p == "" {
			continue
		}
		ok := false
		for _, k := range catalog.Pipelines {
			ok = ok || k == p
		}
		if !ok {
			return nil, usageErr("--pipelines: unknown pipeline %q (want flow, dns, proxy)", p)
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil, usageErr("--pipelines: no pipeline given")
	}
	return out, nil
}

var zoneRE = regexp.MustCompile(`^([^=\s,]+)=([+-])([0-9]{2}):([0-9]{2})$`)

// zonesFlag parses --dns-timezone: TOKEN=±HH:MM[,…], offsets in seconds.
func zonesFlag(s string) (map[string]int64, error) {
	out := map[string]int64{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		m := zoneRE.FindStringSubmatch(part)
		if m == nil {
			return nil, usageErr("--dns-timezone: %q is not TOKEN=±HH:MM (e.g. PDT=-07:00)", part)
		}
		h, _ := strconv.Atoi(m[3])
		mi, _ := strconv.Atoi(m[4])
		if h > 14 || mi > 59 {
			return nil, usageErr("--dns-timezone: %q: offset out of range (at most ±14:00)", part)
		}
		off := int64(h*3600 + mi*60)
		if m[2] == "-" {
			off = -off
		}
		if _, dup := out[m[1]]; dup {
			return nil, usageErr("--dns-timezone: %s given twice", m[1])
		}
		out[m[1]] = off
	}
	return out, nil
}

func formatFlag(s string) (report.Format, error) {
	f, err := report.ParseFormat(s)
	if err != nil {
		return "", withCode(exitUsage, fmt.Errorf("--format: %w", err))
	}
	return f, nil
}
