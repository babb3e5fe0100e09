package workdb

import (
	"fmt"
	"slices"
	"strings"

	"spotmigrate/catalog"
	"spotmigrate/checksum"
)

// Landing is the one generator of the landing rows of a source: what its
// rows become in every table it feeds. The counts, checksums, rejects and
// notices of a pass and the staging files all come from it, so a row that
// one mapping rejects lands in none of the source's tables.
type Landing struct {
	maps   []*catalog.Mapping
	strict bool
	checks []catalog.Check
}

// LandingOf returns the landing rows of source; with strict, rows with
// notices are rejected.
func LandingOf(source string, strict bool) Landing {
	l := Landing{maps: catalog.MappingsOf(source), strict: strict}
	for _, m := range l.maps {
		l.checks = append(l.checks, m.Checks...)
		if strict {
			l.checks = append(l.checks, m.Notices...)
		}
	}
	return l
}

// Maps are the mappings of the source, in catalog order.
func (l Landing) Maps() []*catalog.Mapping { return l.maps }

// Checks are the rules that reject a row of the source: every check of
// every mapping of it (with strict, their notices too).
func (l Landing) Checks() []catalog.Check { return l.checks }

// Notices are the notices said of the landing rows of mapping i (none
// with strict).
func (l Landing) Notices(i int) []catalog.Check {
	if l.strict {
		return nil
	}
	return l.maps[i].Notices
}

// from is the FROM clause over the source relation rel: the file of each
// row and the joins of every mapping of the source.
func (l Landing) from(rel string) string {
	var joins []string
	for _, m := range l.maps {
		if m.Join != "" && !slices.Contains(joins, m.Join) {
			joins = append(joins, m.Join)
		}
	}
	return " FROM " + rel + " s JOIN files f ON f.id = s.file_id" + strings.Join(joins, "")
}

// partition is the y, m, d of a row (every mapping of a source shares it).
func (l Landing) partition() [3]string {
	if l.maps[0].Partition[0] == "" {
		return [3]string{"f.y", "f.m", "f.d"}
	}
	return l.maps[0].Partition
}

// rejected is true for a row one of the source's checks rejects.
func (l Landing) rejected() string { return anySQL(l.checks) }

// lands is true for a row that lands in mapping i's table.
func (l Landing) lands(i int) string { return keepSQL(l.maps[i]) + " AND NOT " + l.rejected() }

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

// partitionSelect is the typed y, m, d select list of a row.
func (l Landing) partitionSelect() []string {
	p := l.partition()
	var sel []string
	for i, c := range catalog.PartitionColumns {
		sel = append(sel, "CAST("+p[i]+" AS "+c.Type.DuckDB()+") AS "+sq.Ident(c.Name))
	}
	return sel
}

// SelectSQL returns the SELECT of the rows of mapping i that land in its
// table, over the source relation rel: y, m, d, then the table's columns
// in order, typed as the table.
func (l Landing) SelectSQL(i int, rel string) string {
	t, exprs := targetExprs(l.maps[i])
	sel := l.partitionSelect()
	for k, c := range t.Columns {
		sel = append(sel, exprs[k]+" AS "+sq.Ident(c.Name))
	}
	return "SELECT " + strings.Join(sel, ", ") + l.from(rel) + " WHERE " + l.lands(i)
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
	return "s." + sq.Ident(c.Column)
}

