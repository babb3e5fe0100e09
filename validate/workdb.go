package validate

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	_ "github.com/duckdb/duckdb-go/v2" // registers the "duckdb" driver

	"spotmigrate/catalog"
)

// Work is the embedded DuckDB work database of one run.
type Work struct {
	DB   *sql.DB
	Conn *sql.Conn
	Dir  string
}

// WorkOptions bound the work database.
type WorkOptions struct {
	Dir         string // where the database and its spill files live
	MemoryLimit string // DuckDB memory_limit, e.g. "512MB"
	Threads     int
}

// OpenWork creates a fresh work database in opt.Dir.
func OpenWork(ctx context.Context, opt WorkOptions) (*Work, error) {
	if err := os.MkdirAll(opt.Dir, 0o755); err != nil {
		return nil, fmt.Errorf("failed to create work folder: %w", err)
	}
	dbPath := filepath.Join(opt.Dir, "work.duckdb")
	_ = os.Remove(dbPath)
	_ = os.Remove(dbPath + ".wal")
	db, err := sql.Open("duckdb", dbPath)
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
	if opt.Threads <= 0 {
		opt.Threads = 2
	}
	setup := []string{
		"SET memory_limit = " + quoteLit(opt.MemoryLimit),
		fmt.Sprintf("SET threads = %d", opt.Threads),
		"SET temp_directory = " + quoteLit(filepath.Join(opt.Dir, "spill")),
		"SET preserve_insertion_order = true",
	}
	setup = append(setup, schemaSQL()...)
	for _, q := range setup {
		if _, err := conn.ExecContext(ctx, q); err != nil {
			w.Close()
			return nil, fmt.Errorf("failed to prepare work database: %s: %w", firstLine(q), err)
		}
	}
	if err := w.loadIANA(ctx); err != nil {
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

// schemaSQL creates the files, iana and src_<source> tables.
func schemaSQL() []string {
	var fcols []string
	for _, n := range catalog.FileFields() {
		fcols = append(fcols, quoteIdent(n)+" VARCHAR")
	}
	out := []string{
		`CREATE TABLE files (id INTEGER PRIMARY KEY, read_path VARCHAR, path VARCHAR, source VARCHAR,
			y SMALLINT, m TINYINT, d TINYINT, day DATE, ` + strings.Join(fcols, ", ") + `)`,
		`CREATE TABLE iana (kind VARCHAR, code VARCHAR, name VARCHAR, key VARCHAR, is_primary BOOLEAN)`,
	}
	for i := range catalog.Sources {
		s := &catalog.Sources[i]
		cols := []string{"file_id INTEGER"}
		for _, f := range s.Canonical() {
			cols = append(cols, quoteIdent(f.Name())+" "+string(f.Type))
		}
		out = append(out, "CREATE TABLE "+srcTable(s)+" ("+strings.Join(cols, ", ")+")")
	}
	return out
}

func srcTable(s *catalog.Source) string { return quoteIdent("src_" + s.Name) }

func (w *Work) loadIANA(ctx context.Context) error {
	tx, err := w.Conn.BeginTx(ctx, nil)
	if err != nil {
		return fmt.Errorf("failed to load IANA table: %w", err)
	}
	defer tx.Rollback()
	st, err := tx.PrepareContext(ctx, `INSERT INTO iana VALUES (?, ?, ?, lower(?), ?)`)
	if err != nil {
		return fmt.Errorf("failed to load IANA table: %w", err)
	}
	defer st.Close()
	for _, e := range catalog.IANATable {
		if _, err := st.ExecContext(ctx, e.Kind, e.Code, e.Name, e.Name, e.Primary); err != nil {
			return fmt.Errorf("failed to load IANA table: %w", err)
		}
	}
	return tx.Commit()
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
