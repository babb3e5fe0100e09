package manifest

import (
	"fmt"
	"io"
	"sort"
	"strconv"
	"strings"
	"unicode"

	"spotmigrate/report"
)

// Write writes the manifest as a report in format f.
func (m *Manifest) Write(w io.Writer, f report.Format) error {
	switch f {
	case report.JSON:
		return report.WriteJSONShallow(w, m, 2)
	case report.JUnit:
		return m.junit().Write(w)
	case report.Markdown:
		return m.text(w, true)
	case report.HTML:
		return m.html(w)
	default:
		return m.text(w, false)
	}
}

// text writes the report a person reads first (markdown: for tickets).
func (m *Manifest) text(w io.Writer, md bool) error {
	p := &printer{w: w, md: md}
	p.title("spotmigrate validate")
	p.line("Tree: %s (pipelines: %s)", m.Root, strings.Join(m.Pipelines, ", "))
	s := m.Summary
	p.line("Files: %d read (%s), %d skipped, %d with errors, %d with rejected rows",
		s.Files, humanBytes(s.Bytes), s.Skipped, s.FileErrors, s.FilesRejected)
	p.line("Rows: %d data rows, %d rejected, %d filtered; %d table rows will land in %d partitions",
		s.Rows, s.Rejected, s.Filtered, s.Landing, len(m.Partitions))
	p.line("Notices: %d in %d file(s) (the rows land; --strict rejects them)", s.Notices, s.FilesNoticed)
	p.line("IANA registries: %s", m.registrySources())
	p.section("Files by kind")
	p.table([]string{"SOURCE", "LAYOUTS", "FILES", "BYTES", "ROWS", "REJECTED", "NOTICES", "FILTERED"}, m.sourceRows())
	p.section("Partitions")
	p.table([]string{"TABLE", "PARTITION", "ROWS", "CHECKSUM", "FILES"}, m.partitionRows())
	if len(m.Copies) > 0 {
		p.section("Files copied to their Spot 1.0 place")
		p.table([]string{"KIND", "SOURCE", "DESTINATION", "BYTES", "CONVERSION"}, m.copyRows())
	}
	if lines := m.problemLines(); len(lines) > 0 {
		p.section("Rejected rows and file errors")
		p.list(lines)
	}
	if lines := m.noticeLines(); len(lines) > 0 {
		p.section("Notices")
		p.list(lines)
	}
	if len(m.Skipped) > 0 {
		p.section("Skipped")
		var lines []string
		for _, sk := range m.Skipped {
			lines = append(lines, Shown(sk.Path)+": "+sk.Reason)
		}
		p.list(lines)
	}
	if m.Provenance != nil {
		p.section("Provenance")
		if p.err == nil {
			p.err = m.Provenance.WriteText(p.w, p.md)
		}
	}
	p.section("Result")
	p.line("%s", m.Verdict())
	return p.err
}

// copyRows lists the copies, in manifest order.
func (m *Manifest) copyRows() [][]string {
	var rows [][]string
	for _, c := range m.Copies {
		conv := "byte for byte"
		switch {
		case c.Convert != "":
			conv = c.Convert
		case c.Kept:
			conv = "kept (stood there already)"
		}
		rows = append(rows, []string{c.Kind, Shown(c.Source), c.Dest, fmt.Sprint(c.Bytes), conv})
	}
	return rows
}

// Verdict is the one-line outcome of the validation.
func (m *Manifest) Verdict() string {
	s := m.Summary
	switch {
	case s.Unreadable > 0:
		return fmt.Sprintf("FAILED: %d file(s) could not be read", s.Unreadable)
	case !m.Clean():
		return fmt.Sprintf("REJECTS: %d rejected row(s) in %d file(s), %d file error(s)",
			s.Rejected, s.FilesRejected, s.FileErrors)
	case s.Notices > 0:
		return fmt.Sprintf("OK: every data row of %d file(s) can be migrated; %d notice(s) in %d file(s)",
			s.Files, s.Notices, s.FilesNoticed)
	}
	return fmt.Sprintf("OK: every data row of %d file(s) can be migrated", s.Files)
}

// registrySources says where the IANA registries came from.
func (m *Manifest) registrySources() string {
	if len(m.Registries) == 0 {
		return "none recorded"
	}
	var paths []string
	for _, r := range m.Registries {
		paths = append(paths, r.Path)
	}
	return strings.Join(paths, ", ")
}

// noticeLines lists notices as path:line:column: reason.
func (m *Manifest) noticeLines() []string {
	var out []string
	for _, f := range m.Files {
		for _, n := range f.Notices {
			out = append(out, n.Location(Shown(f.Path))+": "+n.Reason)
		}
		if f.NoticesListed > 0 {
			out = append(out, fmt.Sprintf("%s: %d more notice(s) not listed", Shown(f.Path), f.NoticeCount-int64(f.NoticesListed)))
		}
	}
	return out
}

// sourceRows summarises files per source.
func (m *Manifest) sourceRows() [][]string {
	type agg struct {
		layouts                    map[string]bool
		files                      int
		bytes                      int64
		rows, rej, notes, filtered int64
	}
	by := map[string]*agg{}
	var order []string
	for _, f := range m.Files {
		a := by[f.Source]
		if a == nil {
			a = &agg{layouts: map[string]bool{}}
			by[f.Source] = a
			order = append(order, f.Source)
		}
		if f.Layout != "" {
			a.layouts[f.Layout] = true
		}
		a.files++
		a.bytes += f.Bytes
		a.rows += f.Rows
		a.rej += f.Rejected
		a.notes += f.NoticeCount
		for _, n := range f.Filtered {
			a.filtered += n
		}
	}
	sort.Strings(order)
	var rows [][]string
	for _, src := range order {
		a := by[src]
		var ls []string
		for l := range a.layouts {
			ls = append(ls, l)
		}
		sort.Strings(ls)
		rows = append(rows, []string{src, strings.Join(ls, ","), strconv.Itoa(a.files),
			humanBytes(a.bytes), i64(a.rows), i64(a.rej), i64(a.notes), i64(a.filtered)})
	}
	return rows
}

