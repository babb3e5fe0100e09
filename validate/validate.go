package validate

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"time"

	"spotmigrate/catalog"
	"spotmigrate/checksum"
	"spotmigrate/iana"
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
func Run(ctx context.Context, opt Options) (*Manifest, error) {
	m, w, err := RunWork(ctx, opt)
	if w != nil {
		w.Close()
		if opt.WorkDir == "" {
			os.RemoveAll(w.Dir)
		}
	}
	return m, err
}

// RunWork validates the tree and returns the manifest and the open work
// database, whose source tables hold every accepted row (for migrate).
// The caller closes the work database; an empty opt.WorkDir is a new
// temporary folder the caller removes.
func RunWork(ctx context.Context, opt Options) (*Manifest, *Work, error) {
	if err := checkPipelines(opt.Pipelines); err != nil {
		return nil, nil, err
	}
	if opt.Progress == nil {
		opt.Progress = noProgress{}
	}
	if opt.RejectsListed == 0 {
		opt.RejectsListed = DefaultRejectsListed
	}
	root, err := FindRoot(opt.OAPath)
	if err != nil {
		return nil, nil, err
	}
	t0 := time.Now()
	t, err := discover(root, opt.Pipelines)
	if err != nil {
		return nil, nil, err
	}
	trace("discover", t0)
	dir := opt.WorkDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "spotmigrate-work-"); err != nil {
			return nil, nil, fmt.Errorf("failed to create work folder: %w", err)
		}
	}
	reg, err := iana.Load(opt.OAPath, opt.IANADir)
	if err != nil {
		return nil, nil, err
	}
	w, err := OpenWork(ctx, WorkOptions{Dir: dir, MemoryLimit: opt.MemoryLimit, IANA: reg,
		Zones: opt.DNSZones, Strict: opt.Strict})
	if err != nil {
		return nil, nil, err
	}
	r := &run{opt: opt, w: w, t: t, byRead: map[string]*file{}, byID: map[int]*file{},
		skipLines: map[int]map[int64]bool{}, todo: map[string]bool{}, filled: map[string]bool{}}
	m, err := r.validate(ctx)
	if m != nil {
		m.Registries = registryFiles(reg)
	}
	return m, w, err
}

