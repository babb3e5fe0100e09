package oagen

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"fmt"
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
// delimiter, field count and line end.
type kind struct {
	pipe, name string
	re         *regexp.Regexp
	header     string
	delim      string
	fields     int
	skipped    bool // not migrated (backup or storyboard JSON)
	crlf       bool // written by a Python csv writer
}

var kinds = []kind{
	{"flow", "flow_scores", regexp.MustCompile(`^flow_scores\.csv$`), FlowScoresHeader, ",", 21, false, true},
	{"flow", "flow_scores_bu", regexp.MustCompile(`^flow_scores_bu\.csv$`), FlowScoresHeader, ",", 21, true, true},
	{"flow", "flow_edge", regexp.MustCompile(`^edge-\d+_\d+_\d+_\d+-\d+_\d+_\d+_\d+-\d\d-\d\d\.tsv$`), FlowEdgeHeader, "\t", 15, false, false},
	{"flow", "flow_chords", regexp.MustCompile(`^chord-\d+_\d+_\d+_\d+\.tsv$`), FlowChordHeader, "\t", 4, false, false},
	{"flow", "flow_storyboard", regexp.MustCompile(`^threats\.csv$`), FlowThreatsHeader, "|", 3, false, false},
	{"flow", "flow_timeline", regexp.MustCompile(`^sbdet-\d+\.\d+\.\d+\.\d+\.tsv$`), FlowTimelineHeader, "\t", 9, false, false},
	{"flow", "flow_json", regexp.MustCompile(`^(globe|stats|threat-dendro)-[\d.]+\.json$`), "", "", 0, true, false},
	{"dns", "dns_scores", regexp.MustCompile(`^dns_scores\.csv$`), DNSScoresHeader, ",", 18, false, true},
	{"dns", "dns_scores_bu", regexp.MustCompile(`^dns_scores_bu\.csv$`), DNSScoresHeader, ",", 18, true, true},
	{"dns", "dns_edge", regexp.MustCompile(`^edge-\S+_\d\d_00\.csv$`), DNSEdgeHeader, `","`, 9, false, true},
	{"dns", "dns_dendro", regexp.MustCompile(`^dendro-[\d.]+\.csv$`), DNSDendroHeader, ",", 3, false, false},
	{"dns", "dns_threat_dendro", regexp.MustCompile(`^threat-dendro-\S+\.csv$`), DNSThreatDendroHdr, ",", 4, false, false},
	{"dns", "dns_storyboard", regexp.MustCompile(`^threats\.csv$`), DNSThreatsHeader, "|", 4, false, false},
	{"proxy", "proxy_scores", regexp.MustCompile(`^proxy_scores\.tsv$`), ProxyScoresHeader, "\t", 26, false, true},
	{"proxy", "proxy_scores_bu", regexp.MustCompile(`^proxy_scores_bu\.tsv$`), ProxyScoresHeader, "\t", 26, true, true},
	{"proxy", "proxy_edge", regexp.MustCompile(`^edge-[\d.]+-[0-9a-f]{32}\d\d\.tsv$`), ProxyEdgeHeader, "\t", 15, false, true},
	{"proxy", "proxy_storyboard", regexp.MustCompile(`^threats\.csv$`), ProxyThreatsHeader, "|", 3, false, false},
	{"proxy", "proxy_timeline", regexp.MustCompile(`^timeline-[0-9a-f]{32}\.tsv$`), ProxyTimelineHeader, "\t", 5, false, false},
	{"proxy", "proxy_es", regexp.MustCompile(`^es-[0-9a-f]{32}\.csv$`), ProxyESHeader, "\t", 15, true, false},
	{"proxy", "proxy_json", regexp.MustCompile(`^incident-progression-[0-9a-f]{32}\.json$`), "", "", 0, true, false},
}

func classify(pipe, name string) *kind {
	for i := range kinds {
		if kinds[i].pipe == pipe && kinds[i].re.MatchString(name) {
			return &kinds[i]
		}
	}
	return nil
}

// readLines returns the lines of a file without their line ends, checking
// that every line ends in CRLF (crlf) or a bare LF.
func readLines(t *testing.T, path string, crlf bool) []string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	if !strings.HasSuffix(s, "\n") {
		t.Errorf("%s: does not end with a newline", path)
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	for i, l := range lines {
		if strings.HasSuffix(l, "\r") != crlf {
			t.Fatalf("%s:%d: line end is not %s", path, i+1, map[bool]string{true: "CRLF", false: "LF"}[crlf])
		}
		lines[i] = strings.TrimSuffix(l, "\r")
	}
	return lines
}

