package validate

// Fuzz targets of the discovery and the header reading (make fuzz runs each
// for a bounded time; go test runs their seeds and testdata/fuzz/<Name>/).

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"spotmigrate/catalog"
)

// specHeaders are header lines as the spec gives them (§1.4, §2, §7.3),
// older layouts and the spellings the writers really used included.
var specHeaders = []string{
	// flow_scores L2, L1, L1-lda, L0 (with the OA's srcIp_rep casing)
	"sev,tstart,srcIP,dstIP,sport,dport,proto,ipkt,ibyt,opkt,obyt,score,rank,srcIpInternal,destIpInternal,srcGeo,dstGeo,srcDomain,dstDomain,srcIP_rep,dstIP_rep",
	"sev,tstart,srcIP,dstIP,sport,dport,proto,ipkt,ibyt,score,rank,srcIpInternal,destIpInternal,srcGeo,dstGeo,srcDomain,dstDomain,srcIP_rep,dstIP_rep",
	"sev,tstart,srcIP,dstIP,sport,dport,proto,ipkt,ibyt,lda_score,rank,srcIpInternal,destIpInternal,srcGeo,dstGeo,srcDomain,dstDomain,srcIP_rep,dstIP_rep",
	"sev,tstart,srcIP,dstIP,sport,dport,proto,flag,ipkt,ibyt,lda_score,rank,srcIpInternal,destIpInternal,srcGeo,dstGeo,srcDomain,dstDomain,srcIp_rep,dstIp_rep",
	// dns_scores D1, D0
	"frame_time,frame_len,ip_dst,dns_qry_name,dns_qry_class,dns_qry_type,dns_qry_rcode,score,tld,query_rep,hh,ip_sev,dns_sev,dns_qry_class_name,dns_qry_type_name,dns_qry_rcode_name,network_context,unix_tstamp",
	"frame_time,frame_len,ip_dst,dns_qry_name,dns_qry_class,dns_qry_type,dns_qry_rcode,domain,subdomain,subdomain_length,num_periods,subdomain_entropy,top_domain,word,score,query_rep,hh,ip_sev,dns_sev,dns_qry_class_name,dns_qry_type_name,dns_qry_rcode_name,network_context,unix_tstamp",
	// proxy_scores P0
	"p_date\tp_time\tclientip\thost\treqmethod\tuseragent\tresconttype\tduration\tusername\twebcat\treferer\trespcode\turiport\turipath\turiquery\tserverip\tscbytes\tcsbytes\tfulluri\tword\tscore\turi_rep\turi_sev\trespcode_name\tnetwork_context\thash",
	// flow edge E15, E13; chords C4, C6; sbdet
	"tstart\tsrcip\tdstip\tsport\tdport\tproto\tflags\ttos\tibytes\tipkts\tinput\toutput\trip\tobytes\topkts",
	"tstart\tsrcip\tdstip\tsport\tdport\tproto\tflags\ttos\tbytes\tpkts\tinput\toutput\trip",
	"srcip\tdstip\tibytes\tipkts",
	"srcip\tdstip\tmaxbyte\tavgbyte\tmaxpkt\tavgpkt",
	"tstart\ttend\tsrcip\tdstip\tproto\tsport\tdport\tpkts\tbytes",
	// dns edge (QUOTE_ALL), names and codes
	`"frame_time","frame_len","ip_dst","ip_src","dns_qry_name","dns_qry_class_name","dns_qry_type_name","dns_qry_rcode_name","dns_a"`,
	`"frame_time","frame_len","ip_dst","ip_src","dns_qry_name","dns_qry_class","dns_qry_type","dns_qry_rcode","dns_a"`,
	"dns_a,dns_qry_name,ip_dst",
	"total,dns_qry_name,ip_dst,sev",
	// proxy edge, timeline, es
	"p_date\tp_time\tclientip\thost\twebcat\trespcode\treqmethod\tuseragent\tresconttype\treferer\turiport\tserverip\tscbytes\tcsbytes\tfulluri",
	"tstart\ttend\tduration\tclientip\trespcode",
	"p_time\tclientip\tusername\tduration\tfulluri\twebcat\trespcode\treqmethod\tuseragent\tresconttype\treferer\turiport\tserverip\tscbytes\tcsbytes",
	// ingest summaries (the daily flow one appends its header on each run)
	"date,total",
	"date,flows",
	// storyboards
	"ip|title|summary",
	"ip_dst|dns_qry_name|title|summary",
	"hash|title|summary",
}

