package reconcile

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"spotmigrate/manifest"
	"spotmigrate/report"
)

// Write writes the report in format f.
func (r *Report) Write(w io.Writer, f report.Format) error {
	switch f {
	case report.JSON:
		return report.WriteJSON(w, r)
	case report.JUnit:
		return r.junit().Write(w)
	case report.HTML:
		return r.html(w)
	}
	return r.text(w, f == report.Markdown)
}

// Verdict is the one-line outcome.
func (r *Report) Verdict() string {
	badFiles := len(r.Files) - r.FilesMatched
	badParts := r.Failed - badFiles
	switch {
	case r.OK() && len(r.Files) == 0:
		return fmt.Sprintf("OK: all %d partition(s) match the manifest", r.Matched)
	case r.OK():
		return fmt.Sprintf("OK: all %d partition(s) and %d file(s) match the manifest", r.Matched, len(r.Files))
	case len(r.Files) == 0:
		return fmt.Sprintf("MISMATCH: %d of %d partition(s) do not match the manifest", r.Failed, r.Failed+r.Matched)
	}
	return fmt.Sprintf("MISMATCH: %d of %d partition(s) and %d of %d file(s) do not match the manifest",
		badParts, badParts+r.Matched, badFiles, len(r.Files))
}

func (r *Report) text(w io.Writer, md bool) error {
	var b strings.Builder
	if md {
		b.WriteString("# spotmigrate reconcile\n\n")
	} else {
		b.WriteString("spotmigrate reconcile\n")
	}
	fmt.Fprintf(&b, "Target: %s (database %s, pipelines: %s)\n", r.Target, r.Database, strings.Join(r.Pipelines, ", "))
	section(&b, md, "Tables")
	if _, err := io.WriteString(w, b.String()); err != nil {
		return err
	}
	if err := report.Table(w, md, []string{"TABLE", "PARTITIONS", "MATCHED", "FAILED", "EXPECTED ROWS", "ACTUAL ROWS"}, r.tableRows()); err != nil {
		return err
	}
	b.Reset()
	if bad := r.failedRows(); len(bad) > 0 {
		section(&b, md, "Mismatches")
		if _, err := io.WriteString(w, b.String()); err != nil {
			return err
		}
		if err := report.Table(w, md, []string{"TABLE", "PARTITION", "STATUS", "EXPECTED ROWS", "ACTUAL ROWS",
			"EXPECTED CHECKSUM", "ACTUAL CHECKSUM", "SOURCE FILES"}, bad); err != nil {
			return err
		}
		b.Reset()
	}
	if r.Extra > 0 {
		fmt.Fprintf(&b, "\n%d partition(s) on the target are not in the manifest (not migrated by this run; left alone).\n", r.Extra)
	}
	if err := r.writeFiles(&b, md); err != nil {
		return err
	}
	if r.Provenance != nil {
		section(&b, md, "Provenance")
		if err := r.Provenance.WriteText(&b, md); err != nil {
			return err
		}
	}
	section(&b, md, "Result")
	b.WriteString(r.Verdict() + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

func section(b *strings.Builder, md bool, name string) {
	if md {
		b.WriteString("\n## " + name + "\n\n")
		return
	}
	b.WriteString("\n" + strings.ToUpper(name) + "\n")
}

func (r *Report) tableRows() [][]string {
	type agg struct{ parts, ok, bad, exp, act int64 }
	var order []string
	by := map[string]*agg{}
	for _, u := range r.Units {
		a := by[u.Table]
		if a == nil {
			a = &agg{}
			by[u.Table] = a
			order = append(order, u.Table)
		}
		if u.Status == Extra {
			continue
		}
		a.parts++
		a.exp += u.ExpectedRows
		a.act += u.ActualRows
		if u.Status == Match {
			a.ok++
		} else {
			a.bad++
		}
	}
	var rows [][]string
	for _, t := range order {
		a := by[t]
		rows = append(rows, []string{t, n(a.parts), n(a.ok), n(a.bad), n(a.exp), n(a.act)})
	}
	return rows
}

func (r *Report) failedRows() [][]string {
	var rows [][]string
	for _, u := range r.Units {
		if u.Status == Match || u.Status == Extra {
			continue
		}
		rows = append(rows, []string{u.Table, u.Dir(), u.Status, n(u.ExpectedRows), n(u.ActualRows),
			u.ExpectedChecksum, dash(u.ActualChecksum), files(u.Files)})
	}
	return rows
}

func files(fs []string) string {
	fs = shown(fs)
	if len(fs) > 3 {
		return strings.Join(fs[:3], ", ") + fmt.Sprintf(" and %d more", len(fs)-3)
	}
	return strings.Join(fs, ", ")
}

// shown is paths as reports print them (manifest.Shown).
func shown(paths []string) []string {
	out := make([]string, len(paths))
	for i, p := range paths {
		out[i] = manifest.Shown(p)
	}
	return out
}

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func n(x int64) string { return strconv.FormatInt(x, 10) }

func (r *Report) junit() *report.Suites {
	doc := &report.Suites{Name: "spotmigrate reconcile", Properties: r.Provenance.Properties()}
	suites := map[string]*report.Suite{}
	for _, u := range r.Units {
		s := suites[u.Table]
		if s == nil {
			s = &report.Suite{Name: u.Table}
			suites[u.Table] = s
			doc.Suites = append(doc.Suites, s)
		}
		c := &report.Case{Class: u.Table, Name: u.Dir()}
		switch u.Status {
		case Match:
		case Extra:
			c.Skipped = &report.Message{Message: "not in manifest"}
		default:
			c.Failure = &report.Message{Message: u.Status, Text: fmt.Sprintf(
				"%s %s: expected %d rows (checksum %s), found %d rows (checksum %s); source files: %s",
				u.Table, u.Dir(), u.ExpectedRows, u.ExpectedChecksum, u.ActualRows, dash(u.ActualChecksum),
				strings.Join(shown(u.Files), ", "))}
		}
		s.Add(c)
	}
	r.fileCases(doc)
	return doc
}
