package main

import (
	"context"
	"io"
	"time"

	"spotmigrate/dialect"
	"spotmigrate/migrate"
	"spotmigrate/reconcile"
)

func runReconcile(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	prov := startProvenance(append([]string{"reconcile"}, args...))
	fs := newFlags("reconcile", "[--manifest FILE] [--target FILE.duckdb] [--db spot] [--format table|json|markdown|junit|html] [--output FILE]", stderr)
	manifestPath := fs.String("manifest", "", "manifest to compare with (default: the one migrate kept beside the target)")
	target := fs.String("target", "spot.duckdb", "embedded target: a DuckDB database file")
	filesRoot := fs.String("files-root", "", "embedded target: the folder the copied files went to (default: <target>.files)")
	db := fs.String("db", "spot", "database (schema) of the Spot 1.0 tables")
	format := fs.String("format", "table", "report format: table, json, markdown, junit or html")
	output := fs.String("output", "", "write the report to FILE")
	reportDir := fs.String("report-dir", "", "also write the report in every format into a new timestamped folder in DIR")
	var ro remoteOptions
	ro.addFlags(fs)
	if err := parse(fs, args); err != nil {
		return err
	}
	if err := dialect.CheckIdent("--db", *db); err != nil {
		return withCode(exitUsage, err)
	}
	f, err := formatFlag(*format)
	if err != nil {
		return err
	}
	var engine migrate.Engine = &migrate.Embedded{Path: *target, FilesRoot: *filesRoot}
	if ro.impala != "" {
		if engine, err = ro.engine(*db); err != nil {
			return err
		}
	} else if err := requireFile(*target); err != nil {
		return err
	}
	unlock, err := migrate.LockTarget(engine, true)
	if err != nil {
		return err
	}
	defer unlock()
	if *manifestPath == "" {
		*manifestPath = migrate.ManifestPath(engine)
	}
	m, manifestSum, err := readManifest(*manifestPath)
	if err != nil {
		return err
	}
	withDuckDB(ctx, prov)
	conn, err := engine.Open(ctx)
	if err != nil {
		return err
	}
	defer func() { _ = engine.Close() }()
	rep, err := reconcile.Run(ctx, conn, engine.Dialect(), *db, engine.Name(), m)
	if err != nil {
		return err
	}
	files, err := engine.Files()
	if err != nil {
		return err
	}
	if err := rep.CheckFiles(ctx, m, files, migrate.NotebookStore(m)); err != nil {
		return err
	}
	rep.Provenance = prov.Finish(time.Now())
	rep.Provenance.ManifestSHA256, rep.Provenance.Target = manifestSum, engine.Name()
	if m.Provenance != nil {
		rep.Provenance.OAPath = m.Provenance.OAPath
	}
	if err := writeReport(*output, stdout, stderr, func(w io.Writer) error { return rep.Write(w, f) }, rep.Verdict()); err != nil {
		return err
	}
	if err := writeReportDir(*reportDir, "reconcile", stderr, rep.Write); err != nil {
		return err
	}
	if !rep.OK() {
		return withCode(exitMismatch, errReported)
	}
	return nil
}
