package validate

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"

	"spotmigrate/catalog"
)

// fileFindings gathers, over the partitions of one file, what a pass says
// of its findings, per mapping: the rows its checks reject and, per check,
// the column values of those rows (with the value reported for each: the
// check's own, which may differ); the landing rows with a notice and, per
// notice, the values that raised it.
type fileFindings struct {
	bad, noted []int64
	rejected   [][]map[string]string
	values     [][]map[string]bool
}

func (n *fileFindings) add(maps []*catalog.Mapping, i int, st mapStats) {
	if n.noted == nil {
		n.bad, n.noted = make([]int64, len(maps)), make([]int64, len(maps))
		n.rejected, n.values = make([][]map[string]string, len(maps)), make([][]map[string]bool, len(maps))
	}
	n.bad[i] += st.bad
	n.noted[i] += st.noted
	for len(n.rejected[i]) < len(st.rejected) {
		n.rejected[i] = append(n.rejected[i], map[string]string{})
	}
	for k, pairs := range st.rejected {
		for _, p := range pairs {
			n.rejected[i][k][p[0]] = p[1]
		}
	}
	for len(n.values[i]) < len(st.values) {
		n.values[i] = append(n.values[i], map[string]bool{})
	}
	for k, vs := range st.values {
		for _, v := range vs {
			n.values[i][k][v] = true
		}
	}
}

// sought is a check or notice of a mapping whose lines are looked for by
// the value of its column (col, 1-based).
type sought struct {
	mapping, col int
	check        catalog.Check
	rejects      map[string]string // a check's: column value → value reported
	values       map[string]bool   // a notice's
}

// locatedFinding is a line found with a finding, and the value reported.
type locatedFinding struct {
	line int64
	s    *sought
	val  string
	raw  string
}

// locateByValue finds the lines of f's findings by their values, without
// DuckDB. Every current check and notice is a function of its column's
// value (and of the file): every line the pass rejected or noted holds a
// value it returned, so when the lines found are exactly as many as the
// pass counted, they are those lines. It returns false when they are not,
// when a finding's column is not in the file, or for a notice of a
// mapping with filters; the caller then reads the file again in order.
func (r *run) locateByValue(f *file, maps []*catalog.Mapping, n *fileFindings) (bool, error) {
	checks, notices, ok := r.soughtOf(f, maps, n)
	if !ok {
		return false, nil
	}
	var rejects, notes []locatedFinding
	badLines := make([]map[int64]bool, len(maps))
	err := eachRecord(f, r.skipLines[f.id], func(line int64, raw string, fields []string) {
		for i := range maps {
			for j := range checks[i] {
				w := &checks[i][j]
				if shown, hit := w.rejects[fieldAt(fields, w.col)]; hit {
					rejects = append(rejects, locatedFinding{line, w, shown, raw})
					if badLines[i] == nil {
						badLines[i] = map[int64]bool{}
					}
					badLines[i][line] = true
					break
				}
			}
			for j := range notices[i] {
				w := &notices[i][j]
				if v := fieldAt(fields, w.col); !badLines[i][line] && w.values[v] {
					notes = append(notes, locatedFinding{line, w, v, raw})
				}
			}
		}
	})
	if err != nil || !sameCounts(rejects, n.bad) || !sameCounts(notes, n.noted) {
		return false, err
	}
	r.recordLocated(f, rejects, notes)
	return true, nil
}

// soughtOf lists, per mapping, the checks and notices of f to look for.
func (r *run) soughtOf(f *file, maps []*catalog.Mapping, n *fileFindings) (checks, notices [][]sought, ok bool) {
	checks, notices = make([][]sought, len(maps)), make([][]sought, len(maps))
	for i, m := range maps {
		if n.noted[i] > 0 && len(m.Filters) > 0 {
			return nil, nil, false
		}
		if n.bad[i] > 0 {
			for k, c := range checksOf(m, r.opt.Strict) {
				checks[i] = append(checks[i], sought{mapping: i, col: columnIndex(f, c.Column), check: c, rejects: at(n.rejected[i], k)})
			}
		}
		for k, c := range noticesOf(m, r.opt.Strict) {
			if k < len(n.values[i]) && len(n.values[i][k]) > 0 {
				notices[i] = append(notices[i], sought{mapping: i, col: columnIndex(f, c.Column), check: c, values: n.values[i][k]})
			}
		}
		for _, w := range append(slices.Clip(checks[i]), notices[i]...) {
			if w.col == 0 {
				return nil, nil, false
			}
		}
	}
	return checks, notices, true
}

// at is ms[k], or nil past its end.
func at(ms []map[string]string, k int) map[string]string {
	if k < len(ms) {
		return ms[k]
	}
	return nil
}

// fieldAt is the 1-based field col of a record, "" past its end.
func fieldAt(fields []string, col int) string {
	if col < 1 || col > len(fields) {
		return ""
	}
	return fields[col-1]
}

// sameCounts is true when the distinct lines found per mapping are as many
// as the pass counted.
func sameCounts(found []locatedFinding, want []int64) bool {
	for i := range want {
		var lines []int64
		for _, h := range found {
			if h.s.mapping == i {
				lines = append(lines, h.line)
			}
		}
		if int64(len(slices.Compact(lines))) != want[i] {
			return false
		}
	}
	return true
}

// recordLocated records located rejects (a line two mappings reject is one
// rejected row) and notices (one per line and column), each with its own
// copy of the line.
func (r *run) recordLocated(f *file, rejects, notes []locatedFinding) {
	reason := func(h locatedFinding) Reject {
		field := f.layout.Fields[h.s.col-1].Header
		return Reject{Line: h.line, Column: h.s.col, Field: field,
			Reason: fmt.Sprintf("column %q: %q: %s", field, h.val, h.s.check.Reason), Raw: strings.Clone(h.raw)}
	}
	rejected, noted := map[int64]bool{}, map[[2]int64]bool{}
	for _, h := range rejects {
		if !rejected[h.line] {
			rejected[h.line] = true
			f.Rejected++
			f.addReject(r.opt.RejectsListed, reason(h))
		}
	}
	for _, h := range notes {
		if k := [2]int64{h.line, int64(h.s.col)}; !noted[k] {
			noted[k] = true
			f.addNotice(r.opt.RejectsListed, reason(h))
		}
	}
}

// eachRecord calls fn with every data line of f that DuckDB accepted (not
// the header, blank lines or the lines in skip), as written and split into
// fields as DuckDB read them. The strings share the file's memory: clone
// what is kept.
func eachRecord(f *file, skip map[int64]bool, fn func(line int64, raw string, fields []string)) error {
	data, err := os.ReadFile(f.abs)
	if err != nil {
		return fmt.Errorf("failed to read %s: %w", f.Path, err)
	}
	lines := strings.Split(string(data), "\n")
	header := int64(f.skip) + 1
	if !f.src.Quoted {
		delim := string(f.src.Delim)
		for i, text := range lines {
			line, text := int64(i+1), strings.TrimRight(text, "\r")
			if line > header && text != "" && !skip[line] {
				fn(line, text, strings.Split(text, delim))
			}
		}
		return nil
	}
	cr := csv.NewReader(strings.NewReader(string(data)))
	cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes, cr.ReuseRecord = rune(f.src.Delim), -1, true, true
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return nil
		}
		if err != nil {
			return fmt.Errorf("failed to read %s: %w", f.Path, err)
		}
		l, _ := cr.FieldPos(0)
		if line := int64(l); line > header && !skip[line] && l <= len(lines) {
			fn(line, strings.TrimRight(lines[l-1], "\r"), rec)
		}
	}
}
