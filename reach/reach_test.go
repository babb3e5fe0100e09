package reach

import (
	"database/sql"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	_ "github.com/duckdb/duckdb-go/v2"

	"spotmigrate/internal/testkit"
)

// showAll reports every failing read instead of the first five per kind.
var showAll = flag.Bool("reach.all", false, "report every failing read, not only the first five of each kind")

// bin is the spotmigrate binary, built once. REACH_SPOTMIGRATE names a
// binary to test instead (another build or a release).
var bin string

func TestMain(m *testing.M) {
	if bin = os.Getenv("REACH_SPOTMIGRATE"); bin != "" {
		os.Exit(m.Run())
	}
	dir, err := os.MkdirTemp("", "reach-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, "reach:", err)
		os.Exit(1)
	}
	bin = filepath.Join(dir, "spotmigrate")
	cmd := exec.Command("go", "build", "-o", bin, "./cmd/spotmigrate")
	cmd.Dir = testkit.Repo()
	if out, err := cmd.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "reach: failed to build spotmigrate: %v\n%s", err, out)
		os.RemoveAll(dir)
		os.Exit(1)
	}
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestReachSample replays Spot 1.0's reads on the migrated sample tree.
func TestReachSample(t *testing.T) {
	dir := t.TempDir()
	oa := filepath.Join(dir, "spot-oa")
	testkit.CopyTree(t, testkit.Repo("testdata", "sample", "spot-oa"), oa)
	reach(t, "sample", dir, oa)
}

// reach reads the old tree, migrates it, makes every read and reports.
func reach(t *testing.T, tree, dir, oa string) {
	old, err := readOldTree(oa)
	if err != nil {
		t.Fatalf("failed to read the old tree: %v", err)
	}
	for i, n := range old.notes {
		if i == 20 {
			t.Logf("%s: old tree: %d more notes", tree, len(old.notes)-20)
			break
		}
		t.Logf("%s: old tree: %s", tree, n)
	}
	t.Logf("%s: old tree: %d of %d flow edge files land outside their day folder's date; "+
		"%d of %d dns edge files land in another UTC date or hour than their folder and name; dns zone tokens %v",
		tree, old.flowMoved, old.flowEdgeFiles, old.dnsMoved, old.dnsEdgeFileN, old.zones)
	plan := planReads(old)
	if len(plan) == 0 {
		t.Fatalf("%s: the old tree has no scored or threat row with detail files", tree)
	}

	target := filepath.Join(dir, "spot.duckdb")
	work := filepath.Join(dir, "work")
	if err := os.MkdirAll(work, 0o755); err != nil {
		t.Fatal(err)
	}
	t0 := time.Now()
	r := testkit.Run(t, bin, dir, nil, "migrate", "--oa-path", oa, "--target", target, "--work-dir", work, "--no-archive")
	t.Logf("%s: spotmigrate migrate: exit %d in %s", tree, r.Code, time.Since(t0).Round(time.Millisecond))
	if r.Code != 0 {
		t.Logf("%s: migrate stdout (tail):\n%s\nstderr:\n%s", tree, tail(r.Stdout, 40), tail(r.Stderr, 40))
	}
	if _, err := os.Stat(target); err != nil {
		t.Fatalf("%s: no target after migrate (exit %d): %v\n%s", tree, r.Code, err, tail(r.Stderr, 40))
	}

	db := openTarget(t, target)

	type tally struct{ made, found, scoredMade, scoredFound int }
	byKind := map[string]*tally{}
	shown := map[string]int{}
	made, found := 0, 0
	for _, l := range plan {
		tl := byKind[l.read.Kind]
		if tl == nil {
			tl = &tally{}
			byKind[l.read.Kind] = tl
		}
		ok, msg := l.run(db)
		made++
		tl.made++
		if l.scored {
			tl.scoredMade++
		}
		if ok {
			found++
			tl.found++
			if l.scored {
				tl.scoredFound++
			}
			continue
		}
		if shown[l.read.Kind]++; shown[l.read.Kind] <= 5 || *showAll {
			t.Errorf("%s: %s %s: %s", tree, l.read.Kind, l.key, msg)
		}
	}
	for _, k := range kinds() {
		tl := byKind[k]
		if tl == nil {
			t.Logf("%s: %-26s no reads (no such rows with detail files in the old tree)", tree, k)
			continue
		}
		s := ""
		if tl.scoredMade > 0 {
			s = fmt.Sprintf("  (from scored rows: %d of %d)", tl.scoredFound, tl.scoredMade)
		}
		t.Logf("%s: %-26s %4d of %4d reads found their rows%s", tree, k, tl.found, tl.made, s)
		if n := shown[k]; n > 5 && !*showAll {
			t.Logf("%s: %s: %d more failing reads not shown", tree, k, n-5)
		}
	}
	t.Logf("%s: reach: %d of %d reads found their rows", tree, found, made)
	if found != made {
		t.Errorf("%s: reach: %d of %d reads found their rows", tree, found, made)
	}
}

