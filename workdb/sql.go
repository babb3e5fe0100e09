package workdb

import (
	"fmt"
	"slices"
	"strings"

	"spotmigrate/catalog"
)

// readMode says how a read_csv call treats bad rows.
type readMode int

const (
	strict  readMode = iota // keep bad rows out and record them (store_rejects)
	lenient                 // keep bad rows out silently (they were recorded before)
	clean                   // fail on the first bad row (cheaper than store_rejects)
)

// MaxLineBytes is the longest line read (DuckDB's default, set so that it
// is stated): a longer one is rejected with its line number. A line longer
// than the reader's buffer (about 32 MiB) is dropped by DuckDB without a
// reject; the line count of each file (file.account) catches it.
const MaxLineBytes = 2000000

// TypedReadSQL is the strictly typed read of the files of g, bound as
// parameter $param, that fails on the first bad row.
func TypedReadSQL(g Group, param int) string {
	return readCSVSQL(g.Source, g.Layout, g.Skip, param, clean)
}

// readCSVSQL returns the strictly typed read_csv call for files of one
// source layout that start with skip blank lines; the file list is bound
// as parameter $param.
func readCSVSQL(s *catalog.Source, l *catalog.Layout, skip, param int, mode readMode) string {
	var cols []string
	for _, f := range l.Fields {
		cols = append(cols, sq.Literal(f.Header)+": "+sq.Literal(string(f.Type)))
	}
	opts := []string{
		"header = true", "auto_detect = false", "delim = " + sq.Literal(string(s.Delim)),
		"columns = {" + strings.Join(cols, ", ") + "}",
		"timestampformat = " + sq.Literal(catalog.TimestampFormat),
		"dateformat = " + sq.Literal(catalog.DateFormat),
		"nullstr = " + sq.Literal(s.NullMarker),
		fmt.Sprintf("max_line_size = %d", MaxLineBytes),
	}
	if skip > 0 {
		opts = append(opts, fmt.Sprintf("skip = %d", skip))
	}
	switch mode {
	case strict:
		opts = append(opts, "store_rejects = true", "rejects_table = 'rej_errors'", "rejects_scan = 'rej_scans'")
	case lenient:
		opts = append(opts, "ignore_errors = true")
	}
	if s.Quoted {
		// a quoted NULL text stays text (sourceRel makes it NULL, except
		// where a layout's computed field reads it)
		opts = append(opts, `quote = '"'`, `escape = '"'`, "allow_quoted_nulls = false")
	} else {
		opts = append(opts, "quote = ''", "escape = ''")
	}
	return fmt.Sprintf("read_csv($%d, %s)", param, strings.Join(opts, ", "))
}

// sourceRel returns the rows of the files of g (bound as parameter
// param) as a relation with file_id and the source's canonical columns.
// A row's file is its position in the list (read_csv's file_index) from
// the group's first id: cheaper than joining on the file name. Files
// written by Python have no NULL marker: an empty field is NULL in a
// numeric column and an empty string in a text column.
// The layout's computed fields follow the canonical ones, in name order.
func sourceRel(g Group, param int, mode readMode) string {
	s, l := g.Source, g.Layout
	byName := map[string]catalog.Field{}
	for _, f := range l.Fields {
		byName[f.Name()] = f
	}
	id := fmt.Sprintf("CAST(r.file_index AS INTEGER) + %d", g.firstID())
	if g.idParam > 0 {
		id = fmt.Sprintf("CAST(list_extract($%d, CAST(r.file_index AS BIGINT) + 1) AS INTEGER)", g.idParam)
	}
	sel := []string{id + " AS file_id"}
	for _, c := range s.Canonical() {
		expr := "CAST(NULL AS " + string(c.Type) + ")"
		if e, ok := l.Computed[c.Name()]; ok {
			expr = "CAST(" + e + " AS " + string(c.Type) + ")"
		} else if f, ok := byName[c.Name()]; ok {
			expr = "r." + sq.Ident(f.Header)
			switch {
			case s.NullMarker == "" && f.Type == catalog.Text:
				expr = "coalesce(" + expr + ", '')"
			case s.Quoted && s.NullMarker != "" && f.Type == catalog.Text:
				expr = "nullif(" + expr + ", " + sq.Literal(s.NullMarker) + ")"
			}
		}
		sel = append(sel, expr+" AS "+sq.Ident(c.Name()))
	}
	for _, n := range extraFields(s, l) {
		sel = append(sel, l.Computed[n]+" AS "+sq.Ident(n))
	}
	return "(SELECT " + strings.Join(sel, ", ") + " FROM " + readCSVSQL(s, l, g.Skip, param, mode) + " r)"
}

// extraFields are the computed fields of l that are not canonical, sorted.
func extraFields(s *catalog.Source, l *catalog.Layout) []string {
	canon := map[string]bool{}
	for _, c := range s.Canonical() {
		canon[c.Name()] = true
	}
	var out []string
	for n := range l.Computed {
		if !canon[n] {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

// relationSQL fills a relation from one source relation.
func relationSQL(r *catalog.Relation, rel string) string {
	return "INSERT INTO " + sq.Ident(r.Name) + " SELECT " + r.Select + " FROM " + rel +
		" s JOIN files f ON f.id = s.file_id WHERE " + r.Where
}
