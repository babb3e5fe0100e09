package migrate

import (
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestLedgerRoundTrip(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.ledger.json")
	l, err := openLedger(path, "duckdb:t", "spot")
	if err != nil {
		t.Fatal(err)
	}
	if len(l.Units) != 0 || len(l.Dirty()) != 0 {
		t.Fatalf("a new ledger holds units: %+v", l.Units)
	}
	a := unitKey{"flow_edge/y=2016/m=7/d=8", 7, "abc"}
	b := unitKey{"flow_edge/y=2016/m=7/d=9", 3, "def"}
	if err := l.mark([]unitKey{a, b}, PhaseLoaded, true); err != nil {
		t.Fatal(err)
	}
	again, err := openLedger(path, "duckdb:t", "spot")
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"flow_edge/y=2016/m=7/d=8 (loaded)", "flow_edge/y=2016/m=7/d=9 (loaded)"}
	if got := again.Dirty(); !slices.Equal(got, want) {
		t.Errorf("Dirty() = %v, want %v", got, want)
	}
	if _, err := os.Stat(path + ".tmp"); !os.IsNotExist(err) {
		t.Errorf("the temporary ledger was left behind: %v", err)
	}
}

// TestLedgerReconciled checks when a table may be left alone: every unit
// reconciled, clean, and with the rows and checksum the manifest expects.
func TestLedgerReconciled(t *testing.T) {
	a := unitKey{"t/y=2016/m=7/d=8", 7, "abc"}
	b := unitKey{"t/y=2016/m=7/d=9", 3, "def"}
	cases := []struct {
		name  string
		mark  func(l *Ledger)
		check []unitKey
		want  bool
	}{
		{"all reconciled", func(l *Ledger) { _ = l.mark([]unitKey{a, b}, PhaseReconciled, false) }, []unitKey{a, b}, true},
		{"one never seen", func(l *Ledger) { _ = l.mark([]unitKey{a}, PhaseReconciled, false) }, []unitKey{a, b}, false},
		{"only loaded", func(l *Ledger) { _ = l.mark([]unitKey{a, b}, PhaseLoaded, false) }, []unitKey{a, b}, false},
		{"dirty", func(l *Ledger) { _ = l.mark([]unitKey{a, b}, PhaseReconciled, true) }, []unitKey{a, b}, false},
		{"fewer rows expected now", func(l *Ledger) { _ = l.mark([]unitKey{a, b}, PhaseReconciled, false) },
			[]unitKey{a, {b.name, 2, b.checksum}}, false},
		{"other checksum", func(l *Ledger) { _ = l.mark([]unitKey{a, b}, PhaseReconciled, false) },
			[]unitKey{a, {b.name, b.rows, "xyz"}}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			l, err := openLedger(filepath.Join(t.TempDir(), "l.json"), "duckdb:t", "spot")
			if err != nil {
				t.Fatal(err)
			}
			c.mark(l)
			if got := l.reconciled(c.check); got != c.want {
				t.Errorf("reconciled = %v, want %v", got, c.want)
			}
		})
	}
}

func TestLedgerCorrupt(t *testing.T) {
	path := filepath.Join(t.TempDir(), "t.ledger.json")
	if err := os.WriteFile(path, []byte(`{"version": 1, "units": {"a": {"pha`), 0o644); err != nil {
		t.Fatal(err)
	}
	_, err := openLedger(path, "duckdb:t", "spot")
	if !errors.Is(err, ErrLedgerDamaged) || !strings.Contains(err.Error(), "failed to read ledger "+path) ||
		!strings.Contains(err.Error(), "--rebuild-ledger") {
		t.Fatalf("err = %v, want one naming the ledger and the way out", err)
	}
}
