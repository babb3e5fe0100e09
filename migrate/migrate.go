package migrate

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"spotmigrate/archive"
	"spotmigrate/catalog"
	"spotmigrate/internal/scratch"
	"spotmigrate/manifest"
	"spotmigrate/oafiles"
	"spotmigrate/provenance"
	"spotmigrate/reconcile"
	"spotmigrate/report"
	"spotmigrate/validate"
)

// Options configure a migration.
type Options struct {
	Validate validate.Options
	// Manifest, when set, is a preflight manifest the tree must still match.
	Manifest   string
	Engine     Engine
	DB         string
	StagingDB  string
	StagingDir string // local staging folder
	ArchiveDir string // default <data>/backup
	NoArchive  bool
	// AcceptTreeChange lets a run go on when the tree lost or changed
	// files since the run the target was migrated from (the pin).
	AcceptTreeChange bool
	MaxRejects       int64
	// NotebookTemplates and NewOAPath, both set, make the run create the
	// per-date notebooks of every migrated date below NewOAPath.
	NotebookTemplates, NewOAPath string
	// RebuildLedger moves a damaged ledger aside and starts a new one from
	// the target and the manifest (and the archives found).
	RebuildLedger bool
	DryRun        bool
	KeepStage     bool
	// Log receives the plan (always on a dry run).
	Log io.Writer
	// BeforeReconcile, when set, runs on the target after loading (tests
	// use it to tamper with the target).
	BeforeReconcile func(ctx context.Context, db DB) error
	// Provenance, when set, is the run's provenance (build, start, host,
	// user, arguments, OA path): the manifest gets a copy ended when the
	// tree was read, the reconcile report one ended when the target was
	// compared, both naming the target.
	Provenance *provenance.Provenance
}

// Result is the outcome of a migration.
type Result struct {
	Manifest  *manifest.Manifest
	Reconcile *reconcile.Report
	Loaded    []string          // tables loaded by this run
	Verified  []string          // tables that already matched and were left alone
	Archived  map[string]string // pipeline → archive folder
	Held      map[string]string // pipeline → why it was not archived
	Resumed   []string          // dirty units found at start
	// Recovered are the archives a crash interrupted, finished or rolled
	// back at start ("flow (archived)").
	Recovered []string
	// KeptNotebooks are the notebooks found in place and not overwritten.
	KeptNotebooks []string
	// HeldForFiles lists the pipelines not archived because of rejected
	// rows, file errors, or files that changed since they were validated.
	HeldForFiles []string
	// Statements counts the target statements per table.
	Statements map[string]int
	// ManifestPath is where the run's manifest was saved.
	ManifestPath string
}

// Migrate runs the whole migration.
func Migrate(ctx context.Context, opt Options) (*Result, error) {
	root, err := validate.FindRoot(opt.Validate.OAPath)
	if err != nil {
		return nil, err
	}
	unlockTree, err := LockTree(root)
	if err != nil {
		return nil, err
	}
	defer unlockTree()
	unlockTarget, err := LockTarget(opt.Engine, false)
	if err != nil {
		return nil, err
	}
	defer unlockTarget()
	led, err := openRunLedger(opt, root)
	if err != nil {
		return nil, err
	}
	// an interrupted run stops within a file's copy, the state left as a
	// crash would leave it
	archive.Canceled = ctx.Err
	archive.Step = func(name string) error {
		if err := ctx.Err(); err != nil {
			return err
		}
		return failpoint(name)
	}
	var recovered []string
	if !opt.DryRun {
		if recovered, err = recoverArchives(led); err != nil {
			return nil, err
		}
	}
	stage, cleanStage, err := stagingDir(opt)
	if err != nil {
		return nil, err
	}
	defer cleanStage()
	mg := &migration{opt: opt, led: led, root: root, parts: map[string][]manifest.Partition{}, done: map[string]bool{},
		r:   newRunner(opt.DryRun, opt.Log),
		res: &Result{Archived: map[string]string{}, Held: map[string]string{}, Resumed: led.Dirty(), Recovered: recovered}}
	mg.res.Statements = mg.r.stmts
	mg.opt.StagingDir = stage
	return mg.res, mg.run(ctx)
}

