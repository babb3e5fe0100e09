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

// Work is the embedded DuckDB work database of one run. It holds the files
// table, the IANA table and the relations; the rows of the old files are
// read straight from them by each statement, never copied into it.
type Work struct {
	DB   *sql.DB
	Conn *sql.Conn
	Dir  string
	// groups are the readable files by source and layout (set by validate).
	groups []group
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
	db, err := sql.Open("duckdb", "")
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
		"SET preserve_insertion_order = false",
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

// schemaSQL creates the files, iana and relation tables.
func schemaSQL() []string {
	var fcols []string
	for _, n := range catalog.FileFields() {
		fcols = append(fcols, quoteIdent(n)+" VARCHAR")
	}
	out := []string{
		`CREATE TABLE files (id INTEGER, y SMALLINT, m TINYINT, d TINYINT, day DATE, ` + strings.Join(fcols, ", ") + `)`,
		`CREATE TABLE iana (kind VARCHAR, code VARCHAR, name VARCHAR, key VARCHAR, is_primary BOOLEAN)`,
	}
	for _, r := range catalog.Relations {
		out = append(out, "CREATE TABLE "+quoteIdent(r.Name)+" ("+r.Columns+")")
	}
	return out
}

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
	return LandingSQL(m, "("+strings.Join(rels, " UNION ALL ")+")"), args
}
