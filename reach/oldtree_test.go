package reach

// The tests' own reader of an old (CSV era) OA tree. It knows only the file
// formats of the spec (spot-oa-reference.md §1-§2, addendum §7) and the
// partition rules of docs/LANDING.md; it shares no code with spotmigrate.
// From the files it builds, per table, the rows a correct migration lands and
// where (partition, hh, mn), so that each Spot 1.0 read can be evaluated on
// them: that evaluation is the read's expected result.

import (
	"crypto/md5"
	"encoding/csv"
	"encoding/hex"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"
)

// date is a partition (y, m, d).
type date struct{ y, m, d int }

func (d date) String() string { return fmt.Sprintf("%04d-%02d-%02d", d.y, d.m, d.d) }

func dateOf(t time.Time) date { return date{t.Year(), int(t.Month()), t.Day()} }

// day is one day folder data/<pipe>/<YYYYMMDD>.
type day struct {
	dir  string
	name string
	date date
}

// text reads a file as lines without their line ends (LF or CRLF).
func text(path string) ([]string, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	s := strings.ReplaceAll(string(b), "\r\n", "\n")
	s = strings.TrimSuffix(s, "\n")
	if s == "" {
		return nil, nil
	}
	return strings.Split(s, "\n"), nil
}

// table reads a delimited file with one header line: blank lines (the two
// leading ones of impala-shell -r, the last line end) are not rows. Values are
// never quoted in these files.
func table(path, delim string) (hdr []string, rows [][]string, err error) {
	ls, err := text(path)
	if err != nil {
		return nil, nil, err
	}
	for _, l := range ls {
		if l == "" {
			continue
		}
		f := strings.Split(l, delim)
		if hdr == nil {
			hdr = f
			continue
		}
		rows = append(rows, f)
	}
	if hdr == nil {
		return nil, nil, fmt.Errorf("%s: no header line", path)
	}
	return hdr, rows, nil
}