// headSeeds returns the starts of files a writer could have left: every
// spec header and every catalog layout, bare, after the two blank lines of
// impala-shell -r (§7.4), after a BOM, with CRLF, and with data after it.
func headSeeds() []string {
	lines := slices.Clone(specHeaders)
	for _, s := range catalog.Sources {
		for _, l := range s.Layouts {
			lines = append(lines, l.Header(s.Delim))
		}
	}
	var out []string
	for _, h := range lines {
		out = append(out, h, h+"\n", "\n\n"+h+"\n", "\xEF\xBB\xBF"+h+"\r\n", h+"\r\nx,y\r\n",
			"\r\n\r\n"+h+"\r\n", strings.ToUpper(h)+"\n", h+"\n"+h+"\n", "\xEF\xBB\xBF\n\n"+h+"\n")
	}
	return append(out, "", "\n", "\r\n", "\r", "\xEF\xBB\xBF", "\xEF\xBB\xBF\n\n", "\n\r\n\r\r\n",
		`"date","total"`+"\r\n", " date , total \n", "date,total,\n", "\xff\xfe\x00d")
}

// FuzzClassify: any file name, for any pipeline and scope, is a file with a
// source and a (possibly empty, never nil) table list, or a skip with a reason.
func FuzzClassify(f *testing.F) {
	names := []string{"flow_scores.csv", "dns_scores.csv", "proxy_scores.tsv", "flow_scores_bu.csv",
		"flow_scores_fb.csv", "dns_results.csv", "chord-10_0_0_1.tsv", "edge-10_0_0_1-10_0_0_2-13-05.tsv",
		"edge-10.0.0.1-10.0.0.2-1-5.tsv", "edge-www.google.com_13_05.csv", "edge-a_b_c_01_02.csv",
		"dendro-10.0.0.1.csv", "threat-dendro-10.0.0.1.csv", "threats.csv", "sbdet-10.0.0.1.tsv",
		"edge-10.0.0.1-0123456789abcdef0123456789abcdef01.tsv", "timeline-0123456789abcdef0123456789abcdef.tsv",
		"es-0123456789abcdef0123456789abcdef.csv", "is_201612.csv", "is_20161201.csv", "is_2016.csv",
		"ingest_summary_201612.csv", "results_20161201.csv", "flow_scores.csv.fixed", "globe-1.json",
		"ir-10.0.0.1.tsv", "flow_scores.csv\n", "chord-a/b.tsv", "edge-\xff\xfe-x-1-2.tsv", "", ".", "..",
		"FLOW_SCORES.CSV", "edge--1-2.tsv", "edge-_01_02.csv"}
	for i, n := range names {
		f.Add(uint8(i), uint8(i/3), n)
	}
	f.Fuzz(func(t *testing.T, p, scope uint8, name string) {
		pipe := catalog.Pipelines[int(p)%len(catalog.Pipelines)]
		sc := catalog.Scope(scope % 2)
		file, reason := classify(pipe, sc, name)
		var matching []string
		for _, s := range catalog.Sources {
			if s.Pipeline == pipe && s.Scope == sc && s.Pattern.MatchString(name) {
				matching = append(matching, s.Name)
			}
		}
		if len(matching) > 1 {
			t.Errorf("%s %q matches %d sources %v: classify takes the first by catalog order", pipe, name, len(matching), matching)
		}
		if file == nil {
			if reason == "" {
				t.Fatalf("%s %q skipped without a reason", pipe, name)
			}
			if len(matching) > 0 {
				t.Fatalf("%s %q skipped (%s) though it matches %v", pipe, name, reason, matching)
			}
			return
		}
		if reason != "" {
			t.Errorf("%s %q classified with a skip reason %q", pipe, name, reason)
		}
		if file.Source == "" || file.src == nil || file.src.Name != file.Source || file.Tables == nil {
			t.Fatalf("%s %q: source %q (src %v), tables %v", pipe, name, file.Source, file.src, file.Tables)
		}
		if file.Pipeline != pipe || file.src.Pipeline != pipe || file.src.Scope != sc || !file.src.Pattern.MatchString(name) {
			t.Errorf("%s %q classified as %s (%s, scope %d)", pipe, name, file.Source, file.src.Pipeline, file.src.Scope)
		}
		if len(matching) == 0 || matching[0] != file.Source {
			t.Errorf("%s %q classified as %s, matching sources are %v", pipe, name, file.Source, matching)
		}
		for _, tb := range file.Tables {
			if _, ok := catalog.TableByName(tb); !ok {
				t.Errorf("%s %q: unknown table %q", pipe, name, tb)
			}
		}
		for _, g := range file.src.Pattern.SubexpNames() {
			if v, ok := file.fields[g]; g != "" && (!ok || !strings.Contains(name, v)) {
				t.Errorf("%s %q: field %s missing from %v", pipe, name, g, file.fields)
			}
		}
	})
}