// openTarget opens the target read-only. A database file is its own catalog,
// named after the file: spot.duckdb holds catalog spot with schema spot, where
// Spot 1.0's spot.<table> is ambiguous. So the file is attached, read-only,
// under another name and made the default catalog, and spot.<table> names
// schema spot as in Spot 1.0. One connection keeps that USE.
func openTarget(t *testing.T, path string) *sql.DB {
	t.Helper()
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	db.SetMaxOpenConns(1)
	if _, err := db.Exec(`ATTACH '` + strings.ReplaceAll(path, "'", "''") + `' AS reach_target (READ_ONLY)`); err != nil {
		t.Fatalf("failed to attach the target: %v", err)
	}
	if _, err := db.Exec(`USE reach_target`); err != nil {
		t.Fatalf("failed to use the target: %v", err)
	}
	return db
}

func kinds() []string {
	var out []string
	seen := map[string]bool{}
	for _, r := range Reads {
		if !seen[r.Kind] {
			seen[r.Kind] = true
			out = append(out, r.Kind)
		}
	}
	return out
}

// lookup is one read with its bound arguments and its expected result.
type lookup struct {
	read Read
	args []any
	key  string
	// sig names the result columns compared row by row; nil compares the
	// number of rows only (reads with a LIMIT).
	sig    []string
	want   [][]string
	scored bool
}

// run makes the read and compares what it finds with want.
func (l *lookup) run(db *sql.DB) (bool, string) {
	if len(l.args) != len(l.read.Params) {
		return false, fmt.Sprintf("%d arguments for %d parameters", len(l.args), len(l.read.Params))
	}
	rows, err := db.Query(l.read.SQL, l.args...)
	if err != nil {
		return false, fmt.Sprintf("query failed: %v", err)
	}
	defer rows.Close()
	names, err := rows.Columns()
	if err != nil {
		return false, err.Error()
	}
	idx := make([]int, len(l.sig))
	for i, s := range l.sig {
		idx[i] = -1
		for j, n := range names {
			if strings.EqualFold(n, s) {
				idx[i] = j
				break
			}
		}
		if idx[i] < 0 {
			return false, fmt.Sprintf("no result column %s in %v", s, names)
		}
	}
	var got [][]string
	vals := make([]any, len(names))
	ptrs := make([]any, len(names))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return false, fmt.Sprintf("scan failed: %v", err)
		}
		row := make([]string, len(idx))
		for i, j := range idx {
			row[i] = norm(text1(vals[j]))
		}
		got = append(got, row)
	}
	if err := rows.Err(); err != nil {
		return false, fmt.Sprintf("read failed: %v", err)
	}
	if l.sig == nil {
		if len(got) != len(l.want) {
			return false, fmt.Sprintf("found %d rows, want %d", len(got), len(l.want))
		}
		return true, ""
	}
	missing, extra := diff(l.want, got)
	if len(missing) == 0 && len(extra) == 0 {
		return true, ""
	}
	msg := fmt.Sprintf("found %d rows, want %d", len(got), len(l.want))
	if len(missing) > 0 {
		msg += fmt.Sprintf("; missing %d, e.g. %s", len(missing), strings.Join(head(missing, 2), " | "))
	}
	if len(extra) > 0 {
		msg += fmt.Sprintf("; unexpected %d, e.g. %s", len(extra), strings.Join(head(extra, 2), " | "))
	}
	return false, msg + fmt.Sprintf(" (columns %s)", strings.Join(l.sig, ","))
}