// passSQL is the one query that reads a batch of the source for all its
// mappings: per file and partition, the rows read, the rows the checks
// reject, and per mapping the landing rows and their checksum, the rows
// each filter leaves out and the landing rows with a notice. The innermost
// level computes each value once; the middle level hashes the rows (only
// the landing ones if a filter is selective).
func (l Landing) passSQL(rel string) string {
	inner := append([]string{"s.file_id"}, l.partitionSelect()...)
	middle := []string{"file_id", "y", "m", "d", "bad"}
	outer := []string{"file_id", "y", "m", "d", "count(*)", "count(*) FILTER (WHERE bad)"}
	inner = append(inner, l.rejected()+" AS bad")
	if len(l.checks) > 0 {
		// per check, the column values of the rows it rejects first (with
		// the value reported), by which their lines are found
		inner = append(inner, firstCheckSQL(l.checks)+" AS first")
		middle = append(middle, "first")
		for k, c := range l.checks {
			pair := fmt.Sprintf("cp_%d", k)
			inner = append(inner, fmt.Sprintf("CASE WHEN first = %d THEN [CAST(s.%s AS VARCHAR), CAST(%s AS VARCHAR)] END AS %s",
				k, sq.Ident(c.Column), findingValue(c), pair))
			middle = append(middle, pair)
			outer = append(outer, fmt.Sprintf("list(DISTINCT %s) FILTER (WHERE first = %d)", pair, k))
		}
	}
	for i := range l.maps {
		in, mid, out := l.mappingPass(i)
		inner, middle, outer = append(inner, in...), append(middle, mid...), append(outer, out...)
	}
	return "SELECT " + strings.Join(outer, ", ") + " FROM (SELECT " + strings.Join(middle, ", ") +
		" FROM (SELECT " + strings.Join(inner, ", ") + l.from(rel) + ") t) h GROUP BY file_id, y, m, d"
}

// mappingPass returns the inner, middle and outer select lists of mapping
// i in passSQL.
func (l Landing) mappingPass(i int) (inner, middle, outer []string) {
	m := l.maps[i]
	t, exprs := targetExprs(m)
	land := "NOT bad"
	note := fmt.Sprintf("note_%d", i)
	inner = append(inner, anySQL(l.Notices(i))+" AS "+note)
	middle = append(middle, note)
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
	for j := range m.Filters {
		outer = append(outer, fmt.Sprintf("count(*) FILTER (WHERE flt_%d_%d AND NOT bad)", i, j))
	}
	outer = append(outer, "count(*) FILTER (WHERE "+note+" AND "+land+")")
	// the distinct values each notice holds on landing rows, by which
	// the lines are found without reading the file again in order
	for k, c := range l.Notices(i) {
		nb, nv := fmt.Sprintf("nb_%d_%d", i, k), fmt.Sprintf("nv_%d_%d", i, k)
		inner = append(inner, "coalesce("+c.Bad+", false) AS "+nb, "CAST("+findingValue(c)+" AS VARCHAR) AS "+nv)
		middle = append(middle, nb, nv)
		outer = append(outer, "list(DISTINCT "+nv+") FILTER (WHERE "+nb+" AND "+land+")")
	}
	return inner, middle, outer
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

// Finding is one finding of a re-read row: the file, the row's ordinal in
// it, the index of the check or notice in FindingsOf's list, the value.
type Finding struct {
	FileID int
	Ord    int64
	Index  int
	Value  *string
}

// findingsSQL returns, over table batch (the rows of a batch in file
// order), the rows the checks reject (the first failing check) and, on the
// landing rows of mapping i, every notice that holds: file id, ordinal of
// the row in its file, index of the finding in FindingsOf(i), value.
func (l Landing) findingsSQL(i int) string {
	cs := l.FindingsOf(i)
	if len(cs) == 0 {
		return ""
	}
	var first, hits, vals []string
	for k, c := range cs {
		cond := "coalesce(" + c.Bad + ", false)"
		if k < len(l.checks) {
			first = append(first, fmt.Sprintf("WHEN %s THEN %d", cond, k))
		} else {
			hits = append(hits, fmt.Sprintf("CASE WHEN %s AND %s THEN %d END", cond, l.lands(i), k))
		}
		vals = append(vals, "CAST("+findingValue(c)+" AS VARCHAR)")
	}
	if len(first) > 0 {
		hits = append([]string{"CASE " + strings.Join(first, " ") + " END"}, hits...)
	}
	return "SELECT file_id, ord, h, vals[h + 1] FROM (SELECT file_id, ord, unnest(hits) AS h, vals FROM (" +
		"SELECT s.file_id, s.ord, list_filter([" + strings.Join(hits, ", ") + "], x -> x IS NOT NULL) AS hits, [" +
		strings.Join(vals, ", ") + "] AS vals" + l.from("batch") + ")) ORDER BY file_id, ord, h"
}

// FindingsOf lists what a finding of mapping i indexes: the source's
// checks, then the mapping's notices.
func (l Landing) FindingsOf(i int) []catalog.Check {
	return append(slices.Clip(l.checks), l.Notices(i)...)
}
