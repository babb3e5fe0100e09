package workdb

import (
	"context"
	"path/filepath"
	"testing"
)

// TestWorkOffline checks that the work database never installs or loads
// an extension on demand: the tree's files are read with the built-in
// readers only, and nothing reaches the network.
func TestWorkOffline(t *testing.T) {
	ctx := context.Background()
	w, err := Open(ctx, Options{Dir: filepath.Join(t.TempDir(), "work")})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = w.Close() }()
	for _, name := range []string{"autoinstall_known_extensions", "autoload_known_extensions"} {
		var v bool
		if err := w.Conn.QueryRowContext(ctx, "SELECT current_setting('"+name+"')").Scan(&v); err != nil {
			t.Fatal(err)
		}
		if v {
			t.Errorf("%s is on", name)
		}
	}
}
