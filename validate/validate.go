package validate

import (
	"context"
	"errors"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"spotmigrate/catalog"
	"spotmigrate/checksum"
	"spotmigrate/iana"
	"spotmigrate/internal/scratch"
	"spotmigrate/manifest"
	"spotmigrate/workdb"
)

// DefaultRejectsListed is how many rejects per file a manifest lists; the
// counts are always exact.
const DefaultRejectsListed = 100

// Options configure a validation.
type Options struct {
	OAPath    string
	Pipelines []string
	// WorkDir holds the work database; empty means a temporary folder that
	// is removed afterwards.
	WorkDir       string
	MemoryLimit   string
	RejectsListed int
	Progress      Progress
	// IANADir holds the registries when the tree has none of its own
	// (--iana-dir); empty means the tree's, else the embedded ones.
	IANADir string
	// DNSZones are UTC offsets in seconds by zone token (--dns-timezone);
	// they override what the dns_scores files say.
	DNSZones map[string]int64
	// Strict turns notices into rejects.
	Strict bool
	// Stage, when set, is a folder where the same read writes the landing
	// rows of every table as staging Parquet (Stage/<table>/y=/m=/d=/):
	// migrate parses each file once.
	Stage string
	// FollowSymlinks reads a symbolic link under a pipeline folder as what
	// it points to (--follow-symlinks); by default every such link is a
	// file error, which holds the archive of its pipeline (see discover).
	FollowSymlinks bool
}

// Progress receives the files and bytes read so far.
type Progress interface {
	Start(files int, bytes int64)
	Advance(files int, bytes int64)
	Finish()
}

type noProgress struct{}

func (noProgress) Start(int, int64)   {}
func (noProgress) Advance(int, int64) {}
func (noProgress) Finish()            {}

// Run validates the tree and returns its manifest.
func Run(ctx context.Context, opt Options) (*manifest.Manifest, error) {
	if err := checkPipelines(opt.Pipelines); err != nil {
		return nil, err
	}
	if opt.Progress == nil {
		opt.Progress = noProgress{}
	}
	if opt.RejectsListed == 0 {
		opt.RejectsListed = DefaultRejectsListed
	}
	root, err := FindRoot(opt.OAPath)
	if err != nil {
		return nil, err
	}
	t0 := time.Now()
	t, err := discoverLinks(root, opt.Pipelines, opt.FollowSymlinks)
	if err != nil {
		return nil, err
	}
	trace("discover", t0)
	reg, err := iana.Load(opt.OAPath, opt.IANADir)
	if err != nil {
		return nil, err
	}
	if opt.Stage != "" {
		if err := os.MkdirAll(opt.Stage, 0o755); err != nil {
			return nil, fmt.Errorf("failed to create staging folder: %w", err)
		}
	}
	dir := opt.WorkDir
	if dir == "" {
		var release func()
		if dir, release, err = scratch.New("spotmigrate-work-"); err != nil {
			return nil, fmt.Errorf("failed to create work folder: %w", err)
		}
		defer release()
	}
	w, err := workdb.Open(ctx, workdb.Options{Dir: dir, MemoryLimit: opt.MemoryLimit, IANA: reg, Zones: opt.DNSZones})
	if err != nil {
		return nil, err
	}
	defer func() { _ = w.Close() }()
	r := &run{opt: opt, w: w, t: t, byRead: map[string]*file{}, byID: map[int]*file{},
		skipLines: map[int]map[int64]bool{}, passed: map[string]bool{}, reduced: map[string]bool{}}
	m, err := r.validate(ctx)
	if m != nil {
		m.Registries = registryFiles(reg)
	}
	return m, err
}

// registryFiles lists the registry files a run resolved coded fields with.
func registryFiles(set *iana.Set) []manifest.Registry {
	out := []manifest.Registry{}
	for _, r := range set.Registries {
		out = append(out, manifest.Registry{Kind: r.Kind, Path: r.Path, SHA256: r.SHA256})
	}
	return out
}

