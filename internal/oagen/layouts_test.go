package oagen

import (
	"path/filepath"
	"strings"
	"testing"
	"time"
)

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
