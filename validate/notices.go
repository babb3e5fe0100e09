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
	"spotmigrate/manifest"
	"spotmigrate/workdb"
)

// fileFindings gathers, over the partitions of one file, what a pass says
// of its findings: the rows the source's checks reject and, per check, the
// column values of those rows (with the value reported for each: the
// check's own, which may differ); per mapping, the landing rows with a
// notice and, per notice, the values that raised it.
type fileFindings struct {
	bad      int64
	rejected []map[string]string
	noted    []int64
	values   [][]map[string]bool
}

func (n *fileFindings) add(row workdb.PassRow) {
	if n.noted == nil {
		n.noted, n.values = make([]int64, len(row.Maps)), make([][]map[string]bool, len(row.Maps))
	}
	n.bad += row.Bad
	for len(n.rejected) < len(row.Rejected) {
		n.rejected = append(n.rejected, map[string]string{})
	}
	for k, pairs := range row.Rejected {
		for _, p := range pairs {
			n.rejected[k][p[0]] = p[1]
		}
	}
	for i, st := range row.Maps {
		n.noted[i] += st.Noted
		for len(n.values[i]) < len(st.Values) {
			n.values[i] = append(n.values[i], map[string]bool{})
		}
		for k, vs := range st.Values {
			for _, v := range vs {
				n.values[i][k][v] = true
			}
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
func (r *run) locateByValue(f *file, land workdb.Landing, n *fileFindings) (bool, error) {
	checks, notices, ok := soughtOf(f, land, n)
	if !ok {
		return false, nil
	}
	var rejects, notes []locatedFinding
	err := eachRecord(f, r.skipLines[f.id], func(line int64, raw string, fields []string) {
		bad := false
		for j := range checks {
			w := &checks[j]
			if shown, hit := w.rejects[fieldAt(fields, w.col)]; hit {
				rejects = append(rejects, locatedFinding{line, w, shown, raw})
				bad = true
				break
			}
		}
		for i := range notices {
			for j := range notices[i] {
				w := &notices[i][j]
				if v := fieldAt(fields, w.col); !bad && w.values[v] {
					notes = append(notes, locatedFinding{line, w, v, raw})
				}
			}
		}
	})
	if err != nil || !sameCounts(rejects, -1, n.bad) {
		return false, err
	}
	for i := range notices {
		if !sameCounts(notes, i, n.noted[i]) {
			return false, nil
		}
	}
	r.recordLocated(f, rejects, notes)
	return true, nil
}

// soughtOf lists the checks of f's source and, per mapping, the notices
// of f to look for.
func soughtOf(f *file, land workdb.Landing, n *fileFindings) (checks []sought, notices [][]sought, ok bool) {
	if n.bad > 0 {
		for k, c := range land.Checks() {
			checks = append(checks, sought{mapping: -1, col: columnIndex(f, c.Column), check: c, rejects: at(n.rejected, k)})
		}
	}
	notices = make([][]sought, len(land.Maps()))
	for i, m := range land.Maps() {
		if n.noted[i] > 0 && len(m.Filters) > 0 {
			return nil, nil, false
		}
		for k, c := range land.Notices(i) {
			if k < len(n.values[i]) && len(n.values[i][k]) > 0 {
				notices[i] = append(notices[i], sought{mapping: i, col: columnIndex(f, c.Column), check: c, values: n.values[i][k]})
			}
		}
	}
	for _, w := range checks {
		if w.col == 0 {
			return nil, nil, false
		}
	}
	for _, ws := range notices {
		for _, w := range ws {
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

// sameCounts is true when the distinct lines found for mapping (-1: the
// source's checks) are as many as the pass counted.
func sameCounts(found []locatedFinding, mapping int, want int64) bool {
	var lines []int64
	for _, h := range found {
		if h.s.mapping == mapping {
			lines = append(lines, h.line)
		}
	}
	return int64(len(slices.Compact(lines))) == want
}

// recordLocated records located rejects (a line two mappings reject is one
// rejected row) and notices (one per line and column), each with its own
// copy of the line.
func (r *run) recordLocated(f *file, rejects, notes []locatedFinding) {
	reason := func(h locatedFinding) manifest.Reject {
		field := f.layout.Fields[h.s.col-1].Header
		return manifest.Reject{Line: h.line, Column: h.s.col, Field: field,
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