func checkPipelines(p []string) error {
	if len(p) == 0 {
		return fmt.Errorf("failed to validate: no pipeline selected")
	}
	for _, x := range p {
		if !slices.Contains(catalog.Pipelines, x) {
			return fmt.Errorf("failed to validate: unknown pipeline %q (want flow, dns or proxy)", x)
		}
	}
	return nil
}

type run struct {
	opt    Options
	w      *workdb.Work
	t      *tree
	copies []manifest.Copy
	byRead map[string]*file
	byID   map[int]*file
	lastID int
	// skipLines holds, per file, the lines DuckDB rejected (and repeated headers).
	skipLines map[int]map[int64]bool
	// passed are the sources read; reduced the relations built.
	passed, reduced map[string]bool
	// seq numbers the passes (it names their staging files).
	seq int
	// findingsTime is the time spent locating findings (for trace).
	findingsTime time.Duration
}

// trace prints phase durations when SPOTMIGRATE_TRACE is set.
func trace(what string, start time.Time) {
	if os.Getenv("SPOTMIGRATE_TRACE") != "" {
		fmt.Fprintf(os.Stderr, "trace: %-28s %v\n", what, time.Since(start).Round(time.Millisecond))
	}
}

// locateInOrder makes every file with findings go the ordered re-read;
// locatedByValue counts the files whose findings were found by value
// (tests compare the two ways).
var (
	locateInOrder  = false
	locatedByValue = 0
)

// inspectWorkers read files for their header and sha256 while DuckDB reads
// the sources already inspected. One is enough to stay ahead of DuckDB;
// more take CPU from it (measured: 3 workers cost 2 s on the 1 GB tree).
const inspectWorkers = 1

// validate reads the sources one after the other while the files of the
// next ones are inspected (header and sha256) in the background.
func (r *run) validate(ctx context.Context) (*manifest.Manifest, error) {
	start := time.Now()
	bySource := map[*catalog.Source][]*file{}
	for _, f := range r.t.files {
		bySource[f.src] = append(bySource[f.src], f)
	}
	order := sourceOrder(bySource)
	var inOrder []*file
	for _, s := range order {
		inOrder = append(inOrder, bySource[s]...)
	}
	ins := startInspector(inOrder, inspectWorkers, true)
	defer ins.close()
	r.progressStart()
	defer r.opt.Progress.Finish()
	parts := map[manifest.PartitionKey]*partAcc{}
	for _, s := range order {
		ins.wait(s)
		if err := r.source(ctx, s, bySource[s], parts); err != nil {
			return nil, err
		}
	}
	if err := r.reduce(ctx, true); err != nil {
		return nil, err
	}
	if err := r.w.Flush(); err != nil {
		return nil, err
	}
	// The file errors of the walk were never read; they are listed last,
	// after the files to copy that cannot be.
	var bad []*file
	r.copies, bad = r.t.copies()
	r.t.files = append(append(r.t.files, r.t.broken...), bad...)
	for _, f := range r.t.files {
		if f.Error != "" {
			r.lastID++
			f.id = r.lastID
		}
		f.account()
	}
	trace("passes", start)
	return r.assemble(partitionList(parts)), nil
}

// source registers and reads the files of one source.
func (r *run) source(ctx context.Context, s *catalog.Source, files []*file, parts map[manifest.PartitionKey]*partAcc) error {
	if err := r.reduce(ctx, false); err != nil {
		return err
	}
	for _, m := range catalog.MappingsOf(s.Name) {
		for _, need := range m.Needs {
			if !r.reduced[need] {
				return fmt.Errorf("failed to read %s: relation %s is not built yet", s.Name, need)
			}
		}
	}
	groups, err := r.register(ctx, files)
	if err != nil {
		return err
	}
	for _, g := range groups {
		if err := r.passes(ctx, g, parts); err != nil {
			return err
		}
	}
	r.passed[s.Name] = true
	return r.reduce(ctx, false)
}

// sourceOrder is the order the sources are read in: catalog order, except
// that the sources of relations come first, so that the relations exist
// before the mappings that need them.
func sourceOrder(bySource map[*catalog.Source][]*file) []*catalog.Source {
	var first, rest []*catalog.Source
	for i := range catalog.Sources {
		s := &catalog.Sources[i]
		switch {
		case len(bySource[s]) == 0:
		case len(catalog.RelationsOf(s.Name)) > 0:
			first = append(first, s)
		default:
			rest = append(rest, s)
		}
	}
	return append(first, rest...)
}