// Where FuzzDiscover puts the fuzzed name.
const (
	inDay         = iota // a file in <pipe>/20161201/
	inSummary            // a file in <pipe>/ingest_summary/
	inPipeline           // a file in <pipe>/
	atRoot               // a file beside the pipeline folders
	dirInPipeline        // a folder in <pipe>/ (a day folder?) holding a file
	dirAtRoot            // a folder beside the pipeline folders holding a file
	dirInDay             // a folder in <pipe>/20161201/ holding a file
	fifoInDay            // a FIFO in <pipe>/20161201/
	danglingInDay        // a dangling symbolic link in <pipe>/20161201/
	linkInDay            // a symbolic link in <pipe>/20161201/ to a file outside the tree
	kinds
)

// FuzzDiscover builds a small real tree with one fuzzed name in it and
// checks that discover accounts for every entry exactly once: as a file to
// read, a file error or a skip (of it or of a folder holding it), nothing
// dropped, and with the reported path of what is really there.
func FuzzDiscover(f *testing.F) {
	for i, n := range []string{"flow_scores.csv", "dns_scores.csv", "proxy_scores.tsv", "is_201612.csv",
		"20161201", "20161301", "20160229", "20170229", "ingest_summary", ".ipynb_checkpoints", "backup",
		"flow", "dns", "proxy", "data", "threats.csv", "chord-10_0_0_1.tsv", "edge-\xff-x-1-2.tsv",
		"chord-\xff.tsv", "notes.txt", "flow_scores_bu.csv", " ", "\n", "\\", "é.csv", strings.Repeat("a", 255)} {
		for k := range kinds {
			f.Add(uint8(k), uint8(i), n)
		}
	}
	f.Fuzz(func(t *testing.T, kind, pipes uint8, name string) {
		k := int(kind % kinds)
		if name == "" || name == "." || name == ".." || strings.ContainsAny(name, "/\x00") || len(name) > 255 {
			t.Skip("not a file name")
		}
		pipe := catalog.Pipelines[int(pipes&3)%len(catalog.Pipelines)]
		follow := pipes&0x80 != 0
		var selected []string
		for i, p := range catalog.Pipelines {
			if pipes>>2&(1<<i) != 0 || pipes>>2&7 == 0 {
				selected = append(selected, p)
			}
		}
		tmp := t.TempDir()
		root := filepath.Join(tmp, "data")
		day := path.Join(pipe, "20161201")
		// made lists what was created (as reports spell it), folders with
		// a trailing slash
		made := []string{pipe + "/"}
		shown := func(rel string) string {
			parts := strings.Split(rel, "/")
			for i, p := range parts {
				parts[i] = displayName(p)
			}
			return strings.Join(parts, "/")
		}
		abs := func(rel string) string { return filepath.Join(root, filepath.FromSlash(rel)) }
		mkdir := func(rel string) {
			if err := os.Mkdir(abs(rel), 0o755); err != nil {
				t.Skipf("cannot make folder %q: %v", rel, err)
			}
			made = append(made, shown(rel)+"/")
		}
		write := func(rel string) {
			if err := os.WriteFile(abs(rel), []byte("x\n"), 0o644); err != nil {
				t.Skipf("cannot write %q: %v", rel, err)
			}
			made = append(made, shown(rel))
		}
		if err := os.MkdirAll(filepath.Join(root, pipe), 0o755); err != nil {
			t.Fatal(err)
		}
		rel := path.Join(day, name)
		switch k {
		case inDay:
			mkdir(day)
			write(rel)
		case inSummary:
			mkdir(path.Join(pipe, "ingest_summary"))
			write(path.Join(pipe, "ingest_summary", name))
		case inPipeline:
			write(path.Join(pipe, name))
		case atRoot:
			write(name)
		case dirInPipeline:
			mkdir(path.Join(pipe, name))
			write(path.Join(pipe, name, "threats.csv"))
		case dirAtRoot:
			mkdir(name)
			write(path.Join(name, "x"))
		case dirInDay:
			mkdir(day)
			mkdir(rel)
			write(path.Join(rel, "x"))
		case fifoInDay:
			mkdir(day)
			if err := syscall.Mkfifo(abs(rel), 0o644); err != nil {
				t.Skipf("cannot make FIFO %q: %v", rel, err)
			}
			made = append(made, shown(rel))
		case danglingInDay, linkInDay:
			mkdir(day)
			target := filepath.Join(tmp, "missing")
			if k == linkInDay {
				target = filepath.Join(tmp, "target")
				if err := os.WriteFile(target, []byte("x\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if err := os.Symlink(target, abs(rel)); err != nil {
				t.Skipf("cannot make link %q: %v", rel, err)
			}
			made = append(made, shown(rel))
		}
		if got, err := FindRoot(tmp); err != nil || got != root {
			t.Errorf("FindRoot = %q, %v; want %q", got, err, root)
		}
		tr, err := discoverLinks(root, selected, follow)
		if err != nil {
			t.Fatalf("discover: %v (tree %q)", err, made)
		}
		var reported []string
		for _, s := range tr.skipped {
			if s.Reason == "" {
				t.Errorf("%q skipped without a reason", s.Path)
			}
			reported = append(reported, s.Path)
		}
		for _, fl := range tr.broken {
			if fl.Error == "" || fl.Tables == nil || fl.Pipeline == "" {
				t.Errorf("file error %q: %q, tables %v, pipeline %q", fl.Path, fl.Error, fl.Tables, fl.Pipeline)
			}
			reported = append(reported, fl.Path)
		}
		for _, fl := range tr.files {
			reported = append(reported, fl.Path)
			checkDiscovered(t, root, fl)
		}
		seen := map[string]bool{}
		for _, r := range reported {
			if seen[r] {
				t.Errorf("%q reported twice (tree %q)", r, made)
			}
			seen[r] = true
			if !slices.Contains(made, r) {
				t.Errorf("%q reported but not in the tree %q", r, made)
			}
		}
		for _, m := range made {
			if strings.HasSuffix(m, "/") {
				continue
			}
			n := 0
			for _, r := range reported {
				if r == m || strings.HasSuffix(r, "/") && strings.HasPrefix(m, r) {
					n++
				}
			}
			if n != 1 {
				t.Errorf("%q accounted for %d times in %q (tree %q)", m, n, reported, made)
			}
		}
		if (k == danglingInDay || k == linkInDay && !follow) && slices.Contains(selected, pipe) &&
			!slices.ContainsFunc(tr.broken, func(fl *file) bool { return fl.Path == shown(rel) }) {
			t.Errorf("link %q (follow %v) is no file error: files %d, skipped %v", rel, follow, len(tr.files), tr.skipped)
		}
	})
}

// checkDiscovered checks what discover set on a file to read.
func checkDiscovered(t *testing.T, root string, fl *file) {
	t.Helper()
	parts := strings.Split(fl.Path, "/")
	if len(parts) != 3 || fl.Pipeline != parts[0] || fl.abs != filepath.Join(root, parts[0], parts[1], parts[2]) {
		t.Fatalf("file %q (%s) at %q", fl.Path, fl.Pipeline, fl.abs)
	}
	if cl, _ := classify(parts[0], fl.src.Scope, parts[2]); cl == nil || cl.Source != fl.Source {
		t.Errorf("file %q read as %s, classify says %v", fl.Path, fl.Source, cl)
	}
	switch {
	case parts[1] == "ingest_summary":
		if fl.src.Scope != catalog.IngestSummary || fl.y != 0 || fl.day != "" {
			t.Errorf("ingest summary %q: scope %d, %d-%d-%d, day %q", fl.Path, fl.src.Scope, fl.y, fl.m, fl.d, fl.day)
		}
	case dayName.MatchString(parts[1]):
		d, err := time.Parse("20060102", parts[1])
		if err != nil || fl.src.Scope != catalog.DayFolder || fl.y != d.Year() || fl.m != int(d.Month()) || fl.d != d.Day() ||
			fl.day != d.Format("2006-01-02") {
			t.Errorf("day file %q: scope %d, %d-%d-%d, day %q (%v)", fl.Path, fl.src.Scope, fl.y, fl.m, fl.d, fl.day, err)
		}
	default:
		t.Errorf("file %q is not in a day folder or ingest_summary/", fl.Path)
	}
	if st, err := os.Stat(fl.abs); err != nil || !st.Mode().IsRegular() || fl.size != st.Size() {
		t.Errorf("file %q: size %d, stat %v, %v", fl.Path, fl.size, st, err)
	}
}

// refHead is what detect must find in head: the number of blank lines (empty
// or only CRs) before the header line, and that line without its CRs; ok is
// false when there is no header line. A BOM is dropped from the start.
func refHead(head []byte) (skip int, line string, ok bool) {
	lines := strings.Split(string(bytes.TrimPrefix(head, utf8BOM)), "\n")
	if lines[len(lines)-1] == "" {
		lines = lines[:len(lines)-1] // what follows the last LF is no line
	}
	for _, l := range lines {
		if l = strings.TrimRight(l, "\r"); l != "" {
			return skip, l, true
		}
		skip++
	}
	return skip, "", false
}

// detected is what detect decided, for comparisons.
type detected struct {
	layout *catalog.Layout
	err    string
	skip   int
	header string
}

func detectOf(src *catalog.Source, head []byte) (*file, detected) {
	f := &file{src: src}
	f.Bytes = int64(len(head))
	f.detect(head)
	return f, detected{f.layout, f.Error, f.skip, strings.Join(f.header, "\x00")}
}

// FuzzDetect: for any start of a file and any source, detect finds a layout
// of that source or records why not (never both, never neither), skips
// exactly the blank lines before the header, and takes CRLF and a BOM as LF
// and nothing.
func FuzzDetect(f *testing.F) {
	for i, h := range headSeeds() {
		f.Add(uint(i), []byte(h))
	}
	f.Fuzz(func(t *testing.T, idx uint, head []byte) {
		src := &catalog.Sources[idx%uint(len(catalog.Sources))]
		fl, got := detectOf(src, head)
		if (got.layout == nil) == (got.err == "") {
			t.Fatalf("%s %q: layout %v and error %q: want exactly one", src.Name, head, got.layout, got.err)
		}
		if fl.Unreadable {
			t.Errorf("%s %q: content marked unreadable", src.Name, head)
		}
		skip, line, ok := refHead(head)
		if fl.skip != skip {
			t.Errorf("%s %q: skip %d, want %d", src.Name, head, fl.skip, skip)
		}
		if got.layout == nil {
			if fl.Layout != "" {
				t.Errorf("%s %q: layout name %q without a layout", src.Name, head, fl.Layout)
			}
			if !ok && got.header != "" {
				t.Errorf("%s %q: header %q read from blank lines", src.Name, head, fl.header)
			}
		} else {
			if !ok {
				t.Fatalf("%s %q: layout %s without a header line", src.Name, head, got.layout.Name)
			}
			if fl.Layout != got.layout.Name || !ownLayout(src, got.layout) {
				t.Errorf("%s %q: layout %s (%q) is not one of the source's", src.Name, head, got.layout.Name, fl.Layout)
			}
			if len(fl.header) != len(got.layout.Fields) {
				t.Fatalf("%s %q: %d header fields for layout %s", src.Name, head, len(fl.header), got.layout.Name)
			}
			for i, fd := range got.layout.Fields {
				if !strings.EqualFold(strings.TrimSpace(fl.header[i]), fd.Header) {
					t.Errorf("%s %q: field %d is %q, layout %s has %q", src.Name, head, i, fl.header[i], got.layout.Name, fd.Header)
				}
			}
		}
		if ok && !src.Quoted && strings.Join(fl.header, string(src.Delim)) != line {
			t.Errorf("%s %q: header %q, line %q", src.Name, head, fl.header, line)
		}
		if !bytes.HasPrefix(head, utf8BOM) {
			_, bom := detectOf(src, append(slices.Clip(utf8BOM), head...))
			if !ok && bom.err != "" && got.err != "" {
				bom.err = got.err // a lone BOM is no longer an empty file
			}
			if bom != got {
				t.Errorf("%s %q: with a BOM %+v, without %+v", src.Name, head, bom, got)
			}
		}
		if _, crlf := detectOf(src, bytes.ReplaceAll(head, []byte("\n"), []byte("\r\n"))); crlf != got {
			t.Errorf("%s %q: with CRLF %+v, with LF %+v", src.Name, head, crlf, got)
		}
	})
}

func ownLayout(src *catalog.Source, l *catalog.Layout) bool {
	for i := range src.Layouts {
		if &src.Layouts[i] == l {
			return true
		}
	}
	return false
}

// refLines counts lines as lineCounter means to: every LF ends a line, and
// bytes after the last LF are one more line; a blank line is empty or holds
// only CRs (so a CRLF file's empty line is blank), a BOM starting the data
// aside (as detect skips "BOM LF" as a blank line).
func refLines(data []byte) (lines, blank int64) {
	parts := strings.Split(string(data), "\n")
	if parts[len(parts)-1] == "" {
		parts = parts[:len(parts)-1]
	}
	for i, p := range parts {
		lines++
		if i == 0 {
			p = strings.TrimPrefix(p, string(utf8BOM))
		}
		if strings.Trim(p, "\r") == "" {
			blank++
		}
	}
	return lines, blank
}

// FuzzLineCounter feeds data to lineCounter in the chunks cuts gives (each
// byte the length of the next chunk, 0 an empty one) and compares its
// counts with refLines.
func FuzzLineCounter(f *testing.F) {
	cuts := [][]byte{nil, {1}, {1, 1, 1, 1, 1, 1, 1, 1}, {0, 2, 0, 3}, {7, 1}}
	for i, h := range headSeeds() {
		f.Add([]byte(h+"a,b\r\n\r\n\r\r\nc"), cuts[i%len(cuts)])
	}
	f.Fuzz(func(t *testing.T, data, cuts []byte) {
		var c lineCounter
		rest := data
		for _, n := range cuts {
			n := min(int(n)%32, len(rest))
			c.add(rest[:n])
			rest = rest[n:]
		}
		c.add(rest)
		lines, blank := refLines(data)
		if got := c.total(); got != lines || c.blank != blank {
			t.Errorf("%q cut %v: %d lines, %d blank; want %d, %d", data, cuts, got, c.blank, lines, blank)
		}
		if c.total() != lines {
			t.Errorf("%q: total changes when asked again", data)
		}
	})
}

// FuzzInspect writes data to a file and inspects it through a read buffer
// of bufSize bytes: what it finds must not depend on how the reads fall,
// so it is what detect finds in the whole data, with the size, sha256 and
// line counts of the data. The lines detect skips are blank lines.
func FuzzInspect(f *testing.F) {
	for i, h := range headSeeds() {
		f.Add([]byte(h+"a,b\r\n"), uint16(i%7+1), i%2 == 0)
	}
	dir := f.TempDir()
	f.Fuzz(func(t *testing.T, data []byte, bufSize uint16, full bool) {
		if len(data) >= maxHeader {
			t.Skip("longer than a header is read")
		}
		fh, err := os.CreateTemp(dir, "inspect")
		if err != nil {
			t.Fatal(err)
		}
		defer func() { _ = os.Remove(fh.Name()) }()
		if _, err := fh.Write(data); err != nil {
			t.Fatal(err)
		}
		if err := fh.Close(); err != nil {
			t.Fatal(err)
		}
		for i := range catalog.Sources {
			src := &catalog.Sources[i]
			fl := &file{src: src, abs: fh.Name()}
			inspect(fl, make([]byte, int(bufSize)%4096+1), full)
			_, want := detectOf(src, data)
			got := detected{fl.layout, fl.Error, fl.skip, strings.Join(fl.header, "\x00")}
			if got != want {
				t.Fatalf("%s %q, buffer %d: inspect found %+v, the whole data %+v", src.Name, data, int(bufSize)%4096+1, got, want)
			}
			if fl.Bytes != int64(len(data)) || fl.Unreadable {
				t.Errorf("%s %q: %d bytes, unreadable %v", src.Name, data, fl.Bytes, fl.Unreadable)
			}
			if !full {
				continue
			}
			lines, blank := refLines(data)
			if sum := sha256.Sum256(data); fl.SHA256 != hex.EncodeToString(sum[:]) || !fl.counted ||
				fl.lines != lines || fl.blank != blank {
				t.Errorf("%s %q: sha256 %s, %d lines, %d blank; want %x, %d, %d", src.Name, data, fl.SHA256,
					fl.lines, fl.blank, sum, lines, blank)
			}
			if fl.layout != nil && int64(fl.skip) > fl.blank {
				t.Errorf("%s %q: %d lines skipped before the header, %d blank lines counted", src.Name, data, fl.skip, fl.blank)
			}
		}
	})
}

// TestKnownHeadersDetected: every layout's own header, in the forms writers
// left it, is detected as that layout.
func TestKnownHeadersDetected(t *testing.T) {
	for i := range catalog.Sources {
		src := &catalog.Sources[i]
		for j := range src.Layouts {
			l := &src.Layouts[j]
			h := l.Header(src.Delim)
			forms := []string{h, h + "\r\n", "\n\n" + h + "\n", "\xEF\xBB\xBF" + h + "\n", strings.ToUpper(h) + "\n"}
			if src.Quoted {
				forms = append(forms, `"`+strings.ReplaceAll(h, string(src.Delim), `"`+string(src.Delim)+`"`)+`"`+"\r\n")
			}
			for _, form := range forms {
				if fl, got := detectOf(src, []byte(form)); got.layout != l {
					t.Errorf("%s %q: layout %v, error %q; want %s", src.Name, form, got.layout, fl.Error, l.Name)
				}
			}
		}
	}
}

// TestBOMBeforeBlankLines: a BOM, then the blank lines impala-shell -r
// wrote, then the header: the row lands and every line is accounted for
// (the BOM line was counted as content though detect skips it as blank).
func TestBOMBeforeBlankLines(t *testing.T) {
	for _, text := range []string{"\xEF\xBB\xBF\n\n" + lf("srcip\tdstip\tibytes\tipkts", "10.0.0.1\t10.0.0.2\t1\t1"),
		"\xEF\xBB\xBF\r\n" + crlf("srcip\tdstip\tibytes\tipkts", "10.0.0.1\t10.0.0.2\t1\t1")} {
		root := writeTree(t, map[string]string{"flow/20161201/chord-10_0_0_1.tsv": text})
		m, _ := validated(t, Options{OAPath: root, Pipelines: []string{"flow"}})
		if len(m.Files) != 1 || m.Files[0].Layout != "C4" || m.Files[0].Error != "" || m.Summary.Landing != 1 {
			t.Errorf("%q: files %+v, %d landing rows; want C4 read without an error and 1 row", text, m.Files, m.Summary.Landing)
		}
	}
}
