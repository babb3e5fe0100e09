package oafiles

import (
	"fmt"
	"strings"

	"spotmigrate/catalog"
)

// layout is one header version of a <pipe>_scores_fb.csv file.
type layout struct {
	name  string
	names []string
	// toName and to are the layout the 1.0 ML reader needs, nil when this
	// layout is that one already (the file is copied as it is).
	toName string
	to     []string
}

// f8 is the F8 header (flow_feedback_fields, spec §7.3.3): the eight columns
// the 1.0 flow reader takes from positions 0-7.
var f8 = []string{"sev", "tstart", "srcIP", "dstIP", "sport", "dport", "ipkt", "ibyt"}

// feedbackLayouts are the known feedback headers per pipeline: F20 is the L0
// flow_scores header, D0 and D1 the dns_scores headers, P0 the 26 proxy
// scores names (catalog).
var feedbackLayouts = map[string][]layout{
	"flow": {
		{name: "F8", names: f8},
		{name: "F20", names: catalogHeader("flow_scores", "L0"), toName: "F8", to: f8},
	},
	"dns": {
		{name: "D1", names: catalogHeader("dns_scores", "D1")},
		{name: "D0", names: catalogHeader("dns_scores", "D0"), toName: "D1", to: catalogHeader("dns_scores", "D1")},
	},
	"proxy": {
		{name: "P0", names: catalogHeader("proxy_scores", "P0")},
	},
}

// utf8BOM is the byte order mark trimmed from the start of a file.
const utf8BOM = "\xef\xbb\xbf"

// catalogHeader returns the header names of layout name of the catalog
// source src; it panics when the catalog lacks them (a build invariant).
func catalogHeader(src, name string) []string {
	s, ok := catalog.SourceByName(src)
	if ok {
		for _, l := range s.Layouts {
			if l.Name == name {
				return strings.Split(l.Header('\t'), "\t")
			}
		}
	}
	panic("oafiles: catalog has no layout " + name + " of " + src)
}

// Convert returns the content to write for u from the old file's bytes, and
// u with Convert set. Storyboard JSON and feedback files already in the 1.0
// reader's layout (flow F8, dns D1, proxy 26 columns) are returned
// byte-identical (src itself); F20 is converted to F8 and D0 to D1 by header
// name (see docs/FILES.md). The layout is detected from the header line
// (first non-blank line, TAB-separated, BOM and CR trimmed, names compared
// case-insensitively). An unknown header is an error naming the file and its
// header; a data line whose field count differs from the header's, or that
// holds a CR before its end, is an error naming its 1-based physical line.
// Every feedback file is checked, copied or not.
func Convert(u Unit, src []byte) ([]byte, Unit, error) {
	u.Convert = ""
	switch u.Kind {
	case Storyboard:
		return src, u, nil
	case Feedback:
		return convertFeedback(u, src)
	}
	return nil, u, fmt.Errorf("failed to convert %s: a %q unit has no content to convert", u.Source, u.Kind)
}

// convertFeedback checks a feedback file and returns it copied or converted.
func convertFeedback(u Unit, src []byte) ([]byte, Unit, error) {
	lines := splitLines(src)
	h := firstNonBlank(lines)
	if h < 0 {
		return nil, u, fmt.Errorf("failed to convert feedback file %s: no header line", u.Source)
	}
	header := strings.Split(lines[h], "\t")
	l, ok := detect(u.Pipeline, header)
	if !ok {
		return nil, u, fmt.Errorf("failed to convert feedback file %s: unknown header %q (%d columns), known layouts: %s",
			u.Source, lines[h], len(header), knownLayouts(u.Pipeline))
	}
	rows, err := dataRows(lines, h, len(header))
	if err != nil {
		return nil, u, fmt.Errorf("failed to convert feedback file %s: %w", u.Source, err)
	}
	if l.to == nil {
		return src, u, nil
	}
	u.Convert = l.name + " to " + l.toName
	return render(l.to, pick(header, l.to), rows), u, nil
}

// splitLines splits src on LF, trims one trailing CR from every line and a
// BOM from the first.
func splitLines(src []byte) []string {
	lines := strings.Split(string(src), "\n")
	lines[0] = strings.TrimPrefix(lines[0], utf8BOM)
	for i, l := range lines {
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

// firstNonBlank returns the index of the first non-empty line, or -1.
func firstNonBlank(lines []string) int {
	for i, l := range lines {
		if l != "" {
			return i
		}
	}
	return -1
}

// detect returns the layout of pipe whose names equal header, compared
// case-insensitively.
func detect(pipe string, header []string) (layout, bool) {
	for _, l := range feedbackLayouts[pipe] {
		if equalFold(l.names, header) {
			return l, true
		}
	}
	return layout{}, false
}

// equalFold reports whether a and b hold the same names, ignoring case.
func equalFold(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !strings.EqualFold(a[i], b[i]) {
			return false
		}
	}
	return true
}

// knownLayouts names the layouts known for pipe, for error messages.
func knownLayouts(pipe string) string {
	var out []string
	for _, l := range feedbackLayouts[pipe] {
		out = append(out, fmt.Sprintf("%s (%d columns)", l.name, len(l.names)))
	}
	if out == nil {
		return "none for pipeline " + fmt.Sprintf("%q", pipe)
	}
	return strings.Join(out, ", ")
}

// dataRows returns the TAB-split data lines after the header line h, in
// order, without blank lines and lines equal to the header line. A line
// with another field count than width, or holding a CR, is an error.
func dataRows(lines []string, h, width int) ([][]string, error) {
	var rows [][]string
	for i := h + 1; i < len(lines); i++ {
		l := lines[i]
		if l == "" || l == lines[h] {
			continue
		}
		if strings.Contains(l, "\r") {
			return nil, fmt.Errorf("line %d: carriage return inside the line", i+1)
		}
		f := strings.Split(l, "\t")
		if len(f) != width {
			return nil, fmt.Errorf("line %d: %d fields, the header has %d", i+1, len(f), width)
		}
		rows = append(rows, f)
	}
	return rows, nil
}

// pick returns, for every target name, the index of the first header field
// equal to it ignoring case, or -1 when the header has none.
func pick(header, to []string) []int {
	idx := make([]int, len(to))
	for i, name := range to {
		idx[i] = -1
		for j, h := range header {
			if strings.EqualFold(h, name) {
				idx[i] = j
				break
			}
		}
	}
	return idx
}

// render writes the target header and the picked fields of every row, TAB
// between fields, LF after every line; a field of index -1 is empty.
func render(to []string, idx []int, rows [][]string) []byte {
	var b strings.Builder
	b.WriteString(strings.Join(to, "\t"))
	b.WriteByte('\n')
	for _, r := range rows {
		for i, j := range idx {
			if i > 0 {
				b.WriteByte('\t')
			}
			if j >= 0 {
				b.WriteString(r[j])
			}
		}
		b.WriteByte('\n')
	}
	return []byte(b.String())
}
