package catalog

import (
	"slices"
	"strings"
)

// The contract of mapping SQL. A mapping's Set, Join, Partition, Filters,
// Checks and Notices, and a relation's Select, Where and Reduce, are DuckDB
// SQL evaluated in the work database (package workdb) over one source row.
// They may name only:
//
//   - s: the source row: file_id, then the canonical fields of the source
//     (Source.Canonical, typed as read), then the layout's computed fields;
//   - f: the row of its file in the files table (FilesColumns, then one
//     VARCHAR column per named group of a source pattern, FileFields);
//   - the work tables below, by their names and columns;
//   - the relations the mapping declares in Needs (a relation's own SQL may
//     name s and f only);
//   - DuckDB's functions and the functions workdb registers
//     (registered_domain).
//
// A test checks that every mapping's Join names exactly the relations it
// declares, and workdb's tests prepare every statement against an empty
// work database.

// FilesColumns are the fixed columns of the files table, before the
// FileFields.
const FilesColumns = "id INTEGER, y SMALLINT, m TINYINT, d TINYINT, day DATE"

// WorkTable is a table of the work database that mapping SQL may join.
type WorkTable struct {
	Name    string
	Columns string
}

// WorkTables are the registry and zone tables.
var WorkTables = []WorkTable{
	// IanaTransform's lookup of each registry kind: key → name
	{"iana_keys", "kind VARCHAR, key VARCHAR, name VARCHAR, PRIMARY KEY (kind, key)"},
	// a value of a coded field: a name (to itself and its code), or a key
	// (to its name and that name's code)
	{"iana_values", "kind VARCHAR, value VARCHAR, name VARCHAR, code VARCHAR, PRIMARY KEY (kind, value)"},
	// UTC offsets in seconds by DNS zone token (--dns-timezone)
	{"tz_flag", "zone VARCHAR PRIMARY KEY, off BIGINT"},
}

// RelationsOf are the relations source feeds.
func RelationsOf(source string) []*Relation {
	var out []*Relation
	for i := range Relations {
		if slices.Contains(Relations[i].Sources, source) {
			out = append(out, &Relations[i])
		}
	}
	return out
}

// RelationByName returns the relation called name.
func RelationByName(name string) (*Relation, bool) {
	i := slices.IndexFunc(Relations, func(r Relation) bool { return r.Name == name })
	if i < 0 {
		return nil, false
	}
	return &Relations[i], true
}

// joinedNames are the table names a Join clause joins, in order.
func joinedNames(join string) []string {
	var out []string
	f := strings.Fields(join)
	for i := 0; i+1 < len(f); i++ {
		if strings.EqualFold(f[i], "JOIN") {
			out = append(out, f[i+1])
		}
	}
	return out
}
