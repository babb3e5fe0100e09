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

// fileNotes gathers, over the partitions of one file, what a pass says of
// its notices: per mapping, the landing rows with a notice and, per
// notice, the values that raised it; bad is set when a check rejected a
// row of it.
type fileNotes struct {
	bad    bool
	noted  []int64
	values [][]map[string]bool
}

func (n *fileNotes) add(maps []*catalog.Mapping, i int, st mapStats) {
	if n.noted == nil {
		n.noted = make([]int64, len(maps))
		n.values = make([][]map[string]bool, len(maps))
	}
	n.bad = n.bad || st.bad > 0
	n.noted[i] += st.noted
	for len(n.values[i]) < len(st.values) {
		n.values[i] = append(n.values[i], map[string]bool{})
	}
	for k, vs := range st.values {
		for _, v := range vs {
			n.values[i][k][v] = true
		}
	}
}

// notedLine is a line of a file with a notice of mapping mapping.
type notedLine struct {
	line    int64
	mapping int
	check   catalog.Check
	col     int
	value   string
	raw     string
}

// locateNotices finds the lines of f's notices by their values, without
// DuckDB: every current notice is a function of its column's value on a
// landing row. It is used only for a file no check rejected, whose
// mappings have no filter, and only when the lines it finds are exactly
// as many as the pass counted; it returns false otherwise, and the caller
// reads the file again in order.
func (r *run) locateNotices(f *file, maps []*catalog.Mapping, n *fileNotes) (bool, error) {
	if n.bad {
		return false, nil
	}
	for i, m := range maps {
		if n.noted[i] > 0 && len(m.Filters) > 0 {
			return false, nil
		}
	}
	type sought struct {
		mapping, col int
		check        catalog.Check
		values       map[string]bool
	}
	var want []sought
	for i, m := range maps {
		for k, c := range noticesOf(m, r.opt.Strict) {
			if k < len(n.values[i]) && len(n.values[i][k]) > 0 {
				want = append(want, sought{i, columnIndex(f, c.Column), c, n.values[i][k]})
			}
		}
	}
	var found []notedLine
	err := eachRecord(f, r.skipLines[f.id], func(line int64, raw string, fields []string) {
		for _, w := range want {
			if w.col > 0 && w.col <= len(fields) && w.values[fields[w.col-1]] {
				found = append(found, notedLine{line, w.mapping, w.check, w.col, fields[w.col-1], raw})
			}
		}
	})
	if err != nil {
		return false, err
	}
	for i := range maps {
		var lines []int64
		for _, h := range found {
			if h.mapping == i {
				lines = append(lines, h.line)
			}
		}
		if int64(len(slices.Compact(lines))) != n.noted[i] {
			return false, nil
		}
	}
	for _, h := range found {
		field := f.layout.Fields[h.col-1].Header
		f.addNotice(r.opt.RejectsListed, Reject{Line: h.line, Column: h.col, Field: field,
			Reason: fmt.Sprintf("column %q: %q: %s", field, h.value, h.check.Reason), Raw: strings.Clone(h.raw)})
	}
	return true, nil
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
