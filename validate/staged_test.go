package validate

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"

	"spotmigrate/dialect"
)

// staged reads the staging Parquet files a validation wrote, as the
// engines' staging tables do (Hive partition folders y=/m=/d=).
type staged struct {
	dir  string
	Conn *sql.Conn
}

func openStaged(t *testing.T, dir string) *staged {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	conn, err := db.Conn(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close(); db.Close() })
	return &staged{dir: dir, Conn: conn}
}

// rows is a relation of the staged rows of table (y, m, d and its
// columns), or "" when nothing was staged for it.
func (s *staged) rows(table string) string {
	dir := filepath.Join(s.dir, table)
	if _, err := os.Stat(dir); err != nil {
		return ""
	}
	return "SELECT * FROM read_parquet(" + dialect.DuckDB{}.Literal(dir+"/*.parquet") + ")"
}
