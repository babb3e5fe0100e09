package validate

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/duckdb/duckdb-go/v2" // also registers the "duckdb" driver

	"spotmigrate/catalog"
	"spotmigrate/iana"
)

// Work is the embedded DuckDB work database of one run. It holds the files
// table, the IANA table and the relations; the rows of the old files are
// read straight from them by each statement, never copied into it.
type Work struct {
	DB   *sql.DB
	Conn *sql.Conn
	Dir  string
	// groups are the readable files by source and layout (set by validate).
	groups []group
	// strict: rows with notices are rejected.
	strict bool
}

// WorkOptions bound the work database.
type WorkOptions struct {
	Dir         string // where the database and its spill files live
	MemoryLimit string // DuckDB memory_limit, e.g. "512MB"
	Threads     int
	// IANA are the registries coded fields are resolved with; nil means the
	// embedded ones.
	IANA *iana.Set
	// Zones are UTC offsets in seconds by DNS zone token (--dns-timezone).
	Zones  map[string]int64
	Strict bool
}

// OpenWork creates a fresh work database in opt.Dir.
func OpenWork(ctx context.Context, opt WorkOptions) (*Work, error) {
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("failed to create work folder: %w", err)
	}
	db, err := sql.Open("duckdb", "")
	if err != nil {
		return nil, fmt.Errorf("failed to open work database: %w", err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("failed to open work database: %w", err)
	}
	w := &Work{DB: db, Conn: conn, Dir: opt.Dir, strict: opt.Strict}
	if opt.MemoryLimit == "" {
		opt.MemoryLimit = "512MB"
	}
	if opt.Threads <= 0 {
		opt.Threads = 2
	}
	setup := []string{
		"SET memory_limit = " + quoteLit(opt.MemoryLimit),
		fmt.Sprintf("SET threads = %d", opt.Threads),
		"SET temp_directory = " + quoteLit(filepath.Join(opt.Dir, "spill")),
		"SET preserve_insertion_order = false",
	}
	setup = append(setup, schemaSQL()...)
	for _, q := range setup {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			w.Close()
			return nil, fmt.Errorf("failed to prepare work database: %s: %w", firstLine(q), err)
		}
	}
	if err := registerFunctions(conn); err != nil {
		w.Close()
		return nil, err
	}
	if opt.IANA == nil {
		opt.IANA = iana.Embedded()
	}
	if err := w.loadIANA(ctx, opt.IANA); err != nil {
		w.Close()
		return nil, err
	}
	if err := w.loadZones(ctx, opt.Zones); err != nil {
		w.Close()
		return nil, err
	}
	return w, nil
}

// Close closes the database.
func (w *Work) Close() error {
	w.Conn.Close()
	return w.DB.Close()
}

// schemaSQL creates the files, registry, zone and relation tables.
func schemaSQL() []string {
	var fcols []string
	for _, n := range catalog.FileFields() {
		fcols = append(fcols, quoteIdent(n)+" VARCHAR")
	}
	out := []string{
		`CREATE TABLE files (id INTEGER, y SMALLINT, m TINYINT, d TINYINT, day DATE, ` + strings.Join(fcols, ", ") + `)`,
		`CREATE TABLE iana_keys (kind VARCHAR, key VARCHAR, name VARCHAR, PRIMARY KEY (kind, key))`,
		`CREATE TABLE iana_values (kind VARCHAR, value VARCHAR, name VARCHAR, code VARCHAR, PRIMARY KEY (kind, value))`,
		`CREATE TABLE tz_flag (zone VARCHAR PRIMARY KEY, off BIGINT)`,
	}
	for _, r := range catalog.Relations {
		out = append(out, "CREATE TABLE "+quoteIdent(r.Name)+" ("+r.Columns+")")
	}
	return out
}

// loadIANA fills the registry tables from the install's registries:
// iana_keys is IanaTransform's lookup (key → name); iana_values resolves a
// value of a coded field, a name to itself and its code, else a key to its
// name and that name's code (a name wins over a key of the same text).
func (w *Work) loadIANA(ctx context.Context, set *iana.Set) error {
	err := w.appendRows("iana_keys", func(add func(...driver.Value) error) error {
		for _, r := range set.Registries {
			for k, n := range r.Names {
				if err := add(r.Kind, k, n); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err == nil {
		err = w.appendRows("iana_values", func(add func(...driver.Value) error) error {
			for _, r := range set.Registries {
				for n, c := range r.Codes {
					if err := add(r.Kind, n, n, c); err != nil {
						return err
					}
				}
				for k, n := range r.Names {
					if _, isName := r.Codes[k]; !isName {
						if err := add(r.Kind, k, n, r.Codes[n]); err != nil {
							return err
						}
					}
				}
			}
			return nil
		})
	}
	if err != nil {
		return fmt.Errorf("failed to load the IANA registries: %w", err)
	}
	return nil
}

// loadZones fills tz_flag.
func (w *Work) loadZones(ctx context.Context, zones map[string]int64) error {
	err := w.appendRows("tz_flag", func(add func(...driver.Value) error) error {
		for z, off := range zones {
			if err := add(z, off); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return fmt.Errorf("failed to load the DNS time zones: %w", err)
	}
	return nil
}

// appendRows appends the rows fill adds to a table.
func (w *Work) appendRows(table string, fill func(add func(...driver.Value) error) error) error {
	return w.Conn.Raw(func(dc any) error {
		conn, ok := dc.(driver.Conn)
		if !ok {
			return fmt.Errorf("unexpected driver connection %T", dc)
		}
		app, err := duckdb.NewAppenderFromConn(conn, "", table)
		if err != nil {
			return err
		}
		if err := fill(app.AppendRow); err != nil {
			app.Close()
			return err
		}
		return app.Close()
	})
}

// quoteIdent quotes a catalog identifier for DuckDB. Identifiers come from
// the catalog only; anything else is a programming error.
func quoteIdent(name string) string {
	if !catalog.ValidIdent(name) {
		panic("invalid identifier " + name)
	}
	return `"` + name + `"`
}

// quoteLit quotes a string literal for DuckDB (” doubling; DuckDB string
// literals have no backslash escapes).
func quoteLit(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}

// StageSQL returns the landing rows of mapping m over every readable file of
// its source, and the file lists to bind to it: what migrate writes as
// staging files, in one statement per table.
func (w *Work) StageSQL(m *catalog.Mapping) (string, []any) {
	var rels []string
	var args []any
	for _, g := range w.groups {
		if g.src.Name == m.Source {
			args = append(args, g.paths())
			rels = append(rels, "SELECT * FROM "+sourceRel(g, len(args), lenient))
		}
	}
	if len(rels) == 0 {
		return "", nil
	}
	return LandingSQL(m, "("+strings.Join(rels, " UNION ALL ")+")", w.strict), args
}
