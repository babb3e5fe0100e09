package workdb

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
	"spotmigrate/dialect"
	"spotmigrate/iana"
)

// Work is the embedded DuckDB work database of one run. It holds the files
// table, the IANA table and the relations; the rows of the old files are
// read straight from them by each statement, never copied into it.
type Work struct {
	DB   *sql.DB
	Conn *sql.Conn
	Dir  string
	// stager writes the staging files of the last batch (see Pass).
	stager *stager
}

// Options bound the work database.
type Options struct {
	Dir         string // where the database and its spill files live
	MemoryLimit string // DuckDB memory_limit, e.g. "512MB"
	// IANA are the registries coded fields are resolved with; nil means the
	// embedded ones.
	IANA *iana.Set
	// Zones are UTC offsets in seconds by DNS zone token (--dns-timezone).
	Zones map[string]int64
}

// OfflineDSN opens an in-memory DuckDB that never reaches the network: no
// extension is installed or loaded on demand (the ones the work needs are
// built in).
const OfflineDSN = "?autoinstall_known_extensions=false&autoload_known_extensions=false"

// Open creates a fresh work database in opt.Dir.
func Open(ctx context.Context, opt Options) (*Work, error) {
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("failed to create work folder: %w", err)
	}
	db, err := sql.Open("duckdb", OfflineDSN)
	if err != nil {
		return nil, fmt.Errorf("failed to open work database: %w", err)
	}
	conn, err := db.Conn(ctx)
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("failed to open work database: %w", err)
	}
	w := &Work{DB: db, Conn: conn, Dir: opt.Dir}
	if opt.MemoryLimit == "" {
		opt.MemoryLimit = "512MB"
	}
	setup := []string{
		"SET memory_limit = " + sq.Literal(opt.MemoryLimit),
		"SET threads = 2",
		"SET temp_directory = " + sq.Literal(filepath.Join(opt.Dir, "spill")),
		"SET preserve_insertion_order = false",
	}
	setup = append(setup, schemaSQL()...)
	for _, q := range setup {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			_ = w.Close()
			return nil, fmt.Errorf("failed to prepare work database: %s: %w", firstLine(q), err)
		}
	}
	if err := registerFunctions(conn); err != nil {
		_ = w.Close()
		return nil, err
	}
	if opt.IANA == nil {
		opt.IANA = iana.Embedded()
	}
	if err := w.loadIANA(ctx, opt.IANA); err != nil {
		_ = w.Close()
		return nil, err
	}
	if err := w.loadZones(ctx, opt.Zones); err != nil {
		_ = w.Close()
		return nil, err
	}
	return w, nil
}

// Close closes the database.
func (w *Work) Close() error {
	_ = w.Flush()
	w.Conn.Close()
	return w.DB.Close()
}

// schemaSQL creates the files, registry, zone and relation tables.
func schemaSQL() []string {
	var fcols []string
	for _, n := range catalog.FileFields() {
		fcols = append(fcols, sq.Ident(n)+" VARCHAR")
	}
	out := []string{`CREATE TABLE files (` + catalog.FilesColumns + `, ` + strings.Join(fcols, ", ") + `)`}
	for _, t := range catalog.WorkTables {
		out = append(out, "CREATE TABLE "+sq.Ident(t.Name)+" ("+t.Columns+")")
	}
	for _, r := range catalog.Relations {
		out = append(out, "CREATE TABLE "+sq.Ident(r.Name)+" ("+r.Columns+")")
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
			_ = app.Close()
			return err
		}
		return app.Close()
	})
}

// sq quotes identifiers and literals: the one quoting helper, the
// dialect's.
var sq = dialect.DuckDB{}

func firstLine(s string) string {
	s, _, _ = strings.Cut(strings.TrimSpace(s), "\n")
	return s
}
