package validate

import (
	"fmt"
	"strings"

	"spotmigrate/catalog"
	"spotmigrate/checksum"
)

// fromSQL is the FROM clause of a mapping: the source rows, their file, and
// the mapping's joins.
func fromSQL(m *catalog.Mapping) string {
	s, _ := catalog.SourceByName(m.Source)
	return " FROM " + srcTable(s) + " s JOIN files f ON f.id = s.file_id" + m.Join
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

// LandingSQL returns the SELECT of the rows of mapping m that land in its
// table: y, m, d, then the table's columns in order, typed as the table.
// With fileID the source file id comes first as file_id.
func LandingSQL(m *catalog.Mapping, fileID bool) string {
	t, ok := catalog.TableByName(m.Table)
	if !ok {
		panic("mapping of unknown table " + m.Table)
	}
	p := partitionExprs(m)
	var sel []string
	if fileID {
		sel = append(sel, "s.file_id AS file_id")
	}
	for i, c := range catalog.PartitionColumns {
		sel = append(sel, "CAST("+p[i]+" AS "+c.Type.DuckDB()+") AS "+quoteIdent(c.Name))
	}
	for _, c := range t.Columns {
		expr, ok := m.Set[c.Name]
		if !ok {
			panic(fmt.Sprintf("mapping %s sets no column %s", m.Table, c.Name))
		}
		sel = append(sel, "CAST("+expr+" AS "+c.Type.DuckDB()+") AS "+quoteIdent(c.Name))
	}
	return "SELECT " + strings.Join(sel, ", ") + fromSQL(m) +
		" WHERE " + keepSQL(m) + " AND NOT " + badSQL(m)
}

// partitionSQL returns rows (y, m, d, file_id, rows, checksum) of mapping
// m: one per partition and source file, summed up per partition in Go.
func partitionSQL(m *catalog.Mapping) string {
	t, _ := catalog.TableByName(m.Table)
	h := checksum.DuckDBRowHash("t", t.Columns)
	return "SELECT y, m, d, file_id, count(*), " + checksum.DuckDBAggregate(h) +
		" FROM (" + LandingSQL(m, true) + ") t GROUP BY y, m, d, file_id ORDER BY y, m, d, file_id"
}

// fileStatsSQL returns per file: landing rows, rows per filter rule, and
// rows rejected by checks.
func fileStatsSQL(m *catalog.Mapping) string {
	bad := badSQL(m)
	sel := []string{"s.file_id",
		"count(*) FILTER (WHERE " + keepSQL(m) + " AND NOT " + bad + ")",
		"count(*) FILTER (WHERE " + bad + ")"}
	for _, f := range m.Filters {
		sel = append(sel, "count(*) FILTER (WHERE NOT "+bad+" AND NOT coalesce("+f.Keep+", false))")
	}
	return "SELECT " + strings.Join(sel, ", ") + fromSQL(m) + " GROUP BY s.file_id"
}

// checkRejectsSQL returns rows (file_id, ordinal of the row in its file,
// index of the first failing check, offending value) for mapping m.
func checkRejectsSQL(m *catalog.Mapping) string {
	s, _ := catalog.SourceByName(m.Source)
	var which, value []string
	for i, c := range m.Checks {
		which = append(which, fmt.Sprintf("WHEN coalesce(%s, false) THEN %d", c.Bad, i))
		v := c.Value
		if v == "" {
			v = "s." + quoteIdent(c.Column)
		}
		value = append(value, fmt.Sprintf("WHEN coalesce(%s, false) THEN CAST(%s AS VARCHAR)", c.Bad, v))
	}
	return "WITH first AS (SELECT file_id, min(rowid) AS r0 FROM " + srcTable(s) + " GROUP BY file_id) " +
		"SELECT s.file_id, s.rowid - first.r0, CASE " + strings.Join(which, " ") + " END, " +
		"CASE " + strings.Join(value, " ") + " END" + fromSQL(m) +
		" JOIN first ON first.file_id = s.file_id WHERE " + badSQL(m) + " ORDER BY 1, 2"
}
