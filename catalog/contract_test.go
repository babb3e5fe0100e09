package catalog

import (
	"slices"
	"testing"
)

// TestJoinNamesItsNeeds checks the contract of contract.go: a mapping's
// Join names only work tables and relations, and the relations it names are
// exactly the ones it declares in Needs (so they are built before its
// source is read).
func TestJoinNamesItsNeeds(t *testing.T) {
	for _, mp := range Mappings {
		var rels []string
		for _, name := range joinedNames(mp.Join) {
			if _, ok := RelationByName(name); ok {
				if !slices.Contains(rels, name) {
					rels = append(rels, name)
				}
				continue
			}
			if !slices.ContainsFunc(WorkTables, func(w WorkTable) bool { return w.Name == name }) {
				t.Errorf("%s from %s: Join names %q, neither a relation nor a work table", mp.Table, mp.Source, name)
			}
		}
		slices.Sort(rels)
		needs := slices.Sorted(slices.Values(mp.Needs))
		if !slices.Equal(rels, needs) {
			t.Errorf("%s from %s: Join names the relations %v, Needs declares %v", mp.Table, mp.Source, rels, needs)
		}
		for _, n := range mp.Needs {
			r, ok := RelationByName(n)
			if !ok {
				t.Errorf("%s: Needs names %q, which is no relation", mp.Table, n)
				continue
			}
			if slices.Contains(r.Sources, mp.Source) {
				t.Errorf("%s: relation %s is filled from its own source %s", mp.Table, n, mp.Source)
			}
		}
	}
}

func TestJoinedNames(t *testing.T) {
	got := joinedNames("JOIN a x ON x.k = s.k LEFT JOIN b ON b.k = x.k\n\tjoin c USING (k)")
	if want := []string{"a", "b", "c"}; !slices.Equal(got, want) {
		t.Errorf("joinedNames = %v, want %v", got, want)
	}
}
