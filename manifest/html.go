package manifest

import (
	"cmp"
	"embed"
	"fmt"
	"html/template"
	"io"
	"maps"
	"slices"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"spotmigrate/catalog"
	"spotmigrate/report"
)

//go:embed html.tmpl
var htmlFS embed.FS

var htmlTemplate = template.Must(report.HTMLTemplate(htmlFS, "html.tmpl"))

// The HTML report lists at most this many files and sample lines per
// reason, and this many paths per skip reason.
const (
	htmlTopFiles = 5
	htmlSamples  = 3
	htmlSkipped  = 10
	htmlRawChars = 300
)

// htmlView is the validation as the HTML report shows it.
type htmlView struct {
	report.Page
	Problems, Notices []reasonGroup
	ProblemsNotListed int64
	NoticesNotListed  int64
	Skipped           []skipGroup
	Copies            []copyRow
}

// reasonGroup is the rejected rows (or notices) of one reason.
type reasonGroup struct {
	Reason    string
	Count     int64
	Files     []fileCount
	MoreFiles int
	Samples   []sampleLine
}

type fileCount struct {
	Path  string
	Count int64
}

type sampleLine struct {
	Where, Raw string
}

type skipGroup struct {
	Reason      string
	Count, More int
	Paths       []string
}

type copyRow struct {
	Kind, Source, Dest, Status string
	Bytes                      int64
}

// html writes the self-contained HTML report.
func (m *Manifest) html(w io.Writer) error {
	v := htmlView{
		Page: report.Page{
			Title:      "spotmigrate validate",
			Banner:     report.NewBanner(m.Verdict()),
			Provenance: m.htmlProvenance(),
			Totals:     m.htmlTotals(),
			Chart:      m.htmlChart(),
		},
		Skipped: m.skipGroups(),
		Copies:  m.htmlCopies(),
	}
	v.Problems, v.ProblemsNotListed = m.problemGroups()
	v.Notices, v.NoticesNotListed = m.noticeGroups()
	return report.WriteHTML(w, htmlTemplate, v)
}

func (m *Manifest) htmlProvenance() []report.Field {
	f := []report.Field{
		{Name: "Tree", Value: Shown(m.Root)},
		{Name: "Pipelines", Value: strings.Join(m.Pipelines, ", ")},
		{Name: "IANA registries", Value: m.registrySources()},
	}
	if m.NotebookRoot != "" {
		f = append(f, report.Field{Name: "Notebooks", Value: Shown(m.NotebookRoot)})
	}
	return m.Provenance.AppendHTML(f)
}

func (m *Manifest) htmlTotals() []report.Total {
	s := m.Summary
	level := func(n int64, l string) string {
		if n > 0 {
			return l
		}
		return ""
	}
	return []report.Total{
		{Key: "files", Label: "files read", Value: int64(s.Files)},
		{Key: "rows", Label: "rows read", Value: s.Rows},
		{Key: "filtered", Label: "filtered", Value: s.Filtered},
		{Key: "rejected", Label: "rejected", Value: s.Rejected, Level: level(s.Rejected, "bad")},
		{Key: "file-errors", Label: "file errors", Value: int64(s.FileErrors), Level: level(int64(s.FileErrors), "bad")},
		{Key: "notices", Label: "notices", Value: s.Notices, Level: level(s.Notices, "warn")},
		{Key: "landing", Label: "landing rows", Value: s.Landing},
		{Key: "partitions", Label: "partitions", Value: int64(len(m.Partitions))},
		{Key: "skipped", Label: "skipped", Value: int64(s.Skipped)},
	}
}

// htmlChart is the landing rows per partition date, stacked by pipeline.
func (m *Manifest) htmlChart() *report.Chart {
	series := slices.Clone(m.Pipelines)
	byDay := map[int][]int64{}
	for _, p := range m.Partitions {
		day := p.Y*10000 + p.M*100 + p.D
		if byDay[day] == nil {
			byDay[day] = make([]int64, len(series))
		}
		pipe := ""
		if t, ok := catalog.TableByName(p.Table); ok {
			pipe = t.Pipeline
		}
		i := slices.Index(series, pipe)
		if i < 0 {
			series = append(series, pipe)
			for d := range byDay {
				byDay[d] = append(byDay[d], 0)
			}
			i = len(series) - 1
		}
		byDay[day][i] += p.Rows
	}
	var bars []report.Bar
	for _, day := range slices.Sorted(maps.Keys(byDay)) {
		bars = append(bars, report.Bar{Label: DayLabel(day/10000, day/100%100, day%100), Values: byDay[day]})
	}
	return report.StackedBars("Landing rows per day, by pipeline", "", series, bars)
}

// DayLabel is a partition date as the HTML reports show it.
func DayLabel(y, m, d int) string {
	if y == 0 {
		return "whole table"
	}
	return fmt.Sprintf("%04d-%02d-%02d", y, m, d)
}

