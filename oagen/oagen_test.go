package oagen

import (
	"bufio"
	"bytes"
	"crypto/md5"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
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

func TestLayoutsByDate(t *testing.T) {
	for _, c := range []struct {
		day                                 time.Time
		scores, edge, chord, dns, summary   string
		blank                               bool
		scoresHeaders                       []string
		edgeHeader, chordHeader, dnsHeader_ string
	}{
		{date(2016, 10, 10), "L0", "E13", "C6", "D0", "total", true, []string{FlowScoresL0Header, FlowScoresL0NotebookHeader}, FlowEdgeE13Header, FlowChordC6Header, DNSScoresD0Header},
		{date(2016, 10, 11), "L0", "E13", "C6", "D1", "total", true, []string{FlowScoresL0Header, FlowScoresL0NotebookHeader}, FlowEdgeE13Header, FlowChordC6Header, DNSScoresHeader},
		{date(2016, 10, 26), "L1", "E13", "C6", "D1", "total", true, []string{FlowScoresL1Header}, FlowEdgeE13Header, FlowChordC6Header, DNSScoresHeader},
		{date(2016, 11, 1), "L1", "E13", "C6", "D1", "total", false, []string{FlowScoresL1Header}, FlowEdgeE13Header, FlowChordC6Header, DNSScoresHeader},
		{date(2016, 11, 7), "L2", "E13", "C6", "D1", "total", false, []string{FlowScoresHeader}, FlowEdgeE13Header, FlowChordC6Header, DNSScoresHeader},
		{date(2016, 11, 8), "L2", "E15", "C6", "D1", "total", false, []string{FlowScoresHeader}, FlowEdgeHeader, FlowChordC6Header, DNSScoresHeader},
		{date(2016, 11, 18), "L2", "E15", "C4", "D1", "total", false, []string{FlowScoresHeader}, FlowEdgeHeader, FlowChordHeader, DNSScoresHeader},
		{date(2016, 11, 30), "L2", "E15", "C4", "D1", "daily", false, []string{FlowScoresHeader}, FlowEdgeHeader, FlowChordHeader, DNSScoresHeader},
		{date(2016, 12, 5), "L2", "E15", "C4", "D1", "flows", false, []string{FlowScoresHeader}, FlowEdgeHeader, FlowChordHeader, DNSScoresHeader},
		{DefaultStart, "L2", "E15", "C4", "D1", "total", false, []string{FlowScoresHeader}, FlowEdgeHeader, FlowChordHeader, DNSScoresHeader},
	} {
		l := LayoutsOn(c.day)
		if l.FlowScores != c.scores || l.FlowEdge != c.edge || l.FlowChord != c.chord || l.DNSScores != c.dns || l.BlankLines != c.blank || l.FlowSummary != c.summary {
			t.Errorf("LayoutsOn(%s) = %+v", c.day.Format("20060102"), l)
		}
		root := t.TempDir()
		if _, err := Generate(root, Options{Size: 384 << 10, Days: 1, Seed: 11, Start: c.day}); err != nil {
			t.Fatal(err)
		}
		ymd := c.day.Format("20060102")
		flow := filepath.Join(root, "spot-oa", "data", "flow", ymd)
		first := func(glob string, crlf bool) []string {
			m, _ := filepath.Glob(filepath.Join(flow, glob))
			if len(m) == 0 {
				m, _ = filepath.Glob(filepath.Join(root, "spot-oa", "data", "dns", ymd, glob))
			}
			if len(m) == 0 {
				t.Fatalf("%s: no %s", ymd, glob)
			}
			return readLines(t, m[0], crlf)
		}
		sc := first("flow_scores.csv", true)
		if !contains(c.scoresHeaders, sc[0]) {
			t.Errorf("%s: flow_scores header %q", ymd, sc[0])
		}
		nf := strings.Count(sc[0], ",") + 1
		for _, l := range sc[1:] {
			if strings.Count(l, ",")+1 != nf {
				t.Fatalf("%s: flow_scores row %q has not %d fields", ymd, l, nf)
			}
		}
		if e := first("edge-*.tsv", false); e[0] != c.edgeHeader || len(strings.Split(e[1], "\t")) != strings.Count(c.edgeHeader, "\t")+1 {
			t.Errorf("%s: edge %q / %q", ymd, e[0], e[1])
		}
		if ch := first("chord-*.tsv", false); ch[0] != c.chordHeader || len(strings.Split(ch[1], "\t")) != strings.Count(c.chordHeader, "\t")+1 {
			t.Errorf("%s: chord %q / %q", ymd, ch[0], ch[1])
		}
		if d := first("dns_scores.csv", true); d[0] != c.dnsHeader_ || strings.Count(d[1], ",") != strings.Count(c.dnsHeader_, ",") {
			t.Errorf("%s: dns_scores %q / %q", ymd, d[0], d[1])
		}
		sum := filepath.Join(root, "spot-oa", "data", "flow", "ingest_summary")
		switch c.summary {
		case "daily":
			l := readLines(t, filepath.Join(sum, "is_"+ymd+".csv"), false)
			if l[0] != FlowIngestFlowsHeader || !strings.HasPrefix(l[1], c.day.Format("01/02/2006")+" 00:00,") || len(l) != 1441 {
				t.Errorf("%s: daily summary %q %q, %d lines", ymd, l[0], l[1], len(l))
			}
		case "flows":
			l := readLines(t, filepath.Join(sum, "is_"+ymd[:6]+".csv"), false)
			if l[0] != FlowIngestFlowsHeader || len(l) != 1441 {
				t.Errorf("%s: monthly flows summary %q, %d lines", ymd, l[0], len(l))
			}
		}
	}
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if x == y {
			return true
		}
	}
	return false
}

