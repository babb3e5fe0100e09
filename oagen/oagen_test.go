package oagen

import (
	"bufio"
	"crypto/md5"
	"encoding/hex"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"
)

// kind describes one generated file kind: its name pattern, exact header,
// delimiter and field count.
type kind struct {
	pipe, name string
	re         *regexp.Regexp
	header     string
	delim      string
	fields     int
	skipped    bool // not migrated (backup or storyboard JSON)
}

var kinds = []kind{
	{"flow", "flow_scores", regexp.MustCompile(`^flow_scores\.csv$`), FlowScoresHeader, ",", 21, false},
	{"flow", "flow_scores_bu", regexp.MustCompile(`^flow_scores_bu\.csv$`), FlowScoresHeader, ",", 21, true},
	{"flow", "flow_edge", regexp.MustCompile(`^edge-\d+_\d+_\d+_\d+-\d+_\d+_\d+_\d+-\d\d-\d\d\.tsv$`), FlowEdgeHeader, "\t", 15, false},
	{"flow", "flow_chords", regexp.MustCompile(`^chord-\d+_\d+_\d+_\d+\.tsv$`), FlowChordHeader, "\t", 4, false},
	{"flow", "flow_storyboard", regexp.MustCompile(`^threats\.csv$`), FlowThreatsHeader, "|", 3, false},
	{"flow", "flow_timeline", regexp.MustCompile(`^sbdet-\d+\.\d+\.\d+\.\d+\.tsv$`), FlowTimelineHeader, "\t", 9, false},
	{"flow", "flow_json", regexp.MustCompile(`^(globe|stats|threat-dendro)-[\d.]+\.json$`), "", "", 0, true},
	{"dns", "dns_scores", regexp.MustCompile(`^dns_scores\.csv$`), DNSScoresHeader, ",", 18, false},
	{"dns", "dns_scores_bu", regexp.MustCompile(`^dns_scores_bu\.csv$`), DNSScoresHeader, ",", 18, true},
	{"dns", "dns_edge", regexp.MustCompile(`^edge-\S+_\d\d_00\.csv$`), DNSEdgeHeader, `","`, 9, false},
	{"dns", "dns_dendro", regexp.MustCompile(`^dendro-[\d.]+\.csv$`), DNSDendroHeader, ",", 3, false},
	{"dns", "dns_threat_dendro", regexp.MustCompile(`^threat-dendro-\S+\.csv$`), DNSThreatDendroHdr, ",", 4, false},
	{"dns", "dns_storyboard", regexp.MustCompile(`^threats\.csv$`), DNSThreatsHeader, "|", 4, false},
	{"proxy", "proxy_scores", regexp.MustCompile(`^proxy_scores\.tsv$`), ProxyScoresHeader, "\t", 26, false},
	{"proxy", "proxy_scores_bu", regexp.MustCompile(`^proxy_scores_bu\.tsv$`), ProxyScoresHeader, "\t", 26, true},
	{"proxy", "proxy_edge", regexp.MustCompile(`^edge-[\d.]+-[0-9a-f]{32}\d\d\.tsv$`), ProxyEdgeHeader, "\t", 15, false},
	{"proxy", "proxy_storyboard", regexp.MustCompile(`^threats\.csv$`), ProxyThreatsHeader, "|", 3, false},
	{"proxy", "proxy_timeline", regexp.MustCompile(`^timeline-[0-9a-f]{32}\.tsv$`), ProxyTimelineHeader, "\t", 5, false},
	{"proxy", "proxy_es", regexp.MustCompile(`^es-[0-9a-f]{32}\.csv$`), ProxyESHeader, "\t", 15, true},
	{"proxy", "proxy_json", regexp.MustCompile(`^incident-progression-[0-9a-f]{32}\.json$`), "", "", 0, true},
}

func classify(pipe, name string) *kind {
	for i := range kinds {
		if kinds[i].pipe == pipe && kinds[i].re.MatchString(name) {
			return &kinds[i]
		}
	}
	return nil
}

