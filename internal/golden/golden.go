package golden

import (
	"flag"
	"os"
	"path/filepath"
	"testing"
)

var update = flag.Bool("update", false, "rewrite golden files")

// Check compares got with the golden file at path.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("failed to read golden file (run with -update to create it): %v", err)
	}
	if string(want) != string(got) {
		_ = os.WriteFile(path+".FAIL", got, 0o644)
		t.Errorf("output differs from %s (got written to %s.FAIL):\n%s", path, path, got)
		return
	}
	_ = os.Remove(path + ".FAIL")
}