// problemGroups groups the file errors and the listed rejected rows by
// reason; the count is of the rows not listed (the manifest caps the list).
func (m *Manifest) problemGroups() ([]reasonGroup, int64) {
	g := newGrouper()
	var notListed int64
	for _, f := range m.Files {
		if f.Error != "" {
			g.add("file error: "+f.Error, Shown(f.Path), sampleLine{Where: Shown(f.Path)})
		}
		for _, r := range f.Rejects {
			g.add(reasonKey(r.Reason), Shown(f.Path), sampleLine{Where: r.Location(Shown(f.Path)), Raw: shownRaw(r.Raw)})
		}
		if f.RejectsListed > 0 {
			notListed += f.Rejected - int64(f.RejectsListed)
		}
	}
	return g.groups(), notListed
}

// noticeGroups groups the listed notices by reason, like problemGroups.
func (m *Manifest) noticeGroups() ([]reasonGroup, int64) {
	g := newGrouper()
	var notListed int64
	for _, f := range m.Files {
		for _, n := range f.Notices {
			g.add(reasonKey(n.Reason), Shown(f.Path), sampleLine{Where: n.Location(Shown(f.Path)), Raw: shownRaw(n.Raw)})
		}
		if f.NoticesListed > 0 {
			notListed += f.NoticeCount - int64(f.NoticesListed)
		}
	}
	return g.groups(), notListed
}

// grouper counts lines per reason and per file, in order of appearance.
type grouper struct {
	order []string
	by    map[string]*reasonGroup
	files map[string]map[string]int64
}

func newGrouper() *grouper {
	return &grouper{by: map[string]*reasonGroup{}, files: map[string]map[string]int64{}}
}

func (g *grouper) add(reason, path string, s sampleLine) {
	r := g.by[reason]
	if r == nil {
		r = &reasonGroup{Reason: reason}
		g.by[reason] = r
		g.files[reason] = map[string]int64{}
		g.order = append(g.order, reason)
	}
	r.Count++
	g.files[reason][path]++
	if len(r.Samples) < htmlSamples {
		r.Samples = append(r.Samples, s)
	}
}

// groups are the reasons, most lines first, each with its top files.
func (g *grouper) groups() []reasonGroup {
	var out []reasonGroup
	for _, reason := range g.order {
		r := *g.by[reason]
		for p, n := range g.files[reason] {
			r.Files = append(r.Files, fileCount{Path: p, Count: n})
		}
		slices.SortFunc(r.Files, func(a, b fileCount) int {
			return cmp.Or(cmp.Compare(b.Count, a.Count), strings.Compare(a.Path, b.Path))
		})
		if len(r.Files) > htmlTopFiles {
			r.MoreFiles = len(r.Files) - htmlTopFiles
			r.Files = r.Files[:htmlTopFiles]
		}
		out = append(out, r)
	}
	slices.SortStableFunc(out, func(a, b reasonGroup) int { return cmp.Compare(b.Count, a.Count) })
	return out
}

// reasonKey is a reason without the value it quotes, so that the rows
// of one check group together: `column "x": "v": reason` and
// `column "x": "v" is not INT` lose the "v".
func reasonKey(reason string) string {
	rest, ok := strings.CutPrefix(reason, "column ")
	if !ok {
		return reason
	}
	field, err := strconv.QuotedPrefix(rest)
	if err != nil {
		return reason
	}
	after, ok := strings.CutPrefix(rest[len(field):], ": ")
	if !ok {
		return reason
	}
	value, err := strconv.QuotedPrefix(after)
	if err != nil {
		return reason
	}
	return "column " + field + ": …" + after[len(value):]
}

// shownRaw is a raw line as the report shows it: cut to htmlRawChars
// characters, Go-quoted when it holds a control character other than a tab.
func shownRaw(s string) string {
	if utf8.RuneCountInString(s) > htmlRawChars {
		s = string([]rune(s)[:htmlRawChars]) + "…"
	}
	if strings.IndexFunc(s, func(r rune) bool { return r != '\t' && unicode.IsControl(r) }) >= 0 {
		return strconv.Quote(s)
	}
	return s
}

// skipGroups groups the skipped entries by reason, most entries first.
func (m *Manifest) skipGroups() []skipGroup {
	var order []string
	by := map[string]*skipGroup{}
	for _, sk := range m.Skipped {
		g := by[sk.Reason]
		if g == nil {
			g = &skipGroup{Reason: sk.Reason}
			by[sk.Reason] = g
			order = append(order, sk.Reason)
		}
		g.Count++
		if len(g.Paths) < htmlSkipped {
			g.Paths = append(g.Paths, Shown(sk.Path))
		} else {
			g.More++
		}
	}
	out := make([]skipGroup, 0, len(order))
	for _, r := range order {
		out = append(out, *by[r])
	}
	slices.SortStableFunc(out, func(a, b skipGroup) int { return cmp.Compare(b.Count, a.Count) })
	return out
}

// htmlCopies are the copies with what happens to each.
func (m *Manifest) htmlCopies() []copyRow {
	var rows []copyRow
	for _, c := range m.Copies {
		status := "copied byte for byte"
		switch {
		case c.Convert != "":
			status = "converted " + c.Convert
		case c.Kept:
			status = "kept (stood there already)"
		}
		rows = append(rows, copyRow{Kind: c.Kind, Source: Shown(c.Source), Dest: Shown(c.Dest), Status: status, Bytes: c.Bytes})
	}
	return rows
}