// reduce builds each relation whose sources have all been read (all, at
// the end: a relation none of whose sources has a file is built empty).
func (r *run) reduce(ctx context.Context, all bool) error {
	for i := range catalog.Relations {
		rel := &catalog.Relations[i]
		if r.reduced[rel.Name] || !all && !r.read(rel.Sources) {
			continue
		}
		if err := r.w.ReduceRelation(ctx, rel); err != nil {
			return err
		}
		r.reduced[rel.Name] = true
	}
	return nil
}

// read is true when every one of the sources that has files has been read.
func (r *run) read(sources []string) bool {
	for _, n := range sources {
		if !r.passed[n] && r.hasFiles(n) {
			return false
		}
	}
	return true
}

func (r *run) hasFiles(source string) bool {
	for _, f := range r.t.files {
		if f.src.Name == source {
			return true
		}
	}
	return false
}

// progressStart announces the files and bytes to read.
func (r *run) progressStart() {
	var total int64
	for _, f := range r.t.files {
		total += f.size
	}
	r.opt.Progress.Start(len(r.t.files), total)
}

// register numbers and registers the inspected files of a source and
// returns them grouped by layout; files that cannot be read count as done.
func (r *run) register(ctx context.Context, files []*file) ([]workdb.Group, error) {
	var good []*workdb.Input
	var bad int
	var badBytes int64
	for _, f := range files {
		if f.Error == "" && f.layout.Notice != "" && r.opt.Strict {
			f.fail(false, "layout "+f.layout.Name+": "+f.layout.Notice+" (rejected: --strict)")
		}
		if f.Error != "" {
			bad++
			badBytes += f.size
			continue
		}
		f.in = &workdb.Input{ReadPath: f.abs, Size: f.Bytes, Source: f.src, Layout: f.layout, Skip: f.skip,
			Y: f.y, M: f.m, D: f.d, Day: f.day, Fields: f.fields}
		good = append(good, f.in)
	}
	r.opt.Progress.Advance(bad, badBytes)
	groups := workdb.GroupFiles(good, r.lastID)
	r.lastID += len(good)
	if err := r.w.RegisterFiles(ctx, good); err != nil {
		return nil, err
	}
	for _, f := range files {
		if f.in != nil {
			f.id, f.abs = f.in.ID, f.in.ReadPath
			r.byRead[f.abs] = f
			r.byID[f.id] = f
		}
	}
	return groups, nil
}

// passes reads every batch of a group once, for all the mappings of its
// source, and for the relations it feeds; when migrating, the same read
// writes the staging files.
func (r *run) passes(ctx context.Context, g workdb.Group, parts map[manifest.PartitionKey]*partAcc) error {
	land := workdb.LandingOf(g.Source.Name, r.opt.Strict)
	spec := workdb.PassSpec{Relations: catalog.RelationsOf(g.Source.Name), Stage: r.opt.Stage}
	t0 := time.Now()
	for _, b := range g.PassBatches() {
		r.seq++
		spec.Seq = r.seq
		if err := r.pass(ctx, b, land, spec, parts); err != nil {
			return err
		}
		r.opt.Progress.Advance(len(b.Files), b.Bytes())
	}
	trace("  "+g.Source.Name+" "+g.Layout.Name, t0)
	if r.findingsTime > 0 {
		trace("    of which finding lines", time.Now().Add(-r.findingsTime))
		r.findingsTime = 0
	}
	return nil
}