func readLines(t *testing.T, path string) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasSuffix(s, "\n") {
		t.Errorf("%s: does not end with a newline", path)
	}
	return strings.Split(strings.TrimSuffix(s, "\n"), "\n")
}

func md5s(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

func TestGenerateSmallTree(t *testing.T) {
	root := t.TempDir()
	const size = 2 << 20
	opt := Options{Size: size, Days: 2, Seed: 7}
	st, err := Generate(root, opt)
	if err != nil {
		t.Fatal(err)
	}
	if d := float64(st.Bytes-size) / size; d < -0.05 || d > 0.05 {
		t.Errorf("wrote %d bytes, want %d ±5%%", st.Bytes, size)
	}

	data := filepath.Join(root, "spot-oa", "data")
	var files int
	var bytes int64
	seen := map[string]int{} // pipe/day/kind -> files
	firstRowMismatch := 0
	for _, pipe := range Pipelines {
		days, err := os.ReadDir(filepath.Join(data, pipe))
		if err != nil {
			t.Fatal(err)
		}
		if len(days) != 3 { // 2 days + ingest_summary
			t.Fatalf("%s: got %d entries, want 2 day folders and ingest_summary", pipe, len(days))
		}
		for _, d := range days {
			dir := filepath.Join(data, pipe, d.Name())
			ents, err := os.ReadDir(dir)
			if err != nil {
				t.Fatal(err)
			}
			if d.Name() == "ingest_summary" {
				for _, e := range ents {
					lines := readLines(t, filepath.Join(dir, e.Name()))
					files++
					bytes += int64(len(strings.Join(lines, "\n")) + 1)
					if e.Name() != "is_201701.csv" || lines[0] != IngestSummaryHeader || len(lines) != 1+2*1440 {
						t.Errorf("%s/%s: header %q, %d lines", pipe, e.Name(), lines[0], len(lines))
					}
					if !strings.HasPrefix(lines[1], "2017-01-09 00:00,") || !strings.HasPrefix(lines[len(lines)-1], "2017-01-10 23:59,") {
						t.Errorf("%s/%s: unexpected first/last rows %q, %q", pipe, e.Name(), lines[1], lines[len(lines)-1])
					}
				}
				continue
			}
			checkDay(t, pipe, d.Name(), dir, ents, seen, &firstRowMismatch)
			for _, e := range ents {
				info, _ := e.Info()
				files++
				bytes += info.Size()
			}
		}
	}
	if files != st.Files || bytes != st.Bytes {
		t.Errorf("Stats = %+v, but the tree has %d files, %d bytes", st, files, bytes)
	}
	for _, k := range kinds {
		for _, day := range []string{"20170109", "20170110"} {
			if seen[k.pipe+"/"+day+"/"+k.name] == 0 {
				t.Errorf("%s/%s: no %s file", k.pipe, day, k.name)
			}
		}
	}
	if firstRowMismatch == 0 {
		t.Errorf("no es file starts with a referer match for a different URI")
	}
}

// checkDay checks every file of one day folder.
func checkDay(t *testing.T, pipe, day, dir string, ents []os.DirEntry, seen map[string]int, firstRowMismatch *int) {
	t.Helper()
	date, err := time.Parse("20060102", day)
	if err != nil {
		t.Fatalf("%s/%s: bad day folder: %v", pipe, day, err)
	}
	scoreHashes := map[string]bool{} // proxy: hash column values
	uriMD5 := map[string]bool{}      // proxy: md5(fulluri)
	if pipe == "proxy" {
		for _, l := range readLines(t, filepath.Join(dir, "proxy_scores.tsv"))[1:] {
			f := strings.Split(l, "\t")
			if len(f) != 26 {
				t.Fatalf("proxy_scores.tsv: %d fields in %q", len(f), l)
			}
			if want := md5s(f[2]+f[18]) + f[1][:2]; f[25] != want {
				t.Errorf("proxy_scores.tsv: hash %s, want %s", f[25], want)
			}
			if f[0] != date.Format("2006-01-02") {
				t.Errorf("proxy_scores.tsv: p_date %s in folder %s", f[0], day)
			}
			scoreHashes[f[2]+"-"+f[25]] = true
			uriMD5[md5s(f[18])] = true
		}
	}
	for _, e := range ents {
		name := e.Name()
		k := classify(pipe, name)
		if k == nil {
			t.Errorf("%s/%s/%s: unexpected file", pipe, day, name)
			continue
		}
		seen[pipe+"/"+day+"/"+k.name]++
		if k.header == "" {
			continue
		}
		path := filepath.Join(dir, name)
		lines := readLines(t, path)
		if lines[0] != k.header {
			t.Errorf("%s: header %q, want %q", path, lines[0], k.header)
		}
		for i, l := range lines {
			var f []string
			if k.name == "dns_edge" {
				if !strings.HasPrefix(l, `"`) || !strings.HasSuffix(l, `"`) {
					t.Fatalf("%s:%d: not QUOTE_ALL: %q", path, i+1, l)
				}
				f = strings.Split(l[1:len(l)-1], k.delim)
			} else {
				f = strings.Split(l, k.delim)
			}
			if len(f) != k.fields {
				t.Fatalf("%s:%d: %d fields, want %d: %q", path, i+1, len(f), k.fields, l)
			}
			if i == 0 {
				continue
			}
			checkRow(t, k.name, path, i+1, date, name, f, scoreHashes, uriMD5)
		}
		if k.name == "proxy_timeline" {
			h := strings.TrimSuffix(strings.TrimPrefix(name, "timeline-"), ".tsv")
			es := readLines(t, filepath.Join(dir, "es-"+h+".csv"))
			match := false
			for _, l := range es[1:] {
				if md5s(strings.Split(l, "\t")[4]) == h {
					match = true
				}
			}
			if !match {
				t.Errorf("es-%s.csv: no row whose fulluri has that md5", h)
			}
			if md5s(strings.Split(es[1], "\t")[4]) != h {
				*firstRowMismatch++
			}
		}
	}
}

func checkRow(t *testing.T, kind, path string, line int, date time.Time, name string, f []string, scoreHashes, uriMD5 map[string]bool) {
	t.Helper()
	switch kind {
	case "flow_scores", "flow_edge", "flow_timeline":
		tstart := f[0]
		if kind == "flow_scores" {
			tstart = f[1]
		}
		if !strings.HasPrefix(tstart, date.Format("2006-01-02 ")) {
			t.Errorf("%s:%d: tstart not on %s", path, line, date.Format("2006-01-02"))
		}
		if kind == "flow_edge" {
			p := strings.Split(strings.TrimSuffix(name, ".tsv"), "-")
			if f[0][11:13] != p[3] || f[0][14:16] != p[4] {
				t.Errorf("%s:%d: tstart %s outside %s:%s", path, line, f[0], p[3], p[4])
			}
			if f[1] == "" {
				t.Errorf("%s:%d: empty srcip", path, line)
			}
		}
		if kind == "flow_scores" {
			if sev, err := strconv.Atoi(f[0]); err != nil || sev < 0 || sev > 3 {
				t.Errorf("%s:%d: sev %q", path, line, f[0])
			}
		}
	case "dns_scores", "dns_scores_bu":
		ft, err := time.Parse("Jan _2 2006 15:04:05.000000000 MST", f[0])
		if err != nil {
			t.Fatalf("%s:%d: frame_time %q: %v", path, line, f[0], err)
		}
		if ts, _ := strconv.ParseInt(f[17], 10, 64); ts != ft.Unix() {
			t.Errorf("%s:%d: unix_tstamp %s, frame_time says %d", path, line, f[17], ft.Unix())
		}
		if f[10] != ft.Format("15") || ft.Format("20060102") != date.Format("20060102") {
			t.Errorf("%s:%d: hh %s / day of %q", path, line, f[10], f[0])
		}
	case "dns_edge":
		ft, err := time.Parse("Jan _2 2006 15:04:05.000000000 MST", f[0])
		if err != nil {
			t.Fatalf("%s:%d: frame_time %q: %v", path, line, f[0], err)
		}
		p := strings.Split(strings.TrimSuffix(name, ".csv"), "_")
		if ft.Format("15") != p[len(p)-2] {
			t.Errorf("%s:%d: hour %s but file hour %s", path, line, ft.Format("15"), p[len(p)-2])
		}
		q := strings.TrimSuffix(strings.TrimPrefix(name, "edge-"), "_"+p[len(p)-2]+"_00.csv")
		if !strings.Contains(f[4], q) {
			t.Errorf("%s:%d: query name %s does not contain %s", path, line, f[4], q)
		}
	case "proxy_edge":
		m := regexp.MustCompile(`^edge-([\d.]+)-([0-9a-f]{32}\d\d)\.tsv$`).FindStringSubmatch(name)
		if !scoreHashes[m[1]+"-"+m[2]] {
			t.Errorf("%s: clientip/hash not in proxy_scores.tsv", path)
		}
		if got := md5s(f[2]+f[14]) + f[1][:2]; got != m[2] {
			t.Errorf("%s:%d: row hash %s, want %s", path, line, got, m[2])
		}
	case "proxy_storyboard":
		if !uriMD5[f[0]] {
			t.Errorf("%s:%d: hash %s is no md5(fulluri) of that day", path, line, f[0])
		}
	}
}

// treeDigest maps each file's relative path to the md5 of its content.
func treeDigest(t *testing.T, root string) map[string]string {
	t.Helper()
	out := map[string]string{}
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		h := md5.New()
		if _, err := bufio.NewReader(f).WriteTo(h); err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		out[rel] = hex.EncodeToString(h.Sum(nil))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func sameTree(a, b map[string]string) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if b[k] != v {
			return false
		}
	}
	return true
}

