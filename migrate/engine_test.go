package migrate

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"testing"
)

// TestEmbeddedOffline checks that the target database never installs or
// loads an extension on demand (it would reach the network), and that a
// file that is not a DuckDB database is refused before DuckDB opens it.
func TestEmbeddedOffline(t *testing.T) {
	ctx := context.Background()
	e := &Embedded{Path: filepath.Join(t.TempDir(), "spot.duckdb")}
	_, err := e.Open(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"autoinstall_known_extensions", "autoload_known_extensions"} {
		var v bool
		if err := e.conn.QueryRowContext(ctx, "SELECT current_setting('"+name+"')").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v {
			t.Errorf("%s is on", name)
		}
	}
	if err := e.Close(); err != nil {
		t.Fatal(err)
	}
	// the file DuckDB wrote passes the header check; other files do not
	if err := checkDuckDBFile(e.Path); err != nil {
		t.Errorf("a DuckDB file is refused: %v", err)
	}
	for name, content := range map[string]string{
		"sqlite.db": "SQLite format 3\x00" + string(make([]byte, 84)),
		"empty.db":  "",
		"short.db":  "DUCK",
		"text.db":   "hello, this is not a database at all",
	} {
		p := filepath.Join(t.TempDir(), name)
		if err := os.WriteFile(p, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := checkDuckDBFile(p); !errors.Is(err, ErrNotDuckDB) {
			t.Errorf("%s: %v, want ErrNotDuckDB", name, err)
		}
	}
}
