package validate

import (
	"context"
	"fmt"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"

	"spotmigrate/catalog"
	"spotmigrate/checksum"
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
	t, err := discover(root, opt.Pipelines)
	if err != nil {
		return nil, nil, err
	}
	inspectAll(t.files)
	dir := opt.WorkDir
	if dir == "" {
		if dir, err = os.MkdirTemp("", "spotmigrate-work-"); err != nil {
			return nil, nil, fmt.Errorf("failed to create work folder: %w", err)
		}
	}
	w, err := OpenWork(ctx, WorkOptions{Dir: dir, MemoryLimit: opt.MemoryLimit})
	if err != nil {
		return nil, nil, err
	}
	r := &run{opt: opt, w: w, t: t, byRead: map[string]*file{}, byID: map[int]*file{}}
	m, err := r.validate(ctx)
	return m, w, err
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

// inspectAll reads every file's header, a few files at a time.
func inspectAll(files []*file) {
	var wg sync.WaitGroup
	ch := make(chan *file)
	for range 4 {
		wg.Go(func() {
			for f := range ch {
				inspect(f)
			}
		})
	}
	for i, f := range files {
		f.id = i + 1
		ch <- f
	}
	close(ch)
	wg.Wait()
}

type run struct {
	opt    Options
	w      *Work
	t      *tree
	good   []*file
	byRead map[string]*file
	byID   map[int]*file
	// typed holds, per file, the lines DuckDB rejected (and repeated headers).
	skipLines map[int]map[int64]bool
}

func (r *run) validate(ctx context.Context) (*Manifest, error) {
	for _, f := range r.t.files {
		r.byID[f.id] = f
		if f.Error == "" {
			r.good = append(r.good, f)
		}
	}
	if err := r.w.registerFiles(ctx, r.good); err != nil {
		return nil, err
	}
	for _, f := range r.good {
		r.byRead[f.abs] = f
	}
	hashed := r.hashAll()
	if err := r.readAll(ctx); err != nil {
		return nil, err
	}
	if err := <-hashed; err != nil {
		return nil, err
	}
	for _, rel := range catalog.Relations {
		if _, err := r.w.Conn.ExecContext(ctx, "CREATE OR REPLACE TABLE "+quoteIdent(rel.Name)+" AS "+rel.SQL); err != nil {
			return nil, fmt.Errorf("failed to build %s: %w", rel.Name, err)
		}
	}
	if err := r.countAccepted(ctx); err != nil {
		return nil, err
	}
	parts, err := r.mappings(ctx)
	if err != nil {
		return nil, err
	}
	return r.manifest(parts), nil
}

// hashAll computes the sha256 of every readable file in the background.
func (r *run) hashAll() <-chan error {
	done := make(chan error, 1)
	go func() {
		for _, f := range r.t.files {
			if f.Unreadable {
				continue
			}
			sum, err := hashFile(f.abs)
			if err != nil {
				f.fail(true, fmt.Sprintf("cannot read file: %v", unwrapPath(err)))
				continue
			}
			f.SHA256 = sum
		}
		done <- nil
	}()
	return done
}

func (r *run) readAll(ctx context.Context) error {
	var total int64
	for _, f := range r.t.files {
		total += f.Bytes
	}
	r.opt.Progress.Start(len(r.t.files), total)
	defer r.opt.Progress.Finish()
	var skipped int
	var skippedBytes int64
	for _, f := range r.t.files {
		if f.Error != "" {
			skipped++
			skippedBytes += f.Bytes
		}
	}
	r.opt.Progress.Advance(skipped, skippedBytes)
	r.skipLines = map[int]map[int64]bool{}
	for _, b := range batches(r.good) {
		rejects, err := r.w.readBatch(ctx, b)
		if err != nil {
			return err
		}
		for _, rj := range rejects {
			r.addTypeReject(rj)
		}
		var n int64
		for _, f := range b {
			n += f.Bytes
		}
		r.opt.Progress.Advance(len(b), n)
	}
	return nil
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

// countAccepted adds the typed rows of every file to its row count.
func (r *run) countAccepted(ctx context.Context) error {
	for i := range catalog.Sources {
		s := &catalog.Sources[i]
		rows, err := r.w.Conn.QueryContext(ctx, "SELECT file_id, count(*) FROM "+srcTable(s)+" GROUP BY file_id")
		if err != nil {
			return fmt.Errorf("failed to count rows of %s: %w", s.Name, err)
		}
		for rows.Next() {
			var id int
			var n int64
			if err := rows.Scan(&id, &n); err != nil {
				rows.Close()
				return fmt.Errorf("failed to count rows of %s: %w", s.Name, err)
			}
			r.byID[id].Rows += n
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return fmt.Errorf("failed to count rows of %s: %w", s.Name, err)
		}
	}
	return nil
}

// mappings computes, for every mapping, the landing rows per file and
// partition, the filtered rows, and the rows its checks reject.
func (r *run) mappings(ctx context.Context) ([]Partition, error) {
	var out []Partition
	for i := range catalog.Mappings {
		m := &catalog.Mappings[i]
		if !slices.Contains(r.opt.Pipelines, pipelineOf(m)) {
			continue
		}
		parts, err := r.partitions(ctx, m)
		if err != nil {
			return nil, err
		}
		out = append(out, parts...)
		if len(m.Filters) > 0 {
			if err := r.filtered(ctx, m); err != nil {
				return nil, err
			}
		}
		if len(m.Checks) > 0 {
			if err := r.checkRejects(ctx, m); err != nil {
				return nil, err
			}
		}
	}
	return out, nil
}

func pipelineOf(m *catalog.Mapping) string {
	t, _ := catalog.TableByName(m.Table)
	return t.Pipeline
}

func (r *run) partitions(ctx context.Context, m *catalog.Mapping) ([]Partition, error) {
	rows, err := r.w.Conn.QueryContext(ctx, partitionSQL(m))
	if err != nil {
		return nil, fmt.Errorf("failed to compute partitions of %s: %w", m.Table, err)
	}
	defer rows.Close()
	var out []Partition
	var sum checksum.Sum
	for rows.Next() {
		var y, mo, d, id int
		var n int64
		var hex string
		if err := rows.Scan(&y, &mo, &d, &id, &n, &hex); err != nil {
			return nil, fmt.Errorf("failed to compute partitions of %s: %w", m.Table, err)
		}
		if k := len(out); k == 0 || out[k-1].Y != y || out[k-1].M != mo || out[k-1].D != d {
			if k > 0 {
				out[k-1].Checksum = sum.Hex()
			}
			out = append(out, Partition{Table: m.Table, Y: y, M: mo, D: d})
			sum = checksum.Sum{}
		}
		p := &out[len(out)-1]
		p.Rows += n
		f := r.byID[id]
		p.Files = append(p.Files, f.Path)
		if f.Landing == nil {
			f.Landing = map[string]int64{}
		}
		f.Landing[m.Table] += n
		if err := sum.Merge(uint64(n), hex); err != nil {
			return nil, err
		}
	}
	if k := len(out); k > 0 {
		out[k-1].Checksum = sum.Hex()
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("failed to compute partitions of %s: %w", m.Table, err)
	}
	return out, nil
}

func (r *run) filtered(ctx context.Context, m *catalog.Mapping) error {
	rows, err := r.w.Conn.QueryContext(ctx, fileStatsSQL(m))
	if err != nil {
		return fmt.Errorf("failed to count filtered rows of %s: %w", m.Table, err)
	}
	defer rows.Close()
	for rows.Next() {
		vals := make([]int64, 3+len(m.Filters))
		ptrs := make([]any, len(vals))
		for i := range vals {
			ptrs[i] = &vals[i]
		}
		if err := rows.Scan(ptrs...); err != nil {
			return fmt.Errorf("failed to count filtered rows of %s: %w", m.Table, err)
		}
		f := r.byID[int(vals[0])]
		for i, flt := range m.Filters {
			f.addFiltered(flt.Rule+" → "+m.Table, vals[3+i])
		}
	}
	return rows.Err()
}

// checkRejects records the rows rejected by m's checks, with their lines.
func (r *run) checkRejects(ctx context.Context, m *catalog.Mapping) error {
	rows, err := r.w.Conn.QueryContext(ctx, checkRejectsSQL(m))
	if err != nil {
		return fmt.Errorf("failed to check rows of %s: %w", m.Table, err)
	}
	type hit struct {
		ord   int64
		check int
		value *string
	}
	byFile := map[int][]hit{}
	var ids []int
	for rows.Next() {
		var id int
		var h hit
		if err := rows.Scan(&id, &h.ord, &h.check, &h.value); err != nil {
			rows.Close()
			return fmt.Errorf("failed to check rows of %s: %w", m.Table, err)
		}
		if _, ok := byFile[id]; !ok {
			ids = append(ids, id)
		}
		byFile[id] = append(byFile[id], h)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return fmt.Errorf("failed to check rows of %s: %w", m.Table, err)
	}
	for _, id := range ids {
		f := r.byID[id]
		hits := byFile[id]
		ords := make([]int64, len(hits))
		for i, h := range hits {
			ords[i] = h.ord
		}
		lines, err := locateRows(f, ords, r.skipLines[id])
		if err != nil {
			return err
		}
		for i, h := range hits {
			c := m.Checks[h.check]
			val := "NULL"
			if h.value != nil {
				val = *h.value
			}
			col := columnIndex(f, c.Column)
			field := c.Column
			if col > 0 {
				field = f.layout.Fields[col-1].Header
			}
			f.Rejected++
			f.addReject(r.opt.RejectsListed, Reject{Line: lines[i].line, Column: col,
				Field: field, Reason: fmt.Sprintf("column %q: %q: %s", field, val, c.Reason), Raw: lines[i].raw})
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