func (m *Manifest) partitionRows() [][]string {
	var rows [][]string
	for _, p := range m.Partitions {
		rows = append(rows, []string{p.Table, fmt.Sprintf("y=%d/m=%d/d=%d", p.Y, p.M, p.D),
			i64(p.Rows), p.Checksum, strconv.Itoa(len(p.Files))})
	}
	return rows
}

// problemLines lists file errors and rejected rows as path:line:column: reason.
func (m *Manifest) problemLines() []string {
	var out []string
	for _, f := range m.Files {
		if f.Error != "" {
			out = append(out, Shown(f.Path)+": "+f.Error)
		}
		for _, r := range f.Rejects {
			out = append(out, r.Location(Shown(f.Path))+": "+r.Reason)
		}
		if f.RejectsListed > 0 {
			out = append(out, fmt.Sprintf("%s: %d more rejected row(s) not listed", Shown(f.Path), f.Rejected-int64(f.RejectsListed)))
		}
	}
	return out
}

// Location is path:line:column (column left out when unknown).
func (r Reject) Location(path string) string {
	if r.Column > 0 {
		return fmt.Sprintf("%s:%d:%d", path, r.Line, r.Column)
	}
	return fmt.Sprintf("%s:%d", path, r.Line)
}

// junit writes one test case per file, grouped by pipeline; skipped
// entries are skipped cases.
func (m *Manifest) junit() *report.Suites {
	doc := &report.Suites{Name: "spotmigrate validate", Properties: m.Provenance.Properties()}
	suites := map[string]*report.Suite{}
	suite := func(name string) *report.Suite {
		if s, ok := suites[name]; ok {
			return s
		}
		s := &report.Suite{Name: name}
		suites[name] = s
		doc.Suites = append(doc.Suites, s)
		return s
	}
	for _, f := range m.Files {
		c := &report.Case{Class: f.Pipeline + "." + f.Source, Name: Shown(f.Path)}
		switch {
		case f.Unreadable:
			c.Error = &report.Message{Message: f.Error, Text: Shown(f.Path) + ": " + f.Error}
		case f.Error != "":
			c.Failure = &report.Message{Message: f.Error, Text: Shown(f.Path) + ": " + f.Error}
		case f.Rejected > 0:
			var lines []string
			for _, r := range f.Rejects {
				lines = append(lines, r.Location(Shown(f.Path))+": "+r.Reason)
			}
			c.Failure = &report.Message{Message: fmt.Sprintf("%d rejected row(s)", f.Rejected),
				Text: strings.Join(lines, "\n")}
		}
		if f.NoticeCount > 0 {
			lines := []string{fmt.Sprintf("%d notice(s): the rows land", f.NoticeCount)}
			for _, n := range f.Notices {
				lines = append(lines, n.Location(Shown(f.Path))+": "+n.Reason)
			}
			c.SystemOut = strings.Join(lines, "\n")
		}
		suite(f.Pipeline).Add(c)
	}
	for _, sk := range m.Skipped {
		pipe, _, _ := strings.Cut(sk.Path, "/")
		suite(pipe).Add(&report.Case{Class: "skipped", Name: Shown(sk.Path),
			Skipped: &report.Message{Message: sk.Reason}})
	}
	for _, c := range m.Copies {
		suite(c.Pipeline).Add(&report.Case{Class: c.Pipeline + ".copy." + c.Kind, Name: Shown(c.Source),
			SystemOut: "to " + c.Dest})
	}
	return doc
}

type printer struct {
	w   io.Writer
	md  bool
	err error
}

func (p *printer) line(format string, args ...any) {
	if p.err != nil {
		return
	}
	s := fmt.Sprintf(format, args...)
	if p.md {
		s += "  "
	}
	_, p.err = fmt.Fprintln(p.w, s)
}

func (p *printer) raw(s string) {
	if p.err == nil {
		_, p.err = io.WriteString(p.w, s)
	}
}

func (p *printer) title(s string) {
	if p.md {
		p.raw("# " + s + "\n\n")
		return
	}
	p.raw(s + "\n")
}

func (p *printer) section(s string) {
	if p.md {
		p.raw("\n## " + s + "\n\n")
		return
	}
	p.raw("\n" + strings.ToUpper(s) + "\n")
}

func (p *printer) table(header []string, rows [][]string) {
	if p.err == nil {
		p.err = report.Table(p.w, p.md, header, rows)
	}
}

func (p *printer) list(lines []string) {
	for _, l := range lines {
		if p.md {
			p.raw("- `" + strings.ReplaceAll(l, "`", "'") + "`\n")
		} else {
			p.raw(l + "\n")
		}
	}
}

func i64(n int64) string { return strconv.FormatInt(n, 10) }

func humanBytes(n int64) string {
	switch {
	case n >= 1<<30:
		return fmt.Sprintf("%.1f GiB", float64(n)/(1<<30))
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MiB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%.1f KiB", float64(n)/(1<<10))
	}
	return fmt.Sprintf("%d B", n)
}

// Shown is a path as reports print it: as it is, or quoted with Go escapes
// when it holds a control character (a newline in a name would otherwise
// forge a report line).
func Shown(p string) string {
	if strings.IndexFunc(p, unicode.IsControl) < 0 {
		return p
	}
	return strconv.Quote(p)
}