// validate reads the tree, staging its rows in the same read, and keeps
// the manifest.
func (mg *migration) validate(ctx context.Context) error {
	vopt := mg.opt.Validate
	if !mg.opt.DryRun {
		vopt.Stage = mg.opt.StagingDir
	}
	t0 := time.Now()
	m, err := validate.Run(ctx, vopt)
	if err != nil {
		return err
	}
	trace("validate", t0)
	mg.m, mg.res.Manifest = m, m
	if err := checkPreflight(mg.opt.Manifest, m); err != nil {
		return err
	}
	next, err := mg.checkPin(m)
	if err != nil {
		return err
	}
	if err := addArchived(m, mg.root, mg.led); err != nil {
		return err
	}
	if mg.opt.Provenance != nil {
		p := mg.opt.Provenance.Finish(time.Now())
		p.Target = mg.opt.Engine.Name()
		m.Provenance = p
	}
	for _, p := range m.Partitions {
		mg.parts[p.Table] = append(mg.parts[p.Table], p)
	}
	if err := mg.checkShrink(); err != nil {
		return err
	}
	if mg.opt.DryRun {
		return nil
	}
	if err := next.save(PinPath(mg.opt.Engine)); err != nil {
		return err
	}
	mg.res.ManifestPath = ManifestPath(mg.opt.Engine)
	return mg.saveManifest()
}

// stagingDir returns the local staging folder of a run, empty (the
// validation writes into it), and the function that removes a temporary
// one. With --keep-staging the folder stays.
func stagingDir(opt Options) (string, func(), error) {
	dir := opt.StagingDir
	switch {
	case dir == "" && opt.Validate.WorkDir != "":
		dir = filepath.Join(opt.Validate.WorkDir, "staging")
	case dir == "":
		tmp, release, err := scratch.New("spotmigrate-stage-")
		if err != nil {
			return "", nil, fmt.Errorf("failed to create staging folder: %w", err)
		}
		if opt.KeepStage {
			return tmp, func() {}, nil
		}
		return tmp, release, nil
	}
	if !opt.DryRun {
		if err := os.RemoveAll(dir); err != nil {
			return "", nil, fmt.Errorf("failed to clear staging folder %s: %w", dir, err)
		}
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return "", nil, fmt.Errorf("failed to create staging folder %s: %w", dir, err)
		}
	}
	return dir, func() {
		if !opt.KeepStage {
			_ = os.RemoveAll(dir)
		}
	}, nil
}

type migration struct {
	opt  Options
	m    *manifest.Manifest
	led  *Ledger
	root string
	r    *runner
	db   DB
	res  *Result
	// parts are the manifest partitions of each table, known as soon as
	// its source has been read.
	parts map[string][]manifest.Partition
	// done are the tables loaded or verified.
	done map[string]bool
	// verified is the reconcile of the tables left alone (verify).
	verified *reconcile.Report
	// manifestJSON is the manifest as last saved, which the archives keep
	// and the reconcile report names by its sha256.
	manifestJSON []byte
}

func (mg *migration) run(ctx context.Context) (err error) {
	// the whole tree is read before the target is touched (loading each
	// table while the next sources were read was measured slower on two
	// cores: 29.2 s against 27.0 s on the 1 GB tree, and 1.19 GiB)
	if err := mg.validate(ctx); err != nil {
		return err
	}
	if !mg.opt.DryRun {
		if mg.db, err = mg.opt.Engine.Open(ctx); err != nil {
			return err
		}
		defer func() { _ = mg.opt.Engine.Close() }()
	}
	if err := mg.createTables(ctx); err != nil {
		return err
	}
	if err := mg.createStagingDB(ctx); err != nil {
		return err
	}
	defer func() {
		if !mg.opt.KeepStage {
			if cerr := mg.dropStaging(context.WithoutCancel(ctx)); cerr != nil && err == nil {
				err = cerr
			}
		}
	}()
	for i := range catalog.Mappings {
		if err := mg.table(ctx, &catalog.Mappings[i]); err != nil {
			return err
		}
	}
	if err := mg.copyFiles(ctx); err != nil {
		return err
	}
	if err := mg.notebooks(ctx); err != nil {
		return err
	}
	if mg.opt.DryRun {
		return mg.planTail()
	}
	if err := failpoint("before-reconcile"); err != nil {
		return err
	}
	if mg.opt.BeforeReconcile != nil {
		if err := mg.opt.BeforeReconcile(ctx, mg.db); err != nil {
			return err
		}
	}
	if err := mg.reconcile(ctx); err != nil {
		return err
	}
	if err := failpoint("after-reconcile"); err != nil {
		return err
	}
	return mg.archive()
}

