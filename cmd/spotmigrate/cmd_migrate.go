package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"sort"

	"spotmigrate/dialect"
	"spotmigrate/manifest"
	"spotmigrate/migrate"
	"spotmigrate/provenance"
)

type migrateOptions struct {
	validateOptions
	remoteOptions
	manifest, target, db, stagingDB, stagingDir, archiveDir string
	noArchive, dryRun, keepStaging, verbose, acceptChange   bool
	rebuildLedger                                           bool
	filesRoot, notebookTemplates, newOAPath                 string
	maxRejects                                              int64
	spotConf                                                string
	// prov is the run's provenance, begun when the command started.
	prov *provenance.Provenance
}

func (o *migrateOptions) addFlags(fs *flag.FlagSet) {
	o.validateOptions.addFlags(fs)
	fs.StringVar(&o.manifest, "manifest", "", "a preflight manifest (validate --format json) the tree must still match")
	fs.StringVar(&o.target, "target", "spot.duckdb", "embedded target: a DuckDB database file")
	fs.StringVar(&o.db, "db", "spot", "database (schema) of the Spot 1.0 tables")
	fs.StringVar(&o.stagingDB, "staging-db", "spot_migration", "staging database, dropped at the end")
	fs.StringVar(&o.stagingDir, "staging-dir", "", "local folder for the staging Parquet files (default: in the work folder)")
	fs.StringVar(&o.archiveDir, "archive-dir", "", "where migrated pipeline folders are moved (default: <data>/backup)")
	fs.StringVar(&o.filesRoot, "files-root", "", "embedded target: the local folder laid out as HDFS's HUSER that storyboard JSON and feedback go to (default: <target>.files)")
	fs.StringVar(&o.notebookTemplates, "notebook-templates", "", "the new install's spot-oa/oa folder (holding <pipe>/ipynb_templates/): with --new-oa-path, create the per-date notebooks")
	fs.StringVar(&o.newOAPath, "new-oa-path", "", "the new install's spot-oa folder, where ipynb/<pipe>/<YYYYMMDD>/ notebooks are created (never overwritten)")
	fs.BoolVar(&o.noArchive, "no-archive", false, "never archive the old pipeline folders")
	fs.BoolVar(&o.acceptChange, "accept-tree-change", false, "go on when the tree lost or changed files since this target was migrated from it (after review)")
	fs.BoolVar(&o.rebuildLedger, "rebuild-ledger", false, "move a damaged ledger aside and rebuild it from the target, the manifest and the archives")
	fs.BoolVar(&o.dryRun, "dry-run", false, "print the plan (every statement and file operation) and stop")
	fs.BoolVar(&o.keepStaging, "keep-staging", false, "keep the staging database and files")
	fs.BoolVar(&o.verbose, "verbose", false, "print each statement and file operation as it runs")
	fs.Int64Var(&o.maxRejects, "max-rejects", 0, "archive a pipeline only if its rejected rows and file errors are at most N")
	o.remoteOptions.addFlags(fs)
	fs.StringVar(&o.spotConf, "spot-conf", "", "read DBNAME, HUSER, IMPALA_DEM and IMPALA_PORT from a Spot 1.0 spot.conf as defaults")
}

