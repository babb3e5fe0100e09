package main

import (
	"context"
	"io"
	"os"
	"time"

	"spotmigrate/manifest"
	"spotmigrate/validate"
)

type validateOptions struct {
	oaPath, pipelines, format, output, workDir, memory string
	reportDir                                          string
	ianaDir, dnsZones                                  string
	strict, followLinks                                bool
}

func (o *validateOptions) addFlags(fs interface {
	StringVar(*string, string, string, string)
	BoolVar(*bool, string, bool, string)
}) {
	fs.StringVar(&o.oaPath, "oa-path", "", "the old spot-oa folder, or its data/ folder (required)")
	fs.StringVar(&o.pipelines, "pipelines", "flow,dns,proxy", "comma-separated pipelines to read")
	fs.StringVar(&o.workDir, "work-dir", "", "folder for the work database (default: a temporary folder)")
	fs.StringVar(&o.memory, "memory-limit", "512MB", "memory limit of the embedded DuckDB")
	fs.StringVar(&o.ianaDir, "iana-dir", "", "folder of the IANA registries (iana_config.json or the four CSVs;\n"+
		"default: <spot-oa>/oa/components/iana, else the built-in abe8447 copies)")
	fs.StringVar(&o.dnsZones, "dns-timezone", "", "UTC offsets of DNS frame-time zone tokens, TOKEN=±HH:MM[,…]\n"+
		"(default: learned per day from dns_scores.csv; UTC and GMT are +00:00)")
	fs.BoolVar(&o.strict, "strict", false, "reject the rows that would land with a notice")
	fs.BoolVar(&o.followLinks, "follow-symlinks", false, "read what symbolic links in the tree point to (by default a link is a file error); the archive keeps a copy of their content")
}

func (o *validateOptions) options(progress validate.Progress) (validate.Options, error) {
	if o.oaPath == "" {
		return validate.Options{}, usageErr("--oa-path is required")
	}
	pipes, err := pipelinesFlag(o.pipelines)
	if err != nil {
		return validate.Options{}, err
	}
	zones, err := zonesFlag(o.dnsZones)
	if err != nil {
		return validate.Options{}, err
	}
	if o.ianaDir != "" {
		if st, err := os.Stat(o.ianaDir); err != nil || !st.IsDir() {
			return validate.Options{}, usageErr("--iana-dir: %s is not a folder", o.ianaDir)
		}
	}
	return validate.Options{OAPath: o.oaPath, Pipelines: pipes, WorkDir: o.workDir,
		MemoryLimit: o.memory, Progress: progress, IANADir: o.ianaDir, DNSZones: zones,
		Strict: o.strict, FollowSymlinks: o.followLinks}, nil
}

func runValidate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	prov := startProvenance(append([]string{"validate"}, args...))
	var o validateOptions
	fs := newFlags("validate", "--oa-path DIR [--pipelines flow,dns,proxy] [--format table|json|markdown|junit|html] [--output FILE]", stderr)
	o.addFlags(fs)
	fs.StringVar(&o.format, "format", "table", "report format: table, json, markdown, junit or html")
	fs.StringVar(&o.output, "output", "", "write the report to FILE instead of standard output")
	fs.StringVar(&o.reportDir, "report-dir", "", "also write the report in every format into a new timestamped folder in DIR")
	if err := parse(fs, args); err != nil {
		return err
	}
	format, err := formatFlag(o.format)
	if err != nil {
		return err
	}
	opt, err := o.options(newProgress(stderr, "validate"))
	if err != nil {
		return err
	}
	sweepScratch(stderr)
	withDuckDB(ctx, prov)
	m, err := validate.Run(ctx, opt)
	if err != nil {
		return err
	}
	p := prov.Finish(time.Now())
	p.OAPath = absPath(o.oaPath)
	if err := m.SetProvenance(p); err != nil {
		return err
	}
	if err := writeReport(o.output, stdout, stderr, func(w io.Writer) error { return m.Write(w, format) }, m.Verdict()); err != nil {
		return err
	}
	if err := writeReportDir(o.reportDir, "validate", stderr, m.Write); err != nil {
		return err
	}
	return manifestOutcome(m)
}

// manifestOutcome maps a manifest to the exit code of validate.
func manifestOutcome(m *manifest.Manifest) error {
	switch {
	case m.Summary.Unreadable > 0:
		return withCode(exitUsage, errReported)
	case !m.Clean():
		return withCode(exitRejects, errReported)
	}
	return nil
}
