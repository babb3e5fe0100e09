package catalog

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
)

// Type is an Impala column type as written in the Spot 1.0 DDL.
type Type string

// The Impala types the 20 tables use.
const (
	String   Type = "STRING"
	Int      Type = "INT"
	BigInt   Type = "BIGINT"
	Float    Type = "FLOAT"
	SmallInt Type = "SMALLINT"
	TinyInt  Type = "TINYINT"
)

// DuckDB returns the DuckDB type that holds the same values as t.
func (t Type) DuckDB() string {
	switch t {
	case String:
		return "VARCHAR"
	case Int:
		return "INTEGER"
	default:
		return string(t)
	}
}

// Column is a named, typed column.
type Column struct {
	Name string
	Type Type
}

// Table is one Spot 1.0 OA table.
type Table struct {
	Name     string
	Pipeline string
	// Location is the folder under ${HUSER}/<pipeline>/hive/oa/.
	Location string
	Columns  []Column
}

// PartitionColumns are the partition keys every table shares.
var PartitionColumns = []Column{{"y", SmallInt}, {"m", TinyInt}, {"d", TinyInt}}

// FieldType is the DuckDB type a source field is read as (strict typing).
type FieldType string

// Field types used by the old layouts.
const (
	Text      FieldType = "VARCHAR"
	Integer   FieldType = "INTEGER"
	Long      FieldType = "BIGINT"
	Real      FieldType = "FLOAT"
	Timestamp FieldType = "TIMESTAMP" // YYYY-MM-DD HH:MM:SS
	Date      FieldType = "DATE"      // YYYY-MM-DD
	Time      FieldType = "TIME"      // HH:MM:SS
)

// TimestampFormat and DateFormat are the only formats old OA files used.
const (
	TimestampFormat = "%Y-%m-%d %H:%M:%S"
	DateFormat      = "%Y-%m-%d"
)

// Drop marks a field that is read and typed but not carried further.
const Drop = "-"

// Field is one column of an old file layout.
type Field struct {
	Header string
	Type   FieldType
	// As is the canonical name the field is known by in mappings; empty
	// means the lower-cased header, Drop means not carried.
	As string
}

// Name returns the canonical name of f.
func (f Field) Name() string {
	if f.As != "" {
		return f.As
	}
	return strings.ToLower(f.Header)
}

// Layout is one header version of a source.
type Layout struct {
	Name   string
	Fields []Field
	// RepeatedHeader: writers of this layout appended the header line again
	// on every run, so header lines may appear mid-file; they are filtered.
	RepeatedHeader bool
	// Computed gives canonical fields this layout does not carry, or reads
	// differently, as SQL over the fields as read (alias r, by header; in a
	// quoted file the NULL text is still text there).
	Computed map[string]string
	// Notice is said once for every file of this layout: what of its data
	// Spot 1.0 cannot hold (the rows still land).
	Notice string
}

// Header returns the header line of l joined by delim.
func (l Layout) Header(delim byte) string {
	h := make([]string, len(l.Fields))
	for i, f := range l.Fields {
		h[i] = f.Header
	}
	return strings.Join(h, string(delim))
}

// Scope says where a source's files live in a pipeline folder.
type Scope int

// Scopes.
const (
	DayFolder     Scope = iota // <pipe>/<YYYYMMDD>/<file>
	IngestSummary              // <pipe>/ingest_summary/<file>
)

// Source is one kind of old OA file.
type Source struct {
	Name     string
	Pipeline string
	Scope    Scope
	// Pattern matches the base file name; its named groups are file fields
	// available to mappings as f.<group>.
	Pattern *regexp.Regexp
	Delim   byte
	// Quoted: fields may be wrapped in double quotes (the DNS edge files,
	// written QUOTE_ALL: there the NULL text is quoted too; QUOTE_MINIMAL
	// rewrites of the scores files).
	Quoted bool
	// NullMarker is the text the writer used for SQL NULL: "NULL" for
	// impala-shell output, "" for Python-written files (where an empty
	// string column stays an empty string).
	NullMarker string
	// Layouts, newest first; the newest defines the canonical columns.
	Layouts []Layout
	Writer  string
}

// Canonical returns the canonical typed columns of s (from its newest layout).
func (s *Source) Canonical() []Field {
	var out []Field
	for _, f := range s.Layouts[0].Fields {
		if f.Name() != Drop {
			out = append(out, f)
		}
	}
	return out
}