func (mg *migration) selected(table string) bool {
	t, _ := catalog.TableByName(table)
	return slices.Contains(mg.opt.Validate.Pipelines, t.Pipeline)
}

func (mg *migration) createTables(ctx context.Context) error {
	d := mg.opt.Engine.Dialect()
	if err := mg.r.sql(ctx, mg.db, "target", "", d.CreateDatabase(mg.opt.DB, "")); err != nil {
		return err
	}
	for i := range catalog.Tables {
		t := &catalog.Tables[i]
		if !mg.selected(t.Name) {
			continue
		}
		if err := mg.r.sql(ctx, mg.db, "target", t.Name, d.CreateTable(mg.opt.DB, t, mg.opt.Engine.TableLocation(t.Name))); err != nil {
			return err
		}
	}
	return nil
}

// table loads one table, unless the ledger says a previous run reconciled
// every unit of it as the manifest expects and the target still matches:
// then it is left alone. The target is checksummed once per table per run.
func (mg *migration) table(ctx context.Context, mp *catalog.Mapping) error {
	if !mg.selected(mp.Table) || len(mg.units(mp.Table)) == 0 || mg.done[mp.Table] {
		return nil
	}
	mg.done[mp.Table] = true
	ok, err := mg.verify(ctx, mp.Table)
	if err != nil || ok {
		return err
	}
	if err := mg.loadTable(ctx, mp); err != nil {
		return err
	}
	mg.res.Loaded = append(mg.res.Loaded, mp.Table)
	return nil
}

// verify checksums a table the ledger says is reconciled (every table when
// the ledger is being rebuilt); true when every unit still matches.
func (mg *migration) verify(ctx context.Context, table string) (bool, error) {
	if mg.opt.DryRun || !mg.led.rebuilt && !mg.led.reconciled(mg.units(table)) {
		return false, nil
	}
	m := &manifest.Manifest{Pipelines: mg.opt.Validate.Pipelines, Partitions: mg.parts[table]}
	rep, err := reconcile.RunTables(ctx, mg.db, mg.opt.Engine.Dialect(), mg.opt.DB, mg.opt.Engine.Name(), m,
		func(t string) bool { return t == table })
	if err != nil || !rep.OK() {
		return false, err
	}
	mg.res.Verified = append(mg.res.Verified, table)
	if mg.verified == nil {
		mg.verified = rep
	} else {
		mg.verified.Add(rep)
	}
	return true, nil
}

func (mg *migration) createStagingDB(ctx context.Context) error {
	return mg.r.sql(ctx, mg.db, "target", "", mg.opt.Engine.Dialect().CreateDatabase(mg.opt.StagingDB, mg.opt.Engine.StagingDBLocation()))
}

func (mg *migration) dropStaging(ctx context.Context) error {
	err := mg.r.sql(ctx, mg.db, "target", "", mg.opt.Engine.Dialect().DropDatabase(mg.opt.StagingDB))
	if cerr := mg.opt.Engine.Cleanup(ctx, mg.r); cerr != nil && err == nil {
		err = cerr
	}
	if rerr := mg.r.op("fs", "remove local staging folder "+mg.opt.StagingDir, func() error {
		return os.RemoveAll(mg.opt.StagingDir)
	}); rerr != nil && err == nil {
		err = rerr
	}
	return err
}

// units lists the manifest units of a table.
func (mg *migration) units(table string) []unitKey {
	var out []unitKey
	for _, p := range mg.parts[table] {
		out = append(out, unitKey{name: p.Name(), rows: p.Rows, checksum: p.Checksum})
	}
	return out
}

// staged is the staging folder of a table.
func (mg *migration) staged(table string) string { return filepath.Join(mg.opt.StagingDir, table) }