func md5s(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

// Zone offsets the tests know, independently of the generator's table.
var testOffsets = map[string]time.Duration{"UTC": 0, "PDT": -7 * time.Hour, "PST": -8 * time.Hour,
	"CEST": 2 * time.Hour, "CET": time.Hour}

var frameTimeRe = regexp.MustCompile(`^[A-Z][a-z]{2} ( [1-9]|[1-3][0-9]) \d{4} \d\d:\d\d:\d\d\.\d{9} [A-Z]+$`)

// parseFrameTime reads `Mon  D YYYY HH:MM:SS.nnnnnnnnn ZONE` into its wall
// clock (as UTC) and zone token.
func parseFrameTime(s string) (time.Time, string, error) {
	if !frameTimeRe.MatchString(s) {
		return time.Time{}, "", fmt.Errorf("frame_time %q: not Mon  D YYYY HH:MM:SS.nnnnnnnnn ZONE", s)
	}
	i := strings.LastIndexByte(s, ' ')
	w, err := time.Parse("Jan _2 2006 15:04:05.000000000", s[:i])
	return w, s[i+1:], err
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

	var files int
	var bytes int64
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			info, _ := d.Info()
			files++
			bytes += info.Size()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	if files != st.Files || bytes != st.Bytes {
		t.Errorf("Stats = %d files, %d bytes, but the tree has %d files, %d bytes", st.Files, st.Bytes, files, bytes)
	}
	data := filepath.Join(root, "spot-oa", "data")
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
					lines := readLines(t, filepath.Join(dir, e.Name()), false)
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
		}
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
	if st.Rejected != 0 || st.RejectedFiles != 0 || st.SmallFiles == 0 {
		t.Errorf("default tree: %d rejected rows in %d of %d small files; want none", st.Rejected, st.RejectedFiles, st.SmallFiles)
	}
}