// pass reads one batch and records its counts, rejects and checksums.
func (r *run) pass(ctx context.Context, b workdb.Group, land workdb.Landing, spec workdb.PassSpec, parts map[manifest.PartitionKey]*partAcc) error {
	rows, rejects, err := r.w.Pass(ctx, b, land, spec)
	if errors.Is(err, workdb.ErrRead) {
		return r.passEach(ctx, b, land, spec, parts, err)
	}
	if err != nil {
		return err
	}
	for _, rj := range rejects {
		r.addTypeReject(rj)
	}
	found := map[int]*fileFindings{}
	for _, row := range rows {
		f := r.byID[row.FileID]
		f.Rows += row.Rows
		if row.Bad > 0 || anyNoted(row) {
			if found[f.id] == nil {
				found[f.id] = &fileFindings{}
			}
			found[f.id].add(row)
		}
		if err := r.addLanding(f, land, row, parts); err != nil {
			return err
		}
	}
	for _, in := range b.Files {
		if f := r.byID[in.ID]; f.layout.Notice != "" {
			f.addNotice(r.opt.RejectsListed, manifest.Reject{Line: int64(f.skip) + 1,
				Reason: "layout " + f.layout.Name + ": " + f.layout.Notice, Raw: strings.Join(f.header, string(f.src.Delim))})
		}
	}
	return r.locate(ctx, b, land, found)
}

// passEach reads again, one by one, the files of a batch the reader failed
// on as a whole; a file it fails on alone is a file error (it cannot be
// read), which blocks its pipeline's archive, and the others are read.
func (r *run) passEach(ctx context.Context, b workdb.Group, land workdb.Landing, spec workdb.PassSpec,
	parts map[manifest.PartitionKey]*partAcc, err error) error {
	if len(b.Files) == 1 {
		f := r.byID[b.Files[0].ID]
		msg := "the reader cannot parse this file: " + innermost(err)
		if f.mixedEnds {
			msg += " (some of its lines end in CRLF, others in LF: make them alike)"
		}
		f.fail(true, msg)
		return nil
	}
	for _, in := range b.Files {
		one := b.Like()
		one.Files = []*workdb.Input{in}
		r.seq++
		spec.Seq = r.seq
		if err := r.pass(ctx, one, land, spec, parts); err != nil {
			return err
		}
	}
	return nil
}

// innermost is the first line of the innermost error of err (DuckDB's own
// message).
func innermost(err error) string {
	for u := errors.Unwrap(err); u != nil; u = errors.Unwrap(err) {
		err = u
	}
	msg, _, _ := strings.Cut(err.Error(), "\n")
	return strings.TrimSpace(msg)
}

func anyNoted(row workdb.PassRow) bool {
	for _, st := range row.Maps {
		if st.Noted > 0 {
			return true
		}
	}
	return false
}

// addLanding adds the landing rows of one pass row to its file and
// partitions.
func (r *run) addLanding(f *file, land workdb.Landing, row workdb.PassRow, parts map[manifest.PartitionKey]*partAcc) error {
	for i, m := range land.Maps() {
		st := row.Maps[i]
		for j, flt := range m.Filters {
			f.addFiltered(flt.Rule+" → "+m.Table, st.Filtered[j])
		}
		if st.Landing == 0 {
			continue
		}
		if f.Landing == nil {
			f.Landing = map[string]int64{}
		}
		f.Landing[m.Table] += st.Landing
		k := manifest.PartitionKey{Table: m.Table, Y: int(row.Y.Int64), M: int(row.M.Int64), D: int(row.D.Int64)}
		acc := parts[k]
		if acc == nil {
			acc = &partAcc{}
			parts[k] = acc
		}
		acc.files = append(acc.files, f.Path)
		if err := acc.sum.Merge(uint64(st.Landing), st.Checksum); err != nil {
			return err
		}
	}
	return nil
}

// locate finds the lines of the findings of a batch: by value where it
// can, else by reading the files with findings again in order.
func (r *run) locate(ctx context.Context, b workdb.Group, land workdb.Landing, found map[int]*fileFindings) error {
	inOrder := map[int]bool{}
	for id, n := range found {
		if locateInOrder {
			inOrder[id] = true
			continue
		}
		ok, err := r.locateByValue(r.byID[id], land, n)
		if err != nil {
			return err
		}
		if !ok {
			inOrder[id] = true
		} else {
			locatedByValue++
		}
	}
	if len(inOrder) == 0 {
		return nil
	}
	return r.findings(ctx, b, inOrder, land)
}

type partAcc struct {
	sum   checksum.Sum
	files []string
}