func text1(v any) string {
	switch x := v.(type) {
	case nil:
		return ""
	case string:
		return x
	case []byte:
		return string(x)
	case int64:
		return strconv.FormatInt(x, 10)
	case int32:
		return strconv.FormatInt(int64(x), 10)
	case int16:
		return strconv.FormatInt(int64(x), 10)
	case int8:
		return strconv.FormatInt(int64(x), 10)
	default:
		return fmt.Sprint(x)
	}
}

// diff returns the rows of want not in got and of got not in want, as
// multisets.
func diff(want, got [][]string) (missing, extra []string) {
	n := map[string]int{}
	for _, r := range want {
		n[strings.Join(r, "\x1f")]++
	}
	for _, r := range got {
		n[strings.Join(r, "\x1f")]--
	}
	keys := make([]string, 0, len(n))
	for k := range n {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		show := "[" + strings.ReplaceAll(k, "\x1f", ", ") + "]"
		for c := n[k]; c > 0; c-- {
			missing = append(missing, show)
		}
		for c := n[k]; c < 0; c++ {
			extra = append(extra, show)
		}
	}
	return missing, extra
}

func head(s []string, n int) []string {
	if len(s) > n {
		return s[:n]
	}
	return s
}

func tail(s string, n int) string {
	ls := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(ls) > n {
		ls = ls[len(ls)-n:]
	}
	return strings.Join(ls, "\n")
}

// ---- the plan: which reads the UI makes for the old tree's rows ----

// planner collects lookups, one per distinct read and arguments.
type planner struct {
	byKey map[string]*lookup
	out   []*lookup
}

func (p *planner) add(r Read, key string, scored bool, args []any, sig []string, want func() [][]string) {
	k := r.Func + "\x00" + fmt.Sprintf("%#v", args)
	if l := p.byKey[k]; l != nil {
		l.scored = l.scored || scored
		return
	}
	l := &lookup{read: r, args: args, key: key, sig: sig, want: want(), scored: scored}
	p.byKey[k] = l
	p.out = append(p.out, l)
}

func ymd(d date) []any { return []any{d.y, d.m, d.d} }

func with(a []any, more ...any) []any { return append(append([]any{}, a...), more...) }

// rowsWhere are the signatures of the landed rows that satisfy keep, each
// projected on proj (all of sig when proj is nil).
func rowsWhere(rows []landed, keep func(landed) bool, proj ...int) [][]string {
	var out [][]string
	for _, r := range rows {
		if !keep(r) {
			continue
		}
		if proj == nil {
			out = append(out, r.sig)
			continue
		}
		v := make([]string, len(proj))
		for i, j := range proj {
			v[i] = r.sig[j]
		}
		out = append(out, v)
	}
	return out
}

// index groups landed rows by a key, so that each read's expectation is one
// map lookup.
func index(rows []landed, key func(landed) string) map[string][]landed {
	out := map[string][]landed{}
	for _, r := range rows {
		k := key(r)
		out[k] = append(out[k], r)
	}
	return out
}

func all(landed) bool { return true }

func pairKey(d date, hh, mn int, a, b string) string {
	if b < a {
		a, b = b, a
	}
	return fmt.Sprintf("%s|%d|%d|%s|%s", d, hh, mn, a, b)
}

func dateKey(d date, parts ...any) string { return d.String() + "|" + fmt.Sprint(parts...) }

// count is a count-only expectation of n rows.
func count(n int) [][]string { return make([][]string, n) }