// TestD0Columns follows the examples of addendum §7.5.
func TestD0Columns(t *testing.T) {
	for name, want := range map[string]string{
		"fatosdesconhecidos.com.br":                "fatosdesconhecidos,None,",
		"get.your.best.electronic.at.panasonic.jp": "panasonic,get.your.best.electronic.at,",
		"services.amazon.com.mx":                   "amazon,services,",
		"123.103.104.10.in-addr.arpa":              "None,None,",
		"panasonic.c":                              "None,None,",
		"news.yahoo.co.jp":                         "co,news.yahoo,",
		"www.example.info":                         "None,None,",
	} {
		if got := d0Columns(name); !strings.HasPrefix(got, want) || strings.Count(got, ",") != 5 {
			t.Errorf("d0Columns(%q) = %q, want %q...", name, got, want)
		}
	}
}

// dnsRowsOf reads a dns_scores.csv of either layout: frame_time, hh,
// unix_tstamp and name columns.
func dnsRowsOf(t *testing.T, path string) (header string, rows [][]string) {
	lines := readLines(t, path, true)
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		if len(f) == 24 { // D0 → D1 positions of what the tests use
			f = append(append(append([]string{}, f[:7]...), f[14], f[7], f[15], f[16], f[17], f[18]), f[19:]...)
		}
		rows = append(rows, f)
	}
	return lines[0], rows
}