// partitionList orders the partitions by catalog table order and date.
func partitionList(parts map[manifest.PartitionKey]*partAcc) []manifest.Partition {
	var out []manifest.Partition
	for i := range catalog.Tables {
		name := catalog.Tables[i].Name
		var keys []manifest.PartitionKey
		for k := range parts {
			if k.Table == name {
				keys = append(keys, k)
			}
		}
		slices.SortFunc(keys, manifest.PartitionKey.Compare)
		for _, k := range keys {
			acc := parts[k]
			slices.Sort(acc.files)
			out = append(out, manifest.Partition{PartitionKey: k, Rows: int64(acc.sum.Rows),
				Checksum: acc.sum.Hex(), Files: slices.Compact(acc.files)})
		}
	}
	return out
}

// addTypeReject records one DuckDB reject on its file. Several errors on
// one line are one rejected row.
func (r *run) addTypeReject(rj workdb.RawReject) {
	f := r.byRead[rj.Path]
	if f == nil {
		return
	}
	lines := r.skipLines[f.id]
	if lines == nil {
		lines = map[int64]bool{}
		r.skipLines[f.id] = lines
	}
	if lines[rj.Line] {
		return
	}
	lines[rj.Line] = true
	raw := strings.TrimRight(strings.TrimLeft(rj.CSVLine, "\r\n"), "\r\n")
	if f.layout.RepeatedHeader && isHeaderLine(raw, f) {
		f.addFiltered("repeated header line", 1)
		return
	}
	f.Rejected++
	f.Rows++
	f.addReject(r.opt.RejectsListed, manifest.Reject{Line: rj.Line, Column: rj.Column, Field: rj.Field,
		Reason: rejectReason(rj, f), Raw: raw})
}

func isHeaderLine(raw string, f *file) bool {
	got := splitHeader(raw, f.src.Delim, f.src.Quoted)
	l, err := f.src.DetectLayout(got)
	return err == nil && l != nil
}

func (f *file) addFiltered(rule string, n int64) {
	if n == 0 {
		return
	}
	if f.Filtered == nil {
		f.Filtered = map[string]int64{}
	}
	f.Filtered[rule] += n
}

func (f *file) addReject(limit int, rj manifest.Reject) {
	if len(f.Rejects) < limit {
		f.Rejects = append(f.Rejects, rj)
	}
}

// account checks that every physical line of a read file is the header, a
// blank line, a row (landing, filtered or rejected) or a repeated header:
// a line DuckDB dropped without a word (one longer than its buffer) is a
// file error, which blocks the archive of its pipeline.
func (f *file) account() {
	if f.Error != "" || !f.counted {
		return
	}
	headers := f.Filtered["repeated header line"]
	if read := 1 + f.blank + f.Rows + headers; read != f.lines {
		f.fail(false, fmt.Sprintf("%d line(s) not accounted for: the file has %d lines, read were the header, "+
			"%d blank line(s), %d row(s) and %d repeated header(s) (a line longer than the reader's buffer?)",
			f.lines-read, f.lines, f.blank, f.Rows, headers))
	}
}

// addNotice counts a notice and lists it up to limit.
func (f *file) addNotice(limit int, n manifest.Reject) {
	f.NoticeCount++
	if len(f.Notices) < limit {
		f.Notices = append(f.Notices, n)
	}
}

// findings records the rows that checks reject and the landing rows that
// notices mark, with their lines, for the files of batch b in found: the
// batch is read again once, in file order, so that each row's position
// in its file is known (one read per batch, however many files it holds
// with findings).
func (r *run) findings(ctx context.Context, b workdb.Group, found map[int]bool, land workdb.Landing) error {
	defer func(t0 time.Time) { r.findingsTime += time.Since(t0) }(time.Now())
	sub := b.Like()
	var ids []int32
	for _, in := range b.Files {
		if found[in.ID] {
			sub.Files = append(sub.Files, in)
			ids = append(ids, int32(in.ID))
		}
	}
	perMap, err := r.w.Findings(ctx, sub, ids, land)
	if err != nil {
		return err
	}
	byFile := map[int][]hit{}
	nChecks := len(land.Checks())
	for i, fs := range perMap {
		cs := land.FindingsOf(i)
		for _, fd := range fs {
			byFile[fd.FileID] = append(byFile[fd.FileID], hit{ord: fd.Ord, check: cs[fd.Index], value: fd.Value, reject: fd.Index < nChecks})
		}
	}
	for _, id := range ids {
		if err := r.record(r.byID[int(id)], byFile[int(id)]); err != nil {
			return err
		}
	}
	return nil
}