// registryFiles lists the registry files a run resolved coded fields with.
func registryFiles(set *iana.Set) []Registry {
	out := []Registry{}
	for _, r := range set.Registries {
		out = append(out, Registry{Kind: r.Kind, Path: r.Path, SHA256: r.SHA256})
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
	w      *Work
	t      *tree
	byRead map[string]*file
	byID   map[int]*file
	lastID int
	// skipLines holds, per file, the lines DuckDB rejected (and repeated headers).
	skipLines map[int]map[int64]bool
	// todo are the sources with files not registered yet; filled the
	// relations built.
	todo, filled map[string]bool
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
func (r *run) validate(ctx context.Context) (*Manifest, error) {
	start := time.Now()
	bySource := map[*catalog.Source][]*file{}
	for _, f := range r.t.files {
		bySource[f.src] = append(bySource[f.src], f)
	}
	order := sourceOrder(bySource)
	var inOrder []*file
	for _, s := range order {
		r.todo[s.Name] = true
		inOrder = append(inOrder, bySource[s]...)
	}
	ins := startInspector(inOrder, inspectWorkers, true)
	defer ins.close()
	r.progressStart()
	defer r.opt.Progress.Finish()
	parts := map[partKey]*partAcc{}
	for _, s := range order {
		ins.wait(s)
		groups, err := r.register(ctx, s, bySource[s])
		if err != nil {
			return nil, err
		}
		if err := r.relations(ctx); err != nil {
			return nil, err
		}
		for _, g := range groups {
			if err := r.passes(ctx, g, parts); err != nil {
				return nil, err
			}
		}
	}
	for _, f := range r.t.files {
		if f.Error != "" {
			r.lastID++
			f.id = r.lastID
		}
		f.account()
	}
	trace("passes", start)
	list, err := partitionList(parts)
	if err != nil {
		return nil, err
	}
	return r.manifest(list), nil
}

// sourceOrder is the order the sources are read in: catalog order, except
// that the sources of relations come first, so that the relations exist
// before the mappings that join them.
func sourceOrder(bySource map[*catalog.Source][]*file) []*catalog.Source {
	var first, rest []*catalog.Source
	for i := range catalog.Sources {
		s := &catalog.Sources[i]
		switch {
		case len(bySource[s]) == 0:
		case feedsRelation(s.Name):
			first = append(first, s)
		default:
			rest = append(rest, s)
		}
	}
	return append(first, rest...)
}

func feedsRelation(source string) bool {
	for _, rel := range catalog.Relations {
		if slices.Contains(rel.Sources, source) {
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

// register numbers and registers the inspected files of source s and
// returns them grouped by layout; files that cannot be read count as done.
func (r *run) register(ctx context.Context, s *catalog.Source, files []*file) ([]group, error) {
	var good []*file
	var bad int
	var badBytes int64
	for _, f := range files {
		if f.Error == "" && f.layout.Notice != "" && r.opt.Strict {
			f.fail(false, "layout "+f.layout.Name+": "+f.layout.Notice+" (rejected: --strict)")
		}
		if f.Error == "" {
			good = append(good, f)
		} else {
			bad++
			badBytes += f.size
		}
	}
	r.opt.Progress.Advance(bad, badBytes)
	groups := groupFiles(good, r.lastID)
	r.lastID += len(good)
	if err := r.w.registerFiles(ctx, good); err != nil {
		return nil, err
	}
	for _, f := range good {
		r.byRead[f.abs] = f
		r.byID[f.id] = f
	}
	r.w.groups = append(r.w.groups, groups...)
	delete(r.todo, s.Name)
	return groups, nil
}

// relations builds each relation once all its sources are registered, and
// reduces it. A relation none of whose sources has a file is built empty.
// A batch that feeds several relations is read once.
func (r *run) relations(ctx context.Context) error {
	var ready []*catalog.Relation
	for i := range catalog.Relations {
		rel := &catalog.Relations[i]
		if !r.filled[rel.Name] && r.registered(rel.Sources) {
			ready = append(ready, rel)
		}
	}
	for _, g := range r.w.groups {
		var rels []*catalog.Relation
		for _, rel := range ready {
			if slices.Contains(rel.Sources, g.src.Name) {
				rels = append(rels, rel)
			}
		}
		for _, b := range g.batches() {
			if err := r.w.fillRelations(ctx, rels, b); err != nil {
				return err
			}
		}
	}
	for _, rel := range ready {
		name := quoteIdent(rel.Name)
		reduce := rel.Reduce
		if reduce == "" {
			reduce = "SELECT DISTINCT * FROM " + name
		}
		if _, err := r.w.Conn.ExecContext(ctx, "CREATE OR REPLACE TABLE "+name+" AS "+reduce); err != nil {
			return fmt.Errorf("failed to build %s: %w", rel.Name, err)
		}
		r.filled[rel.Name] = true
	}
	return nil
}

// registered is true when every one of the sources that has files has
// been registered.
func (r *run) registered(sources []string) bool {
	for _, n := range sources {
		if r.todo[n] {
			return false
		}
	}
	return true
}

// passes reads every batch of a group once, for all the mappings of its
// source.
func (r *run) passes(ctx context.Context, g group, parts map[partKey]*partAcc) error {
	maps := catalog.MappingsOf(g.src.Name)
	for _, m := range maps {
		for _, rel := range catalog.Relations {
			if strings.Contains(m.Join, " "+rel.Name+" ") && !r.filled[rel.Name] {
				return fmt.Errorf("failed to read %s: relation %s is not built yet", g.src.Name, rel.Name)
			}
		}
	}
	t0 := time.Now()
	for _, b := range g.passBatches() {
		if err := r.pass(ctx, b, maps, parts); err != nil {
			return err
		}
		var n int64
		for _, f := range b.files {
			n += f.size
		}
		r.opt.Progress.Advance(len(b.files), n)
	}
	trace("  "+g.src.Name+" "+g.layout.Name, t0)
	if r.findingsTime > 0 {
		trace("    of which finding lines", time.Now().Add(-r.findingsTime))
		r.findingsTime = 0
	}
	return nil
}

// pass reads one batch and records its counts, rejects and checksums.
func (r *run) pass(ctx context.Context, b group, maps []*catalog.Mapping, parts map[partKey]*partAcc) error {
	rows, rejects, err := r.w.pass(ctx, b, maps)
	if err != nil {
		return err
	}
	for _, rj := range rejects {
		r.addTypeReject(rj)
	}
	found := map[int]*fileFindings{}
	for _, row := range rows {
		f := r.byID[row.fileID]
		f.Rows += row.rows
		for i, m := range maps {
			st := row.maps[i]
			for j, flt := range m.Filters {
				f.addFiltered(flt.Rule+" → "+m.Table, st.filtered[j])
			}
			if st.bad > 0 || st.noted > 0 {
				if found[f.id] == nil {
					found[f.id] = &fileFindings{}
				}
				found[f.id].add(maps, i, st)
			}
			if st.landing == 0 {
				continue
			}
			if f.Landing == nil {
				f.Landing = map[string]int64{}
			}
			f.Landing[m.Table] += st.landing
			k := partKey{m.Table, int(row.y.Int64), int(row.m.Int64), int(row.d.Int64)}
			acc := parts[k]
			if acc == nil {
				acc = &partAcc{}
				parts[k] = acc
			}
			acc.files = append(acc.files, f.Path)
			if err := acc.sum.Merge(uint64(st.landing), st.checksum); err != nil {
				return err
			}
		}
	}
	for _, f := range b.files {
		if f.layout.Notice != "" {
			f.addNotice(r.opt.RejectsListed, Reject{Line: int64(f.skip) + 1,
				Reason: "layout " + f.layout.Name + ": " + f.layout.Notice, Raw: strings.Join(f.header, string(f.src.Delim))})
		}
	}
	inOrder := map[int]bool{}
	for id, n := range found {
		if locateInOrder {
			inOrder[id] = true
			continue
		}
		ok, err := r.locateByValue(r.byID[id], maps, n)
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
	return r.findings(ctx, b, inOrder, maps)
}

type partKey struct {
	table   string
	y, m, d int
}

type partAcc struct {
	sum   checksum.Sum
	files []string
}

// partitionList orders the partitions by catalog table order and date.
func partitionList(parts map[partKey]*partAcc) ([]Partition, error) {
	var out []Partition
	for i := range catalog.Tables {
		name := catalog.Tables[i].Name
		var keys []partKey
		for k := range parts {
			if k.table == name {
				keys = append(keys, k)
			}
		}
		slices.SortFunc(keys, func(a, b partKey) int {
			return (a.y*10000 + a.m*100 + a.d) - (b.y*10000 + b.m*100 + b.d)
		})
		for _, k := range keys {
			acc := parts[k]
			slices.Sort(acc.files)
			out = append(out, Partition{Table: k.table, Y: k.y, M: k.m, D: k.d, Rows: int64(acc.sum.Rows),
				Checksum: acc.sum.Hex(), Files: slices.Compact(acc.files)})
		}
	}
	return out, nil
}

// addTypeReject records one DuckDB reject on its file. Several errors on
// one line are one rejected row.
func (r *run) addTypeReject(rj rawReject) {
	f := r.byRead[rj.path]
	if f == nil {
		return
	}
	lines := r.skipLines[f.id]
	if lines == nil {
		lines = map[int64]bool{}
		r.skipLines[f.id] = lines
	}
	if lines[rj.line] {
		return
	}
	lines[rj.line] = true
	raw := strings.TrimRight(strings.TrimLeft(rj.csvLine, "\r\n"), "\r\n")
	if f.layout.RepeatedHeader && isHeaderLine(raw, f) {
		f.addFiltered("repeated header line", 1)
		return
	}
	f.Rejected++
	f.Rows++
	f.addReject(r.opt.RejectsListed, Reject{Line: rj.line, Column: rj.column, Field: rj.field,
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

func (f *file) addReject(limit int, rj Reject) {
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
func (f *file) addNotice(limit int, n Reject) {
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
func (r *run) findings(ctx context.Context, b group, found map[int]bool, maps []*catalog.Mapping) error {
	defer func(t0 time.Time) { r.findingsTime += time.Since(t0) }(time.Now())
	sub := b.like()
	var ids []int32
	for _, f := range b.files {
		if found[f.id] {
			sub.files = append(sub.files, f)
			ids = append(ids, int32(f.id))
		}
	}
	if err := r.readBatch(ctx, sub, ids); err != nil {
		return err
	}
	byFile := map[int][]hit{}
	for _, m := range maps {
		if err := r.mappingFindings(ctx, m, byFile); err != nil {
			return err
		}
	}
	for _, id := range ids {
		if err := r.record(r.byID[int(id)], byFile[int(id)]); err != nil {
			return err
		}
	}
	if _, err := r.w.Conn.ExecContext(ctx, "DROP TABLE batch; DROP TABLE batch_read"); err != nil {
		return fmt.Errorf("failed to drop the re-read rows: %w", err)
	}
	return nil
}

// readBatch reads files with findings again into the temporary table
// batch, with each row's ordinal in its file (ord); ids are their ids.
func (r *run) readBatch(ctx context.Context, b group, ids []int32) error {
	b.idParam = 2
	qs := []string{"SET preserve_insertion_order = true",
		"CREATE OR REPLACE TEMP TABLE batch_read AS SELECT * FROM " + sourceRel(b, 1, lenient),
		"CREATE OR REPLACE TEMP TABLE batch AS SELECT *, rowid - min(rowid) OVER (PARTITION BY file_id) AS ord FROM batch_read",
		"SET preserve_insertion_order = false"}
	for _, q := range qs {
		var args []any
		if strings.Contains(q, "$1") {
			args = []any{b.paths(), ids}
		}
		if _, err := r.w.Conn.ExecContext(ctx, q, args...); err != nil {
			r.w.Conn.ExecContext(ctx, "SET preserve_insertion_order = false")
			return fmt.Errorf("failed to re-read %d %s file(s) starting with %s: %w", len(b.files), b.src.Name, b.files[0].Path, err)
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

// mappingFindings adds the findings of m over the batch table, by file.
func (r *run) mappingFindings(ctx context.Context, m *catalog.Mapping, byFile map[int][]hit) error {
	q, cs := findingsSQL(m, r.opt.Strict)
	if q == "" {
		return nil
	}
	nChecks := len(checksOf(m, r.opt.Strict))
	rows, err := r.w.Conn.QueryContext(ctx, q)
	if err != nil {
		return fmt.Errorf("failed to check rows for %s: %w", m.Table, err)
	}
	defer rows.Close()
	for rows.Next() {
		var id int
		var h hit
		var which int
		if err := rows.Scan(&id, &h.ord, &which, &h.value); err != nil {
			return fmt.Errorf("failed to check rows for %s: %w", m.Table, err)
		}
		h.check, h.reject = cs[which], which < nChecks
		byFile[id] = append(byFile[id], h)
	}
	if err := rows.Err(); err != nil {
		return fmt.Errorf("failed to check rows for %s: %w", m.Table, err)
	}
	return nil
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
		rj := Reject{Line: lines[i].line, Column: col, Field: field,
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
func (r *run) manifest(parts []Partition) *Manifest {
	m := &Manifest{Version: ManifestVersion, Root: r.t.root, Pipelines: r.opt.Pipelines,
		Skipped: r.t.skipped, Partitions: parts}
	if m.Skipped == nil {
		m.Skipped = []Skipped{}
	}
	if m.Partitions == nil {
		m.Partitions = []Partition{}
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
		m.Files = []File{}
	}
	for _, p := range parts {
		m.Summary.Landing += p.Rows
	}
	m.Summary.Skipped = len(m.Skipped)
	return m
}