// applySpotConf uses spot.conf values for the flags the user did not set.
func (o *migrateOptions) applySpotConf(fs *flag.FlagSet) error {
	if o.spotConf == "" {
		return nil
	}
	conf, err := readSpotConf(o.spotConf)
	if err != nil {
		return withCode(exitUsage, err)
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if v := conf["DBNAME"]; v != "" && !set["db"] {
		o.db = v
	}
	if v := conf["HUSER"]; v != "" && !set["huser"] {
		o.huser = v
	}
	if v := conf["IMPALA_DEM"]; v != "" && !set["impala"] {
		o.impala = v
		if p := conf["IMPALA_PORT"]; p != "" {
			o.impala += ":" + p
		}
	}
	return nil
}

func runMigrate(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := migrateOptions{prov: startProvenance(append([]string{"migrate"}, args...))}
	fs := newFlags("migrate", "--oa-path DIR [--pipelines …] [--target FILE.duckdb] [--db spot] [--archive-dir DIR] [--no-archive] [--dry-run]", stderr)
	o.addFlags(fs)
	fs.StringVar(&o.format, "format", "table", "reconcile report format: table, json, markdown, junit or html")
	fs.StringVar(&o.output, "output", "", "write the reconcile report to FILE")
	fs.StringVar(&o.reportDir, "report-dir", "", "also write the reconcile report in every format into a new timestamped folder in DIR")
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := o.applySpotConf(fs); err != nil {
		return err
	}
	return o.run(ctx, stdout, stderr)
}

func (o *migrateOptions) run(ctx context.Context, stdout, stderr io.Writer) error {
	format, err := formatFlag(o.format)
	if err != nil {
		return err
	}
	for what, name := range map[string]string{"--db": o.db, "--staging-db": o.stagingDB} {
		if err := dialect.CheckIdent(what, name); err != nil {
			return withCode(exitUsage, err)
		}
	}
	if o.db == o.stagingDB {
		return usageErr("--staging-db must differ from --db (the staging database is dropped at the end)")
	}
	if (o.notebookTemplates == "") != (o.newOAPath == "") {
		return usageErr("--notebook-templates and --new-oa-path go together")
	}
	if o.maxRejects < 0 {
		return usageErr("--max-rejects must be 0 or more")
	}
	vopt, err := o.options(newProgress(stderr, "validate"))
	if err != nil {
		return err
	}
	sweepScratch(stderr)
	engine, err := o.engine()
	if err != nil {
		return err
	}
	if o.impala != "" {
		// beside an embedded target, elsewhere for a remote one: say where
		fmt.Fprintf(stderr, "Ledger of %s: %s\n", engine.Name(), engine.LedgerPath())
	}
	opt := migrate.Options{Validate: vopt, Manifest: o.manifest, Engine: engine, DB: o.db, StagingDB: o.stagingDB,
		StagingDir: o.stagingDir, ArchiveDir: o.archiveDir, NoArchive: o.noArchive, AcceptTreeChange: o.acceptChange, MaxRejects: o.maxRejects,
		RebuildLedger: o.rebuildLedger, NotebookTemplates: o.notebookTemplates, NewOAPath: o.newOAPath,
		DryRun: o.dryRun, KeepStage: o.keepStaging}
	if !o.dryRun {
		opt.Provenance = withDuckDB(ctx, o.prov)
		opt.Provenance.OAPath = absPath(o.oaPath)
	}
	if o.dryRun || o.verbose {
		opt.Log = stdout
		if o.dryRun {
			fmt.Fprintf(stdout, "Plan for %s (dry run: nothing is changed)\n", engine.Name())
		}
	}
	res, err := migrate.Migrate(ctx, opt)
	if err != nil {
		return err // exitCode maps it (errorCodes)
	}
	if o.dryRun {
		return nil
	}
	printOutcome(stderr, res)
	if err := writeReport(o.output, stdout, stderr, func(w io.Writer) error { return res.Reconcile.Write(w, format) }, res.Reconcile.Verdict()); err != nil {
		return err
	}
	if err := writeReportDir(o.reportDir, "migrate", stderr, res.Reconcile.Write); err != nil {
		return err
	}
	switch {
	case !res.Reconcile.OK():
		return withCode(exitMismatch, errReported)
	case len(res.HeldForFiles) > 0 || (o.noArchive && res.Manifest.Summary.Rejected+int64(res.Manifest.Summary.FileErrors) > o.maxRejects):
		return withCode(exitRejects, errReported)
	}
	return nil
}

func (o *migrateOptions) engine() (migrate.Engine, error) {
	if o.impala != "" {
		return o.remoteOptions.engine(o.db)
	}
	return &migrate.Embedded{Path: o.target, FilesRoot: o.filesRoot}, nil
}

// printOutcome says what the run did, beside the reconcile report.
func printOutcome(w io.Writer, res *migrate.Result) {
	for _, p := range res.KeptNotebooks {
		fmt.Fprintf(w, "Kept the notebook already at %s (never overwritten).\n", p)
	}
	for _, r := range res.Recovered {
		fmt.Fprintf(w, "Recovered the interrupted archive of %s.\n", r)
	}
	if len(res.Resumed) > 0 {
		fmt.Fprintf(w, "Resumed an interrupted run: %d partition(s) were left dirty and were loaded again.\n", len(res.Resumed))
	}
	sum := res.Manifest.Summary
	fmt.Fprintf(w, "Validated %d file(s): %d table rows will land, %d rejected, %d file error(s), %d notice(s).\n",
		sum.Files, sum.Landing, sum.Rejected, sum.FileErrors, sum.Notices)
	fmt.Fprintf(w, "Loaded %d table(s); %d table(s) already matched and were left alone.\n", len(res.Loaded), len(res.Verified))
	if len(res.Statements) > 0 {
		lo, hi := -1, 0
		for _, n := range res.Statements {
			if lo < 0 || n < lo {
				lo = n
			}
			hi = max(hi, n)
		}
		fmt.Fprintf(w, "Target statements per table: %d to %d (whatever the number of day folders).\n", lo, hi)
	}
	var pipes []string
	for p := range res.Archived {
		pipes = append(pipes, p)
	}
	sort.Strings(pipes)
	for _, p := range pipes {
		fmt.Fprintf(w, "Archived %s to %s.\n", p, res.Archived[p])
	}
	pipes = pipes[:0]
	for p := range res.Held {
		pipes = append(pipes, p)
	}
	sort.Strings(pipes)
	for _, p := range pipes {
		fmt.Fprintf(w, "Not archived %s: %s.\n", p, res.Held[p])
	}
	m := res.Manifest
	if m.Summary.Rejected > 0 || m.Summary.FileErrors > 0 {
		fmt.Fprintln(w, "Rejected rows and file errors:")
		printCapped(w, rejectLines(m), m.Summary.Rejected+int64(m.Summary.FileErrors), res.ManifestPath)
	}
	if sum.Notices > 0 {
		fmt.Fprintln(w, "Notices (the rows landed; --strict rejects them):")
		printCapped(w, noticeLines(m), sum.Notices, res.ManifestPath)
	}
}

// outcomeLines caps the rejects and notices migrate prints: the manifest
// holds them all.
const outcomeLines = 20

// printCapped prints up to outcomeLines of lines, then says how many of
// total were left out and where they are.
func printCapped(w io.Writer, lines []string, total int64, manifestPath string) {
	for i, l := range lines {
		if i == outcomeLines {
			break
		}
		fmt.Fprintf(w, "  %s\n", l)
	}
	if rest := total - int64(min(len(lines), outcomeLines)); rest > 0 {
		fmt.Fprintf(w, "  ... %d more; every one is in %s (spotmigrate validate lists them too)\n", rest, manifestPath)
	}
}

// rejectLines lists file errors and rejected rows as path:line:column: reason.
func rejectLines(m *manifest.Manifest) []string {
	var out []string
	for _, f := range m.Files {
		if f.Error != "" {
			out = append(out, manifest.Shown(f.Path)+": "+f.Error)
		}
		for _, r := range f.Rejects {
			out = append(out, r.Location(manifest.Shown(f.Path))+": "+r.Reason)
		}
	}
	return out
}

// noticeLines lists notices as path:line:column: reason.
func noticeLines(m *manifest.Manifest) []string {
	var out []string
	for _, f := range m.Files {
		for _, n := range f.Notices {
			out = append(out, n.Location(manifest.Shown(f.Path))+": "+n.Reason)
		}
	}
	return out
}
