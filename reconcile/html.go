package reconcile

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"slices"
	"strings"

	"spotmigrate/catalog"
	"spotmigrate/manifest"
	"spotmigrate/report"
)

//go:embed html.tmpl
var htmlFS embed.FS

var htmlTemplate = template.Must(report.HTMLTemplate(htmlFS, "html.tmpl"))

// htmlView is the reconcile as the HTML report shows it.
type htmlView struct {
	report.Page
	Grid       grid
	Mismatches []mismatchRow
	Extra      int
	Files      []fileRow
}

// grid is the partition status per table (rows) and day (columns).
type grid struct {
	Days []string
	Rows []gridRow
}

type gridRow struct {
	Table string
	Fail  bool
	Cells []gridCell
}

// gridCell is one partition: Class is cell-ok, cell-fail, cell-extra (on
// the target, not in the manifest) or cell-none (no such partition).
type gridCell struct {
	Class, Unit, Title, Text, Status string
}

type mismatchRow struct {
	Table, Partition, Status         string
	ExpectedRows, ActualRows         int64
	ExpectedChecksum, ActualChecksum string
	Files                            []string
}

type fileRow struct {
	Kind, Source, Dest, Status string
	Bytes                      int64
	Fail                       bool
}

// failed reports whether a unit is a mismatch.
func (u Unit) failed() bool { return u.Status != Match && u.Status != Extra }

// fileFailed reports whether a file did not verify.
func (u FileUnit) fileFailed() bool { return u.Status != FileMatch && u.Status != FileKept }

// html writes the self-contained HTML report.
func (r *Report) html(w io.Writer) error {
	v := htmlView{
		Page: report.Page{
			Title:      "spotmigrate reconcile",
			Banner:     report.NewBanner(r.Verdict()),
			Provenance: r.htmlProvenance(),
			Totals:     r.htmlTotals(),
			Chart:      r.htmlChart(),
		},
		Grid:       r.htmlGrid(),
		Mismatches: r.htmlMismatches(),
		Extra:      r.Extra,
		Files:      r.htmlFiles(),
	}
	return report.WriteHTML(w, htmlTemplate, v)
}

func (r *Report) htmlProvenance() []report.Field {
	return r.Provenance.AppendHTML([]report.Field{
		{Name: "Target", Value: manifest.Shown(r.Target)},
		{Name: "Database", Value: r.Database},
		{Name: "Pipelines", Value: strings.Join(r.Pipelines, ", ")},
	})
}

func (r *Report) htmlTotals() []report.Total {
	badFiles := len(r.Files) - r.FilesMatched
	badParts := r.Failed - badFiles
	bad := func(n int) string {
		if n > 0 {
			return "bad"
		}
		return ""
	}
	return []report.Total{
		{Key: "partitions-matched", Label: "partitions matched", Value: int64(r.Matched)},
		{Key: "partitions-failed", Label: "partitions failed", Value: int64(badParts), Level: bad(badParts)},
		{Key: "partitions-extra", Label: "partitions not in manifest", Value: int64(r.Extra)},
		{Key: "files-matched", Label: "files matched", Value: int64(r.FilesMatched)},
		{Key: "files-failed", Label: "files failed", Value: int64(badFiles), Level: bad(badFiles)},
	}
}

// dayOf is a unit's date as one sortable number (0 for a whole table).
func dayOf(k manifest.PartitionKey) int { return k.Y*10000 + k.M*100 + k.D }

func dayLabel(day int) string { return manifest.DayLabel(day/10000, day/100%100, day%100) }

// htmlChart is the expected rows per day stacked by pipeline, the days
// with a failed partition flagged.
func (r *Report) htmlChart() *report.Chart {
	series := slices.Clone(r.Pipelines)
	rows := map[int][]int64{}
	failed := map[int]bool{}
	for _, u := range r.Units {
		if u.Status == Extra {
			continue
		}
		day := dayOf(u.PartitionKey)
		if rows[day] == nil {
			rows[day] = make([]int64, len(series))
		}
		if t, ok := catalog.TableByName(u.Table); ok {
			if i := slices.Index(series, t.Pipeline); i >= 0 {
				rows[day][i] += u.ExpectedRows
			}
		}
		failed[day] = failed[day] || u.failed()
	}
	var bars []report.Bar
	for _, day := range sortedDays(rows) {
		bars = append(bars, report.Bar{Label: dayLabel(day), Values: rows[day], Flag: failed[day]})
	}
	return report.StackedBars("Expected rows per day, by pipeline", "a partition of the day does not match", series, bars)
}

func sortedDays[V any](m map[int]V) []int {
	days := make([]int, 0, len(m))
	for d := range m {
		days = append(days, d)
	}
	slices.Sort(days)
	return days
}

// htmlGrid lays the units out by table and day.
func (r *Report) htmlGrid() grid {
	units := map[manifest.PartitionKey]Unit{}
	days := map[int]bool{}
	var tables []string
	for _, u := range r.Units {
		units[u.PartitionKey] = u
		days[dayOf(u.PartitionKey)] = true
		if !slices.Contains(tables, u.Table) {
			tables = append(tables, u.Table)
		}
	}
	var g grid
	order := sortedDays(days)
	for _, d := range order {
		g.Days = append(g.Days, dayLabel(d))
	}
	for _, t := range tables {
		row := gridRow{Table: t}
		for _, d := range order {
			k := manifest.PartitionKey{Table: t, Y: d / 10000, M: d / 100 % 100, D: d % 100}
			u, ok := units[k]
			c := cellOf(u, ok)
			row.Fail = row.Fail || c.Class == "cell-fail"
			row.Cells = append(row.Cells, c)
		}
		g.Rows = append(g.Rows, row)
	}
	return g
}

// cellOf is the grid cell of a unit (ok false: no unit that day).
func cellOf(u Unit, ok bool) gridCell {
	if !ok {
		return gridCell{Class: "cell-none"}
	}
	name := u.Name()
	if u.Y == 0 {
		name = u.Table
	}
	c := gridCell{Unit: name, Status: u.Status,
		Title: fmt.Sprintf("%s: %s; expected %d rows, actual %d rows", name, u.Status, u.ExpectedRows, u.ActualRows)}
	switch u.Status {
	case Match:
		c.Class, c.Text, c.Status = "cell-ok", fmt.Sprint(u.ActualRows), ""
	case Extra:
		c.Class, c.Text = "cell-extra", fmt.Sprint(u.ActualRows)
	default:
		c.Class, c.Text = "cell-fail", fmt.Sprintf("%d / %d", u.ExpectedRows, u.ActualRows)
	}
	return c
}

func (r *Report) htmlMismatches() []mismatchRow {
	var rows []mismatchRow
	for _, u := range r.Units {
		if !u.failed() {
			continue
		}
		part := u.Dir()
		if u.Y == 0 {
			part = "(whole table)"
		}
		rows = append(rows, mismatchRow{Table: u.Table, Partition: part, Status: u.Status,
			ExpectedRows: u.ExpectedRows, ActualRows: u.ActualRows,
			ExpectedChecksum: u.ExpectedChecksum, ActualChecksum: dash(u.ActualChecksum), Files: shown(u.Files)})
	}
	return rows
}

func (r *Report) htmlFiles() []fileRow {
	var rows []fileRow
	for _, u := range r.Files {
		rows = append(rows, fileRow{Kind: u.Kind, Source: manifest.Shown(u.Source), Dest: manifest.Shown(u.Where),
			Status: u.Status, Bytes: u.Bytes, Fail: u.fileFailed()})
	}
	return rows
}