// checkDay checks every file of one day folder of a newest-layout tree.
func checkDay(t *testing.T, pipe, day, dir string, ents []os.DirEntry, seen map[string]int, firstRowMismatch *int) {
	t.Helper()
	date, err := time.Parse("20060102", day)
	if err != nil {
		t.Fatalf("%s/%s: bad day folder: %v", pipe, day, err)
	}
	scoreHashes := map[string]bool{} // proxy: hash column values
	uriMD5 := map[string]bool{}      // proxy: md5(fulluri)
	if pipe == "proxy" {
		for _, l := range readLines(t, filepath.Join(dir, "proxy_scores.tsv"), true)[1:] {
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
		lines := readLines(t, path, k.crlf)
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
			es := readLines(t, filepath.Join(dir, "es-"+h+".csv"), false)
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

// names of a registry as a set, and its keys.
func regSet(reg [][2]string, col int) map[string]bool {
	m := map[string]bool{}
	for _, e := range reg {
		m[e[col]] = true
	}
	return m
}

var (
	classNames, typeNames, rcodeNames, httpNames = regSet(ianaClass, 0), regSet(ianaType, 0), regSet(ianaRcode, 0), regSet(ianaHTTP, 0)
	classKeys                                    = func() map[string]bool {
		m := regSet(ianaClass, 1)
		for _, d := range ianaClassDec {
			m[d] = true
		}
		return m
	}()
	typeKeys, rcodeKeys, httpKeys = regSet(ianaType, 1), regSet(ianaRcode, 1), regSet(ianaHTTP, 1)
)

// noticeOf applies the contract's rule to a value of a name column: a
// registry name or key lands clean, empty and NULL are SQL NULL, anything
// else lands with a notice.
func noticeOf(v string, names, keys map[string]bool) bool {
	return v != "" && v != "NULL" && !names[v] && !keys[v]
}

func checkRow(t *testing.T, kind, path string, line int, date time.Time, name string, f []string, scoreHashes, uriMD5 map[string]bool) {
	t.Helper()
	switch kind {
	case "flow_scores", "flow_edge", "flow_timeline":
		tstart := f[0]
		if kind == "flow_scores" {
			tstart = f[1]
		}
		// A scored row (and its edge rows) may be of 23:59 the day before.
		prev := date.AddDate(0, 0, -1).Format("2006-01-02") + " 23:59:"
		if !strings.HasPrefix(tstart, date.Format("2006-01-02 ")) && (kind == "flow_timeline" || !strings.HasPrefix(tstart, prev)) {
			t.Errorf("%s:%d: tstart %s not on %s", path, line, tstart, date.Format("2006-01-02"))
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
		wall, tok, err := parseFrameTime(f[0])
		if err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		if ts, _ := strconv.ParseInt(f[17], 10, 64); ts != wall.Add(-testOffsets[tok]).Unix() {
			t.Errorf("%s:%d: unix_tstamp %s, frame_time %s says %d", path, line, f[17], f[0], wall.Add(-testOffsets[tok]).Unix())
		}
		if f[10] != wall.Format("15") || wall.Format("20060102") != date.Format("20060102") {
			t.Errorf("%s:%d: hh %s / day of %q", path, line, f[10], f[0])
		}
		if !classNames[f[13]] && f[13] != f[4] || !typeNames[f[14]] && f[14] != f[5] || !rcodeNames[f[15]] && f[15] != f[6] {
			t.Errorf("%s:%d: names %q, %q, %q are neither registry names nor the codes", path, line, f[13], f[14], f[15])
		}
	case "dns_edge":
		wall, _, err := parseFrameTime(f[0])
		if err != nil {
			t.Fatalf("%s:%d: %v", path, line, err)
		}
		p := strings.Split(strings.TrimSuffix(name, ".csv"), "_")
		if wall.Format("15") != p[len(p)-2] {
			t.Errorf("%s:%d: hour %s but file hour %s", path, line, wall.Format("15"), p[len(p)-2])
		}
		q := strings.TrimSuffix(strings.TrimPrefix(name, "edge-"), "_"+p[len(p)-2]+"_00.csv")
		if !strings.Contains(f[4], q) {
			t.Errorf("%s:%d: query name %s does not contain %s", path, line, f[4], q)
		}
		for i, set := range []map[string]bool{classNames, typeNames, rcodeNames} {
			if v := f[5+i]; !set[v] && v != "NULL" && v != "0x000000ff" && v != "65" {
				t.Errorf("%s:%d: column %d %q is no registry name", path, line, 6+i, v)
			}
		}
	case "proxy_scores":
		if !httpNames[f[23]] && f[23] != "0" {
			t.Errorf("%s:%d: respcode_name %q", path, line, f[23])
		}
	case "proxy_edge":
		m := regexp.MustCompile(`^edge-([\d.]+)-([0-9a-f]{32}\d\d)\.tsv$`).FindStringSubmatch(name)
		if !scoreHashes[m[1]+"-"+m[2]] {
			t.Errorf("%s: clientip/hash not in proxy_scores.tsv", path)
		}
		if got := md5s(f[2]+f[14]) + f[1][:2]; got != m[2] {
			t.Errorf("%s:%d: row hash %s, want %s", path, line, got, m[2])
		}
		if !httpNames[f[5]] && f[5] != "-" && f[5] != "0" {
			t.Errorf("%s:%d: respcode %q is no registry name", path, line, f[5])
		}
	case "proxy_storyboard":
		if !uriMD5[f[0]] {
			t.Errorf("%s:%d: hash %s is no md5(fulluri) of that day", path, line, f[0])
		}
	}
}

// TestBytes checks the bytes of a few files: line ends, the two-space day,
// leading blank lines.
func TestBytes(t *testing.T) {
	root := t.TempDir()
	if _, err := Generate(root, Options{Size: 1 << 20, Days: 1, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	old := t.TempDir()
	if _, err := Generate(old, Options{Size: 1 << 20, Days: 1, Seed: 3, Start: date(2016, 10, 5)}); err != nil {
		t.Fatal(err)
	}
	read := func(root, rel string) []byte {
		t.Helper()
		m, _ := filepath.Glob(filepath.Join(root, "spot-oa", rel))
		if len(m) == 0 {
			t.Fatalf("no %s", rel)
		}
		b, err := os.ReadFile(m[0])
		if err != nil {
			t.Fatal(err)
		}
		return b
	}
	for _, c := range []struct {
		root, rel, prefix string
		crlf              bool
	}{
		{root, "data/flow/20170109/flow_scores.csv", FlowScoresHeader + "\r\n1,2017-01-09 ", true},
		{root, "data/flow/20170109/flow_scores_bu.csv", FlowScoresHeader + "\r\n0,", true},
		{root, "data/flow/20170109/edge-*.tsv", FlowEdgeHeader + "\n2017-01-", false},
		{root, "data/flow/20170109/chord-*.tsv", FlowChordHeader + "\n", false},
		{root, "data/flow/20170109/threats.csv", FlowThreatsHeader + "\n", false},
		{root, "data/flow/20170109/sbdet-*.tsv", FlowTimelineHeader + "\n2017-01-09 ", false},
		{root, "data/dns/20170109/dns_scores.csv", DNSScoresHeader + "\r\nJan  9 2017 ", true},
		{root, "data/dns/20170109/edge-*.csv", DNSEdgeHeader + "\r\n\"Jan  9 2017 ", true},
		{root, "data/dns/20170109/dendro-*.csv", DNSDendroHeader + "\n", false},
		{root, "data/proxy/20170109/proxy_scores.tsv", ProxyScoresHeader + "\r\n2017-01-09\t", true},
		{root, "data/proxy/20170109/edge-*.tsv", ProxyEdgeHeader + "\r\n2017-01-09\t", true},
		{root, "data/proxy/20170109/timeline-*.tsv", ProxyTimelineHeader + "\n2017-01-09 ", false},
		{root, "data/proxy/ingest_summary/is_201701.csv", IngestSummaryHeader + "\n2017-01-09 00:00,", false},
		{root, "oa/components/iana/http-rcode.csv", "CODE,DESCRIPTION\n100,Continue\n", false},
		{old, "data/flow/20161005/sbdet-*.tsv", "\n\n" + FlowTimelineHeader + "\n2016-10-05 ", false},
		{old, "data/proxy/20161005/timeline-*.tsv", "\n\n" + ProxyTimelineHeader + "\n2016-10-05 ", false},
		{old, "data/flow/20161005/flow_scores.csv", "sev,tstart,srcIP,dstIP,sport,dport,proto,flag,ipkt,ibyt,lda_score,rank,", true},
		{old, "data/flow/20161005/edge-*.tsv", FlowEdgeE13Header + "\n2016-10-0", false},
		{old, "data/flow/20161005/chord-*.tsv", FlowChordC6Header + "\n", false},
		{old, "data/dns/20161005/dns_scores.csv", DNSScoresD0Header + "\r\nOct  5 2016 ", true},
	} {
		b := read(c.root, c.rel)
		if !bytes.HasPrefix(b, []byte(c.prefix)) {
			t.Errorf("%s starts %q, want %q", c.rel, b[:min(len(b), len(c.prefix)+10)], c.prefix)
		}
		crlf := bytes.Contains(b, []byte("\r\n"))
		if crlf != c.crlf || c.crlf && bytes.Count(b, []byte("\r\n")) != bytes.Count(b, []byte("\n")) {
			t.Errorf("%s: CRLF %v, want every line %v", c.rel, crlf, c.crlf)
		}
	}
	// A 2-digit day has one space.
	twenty := t.TempDir()
	if _, err := Generate(twenty, Options{Size: 256 << 10, Days: 1, Seed: 3, Start: date(2017, 1, 20), Pipelines: []string{"dns"}}); err != nil {
		t.Fatal(err)
	}
	if b := read(twenty, "data/dns/20170120/dns_scores.csv"); !bytes.HasPrefix(b, []byte(DNSScoresHeader+"\r\nJan 20 2017 ")) {
		t.Errorf("day 20: %q", b[len(DNSScoresHeader):len(DNSScoresHeader)+16])
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
	for _, base := range []Options{
		{Size: 1536 << 10, Days: 1, Seed: 42},
		{Size: 1536 << 10, Days: 1, Seed: 42, Start: date(2016, 10, 9), DNSZone: "PDT", RejectShare: 0.2},
	} {
		a := gen(base)
		if !sameTree(a, gen(base)) {
			t.Error("same options, different trees")
		}
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
		flow := base
		flow.Size, flow.Pipelines = base.Size/3, []string{"flow"}
		f := gen(flow)
		for k, v := range f {
			if a[k] != v {
				t.Errorf("%s differs between a flow-only and a full run", k)
			}
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
		{Size: 1 << 20, Days: 1, RejectShare: 1.5},
		{Size: 1 << 20, Days: 1, RejectShare: -0.1},
		{Size: 1 << 20, Days: 1, DNSZone: "XYZT"},
		{Size: 1 << 20, Days: 1, DNSZone: "PDT=7"},
		{Size: 1 << 20, Days: 1, DNSZone: "UTC", DNSSwitchDay: 1},
		{Size: 1 << 20, Days: 1, DNSZone: "PDT", DNSSwitchDay: 2},
		{Size: 1 << 20, Days: 1, DNSZone: "Nowhere/Atlantis"},
	} {
		if _, err := Generate(t.TempDir(), opt); err == nil || !strings.HasPrefix(err.Error(), "failed to validate options: ") {
			t.Errorf("Generate(%+v): error %v", opt, err)
		}
	}
	if _, err := Generate(t.TempDir(), Options{Size: 64 << 10, Days: 1, DNSZone: "NZDT=+13:00", Pipelines: []string{"dns"}}); err != nil {
		t.Errorf("TOKEN=offset: %v", err)
	}
}