// loadTable stages and loads one table, replacing its staged partitions.
func (mg *migration) loadTable(ctx context.Context, mp *catalog.Mapping) error {
	t, _ := catalog.TableByName(mp.Table)
	d := mg.opt.Engine.Dialect()
	units := mg.units(t.Name)
	if len(units) == 0 {
		return nil
	}
	if err := mg.mark(units, PhaseStaged, true); err != nil {
		return err
	}
	mg.r.say("stage", fmt.Sprintf("%d partition(s) of %s, written as Parquet by the read of the tree, in %s", len(units), t.Name, mg.staged(t.Name)))
	if err := mg.opt.Engine.Upload(ctx, mg.r, t.Name, mg.staged(t.Name)); err != nil {
		return err
	}
	if err := failpoint("after-stage"); err != nil {
		return err
	}
	for _, q := range d.CreateStaging(mg.opt.StagingDB, t, mg.opt.Engine.StagingLocation(t.Name, mg.staged(t.Name))) {
		if err := mg.r.sql(ctx, mg.db, "target", t.Name, q); err != nil {
			return err
		}
	}
	if err := mg.mark(units, PhaseLoaded, true); err != nil {
		return err
	}
	if err := mg.runLoad(ctx, t.Name, d.LoadTable(mg.opt.DB, mg.opt.StagingDB, t)); err != nil {
		return err
	}
	after := d.Refresh(mg.opt.DB, t)
	if q := d.ComputeStats(mg.opt.DB, t); q != "" && mg.opt.Engine.Stats() {
		after = append(after, q)
	}
	for _, q := range after {
		if err := mg.r.sql(ctx, mg.db, "target", t.Name, q); err != nil {
			return err
		}
	}
	if err := mg.mark(units, PhaseLoaded, false); err != nil {
		return err
	}
	return failpoint("after-load")
}

// runLoad runs the load statements of a table, in one transaction where the
// engine has them. The mid-load failpoint sits between the statements.
func (mg *migration) runLoad(ctx context.Context, table string, stmts []string) error {
	tx := mg.opt.Engine.Transactions()
	if tx {
		if err := mg.r.sql(ctx, mg.db, "target", table, "BEGIN TRANSACTION"); err != nil {
			return err
		}
	}
	for i, q := range stmts {
		if i > 0 && !mg.opt.DryRun {
			if err := failpoint("mid-load"); err != nil {
				_ = mg.r.sql(ctx, mg.db, "target", table, "ROLLBACK")
				return err
			}
		}
		if err := mg.r.sql(ctx, mg.db, "target", table, q); err != nil {
			if tx {
				_ = mg.r.sql(context.WithoutCancel(ctx), mg.db, "target", table, "ROLLBACK")
			}
			return err
		}
	}
	if tx {
		return mg.r.sql(ctx, mg.db, "target", table, "COMMIT")
	}
	return nil
}

func (mg *migration) mark(units []unitKey, phase string, dirty bool) error {
	if mg.opt.DryRun {
		return nil
	}
	return mg.led.mark(units, phase, dirty)
}

// reconcile checksums the tables this run loaded and adds the tables it
// verified before (preReconcile), then records the units that match.
func (mg *migration) reconcile(ctx context.Context) error {
	defer trace("reconcile", time.Now())
	rep, err := reconcile.RunTables(ctx, mg.db, mg.opt.Engine.Dialect(), mg.opt.DB, mg.opt.Engine.Name(), mg.m,
		func(t string) bool { return !mg.isVerified(t) })
	if err != nil {
		return err
	}
	if mg.verified != nil {
		rep.Add(mg.verified)
	}
	if err := mg.checkFiles(ctx, rep); err != nil {
		return err
	}
	if mg.opt.Provenance != nil {
		rep.Provenance = mg.opt.Provenance.Finish(time.Now())
		rep.Provenance.Target = mg.opt.Engine.Name()
		rep.Provenance.ManifestSHA256 = sha256Hex(mg.manifestJSON)
	}
	mg.res.Reconcile = rep
	var ok []unitKey
	for _, u := range rep.Units {
		if u.Status == reconcile.Match {
			ok = append(ok, unitKey{name: u.Name(), rows: u.ActualRows, checksum: u.ActualChecksum})
		}
	}
	matched := map[string]bool{}
	for _, f := range rep.Files {
		matched[f.Kind+":"+f.Dest] = f.Status == reconcile.FileMatch
	}
	for _, c := range mg.m.Copies {
		if matched[c.Kind+":"+c.Dest] {
			ok = append(ok, fileUnit(c))
		}
	}
	return mg.led.mark(ok, PhaseReconciled, false)
}

// isVerified is true for a table preReconcile found matching.
func (mg *migration) isVerified(table string) bool { return slices.Contains(mg.res.Verified, table) }

// planTail prints what a real run does after loading.
func (mg *migration) planTail() error {
	mg.r.say("check", fmt.Sprintf("reconcile %d partition(s) of %d table(s) against the manifest", len(mg.m.Partitions), len(mg.res.Loaded)))
	for _, pipe := range mg.m.Pipelines {
		if mg.opt.NoArchive {
			break
		}
		mg.r.say("fs", fmt.Sprintf("if every %s partition reconciles and rejects ≤ %d: move %s to %s", pipe,
			mg.opt.MaxRejects, filepath.Join(mg.root, pipe), mg.archiveDest(pipe)))
	}
	return nil
}

