package validate

import (
	"fmt"
	"slices"
	"strings"

	"spotmigrate/catalog"
	"spotmigrate/checksum"
)

// readMode says how a read_csv call treats bad rows.
type readMode int

const (
	strict  readMode = iota // keep bad rows out and record them (store_rejects)
	lenient                 // keep bad rows out silently (they were recorded before)
	clean                   // fail on the first bad row (cheaper than store_rejects)
)

// maxLineBytes is the longest line read (DuckDB's default, set so that it
// is stated): a longer one is rejected with its line number. A line longer
// than the reader's buffer (about 32 MiB) is dropped by DuckDB without a
// reject; the line count of each file (file.account) catches it.
const maxLineBytes = 2000000

// ReadCSVSQL returns the strictly typed read_csv call for files of one
// source layout that start with skip blank lines; the file list is bound
// as parameter $param.
func ReadCSVSQL(s *catalog.Source, l *catalog.Layout, skip, param int, mode readMode) string {
	var cols []string
	for _, f := range l.Fields {
		cols = append(cols, quoteLit(f.Header)+": "+quoteLit(string(f.Type)))
	}
	opts := []string{
		"header = true", "auto_detect = false", "delim = " + quoteLit(string(s.Delim)),
		"columns = {" + strings.Join(cols, ", ") + "}",
		"timestampformat = " + quoteLit(catalog.TimestampFormat),
		"dateformat = " + quoteLit(catalog.DateFormat),
		"nullstr = " + quoteLit(s.NullMarker),
		fmt.Sprintf("max_line_size = %d", maxLineBytes),
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
func sourceRel(g group, param int, mode readMode) string {
	s, l := g.src, g.layout
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
			expr = "r." + quoteIdent(f.Header)
			switch {
			case s.NullMarker == "" && f.Type == catalog.Text:
				expr = "coalesce(" + expr + ", '')"
			case s.Quoted && s.NullMarker != "" && f.Type == catalog.Text:
				expr = "nullif(" + expr + ", " + quoteLit(s.NullMarker) + ")"
			}
		}
		sel = append(sel, expr+" AS "+quoteIdent(c.Name()))
	}
	for _, n := range extraFields(s, l) {
		sel = append(sel, l.Computed[n]+" AS "+quoteIdent(n))
	}
	return "(SELECT " + strings.Join(sel, ", ") + " FROM " + ReadCSVSQL(s, l, g.skip, param, mode) + " r)"
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

// fromSQL is the FROM clause of a mapping over the source relation rel.
func fromSQL(m *catalog.Mapping, rel string) string {
	return " FROM " + rel + " s JOIN files f ON f.id = s.file_id" + m.Join
}

func partitionExprs(m *catalog.Mapping) [3]string {
	if m.Partition[0] == "" {
		return [3]string{"f.y", "f.m", "f.d"}
	}
	return m.Partition
}

// checksOf are the checks that reject rows of m: with strict, its notices too.
func checksOf(m *catalog.Mapping, strict bool) []catalog.Check {
	if !strict {
		return m.Checks
	}
	return append(slices.Clip(m.Checks), m.Notices...)
}

// noticesOf are the notices said of landing rows of m (none with strict).
func noticesOf(m *catalog.Mapping, strict bool) []catalog.Check {
	if strict {
		return nil
	}
	return m.Notices
}

// anySQL is true for a row where one of cs holds.
func anySQL(cs []catalog.Check) string {
	if len(cs) == 0 {
		return "false"
	}
	parts := make([]string, len(cs))
	for i, c := range cs {
		parts[i] = "coalesce(" + c.Bad + ", false)"
	}
	return "(" + strings.Join(parts, " OR ") + ")"
}

// keepSQL is true for a row that every filter of the mapping keeps.
func keepSQL(m *catalog.Mapping) string {
	if len(m.Filters) == 0 {
		return "true"
	}
	parts := make([]string, len(m.Filters))
	for i, f := range m.Filters {
		parts[i] = "coalesce(" + f.Keep + ", false)"
	}
	return "(" + strings.Join(parts, " AND ") + ")"
}

// targetExprs returns the typed SQL expression of every column of m's table.
func targetExprs(m *catalog.Mapping) (*catalog.Table, []string) {
	t, ok := catalog.TableByName(m.Table)
	if !ok {
		panic("mapping of unknown table " + m.Table)
	}
	out := make([]string, len(t.Columns))
	for i, c := range t.Columns {
		expr, ok := m.Set[c.Name]
		if !ok {
			panic(fmt.Sprintf("mapping %s sets no column %s", m.Table, c.Name))
		}
		out[i] = "CAST(" + expr + " AS " + c.Type.DuckDB() + ")"
	}
	return t, out
}

// LandingSQL returns the SELECT of the rows of mapping m that land in its
// table, over the source relation rel: y, m, d, then the table's columns
// in order, typed as the table. With strict, rows with notices do not land.
func LandingSQL(m *catalog.Mapping, rel string, strict bool) string {
	t, exprs := targetExprs(m)
	p := partitionExprs(m)
	var sel []string
	for i, c := range catalog.PartitionColumns {
		sel = append(sel, "CAST("+p[i]+" AS "+c.Type.DuckDB()+") AS "+quoteIdent(c.Name))
	}
	for i, c := range t.Columns {
		sel = append(sel, exprs[i]+" AS "+quoteIdent(c.Name))
	}
	return "SELECT " + strings.Join(sel, ", ") + fromSQL(m, rel) +
		" WHERE " + keepSQL(m) + " AND NOT " + anySQL(checksOf(m, strict))
}

// passSQL is the one query that reads a batch of a source for all its
// mappings (which share joins and partition): per file and partition, the
// rows read, and per mapping the landing rows and their checksum, the rows
// its checks reject, the rows each filter leaves out and the landing rows
// with a notice. The innermost level computes each value once; the middle
// level hashes the rows (only the landing ones if a filter is selective).
func passSQL(maps []*catalog.Mapping, rel string, strict bool) string {
	p := partitionExprs(maps[0])
	inner := []string{"s.file_id"}
	for i, c := range catalog.PartitionColumns {
		inner = append(inner, "CAST("+p[i]+" AS "+c.Type.DuckDB()+") AS "+c.Name)
	}
	middle := []string{"file_id", "y", "m", "d"}
	outer := []string{"file_id", "y", "m", "d", "count(*)"}
	for i, m := range maps {
		t, exprs := targetExprs(m)
		bad := fmt.Sprintf("bad_%d", i)
		land := fmt.Sprintf("NOT %s", bad)
		note := fmt.Sprintf("note_%d", i)
		inner = append(inner, anySQL(checksOf(m, strict))+" AS "+bad, anySQL(noticesOf(m, strict))+" AS "+note)
		middle = append(middle, bad, note)
		for j, f := range m.Filters {
			flt := fmt.Sprintf("flt_%d_%d", i, j)
			inner = append(inner, fmt.Sprintf("NOT coalesce(%s, false) AS %s", f.Keep, flt))
			middle = append(middle, flt)
			land += " AND NOT " + flt
		}
		refs := make([]string, len(exprs))
		for k, e := range exprs {
			refs[k] = fmt.Sprintf("v_%d_%d", i, k)
			inner = append(inner, e+" AS "+refs[k])
		}
		mid, agg := landingSums(m, fmt.Sprintf("h_%d", i), land, checksum.DuckDBHash(refs, t.Columns))
		middle = append(middle, mid)
		outer = append(outer, agg...)
		outer = append(outer, "count(*) FILTER (WHERE "+bad+")")
		for j := range m.Filters {
			outer = append(outer, fmt.Sprintf("count(*) FILTER (WHERE flt_%d_%d AND NOT %s)", i, j, bad))
		}
		outer = append(outer, "count(*) FILTER (WHERE "+note+" AND "+land+")")
		// the distinct values each notice holds on landing rows, by which
		// the lines are found without reading the file again in order
		for k, c := range noticesOf(m, strict) {
			nb, nv := fmt.Sprintf("nb_%d_%d", i, k), fmt.Sprintf("nv_%d_%d", i, k)
			inner = append(inner, "coalesce("+c.Bad+", false) AS "+nb, "CAST("+findingValue(c)+" AS VARCHAR) AS "+nv)
			middle = append(middle, nb, nv)
			outer = append(outer, "list(DISTINCT "+nv+") FILTER (WHERE "+nb+" AND "+land+")")
		}
		// per check, the column values of the rows it rejects first (with
		// the value reported), by which their lines are found
		if cs := checksOf(m, strict); len(cs) > 0 {
			first := fmt.Sprintf("first_%d", i)
			inner = append(inner, firstCheckSQL(cs)+" AS "+first)
			middle = append(middle, first)
			for k, c := range cs {
				pair := fmt.Sprintf("cp_%d_%d", i, k)
				inner = append(inner, fmt.Sprintf("CASE WHEN %s = %d THEN [CAST(s.%s AS VARCHAR), CAST(%s AS VARCHAR)] END AS %s",
					firstCheckSQL(cs), k, quoteIdent(c.Column), findingValue(c), pair))
				middle = append(middle, pair)
				outer = append(outer, fmt.Sprintf("list(DISTINCT %s) FILTER (WHERE %s = %d)", pair, first, k))
			}
		}
	}
	return "SELECT " + strings.Join(outer, ", ") + " FROM (SELECT " + strings.Join(middle, ", ") +
		" FROM (SELECT " + strings.Join(inner, ", ") + fromSQL(maps[0], rel) + ") t) h GROUP BY file_id, y, m, d"
}

// landingSums returns the middle-level column h (the row hash) and the
// outer-level count and checksum of the rows where land holds. The hash is
// computed only on those rows when a filter of m is selective; otherwise on
// every row, summed where land holds: evaluating the hash in a CASE branch
// costs more than hashing the few rows that do not land.
func landingSums(m *catalog.Mapping, h, land, hash string) (string, []string) {
	if selective(m) {
		// h is NULL exactly on the rows that do not land
		return "CASE WHEN " + land + " THEN " + hash + " END AS " + h,
			[]string{"count(" + h + ")", checksum.DuckDBAggregate(h)}
	}
	return hash + " AS " + h, []string{"count(*) FILTER (WHERE " + land + ")", checksum.DuckDBAggregateWhere(h, land)}
}

// selective is true when one of m's filters leaves out most rows.
func selective(m *catalog.Mapping) bool {
	for _, f := range m.Filters {
		if f.Selective {
			return true
		}
	}
	return false
}

// findingsSQL returns, for mapping m over table batch (the rows of a
// batch in file order), the rows its checks reject (the first failing
// check) and, on the landing rows, every notice that holds: file id,
// ordinal of the row in its file, index of the finding in cs (checks, then
// notices), offending value.
func findingsSQL(m *catalog.Mapping, strict bool) (string, []catalog.Check) {
	checks, notices := checksOf(m, strict), noticesOf(m, strict)
	cs := append(slices.Clip(checks), notices...)
	if len(cs) == 0 {
		return "", nil
	}
	var first, hits, vals []string
	for i, c := range cs {
		cond := "coalesce(" + c.Bad + ", false)"
		if i < len(checks) {
			first = append(first, fmt.Sprintf("WHEN %s THEN %d", cond, i))
		} else {
			hits = append(hits, fmt.Sprintf("CASE WHEN %s AND %s AND NOT %s THEN %d END", cond, keepSQL(m), anySQL(checks), i))
		}
		vals = append(vals, "CAST("+findingValue(c)+" AS VARCHAR)")
	}
	if len(first) > 0 {
		hits = append([]string{"CASE " + strings.Join(first, " ") + " END"}, hits...)
	}
	rel := "batch"
	q := "SELECT file_id, ord, h, vals[h + 1] FROM (SELECT file_id, ord, unnest(hits) AS h, vals FROM (" +
		"SELECT s.file_id, s.ord, list_filter([" + strings.Join(hits, ", ") + "], x -> x IS NOT NULL) AS hits, [" +
		strings.Join(vals, ", ") + "] AS vals" + fromSQL(m, rel) + ")) ORDER BY file_id, ord, h"
	return q, cs
}

// firstCheckSQL is the index of the first check that holds, or NULL.
func firstCheckSQL(cs []catalog.Check) string {
	var when []string
	for k, c := range cs {
		when = append(when, fmt.Sprintf("WHEN coalesce(%s, false) THEN %d", c.Bad, k))
	}
	return "CASE " + strings.Join(when, " ") + " END"
}

// findingValue is the SQL of the value a check or notice reports.
func findingValue(c catalog.Check) string {
	if c.Value != "" {
		return c.Value
	}
	return "s." + quoteIdent(c.Column)
}

// relationSQL fills a relation from one source relation.
func relationSQL(r *catalog.Relation, rel string) string {
	return "INSERT INTO " + quoteIdent(r.Name) + " SELECT " + r.Select + " FROM " + rel +
		" s JOIN files f ON f.id = s.file_id WHERE " + r.Where
}
