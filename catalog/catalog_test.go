package catalog

import (
	"slices"
	"testing"
)

// TestTwentyMappings checks the catalog's shape: 20 tables, one mapping
// each, every column set, every source and expression resolvable.
func TestTwentyMappings(t *testing.T) {
	if len(Tables) != 20 || len(Mappings) != 20 {
		t.Fatalf("%d tables and %d mappings, want 20 and 20", len(Tables), len(Mappings))
	}
	seen := map[string]bool{}
	for _, m := range Mappings {
		if seen[m.Table] {
			t.Errorf("two mappings for %s", m.Table)
		}
		seen[m.Table] = true
		tb, ok := TableByName(m.Table)
		if !ok {
			t.Fatalf("mapping of unknown table %s", m.Table)
		}
		src, ok := SourceByName(m.Source)
		if !ok {
			t.Fatalf("%s reads unknown source %s", m.Table, m.Source)
		}
		if src.Pipeline != tb.Pipeline {
			t.Errorf("%s (%s) reads %s of pipeline %s", m.Table, tb.Pipeline, src.Name, src.Pipeline)
		}
		for _, c := range tb.Columns {
			if _, ok := m.Set[c.Name]; !ok {
				t.Errorf("%s: column %s is not set", m.Table, c.Name)
			}
		}
		if len(m.Set) != len(tb.Columns) {
			t.Errorf("%s sets %d columns, the table has %d", m.Table, len(m.Set), len(tb.Columns))
		}
	}
}

// TestLayouts checks that every older layout maps onto the newest one's
// canonical columns, and that layouts are told apart by their headers.
func TestLayouts(t *testing.T) {
	for _, s := range Sources {
		var canon []string
		for _, f := range s.Canonical() {
			canon = append(canon, f.Name())
		}
		for _, l := range s.Layouts {
			for _, f := range l.Fields {
				if f.Name() != Drop && !slices.Contains(canon, f.Name()) {
					t.Errorf("%s %s: field %s maps to %s, not a canonical column", s.Name, l.Name, f.Header, f.Name())
				}
				if !ValidIdent(f.Name()) && f.Name() != Drop {
					t.Errorf("%s: %q is not a plain identifier", s.Name, f.Name())
				}
			}
			got, err := s.DetectLayout(splitComma(l.Header(',')))
			if err != nil || got.Name != l.Name {
				t.Errorf("%s: header of %s detected as %v (%v)", s.Name, l.Name, got, err)
			}
			if extras := computedExtras(s, &l, canon); !slices.Equal(extras, computedExtras(s, &s.Layouts[0], canon)) {
				t.Errorf("%s %s: computed fields %v, the newest layout's are %v: the layouts' rows would not line up",
					s.Name, l.Name, extras, computedExtras(s, &s.Layouts[0], canon))
			}
		}
	}
}

// computedExtras are the computed fields of l beyond the canonical ones.
func computedExtras(s Source, l *Layout, canon []string) []string {
	var out []string
	for n := range l.Computed {
		if !slices.Contains(canon, n) {
			out = append(out, n)
		}
	}
	slices.Sort(out)
	return out
}

func splitComma(s string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(s); i++ {
		if i == len(s) || s[i] == ',' {
			out = append(out, s[start:i])
			start = i + 1
		}
	}
	return out
}

// TestDetectLayoutErrors checks the message for an unknown header.
func TestDetectLayoutErrors(t *testing.T) {
	s, _ := SourceByName("dns_scores")
	_, err := s.DetectLayout([]string{"a", "b"})
	want := "unknown header for dns_scores (2 columns): known layouts are D1 (18 columns), D0 (24 columns)"
	if err == nil || err.Error() != want {
		t.Errorf("got %v, want %q", err, want)
	}
	l, err := s.DetectLayout(splitComma(" FRAME_TIME,frame_len,ip_dst,dns_qry_name,dns_qry_class,dns_qry_type,dns_qry_rcode,score,tld,query_rep,hh,ip_sev,dns_sev,dns_qry_class_name,dns_qry_type_name,dns_qry_rcode_name,network_context,unix_tstamp"))
	if err != nil || l.Name != "D1" {
		t.Errorf("case and space-insensitive detection failed: %v %v", l, err)
	}
}

// TestIdentifiers checks the identifier rule that guards every statement.
func TestIdentifiers(t *testing.T) {
	for _, ok := range []string{"spot", "spot_migration", "_x1"} {
		if !ValidIdent(ok) {
			t.Errorf("%q rejected", ok)
		}
	}
	for _, bad := range []string{"", "1spot", "spot;drop", "a b", "x`y", `x"y`, "x'y", "x$(id)"} {
		if ValidIdent(bad) {
			t.Errorf("%q accepted", bad)
		}
	}
}