func TestDNSZones(t *testing.T) {
	type want struct {
		day  string
		toks []string // tokens of that day, in time order
	}
	for _, c := range []struct {
		name string
		opt  Options
		days []want
	}{
		{"PDT", Options{DNSZone: "PDT", Start: date(2016, 7, 8), Days: 2}, []want{{"20160708", []string{"PDT"}}, {"20160709", []string{"PDT"}}}},
		{"CEST", Options{DNSZone: "CEST", Start: date(2017, 1, 9), Days: 1}, []want{{"20170109", []string{"CEST"}}}},
		{"fall back", Options{DNSZone: "PDT", DNSSwitchDay: 2, Start: date(2016, 11, 5), Days: 3},
			[]want{{"20161105", []string{"PDT"}}, {"20161106", []string{"PDT", "PST"}}, {"20161107", []string{"PST"}}}},
		{"spring forward", Options{DNSZone: "PST", DNSSwitchDay: 1, Start: date(2017, 3, 12), Days: 1},
			[]want{{"20170312", []string{"PST", "PDT"}}}},
		{"tz name", Options{DNSZone: "America/Los_Angeles", Start: date(2016, 11, 6), Days: 1},
			[]want{{"20161106", []string{"PDT", "PST"}}}},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			opt := c.opt
			opt.Size, opt.Seed, opt.Pipelines = int64(opt.Days)*(3<<20)/2, 5, []string{"dns"}
			st, err := Generate(root, opt)
			if err != nil {
				t.Fatal(err)
			}
			repeated := 0
			wantRows := map[string]int64{}
			for _, w := range c.days {
				dir := filepath.Join(root, "spot-oa", "data", "dns", w.day)
				_, rows := dnsRowsOf(t, filepath.Join(dir, "dns_scores.csv"))
				first := map[string]int64{} // name/hh -> smallest unix_tstamp
				type tokAt struct {
					ut  int64
					tok string
				}
				var seen []tokAt
				for _, f := range rows {
					wall, tok, err := parseFrameTime(f[0])
					if err != nil {
						t.Fatal(err)
					}
					ut, _ := strconv.ParseInt(f[17], 10, 64)
					if got := time.Duration(wall.Unix()-ut) * time.Second; got != testOffsets[tok] {
						t.Fatalf("%s: %s with unix_tstamp %d: offset %v, want %v for %s", w.day, f[0], ut, got, testOffsets[tok], tok)
					}
					if f[10] != wall.Format("15") || wall.Format("20060102") != w.day {
						t.Errorf("%s: hh %s for %s", w.day, f[10], f[0])
					}
					seen = append(seen, tokAt{ut, tok})
					k := f[3] + "/" + f[10]
					if v, ok := first[k]; !ok || ut < v {
						first[k] = ut
					}
				}
				sort.Slice(seen, func(i, j int) bool { return seen[i].ut < seen[j].ut })
				var toks []string
				for _, s := range seen {
					if len(toks) == 0 || toks[len(toks)-1] != s.tok {
						toks = append(toks, s.tok)
					}
				}
				if strings.Join(toks, ",") != strings.Join(w.toks, ",") {
					t.Errorf("%s: tokens in time order %v, want %v", w.day, toks, w.toks)
				}
				// Edge rows: a token of the day, wall hour = file hour;
				// partitions = UTC date of the scored row.
				edges, _ := filepath.Glob(filepath.Join(dir, "edge-*.csv"))
				if len(edges) == 0 {
					t.Fatalf("%s: no edge files", w.day)
				}
				for _, e := range edges {
					lines := readLines(t, e, true)
					base := filepath.Base(e)
					hh := base[len(base)-9 : len(base)-7]
					qname := base[5 : len(base)-10]
					ut, ok := first[qname+"/"+hh]
					if !ok {
						t.Fatalf("%s: no scored row", base)
					}
					key := "dns_edge/" + time.Unix(ut, 0).UTC().Format("2006-01-02")
					wantRows[key] += int64(len(lines) - 1)
					toksHere := map[string]bool{}
					for _, l := range lines[1:] {
						wall, tok, err := parseFrameTime(strings.Split(l[1:], `"`)[0])
						if err != nil {
							t.Fatal(err)
						}
						if !contains(w.toks, tok) || wall.Format("15") != hh {
							t.Errorf("%s: row %q: token or hour off", base, l)
						}
						toksHere[tok] = true
					}
					if len(toksHere) > 1 {
						repeated++
					}
				}
			}
			if c.name == "fall back" && repeated == 0 {
				t.Errorf("no edge file of the repeated hour holds both PDT and PST rows")
			}
			got := map[string]int64{}
			for k, n := range st.Rows {
				if strings.HasPrefix(k, "dns_edge/") {
					var y, m, d int
					fmt.Sscanf(k, "dns_edge/y=%d/m=%d/d=%d", &y, &m, &d)
					got[fmt.Sprintf("dns_edge/%04d-%02d-%02d", y, m, d)] += n
				}
			}
			for k := range wantRows {
				if got[k] != wantRows[k] {
					t.Errorf("%s: Stats.Rows %d, the files say %d", k, got[k], wantRows[k])
				}
			}
			if len(got) != len(wantRows) {
				t.Errorf("dns_edge partitions: Stats %v, files %v", got, wantRows)
			}
			if c.name == "CEST" && len(wantRows) < 2 {
				t.Errorf("CEST: dns_edge partitions %v, want some in the UTC day before", wantRows)
			}
			if c.name == "PDT" && len(wantRows) < 3 {
				t.Errorf("PDT: dns_edge partitions %v, want some in the UTC day after", wantRows)
			}
		})
	}
}

