package validate

import (
	"fmt"
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

// ReadCSVSQL returns the strictly typed read_csv call for files of one
// source layout; the file list is bound as parameter $param.
func ReadCSVSQL(s *catalog.Source, l *catalog.Layout, param int, mode readMode) string {
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
	}
	switch mode {
	case strict:
		opts = append(opts, "store_rejects = true", "rejects_table = 'rej_errors'", "rejects_scan = 'rej_scans'")
	case lenient:
		opts = append(opts, "ignore_errors = true")
	}
	if s.Quoted {
		opts = append(opts, `quote = '"'`, `escape = '"'`)
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
func sourceRel(g group, param int, mode readMode) string {
	s, l := g.src, g.layout
	byName := map[string]catalog.Field{}
	for _, f := range l.Fields {
		byName[f.Name()] = f
	}
	sel := []string{fmt.Sprintf("CAST(r.file_index AS INTEGER) + %d AS file_id", g.firstID())}
	for _, c := range s.Canonical() {
		expr := "CAST(NULL AS " + string(c.Type) + ")"
		if f, ok := byName[c.Name()]; ok {
			expr = "r." + quoteIdent(f.Header)
			if s.NullMarker == "" && f.Type == catalog.Text {
				expr = "coalesce(" + expr + ", '')"
			}
		}
		sel = append(sel, expr+" AS "+quoteIdent(c.Name()))
	}
	return "(SELECT " + strings.Join(sel, ", ") + " FROM " + ReadCSVSQL(s, l, param, mode) + " r)"
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

// badSQL is true for a row that one of the mapping's checks rejects.
func badSQL(m *catalog.Mapping) string {
	if len(m.Checks) == 0 {
		return "false"
	}
	parts := make([]string, len(m.Checks))
	for i, c := range m.Checks {
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
// in order, typed as the table.
func LandingSQL(m *catalog.Mapping, rel string) string {
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
		" WHERE " + keepSQL(m) + " AND NOT " + badSQL(m)
}

// passSQL is the one query that reads a batch of a source for all its
// mappings (which share joins and partition): per file and partition, the
// rows read, and per mapping the landing rows and their checksum, the rows
// its checks reject, and the rows each filter leaves out. The innermost
// level computes each value once; the middle level hashes the rows (only
// the landing ones if a filter is selective).
func passSQL(maps []*catalog.Mapping, rel string) string {
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
		inner = append(inner, badSQL(m)+" AS "+bad)
		middle = append(middle, bad)
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

// checkRejectsSQL returns rows (ordinal of the row in its file, index of
// the first failing check, offending value) of mapping m over table one,
// which holds the rows of a single file in file order.
func checkRejectsSQL(m *catalog.Mapping) string {
	var which, value []string
	for i, c := range m.Checks {
		which = append(which, fmt.Sprintf("WHEN coalesce(%s, false) THEN %d", c.Bad, i))
		v := c.Value
		if v == "" {
			v = "s." + quoteIdent(c.Column)
		}
		value = append(value, fmt.Sprintf("WHEN coalesce(%s, false) THEN CAST(%s AS VARCHAR)", c.Bad, v))
	}
	return "SELECT s.rowid, CASE " + strings.Join(which, " ") + " END, CASE " + strings.Join(value, " ") + " END" +
		fromSQL(m, "one") + " WHERE " + badSQL(m) + " ORDER BY s.rowid"
}

// relationSQL fills a relation from one source relation.
func relationSQL(r *catalog.Relation, rel string) string {
	return "INSERT INTO " + quoteIdent(r.Name) + " SELECT " + r.Select + " FROM " + rel +
		" s JOIN files f ON f.id = s.file_id WHERE " + r.Where
}
