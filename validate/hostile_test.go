package validate

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"unicode/utf8"

	"spotmigrate/manifest"
	"spotmigrate/report"
)

// Hostile trees: symbolic links, names that are not UTF-8, FIFOs. Nothing
// is followed or opened that is not asked for, nothing crashes, and every
// file error holds the archive of its pipeline.

const chordHdr = "srcip\tdstip\tibytes\tipkts"

// chordTree is a flow tree with one day of one chord row.
func chordTree(t *testing.T) (oa, data string) {
	t.Helper()
	oa = writeTree(t, map[string]string{"flow/20161201/chord-10_0_0_1.tsv": lf(chordHdr, "10.0.0.1\t10.0.0.2\t1\t1")})
	return oa, filepath.Join(oa, "data")
}

// outsideDay writes a day folder of two chord rows outside the tree and
// returns it, links resolved (as the file errors name it).
func outsideDay(t *testing.T) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "elsewhere", "x")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	text := lf(chordHdr, "10.0.0.3\t10.0.0.4\t1\t1", "10.0.0.5\t10.0.0.4\t1\t1")
	if err := os.WriteFile(filepath.Join(dir, "chord-10_0_0_4.tsv"), []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	real, err := filepath.EvalSymlinks(dir)
	if err != nil {
		t.Fatal(err)
	}
	return real
}

func symlink(t *testing.T, target, link string) {
	t.Helper()
	if err := os.Symlink(target, link); err != nil {
		t.Fatal(err)
	}
}

// hostile validates oa (flow only) and checks that every report format
// renders it and that its JSON holds only valid UTF-8.
func hostile(t *testing.T, oa string, follow bool) *manifest.Manifest {
	t.Helper()
	m, _ := validated(t, Options{OAPath: oa, Pipelines: []string{"flow"}, FollowSymlinks: follow})
	for _, f := range []report.Format{report.Text, report.Markdown, report.JSON, report.JUnit} {
		var b bytes.Buffer
		if err := m.Write(&b, f); err != nil {
			t.Fatalf("%s report: %v", f, err)
		}
	}
	b, err := json.Marshal(m)
	if err != nil || !utf8.Valid(b) || bytes.Contains(b, []byte(`\ufffd`)) || bytes.ContainsRune(b, utf8.RuneError) {
		t.Errorf("manifest JSON (err %v) is not clean UTF-8: %s", err, b)
	}
	return m
}

// fileErrors lists the file errors of a manifest as path: error, with the
// pipeline and source of each.
func fileErrors(m *manifest.Manifest) []string {
	var out []string
	for _, f := range m.Files {
		if f.Error != "" {
			out = append(out, f.Pipeline+" "+f.Source+" "+f.Path+": "+f.Error)
		}
	}
	return out
}

func skips(m *manifest.Manifest) []string {
	var out []string
	for _, s := range m.Skipped {
		out = append(out, s.Path+": "+s.Reason)
	}
	return out
}

// wantCounts checks the summary: files, file errors and landing rows.
func wantCounts(t *testing.T, m *manifest.Manifest, files, errs int, landing int64) {
	t.Helper()
	s := m.Summary
	if s.Files != files || s.FileErrors != errs || s.Landing != landing || m.Clean() != (errs == 0) {
		t.Errorf("summary %+v (clean %v): want %d files, %d file errors, %d landing rows", s, m.Clean(), files, errs, landing)
	}
}

// TestDayFolderLinkOutside: a day folder that is a link to a folder
// outside the tree is a file error naming it and its target (the archive
// would move only the link); its rows are not read.
func TestDayFolderLinkOutside(t *testing.T) {
	oa, data := chordTree(t)
	out := outsideDay(t)
	symlink(t, out, filepath.Join(data, "flow", "20161202"))
	m := hostile(t, oa, false)
	wantRows(t, "file errors", fileErrors(m),
		"flow  flow/20161202: a symbolic link to "+out+", outside the flow folder (use --follow-symlinks to read it)")
	wantCounts(t, m, 2, 1, 1)
	for _, f := range m.Files {
		if f.Path == "flow/20161202" && (f.Tables == nil || len(f.Tables) != 0 || f.SHA256 != "" || f.Rows != 0) {
			t.Errorf("link entry %+v: want no tables, no sha256, no rows", f)
		}
	}
}