// audit recomputes from the files alone, by the migration's contract, what
// should land (per table and partition), the notices, the rejected rows and
// the small files RejectShare draws from.
type audit struct {
	rows          map[string]int64
	notices       int64
	rejected      int64
	rejectedFiles int
	small         int
}

func (a *audit) add(table string, d time.Time, n int64) {
	if n > 0 {
		a.rows[fmt.Sprintf("%s/y=%d/m=%d/d=%d", table, d.Year(), int(d.Month()), d.Day())] += n
	}
}

func isInt(s string) bool { _, err := strconv.ParseInt(s, 10, 64); return err == nil }

// dataLines drops leading blank lines and the header.
func dataLines(lines []string) []string {
	i := 0
	for i < len(lines) && lines[i] == "" {
		i++
	}
	return lines[i+1:]
}

// smallFile counts the rows of a small file that land (the others are
// rejected by field count or a bad integer) and feeds good rows to each.
func (a *audit) smallFile(lines []string, delim string, fields int, ints []int, each func(f []string)) int64 {
	a.small++
	var good, bad int64
	for _, l := range dataLines(lines) {
		f := strings.Split(l, delim)
		ok := len(f) == fields
		for _, i := range ints {
			ok = ok && isInt(f[i])
		}
		if !ok {
			bad++
			continue
		}
		good++
		if each != nil {
			each(f)
		}
	}
	if bad > 0 {
		a.rejectedFiles++
		a.rejected += bad
	}
	return good
}

func auditTree(t *testing.T, root string) *audit {
	t.Helper()
	a := &audit{rows: map[string]int64{}}
	data := filepath.Join(root, "spot-oa", "data")
	for _, pipe := range Pipelines {
		days, err := os.ReadDir(filepath.Join(data, pipe))
		if os.IsNotExist(err) {
			continue
		}
		if err != nil {
			t.Fatal(err)
		}
		for _, d := range days {
			dir := filepath.Join(data, pipe, d.Name())
			if d.Name() == "ingest_summary" {
				ents, _ := os.ReadDir(dir)
				for _, e := range ents {
					for _, l := range readLines(t, filepath.Join(dir, e.Name()), false) {
						if l == IngestSummaryHeader || l == FlowIngestFlowsHeader {
							continue
						}
						layout := "2006-01-02"
						if strings.Contains(l[:10], "/") {
							layout = "01/02/2006"
						}
						day, err := time.Parse(layout, l[:10])
						if err != nil {
							t.Fatalf("%s: %v", e.Name(), err)
						}
						a.add(pipe+"_ingest_summary", day, 1)
					}
				}
				continue
			}
			day, _ := time.Parse("20060102", d.Name())
			switch pipe {
			case "flow":
				a.flowDay(t, dir, day)
			case "dns":
				a.dnsDay(t, dir, day)
			default:
				a.proxyDay(t, dir, day)
			}
		}
	}
	return a
}

