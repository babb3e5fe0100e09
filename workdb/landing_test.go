package workdb

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"spotmigrate/catalog"
)

// TestEveryLayoutRuns reads, for every layout of every source, a file of
// its header and one row of empty fields, in plain, strict and staging
// passes: the generated SQL of every mapping, check, notice, relation and
// staging statement must run against the real work database, and the row
// must be counted once, as read or as rejected.
func TestEveryLayoutRuns(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	w, err := Open(ctx, Options{Dir: filepath.Join(dir, "work")})
	if err != nil {
		t.Fatal(err)
	}
	defer func() { _ = w.Close() }()
	var inputs []*Input
	for i := range catalog.Sources {
		s := &catalog.Sources[i]
		for j := range s.Layouts {
			l := &s.Layouts[j]
			p := filepath.Join(dir, s.Name+"-"+l.Name+".txt")
			row := strings.Repeat(string(s.Delim), len(l.Fields)-1)
			if err := os.WriteFile(p, []byte(l.Header(s.Delim)+"\n"+row+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			in := &Input{ReadPath: p, Size: 1, Source: s, Layout: l, Y: 2016, M: 7, D: 8, Day: "2016-07-08",
				Fields: map[string]string{}}
			if s.Scope == catalog.IngestSummary {
				in.Y, in.M, in.D, in.Day = 0, 0, 0, ""
			}
			for _, f := range catalog.FileFields() {
				in.Fields[f] = "x"
			}
			inputs = append(inputs, in)
		}
	}
	groups := GroupFiles(inputs, 0)
	if err := w.RegisterFiles(ctx, inputs); err != nil {
		t.Fatal(err)
	}
	// relations first, as validate reads them
	seq := 0
	pass := func(g Group, strict bool, stage string) {
		t.Helper()
		seq++
		spec := PassSpec{Relations: catalog.RelationsOf(g.Source.Name), Stage: stage, Seq: seq}
		rows, rejects, err := w.Pass(ctx, g, LandingOf(g.Source.Name, strict), spec)
		if err != nil {
			t.Fatalf("%s %s (strict %v, stage %q): %v", g.Source.Name, g.Layout.Name, strict, stage, err)
		}
		var n int64
		for _, r := range rows {
			n += r.Rows
		}
		lines := map[string]bool{}
		for _, r := range rejects {
			lines[fmt.Sprintf("%s:%d", r.Path, r.Line)] = true
		}
		if n+int64(len(lines)) != int64(len(g.Files)) {
			t.Errorf("%s %s: %d rows read and %d rejected, want %d in all", g.Source.Name, g.Layout.Name, n, len(lines), len(g.Files))
		}
	}
	for _, g := range groups {
		if len(catalog.RelationsOf(g.Source.Name)) > 0 {
			pass(g, false, "")
		}
	}
	for i := range catalog.Relations {
		if err := w.ReduceRelation(ctx, &catalog.Relations[i]); err != nil {
			t.Fatal(err)
		}
	}
	stage := filepath.Join(dir, "stage")
	for _, g := range groups {
		pass(g, false, "")
		pass(g, true, "")
		pass(g, false, stage)
	}
	if err := w.Flush(); err != nil {
		t.Fatal(err)
	}
	for _, m := range catalog.Mappings {
		files, _ := filepath.Glob(filepath.Join(stage, m.Table, "*.parquet"))
		if len(files) == 0 {
			t.Errorf("no staging file for %s", m.Table)
		}
	}
}
