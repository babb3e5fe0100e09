package migrate

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"

	"spotmigrate/dialect"
	"spotmigrate/workdb"
)

// DB is the database handle the migration needs of a target.
type DB interface {
	Execer
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

// Engine is a migration target.
type Engine interface {
	// Name describes the target in reports, e.g. "duckdb:./spot.duckdb".
	Name() string
	Dialect() dialect.Dialect
	// Open connects; it is not called on a dry run.
	Open(ctx context.Context) (DB, error)
	// TableLocation is the storage folder of a final table ("" if the
	// engine manages storage).
	TableLocation(table string) string
	// StagingDBLocation is the storage folder of the staging database ("" if
	// the engine manages storage).
	StagingDBLocation() string
	// Stats reports whether to gather table statistics after a load.
	Stats() bool
	// StagingLocation is where the engine reads the staging files of table
	// that were written to the local folder localDir.
	StagingLocation(table, localDir string) string
	// Upload makes the local staging folder of table available at its
	// staging location.
	Upload(ctx context.Context, r *runner, table, localDir string) error
	// Cleanup removes the staging location of every table.
	Cleanup(ctx context.Context, r *runner) error
	// LedgerPath is where this target's ledger lives.
	LedgerPath() string
	// Files is where the files Spot 1.0 reads outside Impala land.
	Files() (FileStore, error)
	// Transactions reports whether a table load can be one transaction.
	Transactions() bool
	Close() error
}

// Embedded is the default target: a DuckDB database file.
type Embedded struct {
	Path string
	// FilesRoot mirrors HDFS's HUSER for the copied files; empty means
	// <Path>.files beside the database file.
	FilesRoot string
	db        *sql.DB
	conn      *sql.Conn
}

// Name implements Engine.
func (e *Embedded) Name() string { return "duckdb:" + e.Path }

// Dialect implements Engine.
func (e *Embedded) Dialect() dialect.Dialect { return dialect.DuckDB{Catalog: attachedAs} }

// attachedAs is the name the target database file is attached under.
const attachedAs = "target"

// Open implements Engine.
func (e *Embedded) Open(ctx context.Context) (DB, error) {
	if dir := filepath.Dir(e.Path); dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return nil, fmt.Errorf("failed to create target folder: %w", err)
		}
	}
	if err := checkDuckDBFile(e.Path); err != nil {
		return nil, err
	}
	db, err := sql.Open("duckdb", workdb.OfflineDSN)
	if err != nil {
		return nil, fmt.Errorf("failed to open target %s: %w", e.Path, err)
	}
	conn, err := db.Conn(ctx)
	for _, q := range []string{"SET memory_limit = '512MB'", "SET threads = 2", "SET preserve_insertion_order = false",
		"ATTACH " + dialect.DuckDB{}.Literal(e.Path) + " AS " + attachedAs} {
		if err == nil {
			_, err = conn.ExecContext(ctx, q)
		}
	}
	if err != nil {
		db.Close()
		return nil, fmt.Errorf("failed to open target %s: %w", e.Path, err)
	}
	e.db, e.conn = db, conn
	return conn, nil
}

// ErrNotDuckDB is returned for a target file that is not a DuckDB database.
var ErrNotDuckDB = errors.New("not a DuckDB database file")

// checkDuckDBFile refuses an existing target file whose header is not
// DuckDB's ("DUCK" at offset 8), before DuckDB opens it: DuckDB would
// otherwise try an extension for the format it guesses (SQLite, say).
func checkDuckDBFile(path string) error {
	f, err := os.Open(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("failed to open target %s: %w", path, err)
	}
	defer func() { _ = f.Close() }()
	head := make([]byte, 12)
	if _, err := io.ReadFull(f, head); err != nil || string(head[8:12]) != "DUCK" {
		return fmt.Errorf("failed to open target %s: %w (choose another --target; the file was not touched)", path, ErrNotDuckDB)
	}
	return nil
}

// TableLocation implements Engine.
func (e *Embedded) TableLocation(string) string { return "" }

// StagingDBLocation implements Engine.
func (e *Embedded) StagingDBLocation() string { return "" }

// Stats implements Engine.
func (e *Embedded) Stats() bool { return false }

// StagingLocation implements Engine: the local staging folder itself.
func (e *Embedded) StagingLocation(_, localDir string) string {
	abs, err := filepath.Abs(localDir)
	if err != nil {
		return localDir
	}
	return abs
}

// Upload implements Engine: the files are already where DuckDB reads them.
func (e *Embedded) Upload(context.Context, *runner, string, string) error { return nil }

// Cleanup implements Engine.
func (e *Embedded) Cleanup(context.Context, *runner) error { return nil }

// Files implements Engine: a local folder laid out as HUSER on HDFS.
func (e *Embedded) Files() (FileStore, error) {
	if e.FilesRoot != "" {
		return LocalStore{Root: e.FilesRoot}, nil
	}
	return LocalStore{Root: e.Path + ".files"}, nil
}

// LedgerPath implements Engine.
func (e *Embedded) LedgerPath() string { return e.Path + ".ledger.json" }

// Transactions implements Engine.
func (e *Embedded) Transactions() bool { return true }

// Close implements Engine.
func (e *Embedded) Close() error {
	if e.conn != nil {
		e.conn.Close()
	}
	if e.db != nil {
		return e.db.Close()
	}
	return nil
}