// TestDayFolderLinkFollowed: with FollowSymlinks the linked folder is read
// as a day folder of the tree; its file says it was reached through it.
func TestDayFolderLinkFollowed(t *testing.T) {
	oa, data := chordTree(t)
	out := outsideDay(t)
	symlink(t, out, filepath.Join(data, "flow", "20161202"))
	m := hostile(t, oa, true)
	wantRows(t, "file errors", fileErrors(m))
	wantCounts(t, m, 2, 0, 3)
	var got []string
	for _, p := range m.Partitions {
		got = append(got, p.Name()+" "+strings.Join(p.Files, ","))
	}
	wantRows(t, "partitions", got, "flow_chords/y=2016/m=12/d=1 flow/20161201/chord-10_0_0_1.tsv",
		"flow_chords/y=2016/m=12/d=2 flow/20161202/chord-10_0_0_4.tsv")
	if m.Partitions[1].Rows != 2 {
		t.Errorf("linked day: %d rows, want 2", m.Partitions[1].Rows)
	}
	tr, err := discoverLinks(data, []string{"flow"}, true)
	if err != nil {
		t.Fatal(err)
	}
	links := map[string]string{}
	for _, f := range tr.files {
		links[f.Path] = f.link
	}
	if links["flow/20161201/chord-10_0_0_1.tsv"] != "" || links["flow/20161202/chord-10_0_0_4.tsv"] != filepath.Join(out, "chord-10_0_0_4.tsv") {
		t.Errorf("links %v: want the linked day's file to name its real place", links)
	}
}

// TestPipelineFolderLink: the pipeline folder itself as a link is a file
// error of that pipeline; followed, it is read.
func TestPipelineFolderLink(t *testing.T) {
	oa, data := chordTree(t)
	out := filepath.Dir(outsideDay(t))
	if err := os.Rename(filepath.Join(out, "x"), filepath.Join(out, "20161202")); err != nil {
		t.Fatal(err)
	}
	if err := os.Rename(filepath.Join(data, "flow"), filepath.Join(data, "old")); err != nil {
		t.Fatal(err)
	}
	symlink(t, out, filepath.Join(data, "flow"))
	m := hostile(t, oa, false)
	wantRows(t, "file errors", fileErrors(m),
		"flow  flow: a symbolic link to "+out+", outside the flow folder (use --follow-symlinks to read it)")
	wantRows(t, "skipped", skips(m), "old/: not a pipeline folder (flow, dns, proxy)")
	wantCounts(t, m, 1, 1, 0)
	m = hostile(t, oa, true)
	wantCounts(t, m, 1, 0, 2)
}

// TestFileLinkInsideTree: a link to another file of the same day folder is
// a file error by default too (the same rows would land twice, and an
// absolute link breaks once the folder is archived); followed, it is read.
func TestFileLinkInsideTree(t *testing.T) {
	oa, data := chordTree(t)
	symlink(t, "../20161201/chord-10_0_0_1.tsv", filepath.Join(data, "flow", "20161201", "chord-10_0_0_9.tsv"))
	m := hostile(t, oa, false)
	wantRows(t, "file errors", fileErrors(m), "flow flow_chords flow/20161201/chord-10_0_0_9.tsv: "+
		"a symbolic link to flow/20161201/chord-10_0_0_1.tsv, inside the flow folder (use --follow-symlinks to read it)")
	wantCounts(t, m, 2, 1, 1)
	m = hostile(t, oa, true)
	wantRows(t, "file errors", fileErrors(m))
	wantCounts(t, m, 2, 0, 2)
}