// hit is one finding of a row: its ordinal in the file, the check or
// notice, the offending value; reject says which of the two.
type hit struct {
	ord    int64
	check  catalog.Check
	value  *string
	reject bool
}

// record adds the findings of one file: a row two mappings reject is one
// rejected row; notices are said once per row and column.
func (r *run) record(f *file, hits []hit) error {
	slices.SortStableFunc(hits, func(a, b hit) int { return int(a.ord - b.ord) })
	ords := make([]int64, len(hits))
	for i, h := range hits {
		ords[i] = h.ord
	}
	lines, err := locateRows(f, ords, r.skipLines[f.id])
	if err != nil {
		return err
	}
	rejected := map[int64]bool{}
	noted := map[string]bool{}
	for i, h := range hits {
		val := "NULL"
		if h.value != nil {
			val = *h.value
		}
		col := columnIndex(f, h.check.Column)
		field := h.check.Column
		if col > 0 {
			field = f.layout.Fields[col-1].Header
		}
		rj := manifest.Reject{Line: lines[i].line, Column: col, Field: field,
			Reason: fmt.Sprintf("column %q: %q: %s", field, val, h.check.Reason), Raw: lines[i].raw}
		switch {
		case h.reject && !rejected[h.ord]:
			rejected[h.ord] = true
			f.Rejected++
			f.addReject(r.opt.RejectsListed, rj)
		case !h.reject && !noted[fmt.Sprint(h.ord, field)]:
			noted[fmt.Sprint(h.ord, field)] = true
			f.addNotice(r.opt.RejectsListed, rj)
		}
	}
	return nil
}

// columnIndex is the 1-based position of a canonical field in f's layout.
func columnIndex(f *file, name string) int {
	for i, fl := range f.layout.Fields {
		if fl.Name() == name {
			return i + 1
		}
	}
	return 0
}

// manifest assembles the manifest from the run's files and partitions.
func (r *run) assemble(parts []manifest.Partition) *manifest.Manifest {
	m := &manifest.Manifest{Schema: manifest.SchemaID, Version: manifest.Version, Root: r.t.root, Pipelines: r.opt.Pipelines,
		Skipped: r.t.skipped, Partitions: parts, Copies: r.copies}
	if m.Skipped == nil {
		m.Skipped = []manifest.Skipped{}
	}
	if m.Partitions == nil {
		m.Partitions = []manifest.Partition{}
	}
	for _, f := range r.t.files {
		sort.Slice(f.Rejects, func(i, j int) bool {
			a, b := f.Rejects[i], f.Rejects[j]
			return a.Line < b.Line || a.Line == b.Line && a.Column < b.Column
		})
		if int64(len(f.Rejects)) < f.Rejected {
			f.RejectsListed = len(f.Rejects)
		}
		sort.SliceStable(f.Notices, func(i, j int) bool { return f.Notices[i].Line < f.Notices[j].Line })
		if int64(len(f.Notices)) < f.NoticeCount {
			f.NoticesListed = len(f.Notices)
		}
		m.Files = append(m.Files, f.File)
		s := &m.Summary
		s.Files++
		s.Bytes += f.Bytes
		s.Rows += f.Rows
		s.Rejected += f.Rejected
		for _, n := range f.Filtered {
			s.Filtered += n
		}
		if f.Error != "" {
			s.FileErrors++
			if f.Unreadable {
				s.Unreadable++
			}
		}
		if f.Rejected > 0 {
			s.FilesRejected++
		}
		s.Notices += f.NoticeCount
		if f.NoticeCount > 0 {
			s.FilesNoticed++
		}
	}
	if m.Files == nil {
		m.Files = []manifest.File{}
	}
	for _, p := range parts {
		m.Summary.Landing += p.Rows
	}
	m.Summary.Skipped = len(m.Skipped)
	return m
}