func planReads(o *oldTree) []*lookup {
	p := &planner{byKey: map[string]*lookup{}}
	flowEdge := index(o.flowEdge, func(r landed) string { return pairKey(r.date, r.hh, r.mn, r.key[0], r.key[1]) })
	flowChords := index(o.flowChords, func(r landed) string { return dateKey(r.date, r.key[0]) })
	flowTimeline := index(o.flowTimeline, func(r landed) string { return dateKey(r.date, r.key[0]) })
	flowStory := index(o.flowStory, func(r landed) string { return dateKey(r.date) })
	dnsEdge := index(o.dnsEdge, func(r landed) string { return dateKey(r.date, r.hh, "\x00", r.key[0]) })
	dnsDendro := index(o.dnsDendro, func(r landed) string { return dateKey(r.date, r.key[0]) })
	dnsThreatDen := index(o.dnsThreatDen, func(r landed) string { return dateKey(r.date, r.key[0]) })
	dnsStory := index(o.dnsStory, func(r landed) string { return dateKey(r.date) })
	proxyEdge := index(o.proxyEdge, func(r landed) string { return dateKey(r.date, r.key[0], "\x00", r.key[1]) })
	proxyTimeline := index(o.proxyTimeline, func(r landed) string { return dateKey(r.date, r.key[0]) })
	proxyStory := index(o.proxyStory, func(r landed) string { return dateKey(r.date) })

	// ---- flow ----
	flowDays := map[date]bool{}
	scoredSrc, scoredDst := map[string]bool{}, map[string]bool{}
	for _, s := range o.flowScores {
		flowDays[s.day.date] = true
		if s.scored {
			scoredSrc[s.src], scoredDst[s.dst] = true, true
		}
	}
	for _, d := range o.flowDays {
		if !flowDays[d.date] {
			continue
		}
		// suspicious: the day's rows whose srcip and dstip are in no scored
		// row of any day (the LEFT JOIN has no date predicate), at most 250.
		n := 0
		var scored [][]string
		for _, s := range o.flowScores {
			if s.day.date != d.date {
				continue
			}
			if !scoredSrc[s.src] && !scoredDst[s.dst] {
				n++
			}
			if s.scored {
				scored = append(scored, normAll([]string{s.tstart, s.src, s.dst, s.sport, s.dport, s.sev}))
			}
		}
		p.add(FlowSuspicious, d.date.String(), false, ymd(d.date), nil, func() [][]string { return count(min(n, 250)) })
		p.add(FlowThreats, d.date.String(), len(scored) > 0, ymd(d.date),
			[]string{"tstart", "srcip", "dstip", "srcport", "dstport", "score"}, func() [][]string { return scored })
	}
	for _, s := range o.flowScores {
		if !s.hasDetail {
			continue
		}
		// edgeDetails(tstart, srcIp, dstIp) of the clicked row.
		t := dateOf(s.t)
		hh, mn := s.t.Hour(), s.t.Minute()
		src, dst := s.src, s.dst
		p.add(FlowDetails, fmt.Sprintf("%s %s<->%s (row %s/flow_scores.csv:%d)", s.tstart, src, dst, s.day.name, s.line), s.scored,
			with([]any{t.y, t.m, t.d, hh, mn}, src, dst, dst, src),
			[]string{"tstart", "srcip", "dstip", "sport", "dport", "proto"},
			func() [][]string {
				return rowsWhere(flowEdge[pairKey(t, hh, mn, src, dst)], all)
			})
	}
	for _, c := range o.flowChords {
		d, ip := c.date, c.key[0]
		p.add(FlowChords, d.String()+" "+ip, false, with(ymd(d), ip), []string{"srcip", "dstip"}, func() [][]string {
			return rowsWhere(flowChords[dateKey(d, ip)], all)
		})
	}
	storyDays := map[date]bool{}
	for _, s := range o.flowStory {
		d, ip := s.date, s.key[0]
		storyDays[d] = true
		// timeline(date, ip = the storyboard comment's ip).
		if exists(filepath.Join(filepath.Dir(s.file), "sbdet-"+ip+".tsv")) {
			p.add(FlowTimeline, d.String()+" "+ip, true, with(ymd(d), ip),
				[]string{"tstart", "tend", "srcip", "dstip", "sport", "dport"}, func() [][]string {
					return rowsWhere(flowTimeline[dateKey(d, ip)], all)
				})
		}
	}
	for d := range storyDays {
		p.add(FlowStoryboard, d.String(), true, ymd(d), []string{"ip_threat", "title"}, func() [][]string {
			return rowsWhere(flowStory[dateKey(d)], all)
		})
	}

	// ---- dns ----
	dnsDays := map[date]bool{}
	scoredNames := map[string]bool{}
	for _, s := range o.dnsScores {
		dnsDays[s.day.date] = true
		if s.scored {
			scoredNames[s.name] = true
		}
	}
	for _, d := range o.dnsDays {
		if !dnsDays[d.date] {
			continue
		}
		n := 0
		var scored [][]string
		for _, s := range o.dnsScores {
			if s.day.date != d.date {
				continue
			}
			if !scoredNames[s.name] {
				n++
			}
			if s.scored {
				scored = append(scored, normAll([]string{s.tsText, s.ipDst, s.name, s.ipSev, s.dnsSev}))
			}
		}
		p.add(DNSSuspicious, d.date.String(), false, ymd(d.date), nil, func() [][]string { return count(min(n, 250)) })
		p.add(DNSThreats, d.date.String(), len(scored) > 0, ymd(d.date),
			[]string{"unix_tstamp", "ip_dst", "dns_qry_name", "ip_sev", "dns_sev"}, func() [][]string { return scored })
	}
	for _, s := range o.dnsScores {
		if !s.hasDetail || !s.tsOK {
			continue
		}
		// edgeDetails(frameTime = UTC of unix_tstamp, dnsQuery).
		at := time.Unix(s.ts, 0).UTC()
		t, hh, name := dateOf(at), at.Hour(), s.name
		p.add(DNSDetails, fmt.Sprintf("%s %q (row %s/dns_scores.csv:%d)", at.Format("2006-01-02 15:04:05"), name, s.day.name, s.line), s.scored,
			[]any{t.y, t.m, t.d, hh, name},
			[]string{"ip_dst", "ip_src", "dns_qry_name", "frame_len"},
			func() [][]string {
				return rowsWhere(dnsEdge[dateKey(t, hh, "\x00", name)], all)
			})
	}
	for _, s := range o.dnsScores {
		if s.hasDendro {
			d, ip := s.day.date, s.ipDst
			p.add(DNSClientDetails, d.String()+" "+ip, s.scored, with(ymd(d), ip), []string{"dns_a", "dns_qry_name", "ip_dst"}, func() [][]string {
				return rowsWhere(dnsDendro[dateKey(d, ip)], all)
			})
		}
	}
	for _, k := range o.dnsDendroIPs {
		d, ip := k.day.date, k.key
		p.add(DNSClientDetails, d.String()+" "+ip, false, with(ymd(d), ip), []string{"dns_a", "dns_qry_name", "ip_dst"}, func() [][]string {
			return rowsWhere(dnsDendro[dateKey(d, ip)], all)
		})
	}
	storyDays = map[date]bool{}
	for _, k := range o.dnsThreatKeys {
		d := k.day.date
		storyDays[d] = true
		if !k.hasDendroCSV {
			continue
		}
		// incidentProgression(date, dnsQuery | clientIp of the comment).
		if k.query != "" {
			q := k.query
			p.add(DNSThreatDendroByQuery, d.String()+" query "+q, true, with(ymd(d), q), []string{"anchor", "total", "ip_dst"}, func() [][]string {
				return rowsWhere(dnsThreatDen[dateKey(d, q)], all, 0, 1, 3)
			})
		} else {
			ip := k.ip
			p.add(DNSThreatDendroByIP, d.String()+" ip "+ip, true, with(ymd(d), ip), []string{"anchor", "total", "dns_qry_name"}, func() [][]string {
				return rowsWhere(dnsThreatDen[dateKey(d, ip)], all, 0, 1, 2)
			})
		}
	}
	for d := range storyDays {
		p.add(DNSStoryboard, d.String(), true, ymd(d), []string{"ip_threat", "dns_threat", "title"}, func() [][]string {
			return rowsWhere(dnsStory[dateKey(d)], all)
		})
	}

	// ---- proxy ----
	proxyDays := map[date]bool{}
	scoredURIs := map[string]bool{}
	for _, s := range o.proxyScores {
		proxyDays[s.day.date] = true
		if s.scored {
			scoredURIs[s.fulluri] = true
		}
	}
	for _, d := range o.proxyDays {
		if !proxyDays[d.date] {
			continue
		}
		n := 0
		var scored [][]string
		for _, s := range o.proxyScores {
			if s.day.date != d.date {
				continue
			}
			if !scoredURIs[s.fulluri] {
				n++
			}
			if s.scored {
				scored = append(scored, normAll([]string{s.pdate, s.fulluri, s.uriSev}))
			}
		}
		p.add(ProxySuspicious, d.date.String(), false, ymd(d.date), nil, func() [][]string { return count(min(n, 250)) })
		p.add(ProxyThreats, d.date.String(), len(scored) > 0, ymd(d.date),
			[]string{"tdate", "fulluri", "uri_sev"}, func() [][]string { return scored })
	}
	for _, s := range o.proxyScores {
		if !s.hasDetail || (s.fulluri == "" && s.clientip == "") {
			continue
		}
		// edgeDetails(date = page date, uri, clientIp) of the clicked row.
		d, uri, ip := s.day.date, s.fulluri, s.clientip
		p.add(ProxyDetails, fmt.Sprintf("%s %s %s (row %s/proxy_scores.tsv:%d)", d, ip, uri, s.day.name, s.line), s.scored,
			with(ymd(d), uri, ip), []string{"tdate", "time", "clientip", "fulluri"}, func() [][]string {
				return rowsWhere(proxyEdge[dateKey(d, uri, "\x00", ip)], all)
			})
	}
	storyDays = map[date]bool{}
	for _, k := range o.proxyThreats {
		d, uri := k.day.date, k.key
		storyDays[d] = true
		// timeline(date, uri = the storyboard comment's uri).
		if exists(filepath.Join(k.day.dir, "timeline-"+md5hex(uri)+".tsv")) {
			p.add(ProxyTimeline, d.String()+" "+uri, true, with(ymd(d), uri), []string{"tstart", "tend", "duration", "clientip"}, func() [][]string {
				return rowsWhere(proxyTimeline[dateKey(d, uri)], all)
			})
		}
	}
	for d := range storyDays {
		p.add(ProxyStoryboard, d.String(), true, ymd(d), []string{"p_threat", "title"}, func() [][]string {
			return rowsWhere(proxyStory[dateKey(d)], all)
		})
	}

	// ---- ingest summaries: one day's range ----
	for _, x := range []struct {
		pipe string
		read Read
	}{{"flow", FlowIngestSummary}, {"dns", DNSIngestSummary}, {"proxy", ProxyIngestSummary}} {
		rows := o.ingest[x.pipe]
		seen := map[date]bool{}
		for _, r := range rows {
			d := r.date
			if seen[d] {
				continue
			}
			seen[d] = true
			p.add(x.read, d.String(), false, []any{d.y, d.y, d.m, d.m, d.d, d.d}, []string{"tdate", "total"}, func() [][]string {
				return rowsWhere(rows, func(r landed) bool { return r.date == d })
			})
		}
	}

	// report order: by read, then by key
	order := map[string]int{}
	for i, r := range Reads {
		if _, ok := order[r.Kind]; !ok {
			order[r.Kind] = i
		}
	}
	sort.SliceStable(p.out, func(i, j int) bool {
		a, b := p.out[i], p.out[j]
		if order[a.read.Kind] != order[b.read.Kind] {
			return order[a.read.Kind] < order[b.read.Kind]
		}
		return a.key < b.key
	})
	return p.out
}