// TestBrokenLinks: a dangling link and a link loop are file errors naming
// them, followed or not; a link to a FIFO is an error unless followed, and
// then the FIFO is skipped (it is never opened).
func TestBrokenLinks(t *testing.T) {
	oa, data := chordTree(t)
	day := filepath.Join(data, "flow", "20161201")
	symlink(t, "missing.tsv", filepath.Join(day, "chord-10_0_0_2.tsv"))
	symlink(t, "chord-10_0_0_4.tsv", filepath.Join(day, "chord-10_0_0_3.tsv"))
	symlink(t, "chord-10_0_0_3.tsv", filepath.Join(day, "chord-10_0_0_4.tsv"))
	symlink(t, "20161203", filepath.Join(data, "flow", "20161203"))
	if err := syscall.Mkfifo(filepath.Join(day, "fifo"), 0o644); err != nil {
		t.Fatal(err)
	}
	symlink(t, "fifo", filepath.Join(day, "chord-10_0_0_5.tsv"))
	broken := []string{
		"flow flow_chords flow/20161201/chord-10_0_0_2.tsv: a dangling symbolic link to missing.tsv: its target does not exist",
		"flow flow_chords flow/20161201/chord-10_0_0_3.tsv: a symbolic link loop (it points to chord-10_0_0_4.tsv)",
		"flow flow_chords flow/20161201/chord-10_0_0_4.tsv: a symbolic link loop (it points to chord-10_0_0_3.tsv)",
	}
	loop := "flow  flow/20161203: a symbolic link loop (it points to 20161203)"
	fifo := "flow/20161201/fifo: not a regular file (a FIFO, socket or device), not read"
	m := hostile(t, oa, false)
	wantRows(t, "file errors", fileErrors(m), append(broken, "flow flow_chords flow/20161201/chord-10_0_0_5.tsv: "+
		"a symbolic link to flow/20161201/fifo, inside the flow folder (use --follow-symlinks to read it)", loop)...)
	wantRows(t, "skipped", skips(m), fifo)
	wantCounts(t, m, 6, 5, 1)
	m = hostile(t, oa, true)
	wantRows(t, "file errors", fileErrors(m), append(broken, loop)...)
	wantRows(t, "skipped", skips(m), "flow/20161201/chord-10_0_0_5.tsv: not a regular file (a FIFO, socket or device), not read", fifo)
	wantCounts(t, m, 5, 4, 1)
}

// TestNamesNotUTF8: a data file whose name is not UTF-8 is a file error
// before DuckDB sees it; other such names are skipped; reports show the
// bytes escaped.
func TestNamesNotUTF8(t *testing.T) {
	oa, data := chordTree(t)
	text := []byte(lf(chordHdr, "10.0.0.1\t10.0.0.2\t1\t1"))
	for _, rel := range []string{"flow/20161201/chord-\xff.tsv", "flow/20161201/notes-\xfe\xc3\xa9.txt", "flow/2016\xff1201/chord-10_0_0_1.tsv"} {
		p := filepath.Join(data, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, text, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Mkdir(filepath.Join(data, "\xfa"), 0o755); err != nil {
		t.Fatal(err)
	}
	m := hostile(t, oa, false)
	wantRows(t, "file errors", fileErrors(m),
		`flow flow_chords flow/20161201/chord-\xff.tsv: the file name is not valid UTF-8; rename it to migrate it`)
	wantRows(t, "skipped", skips(m),
		`flow/20161201/notes-\xfeé.txt: matches no Spot OA file kind of the flow pipeline, not migrated`,
		`flow/2016\xff1201/: not a day folder (YYYYMMDD)`, `\xfa/: not a pipeline folder (flow, dns, proxy)`)
	wantCounts(t, m, 2, 1, 1)
}

// TestRootNotUTF8: a tree whose own path is not UTF-8 is refused before
// anything is read.
func TestRootNotUTF8(t *testing.T) {
	oa := filepath.Join(t.TempDir(), "spot\xff")
	if err := os.MkdirAll(filepath.Join(oa, "data", "flow"), 0o755); err != nil {
		t.Fatal(err)
	}
	_, err := Run(context.Background(), Options{OAPath: oa, Pipelines: []string{"flow"}, WorkDir: t.TempDir()})
	want := "failed to read " + displayName(filepath.Join(oa, "data")) + ": the path is not valid UTF-8; rename it to migrate it"
	if err == nil || err.Error() != want {
		t.Errorf("error %v, want %q", err, want)
	}
}

// TestDisplayName escapes only the bytes that are not UTF-8.
func TestDisplayName(t *testing.T) {
	for in, want := range map[string]string{"é.csv": "é.csv", "a\xffb": `a\xffb`, "\xc3": `\xc3`,
		"\xef\xbf\xbd": "\ufffd", "x\xc3\xa9\xfe": `xé\xfe`, `a\b`: `a\b`} {
		if got := displayName(in); got != want || !utf8.ValidString(got) {
			t.Errorf("displayName(%q) = %q, want %q", in, got, want)
		}
	}
}