func (a *audit) flowDay(t *testing.T, dir string, day time.Time) {
	lines := readLines(t, filepath.Join(dir, "flow_scores.csv"), true)
	counts := map[int][]int{21: {7, 8, 9, 10}, 19: {7, 8}, 20: {8, 9}}[strings.Count(lines[0], ",")+1]
	scoredAt := map[string]time.Time{} // sip_-dip_-HH-MM -> tstart date
	for _, l := range lines[1:] {
		f := strings.Split(l, ",")
		a.add("flow_scores", day, 1)
		if f[0] != "0" {
			a.add("flow_threat_investigation", day, 1)
		}
		for _, i := range counts {
			if v, _ := strconv.ParseInt(f[i], 10, 64); v > 1<<31-1 {
				a.notices++
			}
		}
		ts, _ := time.Parse("2006-01-02 15:04:05", f[1])
		scoredAt[strings.ReplaceAll(f[2], ".", "_")+"-"+strings.ReplaceAll(f[3], ".", "_")+"-"+ts.Format("15-04")] = ts
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		name := e.Name()
		path := filepath.Join(dir, name)
		switch {
		case strings.HasPrefix(name, "edge-"):
			l := readLines(t, path, false)
			nf := strings.Count(l[0], "\t") + 1
			ints := []int{3, 4, 7, 8, 9, 10, 11}
			if nf == 15 {
				ints = append(ints, 13, 14)
			}
			n := a.smallFile(l, "\t", nf, ints, nil)
			part := day
			if ts, ok := scoredAt[strings.TrimSuffix(strings.TrimPrefix(name, "edge-"), ".tsv")]; ok {
				part = ts
			}
			a.add("flow_edge", part, n)
		case strings.HasPrefix(name, "chord-"):
			l := readLines(t, path, false)
			if l[0] == FlowChordC6Header {
				a.add("flow_chords", day, a.smallFile(l, "\t", 6, []int{2, 4}, nil))
				a.notices++
			} else {
				a.add("flow_chords", day, a.smallFile(l, "\t", 4, []int{2, 3}, nil))
			}
		case name == "threats.csv":
			a.add("flow_storyboard", day, a.smallFile(readLines(t, path, false), "|", 3, nil, nil))
		case strings.HasPrefix(name, "sbdet-"):
			a.add("flow_timeline", day, a.smallFile(readLines(t, path, false), "\t", 9, []int{5, 6, 7, 8}, nil))
		}
	}
}

func (a *audit) dnsDay(t *testing.T, dir string, day time.Time) {
	_, rows := dnsRowsOf(t, filepath.Join(dir, "dns_scores.csv"))
	first := map[string]int64{}
	for _, f := range rows {
		a.add("dns_scores", day, 1)
		if f[11] != "0" || f[12] != "0" {
			a.add("dns_threat_investigation", day, 1)
		}
		for i, reg := range [][2]map[string]bool{{classNames, classKeys}, {typeNames, typeKeys}, {rcodeNames, rcodeKeys}} {
			if noticeOf(f[13+i], reg[0], reg[1]) {
				a.notices++
			}
		}
		ut, _ := strconv.ParseInt(f[17], 10, 64)
		k := f[3] + "/" + f[10]
		if v, ok := first[k]; !ok || ut < v {
			first[k] = ut
		}
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		name := e.Name()
		path := filepath.Join(dir, name)
		switch {
		case strings.HasPrefix(name, "edge-"):
			l := readLines(t, path, true)
			a.small++
			bad := 0
			hh := name[len(name)-9 : len(name)-7]
			ut, ok := first[name[5:len(name)-10]+"/"+hh]
			for _, row := range l[1:] {
				f := strings.Split(row[1:len(row)-1], `","`)
				if len(f) != 9 || !isInt(f[1]) {
					bad++
					continue
				}
				wall, tok, err := parseFrameTime(f[0])
				if _, known := testOffsets[tok]; err != nil || !known {
					bad++
					continue
				}
				for i, reg := range [][2]map[string]bool{{classNames, classKeys}, {typeNames, typeKeys}, {rcodeNames, rcodeKeys}} {
					if noticeOf(f[5+i], reg[0], reg[1]) {
						a.notices++
					}
				}
				part := time.Unix(ut, 0).UTC()
				if !ok {
					part = wall.Add(-testOffsets[tok])
				}
				a.add("dns_edge", part, 1)
			}
			if bad > 0 {
				a.rejectedFiles++
				a.rejected += int64(bad)
			}
		case strings.HasPrefix(name, "dendro-"):
			a.add("dns_dendro", day, a.smallFile(readLines(t, path, false), ",", 3, nil, nil))
		case strings.HasPrefix(name, "threat-dendro-"):
			a.add("dns_threat_dendro", day, a.smallFile(readLines(t, path, false), ",", 4, []int{0, 3}, nil))
		case name == "threats.csv":
			a.add("dns_storyboard", day, a.smallFile(readLines(t, path, false), "|", 4, nil, nil))
		}
	}
}