func TestGenerateDeterministic(t *testing.T) {
	gen := func(opt Options) map[string]string {
		root := t.TempDir()
		if _, err := Generate(root, opt); err != nil {
			t.Fatal(err)
		}
		return treeDigest(t, root)
	}
	base := Options{Size: 1536 << 10, Days: 1, Seed: 42}
	a := gen(base)
	one := base
	one.Workers = 1
	if !sameTree(a, gen(one)) {
		t.Error("same seed, different worker count: trees differ")
	}
	other := base
	other.Seed = 43
	if sameTree(a, gen(other)) {
		t.Error("different seeds gave the same tree")
	}
	// One pipeline with the same per-unit budget gives the same files.
	flow := Options{Size: 512 << 10, Days: 1, Seed: 42, Pipelines: []string{"flow"}}
	f := gen(flow)
	for k, v := range f {
		if a[k] != v {
			t.Errorf("%s differs between a flow-only and a full run", k)
		}
	}
}

func TestParseSize(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int64
	}{{"2MB", 2 << 20}, {"100MB", 100 << 20}, {"1GB", 1 << 30}, {"1.5GiB", 3 << 29}, {"512k", 512 << 10}, {"4096", 4096}, {" 10 mb ", 10 << 20}} {
		got, err := ParseSize(c.in)
		if err != nil || got != c.want {
			t.Errorf("ParseSize(%q) = %d, %v; want %d", c.in, got, err, c.want)
		}
	}
	for _, in := range []string{"", "MB", "-1GB", "1XB", "0"} {
		if _, err := ParseSize(in); err == nil {
			t.Errorf("ParseSize(%q): want an error", in)
		}
	}
}

func TestOptionsErrors(t *testing.T) {
	for _, opt := range []Options{
		{Size: 0, Days: 1},
		{Size: 1 << 20, Days: 0},
		{Size: 1 << 20, Days: 1, Pipelines: []string{"netflow"}},
		{Size: 1 << 20, Days: 1, Workers: -1},
	} {
		if _, err := Generate(t.TempDir(), opt); err == nil || !strings.HasPrefix(err.Error(), "failed to validate options: ") {
			t.Errorf("Generate(%+v): error %v", opt, err)
		}
	}
}