func (mg *migration) archiveDest(pipe string) string {
	return archive.FreeName(archiveRoot(mg.opt, mg.root), pipe)
}

// archiveRoot is the folder pipeline folders are archived into.
func archiveRoot(opt Options, root string) string {
	if opt.ArchiveDir != "" {
		return opt.ArchiveDir
	}
	return filepath.Join(root, "backup")
}

// rejectsOf counts the rejected rows and file errors of a pipeline.
func (mg *migration) rejectsOf(pipe string) int64 {
	var n int64
	for _, f := range mg.m.Files {
		if f.Pipeline == pipe {
			n += f.Rejected
			if f.Error != "" {
				n++
			}
		}
	}
	return n
}

// archive moves each pipeline that reconciled, within the reject budget.
func (mg *migration) archive() error {
	for _, pipe := range mg.m.Pipelines {
		src := filepath.Join(mg.root, pipe)
		switch {
		case mg.opt.NoArchive:
			mg.res.Held[pipe] = "--no-archive"
			continue
		case !mg.res.Reconcile.PipelineOK(pipe):
			mg.res.Held[pipe] = "reconcile failed"
			continue
		case mg.rejectsOf(pipe) > mg.opt.MaxRejects:
			mg.res.HeldForFiles = append(mg.res.HeldForFiles, pipe)
			mg.res.Held[pipe] = fmt.Sprintf("%d rejected row(s) or file error(s), more than --max-rejects %d", mg.rejectsOf(pipe), mg.opt.MaxRejects)
			continue
		}
		if _, err := os.Stat(src); errors.Is(err, os.ErrNotExist) {
			continue
		}
		if err := failpoint("before-archive"); err != nil {
			return err
		}
		meta, err := mg.archiveMeta()
		if err != nil {
			return err
		}
		if err := mg.archivePipeline(pipe, src, meta); err != nil {
			return err
		}
	}
	return nil
}

// archivePipeline moves one pipeline folder to its archive. The intent is
// in the ledger before the first byte moves, so that the next run finishes
// or rolls back a move a crash interrupted (recoverArchives).
func (mg *migration) archivePipeline(pipe, src string, meta map[string][]byte) error {
	dst := mg.archiveDest(pipe)
	a := &Archived{From: src, To: dst, At: time.Now().UTC().Format(time.RFC3339)}
	mg.led.Archiving[pipe] = a
	if err := mg.led.save(); err != nil {
		return err
	}
	known := mg.archivedFiles(pipe)
	opt := archive.Options{FollowSymlinks: mg.opt.Validate.FollowSymlinks}
	err := mg.r.op("fs", "archive "+src+" to "+dst, func() error { return archive.MoveWith(src, dst, known, meta, opt) })
	if errors.Is(err, archive.ErrChanged) {
		// the folder stays where it is: the run goes on and says why
		mg.res.HeldForFiles = append(mg.res.HeldForFiles, pipe)
		mg.res.Held[pipe] = "its folder changed since it was validated (" + err.Error() + "); validate and migrate again"
		delete(mg.led.Archiving, pipe)
		return mg.led.save()
	}
	if err != nil {
		// Move left src as it was, or dst in place: settle it now
		if state, rerr := archive.Recover(src, dst); rerr == nil {
			if state == archive.Archived {
				mg.led.Archived[pipe] = a
			}
			delete(mg.led.Archiving, pipe)
			_ = mg.led.save()
		}
		return err
	}
	mg.res.Archived[pipe] = dst
	mg.led.Archived[pipe] = a
	delete(mg.led.Archiving, pipe)
	return mg.led.save()
}

// recoverArchives finishes or rolls back the archives a crash interrupted,
// before the tree is read.
func recoverArchives(led *Ledger) ([]string, error) {
	var done []string
	for _, pipe := range catalog.Pipelines {
		a := led.Archiving[pipe]
		if a == nil {
			continue
		}
		state, err := archive.Recover(a.From, a.To)
		if err != nil {
			return done, fmt.Errorf("failed to recover the interrupted archive of %s (%s to %s): %w", pipe, a.From, a.To, err)
		}
		if state == archive.Archived {
			led.Archived[pipe] = a
		}
		delete(led.Archiving, pipe)
		if err := led.save(); err != nil {
			return done, err
		}
		done = append(done, fmt.Sprintf("%s (%s)", pipe, state))
	}
	return done, nil
}