func (a *audit) proxyDay(t *testing.T, dir string, day time.Time) {
	for _, l := range readLines(t, filepath.Join(dir, "proxy_scores.tsv"), true)[1:] {
		f := strings.Split(l, "\t")
		a.add("proxy_scores", day, 1)
		if f[22] != "0" {
			a.add("proxy_threat_investigation", day, 1)
		}
		if noticeOf(f[23], httpNames, httpKeys) {
			a.notices++
		}
	}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		name := e.Name()
		path := filepath.Join(dir, name)
		switch {
		case strings.HasPrefix(name, "edge-"):
			a.add("proxy_edge", day, a.smallFile(readLines(t, path, true), "\t", 15, []int{12, 13}, func(f []string) {
				if noticeOf(f[5], httpNames, httpKeys) {
					a.notices++
				}
			}))
		case strings.HasPrefix(name, "timeline-"):
			a.add("proxy_timeline", day, a.smallFile(readLines(t, path, false), "\t", 5, []int{2}, nil))
		case name == "threats.csv":
			a.add("proxy_storyboard", day, a.smallFile(readLines(t, path, false), "|", 3, nil, nil))
		}
	}
}

// TestExpected compares Stats (rows per partition, notices, rejects) with
// what the files say by the contract, for several kinds of tree.
func TestExpected(t *testing.T) {
	for _, c := range []struct {
		name string
		opt  Options
	}{
		{"default", Options{Size: 2 << 20, Days: 2, Seed: 7}},
		{"october PDT switch rejects", Options{Size: 3 << 20, Days: 4, Seed: 9, Start: date(2016, 10, 24), DNSZone: "PDT", DNSSwitchDay: 3, RejectShare: 0.3}},
		{"november summaries unconfigured", Options{Size: 3 << 20, Days: 4, Seed: 2, Start: date(2016, 11, 29), Unconfigured: true, RejectShare: 1}},
		{"CEST", Options{Size: 1 << 20, Days: 1, Seed: 4, DNSZone: "CEST", RejectShare: 0.05}},
	} {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			st, err := Generate(root, c.opt)
			if err != nil {
				t.Fatal(err)
			}
			a := auditTree(t, root)
			for k, n := range a.rows {
				if st.Rows[k] != n {
					t.Errorf("%s: Stats.Rows %d, the files say %d", k, st.Rows[k], n)
				}
			}
			for k, n := range st.Rows {
				if _, ok := a.rows[k]; !ok {
					t.Errorf("%s: Stats.Rows %d, the files say none", k, n)
				}
			}
			if st.Notices != a.notices || st.Rejected != a.rejected || st.RejectedFiles != a.rejectedFiles || st.SmallFiles != a.small {
				t.Errorf("Stats: %d notices, %d rejected in %d of %d small files; the files say %d, %d, %d, %d",
					st.Notices, st.Rejected, st.RejectedFiles, st.SmallFiles, a.notices, a.rejected, a.rejectedFiles, a.small)
			}
			if st.Notices == 0 {
				t.Error("no notices")
			}
			tables := map[string]bool{}
			for k := range st.Rows {
				tables[k[:strings.IndexByte(k, '/')]] = true
			}
			if len(tables) != 20 && c.opt.RejectShare < 1 {
				t.Errorf("%d tables get rows, want 20: %v", len(tables), tables)
			}
			// Flow edges of 23:59 the day before land in that day.
			prev := c.opt.Start
			if prev.IsZero() {
				prev = DefaultStart
			}
			prev = prev.AddDate(0, 0, -1)
			if k := fmt.Sprintf("flow_edge/y=%d/m=%d/d=%d", prev.Year(), int(prev.Month()), prev.Day()); st.Rows[k] == 0 {
				t.Errorf("no %s rows", k)
			}
			if share := c.opt.RejectShare; share > 0 {
				units := c.opt.Days * len(Pipelines)
				if d := float64(st.RejectedFiles) - share*float64(st.SmallFiles); d < -float64(units) || d > float64(units) {
					t.Errorf("%d of %d small files have a rejected row, want %.0f ±%d", st.RejectedFiles, st.SmallFiles, share*float64(st.SmallFiles), units)
				}
			}
		})
	}
}