// DetectLayout returns the layout whose header equals header (field names
// compared case-insensitively, surrounding spaces ignored).
func (s *Source) DetectLayout(header []string) (*Layout, error) {
	for i := range s.Layouts {
		l := &s.Layouts[i]
		if len(l.Fields) != len(header) {
			continue
		}
		ok := true
		for j, f := range l.Fields {
			if !strings.EqualFold(strings.TrimSpace(header[j]), f.Header) {
				ok = false
				break
			}
		}
		if ok {
			return l, nil
		}
	}
	names := make([]string, len(s.Layouts))
	for i, l := range s.Layouts {
		names[i] = fmt.Sprintf("%s (%d columns)", l.Name, len(l.Fields))
	}
	return nil, fmt.Errorf("unknown header for %s (%d columns): known layouts are %s",
		s.Name, len(header), strings.Join(names, ", "))
}

// Filter is a row filter: rows where Keep is not true do not land, and are
// counted under Rule. A Selective filter leaves out most rows (the "scored"
// rules): validate then hashes only the rows it keeps; for the other
// filters, hashing every row and summing the landing ones costs less.
type Filter struct {
	Rule      string
	Keep      string
	Selective bool
}

// Check rejects a row that cannot be migrated faithfully: where Bad is true
// the row is rejected with Reason, attributed to Column. As a notice, the
// row lands and Bad marks what of it Spot 1.0 cannot hold.
type Check struct {
	Column string
	Reason string
	Bad    string
	// Value is an SQL expression of the offending value, shown in reports.
	Value string
}

// Mapping says how the rows of one source become rows of one table.
type Mapping struct {
	Table  string
	Source string
	// Set gives, per target column, a DuckDB SQL expression over the source
	// row (alias s) and the file (alias f).
	Set map[string]string
	// Join is extra SQL joined after "src s JOIN files f" (see contract.go
	// for what it may name).
	Join string
	// Needs are the relations Join uses: they are built before the
	// mapping's source is read.
	Needs []string
	// Partition gives y, m, d expressions; empty means the day folder's.
	Partition [3]string
	Filters   []Filter
	Checks    []Check
	// Notices are said of landing rows that carry something the Spot 1.0
	// schema cannot hold (an INT overflow, an unknown IANA value); --strict
	// makes them checks.
	Notices []Check
}

// Relation is a derived table in the work database, filled from the rows
// of some sources before any mapping runs (e.g. the URI candidates of each
// day). Select is the SELECT list over one source row (s) and its file (f);
// Where filters those rows. Reduce, over the filled table (named as the
// relation), gives its final rows; empty means its distinct rows. A
// relation a mapping joins must hold one row per join key, or the join
// would repeat rows.
type Relation struct {
	Name    string
	Columns string
	Sources []string
	Select  string
	Where   string
	Reduce  string
}

// Pipelines are the three OA pipelines, in migration order.
var Pipelines = []string{"flow", "dns", "proxy"}

// TableByName returns the table called name.
func TableByName(name string) (*Table, bool) {
	i := slices.IndexFunc(Tables, func(t Table) bool { return t.Name == name })
	if i < 0 {
		return nil, false
	}
	return &Tables[i], true
}

// SourceByName returns the source called name.
func SourceByName(name string) (*Source, bool) {
	i := slices.IndexFunc(Sources, func(s Source) bool { return s.Name == name })
	if i < 0 {
		return nil, false
	}
	return &Sources[i], true
}

// MappingsOf returns the mappings that read source.
func MappingsOf(source string) []*Mapping {
	var out []*Mapping
	for i := range Mappings {
		if Mappings[i].Source == source {
			out = append(out, &Mappings[i])
		}
	}
	return out
}

// FileFields returns the union of the named groups of all source patterns,
// sorted: the file-derived fields the work database keeps per file.
func FileFields() []string {
	var out []string
	for _, s := range Sources {
		for _, n := range s.Pattern.SubexpNames() {
			if n != "" && !slices.Contains(out, n) {
				out = append(out, n)
			}
		}
	}
	slices.Sort(out)
	return out
}

var identRE = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]{0,127}$`)

// ValidIdent reports whether name is a plain SQL identifier (letters,
// digits, underscores), the only kind spotmigrate ever puts in a statement.
func ValidIdent(name string) bool { return identRE.MatchString(name) }
