package oagen

import (
	"fmt"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"
)

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