// TestRejectShare: the rejected rows are the only difference to the tree
// without them, and the share is the one asked for.
func TestRejectShare(t *testing.T) {
	gen := func(share float64) (map[string]string, Stats) {
		root := t.TempDir()
		st, err := Generate(root, Options{Size: 4 << 20, Days: 2, Seed: 21, RejectShare: share})
		if err != nil {
			t.Fatal(err)
		}
		return treeDigest(t, root), st
	}
	clean, st0 := gen(0)
	for _, share := range []float64{0.1, 0.5} {
		tree, st := gen(share)
		diff := 0
		for k, v := range tree {
			if clean[k] != v {
				diff++
				base := filepath.Base(k)
				if strings.Contains(k, "ingest_summary") || strings.Contains(base, "_scores") || strings.HasSuffix(base, ".json") || strings.HasPrefix(base, "es-") {
					t.Errorf("share %v: %s changed", share, k)
				}
			}
		}
		if diff != st.RejectedFiles || st.Rejected != int64(st.RejectedFiles) || st.SmallFiles != st0.SmallFiles {
			t.Errorf("share %v: %d files differ, Stats says %d rejected rows in %d of %d small files", share, diff, st.Rejected, st.RejectedFiles, st.SmallFiles)
		}
		if got := float64(st.RejectedFiles) / float64(st.SmallFiles); got < share*0.95-0.01 || got > share*1.05+0.01 {
			t.Errorf("share %v: %d of %d small files (%.3f)", share, st.RejectedFiles, st.SmallFiles, got)
		}
		var rows0, rows int64
		for _, n := range st0.Rows {
			rows0 += n
		}
		for _, n := range st.Rows {
			rows += n
		}
		if rows0-rows != st.Rejected {
			t.Errorf("share %v: %d rows land, %d without rejects, %d rejected", share, rows, rows0, st.Rejected)
		}
	}
}