// archivedFiles are the files of a pipeline folder that validate hashed,
// relative to that folder: the archive reuses their sha256.
func (mg *migration) archivedFiles(pipe string) []archive.Entry {
	var out []archive.Entry
	for _, f := range mg.m.Files {
		if rel, ok := strings.CutPrefix(f.Path, pipe+"/"); ok && f.Pipeline == pipe && f.SHA256 != "" {
			out = append(out, archive.Entry{Path: rel, Bytes: f.Bytes, SHA256: f.SHA256, ModTime: f.ModTime})
		}
	}
	for _, c := range mg.m.Copies {
		if rel, ok := strings.CutPrefix(c.Source, pipe+"/"); ok && c.Pipeline == pipe && c.Kind != oafiles.Notebook {
			out = append(out, archive.Entry{Path: rel, Bytes: c.SourceBytes, SHA256: c.SourceSHA256})
		}
	}
	return out
}

// archiveMeta is what an archive keeps beside the files: the manifest as
// saved beside the target, and the reconcile report.
func (mg *migration) archiveMeta() (map[string][]byte, error) {
	var rec strings.Builder
	if err := mg.res.Reconcile.Write(&rec, report.JSON); err != nil {
		return nil, err
	}
	return map[string][]byte{"manifest.json": mg.manifestJSON, "reconcile.json": []byte(rec.String())}, nil
}

// ErrTreeChanged is returned when the tree no longer matches the preflight
// manifest given with --manifest.
var ErrTreeChanged = errors.New("the tree changed since the manifest was written (validate again)")

// checkPreflight refuses when the tree no longer matches a preflight manifest.
func checkPreflight(path string, m *manifest.Manifest) error {
	if path == "" {
		return nil
	}
	pre, err := manifest.Read(path)
	if err != nil {
		return err
	}
	want := map[string]string{}
	for _, f := range pre.Files {
		want[f.Path] = f.SHA256
	}
	for _, f := range m.Files {
		sum, ok := want[f.Path]
		if !ok {
			return fmt.Errorf("failed to match manifest %s: %s is new: %w", path, f.Path, ErrTreeChanged)
		}
		if sum != f.SHA256 {
			return fmt.Errorf("failed to match manifest %s: %s changed: %w", path, f.Path, ErrTreeChanged)
		}
		delete(want, f.Path)
	}
	for p := range want {
		return fmt.Errorf("failed to match manifest %s: %s is gone: %w", path, p, ErrTreeChanged)
	}
	return nil
}

// ManifestPath is where migrate keeps the manifest of a target, for
// reconcile to read by default.
func ManifestPath(e Engine) string {
	return strings.TrimSuffix(e.LedgerPath(), ".ledger.json") + ".manifest.json"
}

// saveManifest writes the run's manifest beside the target, its
// provenance's manifest_sha256 brought up to date, and keeps its bytes.
func (mg *migration) saveManifest() error {
	m := mg.m
	if m.Provenance != nil {
		if err := m.SetProvenance(m.Provenance); err != nil {
			return err
		}
	}
	b, err := json.MarshalIndent(m, "", "  ")
	if err != nil {
		return fmt.Errorf("failed to encode manifest: %w", err)
	}
	if err := writeSynced(mg.res.ManifestPath, b); err != nil {
		return fmt.Errorf("failed to write manifest: %w", err)
	}
	mg.manifestJSON = b
	return nil
}

// addArchived adds to m the partitions of pipelines a previous run archived
// (their folders are gone from the tree), so that a re-run verifies them.
func addArchived(m *manifest.Manifest, root string, led *Ledger) error {
	for _, pipe := range m.Pipelines {
		a := led.Archived[pipe]
		if a == nil {
			continue
		}
		if _, err := os.Stat(filepath.Join(root, pipe)); err == nil {
			continue
		}
		old, err := manifest.Read(filepath.Join(a.To, archive.MetaDir, "manifest.json"))
		if err != nil {
			return fmt.Errorf("failed to read the manifest of archived pipeline %s: %w", pipe, err)
		}
		for _, p := range old.Partitions {
			if t, _ := catalog.TableByName(p.Table); t.Pipeline == pipe {
				m.Partitions = append(m.Partitions, p)
			}
		}
	}
	return nil
}
