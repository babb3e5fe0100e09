package oagen

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

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