// quoted reads a comma file whose fields may be double-quoted (the DNS edge
// files, rewritten QUOTE_ALL, or raw impala-shell output).
func quoted(path string) (hdr []string, rows [][]string, err error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	defer f.Close()
	r := csv.NewReader(f)
	r.FieldsPerRecord = -1
	r.LazyQuotes = true
	all, err := r.ReadAll()
	if err != nil {
		return nil, nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(all) == 0 {
		return nil, nil, fmt.Errorf("%s: no header line", path)
	}
	return all[0], all[1:], nil
}

// col is the index of the first header name equal (ignoring case) to one of
// names, or -1.
func col(hdr []string, names ...string) int {
	for _, n := range names {
		for i, h := range hdr {
			if strings.EqualFold(strings.TrimSpace(h), n) {
				return i
			}
		}
	}
	return -1
}

// cols is col for each name; a missing one is an error.
func cols(path string, hdr []string, names ...string) ([]int, error) {
	out := make([]int, len(names))
	for i, n := range names {
		if out[i] = col(hdr, strings.Split(n, "|")...); out[i] < 0 {
			return nil, fmt.Errorf("%s: no column %s in header %q", path, n, strings.Join(hdr, ","))
		}
	}
	return out, nil
}

// pick returns the fields at idx ("" past the end of a short row).
func pick(row []string, idx []int) []string {
	out := make([]string, len(idx))
	for i, j := range idx {
		if j < len(row) {
			out[i] = row[j]
		}
	}
	return out
}

// null reports whether a value is SQL NULL once migrated: an empty field, or
// impala-shell's NULL text.
func null(s string) bool { return s == "" || s == "NULL" }

// norm is the comparable form of a value, on both sides: NULL and impala-shell's
// NULL text are "", integers have one spelling.
func norm(s string) string {
	if s == "NULL" {
		return ""
	}
	if n, err := strconv.ParseInt(s, 10, 64); err == nil {
		return strconv.FormatInt(n, 10)
	}
	return s
}

func normAll(v []string) []string {
	out := make([]string, len(v))
	for i, s := range v {
		out[i] = norm(s)
	}
	return out
}

func atoi(s string) (int, bool) {
	n, err := strconv.Atoi(strings.TrimSpace(s))
	return n, err == nil
}

func positive(s string) bool {
	n, ok := atoi(s)
	return ok && n > 0
}

var dayName = regexp.MustCompile(`^[0-9]{8}$`)

// days lists the day folders of a pipeline, in name order.
func days(root, pipe string) ([]day, error) {
	dir := filepath.Join(root, "data", pipe)
	ents, err := os.ReadDir(dir)
	if os.IsNotExist(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []day
	for _, e := range ents {
		if !e.IsDir() || !dayName.MatchString(e.Name()) {
			continue
		}
		t, err := time.Parse("20060102", e.Name())
		if err != nil {
			continue
		}
		out = append(out, day{dir: filepath.Join(dir, e.Name()), name: e.Name(), date: dateOf(t)})
	}
	return out, nil
}

// files lists the names in dir that start with prefix and end with suffix.
func files(dir, prefix, suffix string) []string {
	ents, _ := os.ReadDir(dir)
	var out []string
	for _, e := range ents {
		n := e.Name()
		if e.Type().IsRegular() && strings.HasPrefix(n, prefix) && strings.HasSuffix(n, suffix) && len(n) > len(prefix)+len(suffix) {
			out = append(out, n)
		}
	}
	sort.Strings(out)
	return out
}

func exists(path string) bool {
	st, err := os.Stat(path)
	return err == nil && st.Mode().IsRegular()
}

// landed is one migrated row: where it lands and the values the reads test.
type landed struct {
	date date
	hh   int // flow_edge, dns_edge
	mn   int // flow_edge
	key  []string
	sig  []string
	file string
}

// oldTree is what the old tree holds, as the Spot 1.0 tables a correct
// migration fills.
type oldTree struct {
	root string
	// notes are facts worth printing (skipped rows, ambiguous keys).
	notes []string
	// flowMoved and dnsMoved count the edge files whose rows land outside
	// their day folder's date (flow, dns) or in another hour than the name's
	// HH (dns); zones counts the DNS zone tokens seen. These are the cases
	// the partition rules are for.
	flowMoved, dnsMoved, flowEdgeFiles, dnsEdgeFileN int
	zones                                            map[string]int

	flowScores   []flowScore
	flowEdgeDirs map[string]bool // day dir + "/" + edge name key: a detail file exists
	flowEdge     []landed        // key: srcip, dstip
	flowChords   []landed        // key: ip_threat
	flowTimeline []landed        // key: ip_threat
	flowStory    []landed        // key: -; sig ip_threat, title
	flowDays     []day

	dnsScores     []dnsScore
	dnsEdgeFiles  map[string]bool // day dir + "/" + name + "_" + hh
	dnsEdge       []landed        // key: dns_qry_name
	dnsDendro     []landed        // key: ip_dst
	dnsDendroIPs  []dayKey        // dendro-<ip>.csv files
	dnsThreatDen  []landed        // key: anchor; sig anchor, total, dns_qry_name, ip_dst
	dnsStory      []landed        // sig: ip_threat, dns_threat, title
	dnsDays       []day
	dnsThreatKeys []dnsThreat

	proxyScores   []proxyScore
	proxyEdge     []landed // key: fulluri, clientip
	proxyTimeline []landed // key: p_threat (URI)
	proxyStory    []landed // sig: p_threat, title
	proxyDays     []day
	proxyThreats  []dayKey // resolved threats.csv URIs

	ingest map[string][]landed // pipe → rows; sig tdate, total
}

type dayKey struct {
	day day
	key string
}

type dnsThreat struct {
	day          day
	ip, query    string
	hasDendroCSV bool
}

func (o *oldTree) notef(format string, args ...any) {
	o.notes = append(o.notes, fmt.Sprintf(format, args...))
}

func readOldTree(root string) (*oldTree, error) {
	o := &oldTree{root: root, flowEdgeDirs: map[string]bool{}, dnsEdgeFiles: map[string]bool{}, ingest: map[string][]landed{}, zones: map[string]int{}}
	for _, f := range []func() error{o.readFlow, o.readDNS, o.readProxy, o.readIngest} {
		if err := f(); err != nil {
			return nil, err
		}
	}
	return o, nil
}

// ---- flow ----

type flowScore struct {
	day          day
	tstart       string
	t            time.Time
	tOK          bool
	src, dst     string
	sport, dport string
	sev          string
	scored       bool
	hasDetail    bool
	line         int
}

func parseFlowEdgeName(n string) (sip, dip string, hh, mn int, ok bool) {
	p := strings.Split(strings.TrimSuffix(strings.TrimPrefix(n, "edge-"), ".tsv"), "-")
	if len(p) != 4 {
		return "", "", 0, 0, false
	}
	h, ok1 := atoi(p[2])
	m, ok2 := atoi(p[3])
	return p[0], p[1], h, m, ok1 && ok2
}

func under(ip string) string { return strings.ReplaceAll(ip, ".", "_") }

func (o *oldTree) readFlow() error {
	ds, err := days(o.root, "flow")
	if err != nil {
		return err
	}
	o.flowDays = ds
	for _, d := range ds {
		var scores []flowScore
		if p := filepath.Join(d.dir, "flow_scores.csv"); exists(p) {
			hdr, rows, err := table(p, ",")
			if err != nil {
				return err
			}
			ix, err := cols(p, hdr, "sev", "tstart", "srcip", "dstip", "sport", "dport")
			if err != nil {
				return err
			}
			for i, r := range rows {
				v := pick(r, ix)
				s := flowScore{day: d, sev: v[0], tstart: v[1], src: v[2], dst: v[3], sport: v[4], dport: v[5], line: i + 2}
				s.t, err = time.Parse("2006-01-02 15:04:05", s.tstart)
				s.tOK = err == nil
				s.scored = positive(s.sev)
				scores = append(scores, s)
			}
		}
		// flow_edge: partition = date of the scored row's tstart (contract,
		// addendum §7.7), hh/mn from the name; rows with a NULL srcip dropped.
		for _, n := range files(d.dir, "edge-", ".tsv") {
			sip, dip, hh, mn, ok := parseFlowEdgeName(n)
			if !ok {
				o.notef("flow %s/%s: not an edge-<sip>-<dip>-<HH>-<MM>.tsv name", d.name, n)
				continue
			}
			o.flowEdgeDirs[d.dir+"/"+sip+"-"+dip+"-"+strconv.Itoa(hh)+"-"+strconv.Itoa(mn)] = true
			land, found := d.date, false
			for _, s := range scores {
				if s.tOK && under(s.src) == sip && under(s.dst) == dip && s.t.Hour() == hh && s.t.Minute() == mn {
					if found && dateOf(s.t) != land {
						o.notef("flow %s/%s: scored rows of two dates match; the first one is used", d.name, n)
						continue
					}
					if !found {
						land, found = dateOf(s.t), true
					}
				}
			}
			o.flowEdgeFiles++
			if land != d.date {
				o.flowMoved++
			}
			p := filepath.Join(d.dir, n)
			hdr, rows, err := table(p, "\t")
			if err != nil {
				return err
			}
			ix, err := cols(p, hdr, "tstart", "srcip", "dstip", "sport", "dport", "proto")
			if err != nil {
				return err
			}
			for _, r := range rows {
				v := pick(r, ix)
				if null(v[1]) {
					continue
				}
				o.flowEdge = append(o.flowEdge, landed{date: land, hh: hh, mn: mn, key: []string{v[1], v[2]}, sig: normAll(v), file: p})
			}
		}
		for i := range scores {
			s := &scores[i]
			if s.tOK {
				h, m := strconv.Itoa(s.t.Hour()), strconv.Itoa(s.t.Minute())
				s.hasDetail = o.flowEdgeDirs[d.dir+"/"+under(s.src)+"-"+under(s.dst)+"-"+h+"-"+m] ||
					o.flowEdgeDirs[d.dir+"/"+under(s.dst)+"-"+under(s.src)+"-"+h+"-"+m]
			}
		}
		o.flowScores = append(o.flowScores, scores...)
		// flow_chords: ip_threat = the name's ip with _ → .
		for _, n := range files(d.dir, "chord-", ".tsv") {
			ip := strings.ReplaceAll(strings.TrimSuffix(strings.TrimPrefix(n, "chord-"), ".tsv"), "_", ".")
			p := filepath.Join(d.dir, n)
			hdr, rows, err := table(p, "\t")
			if err != nil {
				return err
			}
			ix, err := cols(p, hdr, "srcip", "dstip")
			if err != nil {
				return err
			}
			for _, r := range rows {
				o.flowChords = append(o.flowChords, landed{date: d.date, key: []string{ip}, sig: normAll(pick(r, ix)), file: p})
			}
		}
		// flow_timeline: ip_threat = the name's ip as written.
		for _, n := range files(d.dir, "sbdet-", ".tsv") {
			ip := strings.TrimSuffix(strings.TrimPrefix(n, "sbdet-"), ".tsv")
			p := filepath.Join(d.dir, n)
			hdr, rows, err := table(p, "\t")
			if err != nil {
				return err
			}
			ix, err := cols(p, hdr, "tstart", "tend", "srcip", "dstip", "sport", "dport")
			if err != nil {
				return err
			}
			for _, r := range rows {
				o.flowTimeline = append(o.flowTimeline, landed{date: d.date, key: []string{ip}, sig: normAll(pick(r, ix)), file: p})
			}
		}
		// flow_storyboard: threats.csv ip|title|summary.
		if p := filepath.Join(d.dir, "threats.csv"); exists(p) {
			_, rows, err := table(p, "|")
			if err != nil {
				return err
			}
			for _, r := range rows {
				v := pick(r, []int{0, 1})
				o.flowStory = append(o.flowStory, landed{date: d.date, key: []string{v[0]}, sig: normAll(v), file: p})
			}
		}
	}
	return nil
}

// ---- dns ----

type dnsScore struct {
	day       day
	frameTime string
	ipDst     string
	name      string
	hh        int
	hhOK      bool
	ts        int64
	tsText    string
	tsOK      bool
	ipSev     string
	dnsSev    string
	scored    bool
	hasDetail bool
	hasDendro bool
	line      int
}

// wall is frame_time read as a wall clock (fraction dropped) and its zone
// token (addendum §7.2.1): `<Mon> <day> <YYYY> <HH>:<MM>:<SS>.<frac> <ZONE>`.
func wall(ft string) (time.Time, string, bool) {
	f := strings.Fields(ft)
	if len(f) != 5 {
		return time.Time{}, "", false
	}
	clock, _, _ := strings.Cut(f[3], ".")
	t, err := time.Parse("Jan 2 2006 15:04:05", f[0]+" "+f[1]+" "+f[2]+" "+clock)
	if err != nil {
		return time.Time{}, "", false
	}
	return t, f[4], true
}

func (o *oldTree) readDNS() error {
	ds, err := days(o.root, "dns")
	if err != nil {
		return err
	}
	o.dnsDays = ds
	for _, d := range ds {
		var scores []dnsScore
		// offsets of the zone tokens of this folder (contract "DNS time").
		votes := map[string]map[int64]int{}
		if p := filepath.Join(d.dir, "dns_scores.csv"); exists(p) {
			hdr, rows, err := table(p, ",")
			if err != nil {
				return err
			}
			ix, err := cols(p, hdr, "frame_time", "ip_dst", "dns_qry_name", "hh", "ip_sev", "dns_sev", "unix_tstamp")
			if err != nil {
				return err
			}
			for i, r := range rows {
				v := pick(r, ix)
				s := dnsScore{day: d, frameTime: v[0], ipDst: v[1], name: v[2], ipSev: v[4], dnsSev: v[5], tsText: v[6], line: i + 2}
				s.hh, s.hhOK = atoi(v[3])
				n, err := strconv.ParseInt(v[6], 10, 64)
				s.ts, s.tsOK = n, err == nil
				s.scored = positive(s.ipSev) || positive(s.dnsSev)
				if w, zone, ok := wall(s.frameTime); ok && s.tsOK {
					if votes[zone] == nil {
						votes[zone] = map[int64]int{}
					}
					votes[zone][w.Unix()-s.ts]++
				}
				scores = append(scores, s)
			}
		}
		offset := func(zone string) (int64, bool) {
			if zone == "UTC" || zone == "GMT" {
				return 0, true
			}
			best, bestN := int64(0), 0
			for off, n := range votes[zone] {
				if n > bestN || (n == bestN && off < best) {
					best, bestN = off, n
				}
			}
			return best, bestN > 0
		}
		// dns_edge: partition and hh = UTC date and hour of the scored row's
		// unix_tstamp; without one, of the edge row's own time.
		for _, n := range files(d.dir, "edge-", "_00.csv") {
			body := strings.TrimSuffix(strings.TrimPrefix(n, "edge-"), "_00.csv")
			i := strings.LastIndex(body, "_")
			if i < 0 {
				o.notef("dns %s/%s: not an edge-<name>_<HH>_00.csv name", d.name, n)
				continue
			}
			name := body[:i]
			hh, ok := atoi(body[i+1:])
			if !ok {
				o.notef("dns %s/%s: not an edge-<name>_<HH>_00.csv name", d.name, n)
				continue
			}
			o.dnsEdgeFiles[d.dir+"/"+name+"_"+strconv.Itoa(hh)] = true
			var scored *dnsScore
			for j := range scores {
				s := &scores[j]
				if strings.ReplaceAll(s.name, "/", "-") == name && s.hhOK && s.hh == hh && s.tsOK && (scored == nil || s.ts < scored.ts) {
					scored = s
				}
			}
			p := filepath.Join(d.dir, n)
			hdr, rows, err := quoted(p)
			if err != nil {
				return err
			}
			ix, err := cols(p, hdr, "ip_dst", "ip_src", "dns_qry_name", "frame_len", "frame_time")
			if err != nil {
				return err
			}
			o.dnsEdgeFileN++
			moved := false
			for k, r := range rows {
				v := pick(r, ix)
				w, zone, ok := wall(v[4])
				o.zones[zone]++
				off, known := offset(zone)
				if !ok || !known {
					o.notef("dns %s:%d: frame_time %q has no known UTC offset: the row is rejected", p, k+2, v[4])
					continue
				}
				var at time.Time
				if scored != nil {
					at = time.Unix(scored.ts, 0).UTC()
				} else {
					at = time.Unix(w.Unix()-off, 0).UTC()
				}
				o.dnsEdge = append(o.dnsEdge, landed{date: dateOf(at), hh: at.Hour(), key: []string{v[2]}, sig: normAll(v[:4]), file: p})
				moved = moved || dateOf(at) != d.date || at.Hour() != hh
			}
			if moved {
				o.dnsMoved++
			}
		}
		// dns_dendro: the day folder; ip_dst is a column.
		ips := map[string]bool{}
		for _, n := range files(d.dir, "dendro-", ".csv") {
			ip := strings.TrimSuffix(strings.TrimPrefix(n, "dendro-"), ".csv")
			ips[ip] = true
			o.dnsDendroIPs = append(o.dnsDendroIPs, dayKey{d, ip})
			p := filepath.Join(d.dir, n)
			hdr, rows, err := table(p, ",")
			if err != nil {
				return err
			}
			ix, err := cols(p, hdr, "dns_a", "dns_qry_name", "ip_dst")
			if err != nil {
				return err
			}
			for _, r := range rows {
				v := pick(r, ix)
				o.dnsDendro = append(o.dnsDendro, landed{date: d.date, key: []string{v[2]}, sig: normAll(v), file: p})
			}
		}
		for i := range scores {
			s := &scores[i]
			s.hasDetail = s.hhOK && o.dnsEdgeFiles[d.dir+"/"+strings.ReplaceAll(s.name, "/", "-")+"_"+strconv.Itoa(s.hh)]
			s.hasDendro = ips[s.ipDst]
		}
		o.dnsScores = append(o.dnsScores, scores...)
		// dns_threat_dendro: anchor = the name's text; rows with a NULL
		// dns_qry_name dropped.
		anchors := map[string]bool{}
		for _, n := range files(d.dir, "threat-dendro-", ".csv") {
			anchor := strings.TrimSuffix(strings.TrimPrefix(n, "threat-dendro-"), ".csv")
			anchors[anchor] = true
			p := filepath.Join(d.dir, n)
			hdr, rows, err := table(p, ",")
			if err != nil {
				return err
			}
			ix, err := cols(p, hdr, "total", "dns_qry_name", "ip_dst")
			if err != nil {
				return err
			}
			for _, r := range rows {
				v := pick(r, ix)
				if null(v[1]) {
					continue
				}
				o.dnsThreatDen = append(o.dnsThreatDen, landed{date: d.date, key: []string{anchor}, sig: normAll(append([]string{anchor}, v...)), file: p})
			}
		}
		// dns_storyboard: threats.csv ip_dst|dns_qry_name|title|summary.
		if p := filepath.Join(d.dir, "threats.csv"); exists(p) {
			_, rows, err := table(p, "|")
			if err != nil {
				return err
			}
			for _, r := range rows {
				v := pick(r, []int{0, 1, 2})
				o.dnsStory = append(o.dnsStory, landed{date: d.date, sig: normAll(v), file: p})
				anchor := v[0]
				if v[1] != "" {
					anchor = v[1]
				}
				o.dnsThreatKeys = append(o.dnsThreatKeys, dnsThreat{day: d, ip: v[0], query: v[1], hasDendroCSV: anchors[anchor]})
			}
		}
	}
	return nil
}

// ---- proxy ----

type proxyScore struct {
	day       day
	clientip  string
	fulluri   string
	pdate     string
	uriSev    string
	scored    bool
	hasDetail bool
	line      int
}

func md5hex(s string) string {
	h := md5.Sum([]byte(s))
	return hex.EncodeToString(h[:])
}

func (o *oldTree) readProxy() error {
	ds, err := days(o.root, "proxy")
	if err != nil {
		return err
	}
	o.proxyDays = ds
	for _, d := range ds {
		uris := map[string]string{} // md5 → fulluri, from proxy_scores and es files
		var scores []proxyScore
		if p := filepath.Join(d.dir, "proxy_scores.tsv"); exists(p) {
			hdr, rows, err := table(p, "\t")
			if err != nil {
				return err
			}
			ix, err := cols(p, hdr, "p_date", "clientip", "fulluri", "uri_sev", "hash")
			if err != nil {
				return err
			}
			for i, r := range rows {
				v := pick(r, ix)
				s := proxyScore{day: d, pdate: v[0], clientip: v[1], fulluri: v[2], uriSev: v[3], line: i + 2}
				s.scored = positive(s.uriSev)
				s.hasDetail = exists(filepath.Join(d.dir, "edge-"+s.clientip+"-"+v[4]+".tsv"))
				uris[md5hex(s.fulluri)] = s.fulluri
				scores = append(scores, s)
			}
		}
		o.proxyScores = append(o.proxyScores, scores...)
		for _, n := range files(d.dir, "es-", ".csv") {
			p := filepath.Join(d.dir, n)
			hdr, rows, err := table(p, "\t")
			if err != nil {
				return err
			}
			ix, err := cols(p, hdr, "fulluri")
			if err != nil {
				return err
			}
			for _, r := range rows {
				u := pick(r, ix)[0]
				uris[md5hex(u)] = u
			}
		}
		// proxy_edge: the day folder.
		for _, n := range files(d.dir, "edge-", ".tsv") {
			p := filepath.Join(d.dir, n)
			hdr, rows, err := table(p, "\t")
			if err != nil {
				return err
			}
			ix, err := cols(p, hdr, "p_date", "p_time", "clientip", "fulluri")
			if err != nil {
				return err
			}
			for _, r := range rows {
				v := pick(r, ix)
				o.proxyEdge = append(o.proxyEdge, landed{date: d.date, key: []string{v[3], v[2]}, sig: normAll(v), file: p})
			}
		}
		// proxy_timeline: p_threat = the URI whose md5 is the name's.
		for _, n := range files(d.dir, "timeline-", ".tsv") {
			h := strings.TrimSuffix(strings.TrimPrefix(n, "timeline-"), ".tsv")
			uri, ok := uris[h]
			p := filepath.Join(d.dir, n)
			if !ok {
				o.notef("proxy %s: no fulluri of the day has md5 %s: Spot 1.0 cannot key it", p, h)
				continue
			}
			hdr, rows, err := table(p, "\t")
			if err != nil {
				return err
			}
			ix, err := cols(p, hdr, "tstart", "tend", "duration", "clientip")
			if err != nil {
				return err
			}
			for _, r := range rows {
				o.proxyTimeline = append(o.proxyTimeline, landed{date: d.date, key: []string{uri}, sig: normAll(pick(r, ix)), file: p})
			}
		}
		// proxy_storyboard: threats.csv hash|title|summary, keyed by the URI.
		if p := filepath.Join(d.dir, "threats.csv"); exists(p) {
			_, rows, err := table(p, "|")
			if err != nil {
				return err
			}
			for k, r := range rows {
				v := pick(r, []int{0, 1})
				uri, ok := uris[v[0]]
				if !ok {
					o.notef("proxy %s:%d: no fulluri of the day has md5 %s: Spot 1.0 cannot key it", p, k+2, v[0])
					continue
				}
				o.proxyStory = append(o.proxyStory, landed{date: d.date, sig: normAll([]string{uri, v[1]}), file: p})
				o.proxyThreats = append(o.proxyThreats, dayKey{d, uri})
			}
		}
	}
	return nil
}

// ---- ingest summaries ----

var (
	isName    = regexp.MustCompile(`^is_([0-9]{6}|[0-9]{8})\.csv$`)
	isoMinute = regexp.MustCompile(`^([0-9]{4})-([0-9]{2})-([0-9]{2})`)
	usMinute  = regexp.MustCompile(`^([0-9]{2})/([0-9]{2})/([0-9]{4}) (.*)$`)
)

func (o *oldTree) readIngest() error {
	for _, pipe := range []string{"flow", "dns", "proxy"} {
		dir := filepath.Join(o.root, "data", pipe, "ingest_summary")
		ents, _ := os.ReadDir(dir)
		for _, e := range ents {
			if !e.Type().IsRegular() || !isName.MatchString(e.Name()) {
				continue
			}
			p := filepath.Join(dir, e.Name())
			ls, err := text(p)
			if err != nil {
				return err
			}
			for k, l := range ls {
				f := strings.Split(l, ",")
				if l == "" || strings.EqualFold(f[0], "date") {
					continue // blank, or a header (repeated in date,flows files)
				}
				tdate := f[0]
				if m := usMinute.FindStringSubmatch(tdate); m != nil {
					tdate = m[3] + "-" + m[1] + "-" + m[2] + " " + m[4]
				}
				m := isoMinute.FindStringSubmatch(tdate)
				if m == nil || len(f) != 2 {
					o.notef("%s:%d: %q is not a summary row", p, k+1, l)
					continue
				}
				y, _ := atoi(m[1])
				mo, _ := atoi(m[2])
				dd, _ := atoi(m[3])
				o.ingest[pipe] = append(o.ingest[pipe], landed{date: date{y, mo, dd}, sig: normAll([]string{tdate, f[1]}), file: p})
			}
		}
	}
	return nil
}