func TestRegistry(t *testing.T) {
	root := t.TempDir()
	st, err := Generate(root, Options{Size: 512 << 10, Days: 1, Seed: 1, Pipelines: []string{"proxy"}})
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(root, "spot-oa", "oa", "components", "iana")
	var cfg struct{ IANA map[string]string }
	b, err := os.ReadFile(filepath.Join(dir, "iana_config.json"))
	if err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(b, &cfg); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"dns_qry_class": "dns-qclass.csv", "dns_qry_type": "dns-qtype.csv", "dns_qry_rcode": "dns-rcode.csv", "proxy_http_rcode": "http-rcode.csv"}
	if fmt.Sprint(cfg.IANA) != fmt.Sprint(want) {
		t.Errorf("iana_config.json: %v", cfg.IANA)
	}
	for _, c := range []struct {
		file, header string
		rows         int
		some         []string
	}{
		{"dns-qclass.csv", IANAClassHeader, 8, []string{"1,0x00000001,Internet (IN),", "5,unknown,UNKNOWN,", "255,0x000000FF,QCLASS * (ANY),"}},
		{"dns-qtype.csv", IANATypeHeader, 86, []string{"0,-1,UNKNOWN,,,", "A,1,,,,", "NULL,10,,,,", "Unassigned,54", "*,255,,,,", "DLV,32769,,,,"}},
		{"dns-rcode.csv", IANARcodeHeader, 22, []string{"-1,UNKNOWN,UNKNOWN,", "0,NoError,,", "16,BADVERS,,", "16,BADSIG,,", `23,"BADCOOKIE (TEMPORARY - registered 2015-07-26, expires 2016-07-26)",,`}},
		{"http-rcode.csv", IANAHTTPHeader, 69, []string{"102,Processing (WebDAV)", "200,OK", "308,Permanent Redirect (experiemental)", "599,Network connect timeout error"}},
	} {
		lines := readLines(t, filepath.Join(dir, c.file), false)
		if lines[0] != c.header || len(lines)-1 != c.rows {
			t.Errorf("%s: header %q, %d rows; want %q, %d", c.file, lines[0], len(lines)-1, c.header, c.rows)
		}
		for _, s := range c.some {
			if !contains(lines, s) {
				t.Errorf("%s: no line %q", c.file, s)
			}
		}
	}
	none := t.TempDir()
	st2, err := Generate(none, Options{Size: 512 << 10, Days: 1, Seed: 1, Pipelines: []string{"proxy"}, NoRegistry: true})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(none, "spot-oa", "oa")); !os.IsNotExist(err) || st2.Files != st.Files-5 {
		t.Errorf("NoRegistry: oa folder %v, %d files (with registry %d)", err, st2.Files, st.Files)
	}
}

func TestUnconfigured(t *testing.T) {
	root := t.TempDir()
	if _, err := Generate(root, Options{Size: 1 << 20, Days: 1, Seed: 8, Unconfigured: true}); err != nil {
		t.Fatal(err)
	}
	data := filepath.Join(root, "spot-oa", "data")
	_, rows := dnsRowsOf(t, filepath.Join(data, "dns", "20170109", "dns_scores.csv"))
	for _, f := range rows {
		if f[13] != f[4] || f[14] != f[5] || f[15] != f[6] {
			t.Fatalf("dns_scores: names %v, codes %v", f[13:16], f[4:7])
		}
	}
	edges, _ := filepath.Glob(filepath.Join(data, "dns", "20170109", "edge-*.csv"))
	for _, e := range edges {
		for _, l := range readLines(t, e, true)[1:] {
			f := strings.Split(l[1:len(l)-1], `","`)
			if c := f[5]; c != "0x00000001" && c != "0x000000ff" && c != "NULL" || !isInt(f[6]) && f[6] != "NULL" || !isInt(f[7]) && f[7] != "NULL" {
				t.Fatalf("%s: %q holds no codes", e, l)
			}
		}
	}
	for _, l := range readLines(t, filepath.Join(data, "proxy", "20170109", "proxy_scores.tsv"), true)[1:] {
		if f := strings.Split(l, "\t"); f[23] != f[11] {
			t.Fatalf("proxy_scores: respcode_name %q, respcode %q", f[23], f[11])
		}
	}
	edges, _ = filepath.Glob(filepath.Join(data, "proxy", "20170109", "edge-*.tsv"))
	for _, e := range edges {
		for _, l := range readLines(t, e, true)[1:] {
			if f := strings.Split(l, "\t"); !isInt(f[5]) && f[5] != "-" {
				t.Fatalf("%s: respcode %q", e, f[5])
			}
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
