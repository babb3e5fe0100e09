package oafiles

import (
	"bytes"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// sampleRoot is the OA data root of the repository's sample files.
const sampleRoot = "../testdata/sample/spot-oa/data"

// readSample returns the bytes of a sample file, by slash path under the
// data root.
func readSample(t *testing.T, rel string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(sampleRoot, filepath.FromSlash(rel)))
	if err != nil {
		t.Fatalf("failed to read sample %s: %v", rel, err)
	}
	return b
}

// TestMatch checks every kind with the sample names and unpadded dates.
func TestMatch(t *testing.T) {
	cases := []struct {
		pipe    string
		y, m, d int
		name    string
		want    Unit
	}{
		{"flow", 2016, 10, 24, "globe-10.0.2.88.json", Unit{"flow", Storyboard, "flow/20161024/globe-10.0.2.88.json",
			"flow/oa/storyboard/2016/10/24/10_0_2_88/globe-10_0_2_88.json", ""}},
		{"flow", 2016, 10, 24, "stats-10.0.2.88.json", Unit{"flow", Storyboard, "flow/20161024/stats-10.0.2.88.json",
			"flow/oa/storyboard/2016/10/24/10_0_2_88/stats-10_0_2_88.json", ""}},
		{"flow", 2016, 12, 1, "threat-dendro-10.0.4.12.json", Unit{"flow", Storyboard, "flow/20161201/threat-dendro-10.0.4.12.json",
			"flow/oa/storyboard/2016/12/1/10_0_4_12/threat-dendro-10_0_4_12.json", ""}},
		{"flow", 2016, 7, 8, "globe-255.0.0.1.json", Unit{"flow", Storyboard, "flow/20160708/globe-255.0.0.1.json",
			"flow/oa/storyboard/2016/7/8/255_0_0_1/globe-255_0_0_1.json", ""}},
		{"proxy", 2016, 10, 20, "incident-progression-725cb34289c4e3618d273c1b64e7b1d4.json", Unit{"proxy", Storyboard,
			"proxy/20161020/incident-progression-725cb34289c4e3618d273c1b64e7b1d4.json",
			"proxy/oa/storyboard/2016/10/20/incident-progression-725cb34289c4e3618d273c1b64e7b1d4.json", ""}},
		{"proxy", 2016, 7, 8, "incident-progression-9adba15ebde72ca0d5bbb19146abbefe.json", Unit{"proxy", Storyboard,
			"proxy/20160708/incident-progression-9adba15ebde72ca0d5bbb19146abbefe.json",
			"proxy/oa/storyboard/2016/7/8/incident-progression-9adba15ebde72ca0d5bbb19146abbefe.json", ""}},
		{"flow", 2016, 10, 24, "flow_scores_fb.csv", Unit{"flow", Feedback, "flow/20161024/flow_scores_fb.csv",
			"flow/scored_results/20161024/feedback/ml_feedback.csv", ""}},
		{"dns", 2016, 7, 8, "dns_scores_fb.csv", Unit{"dns", Feedback, "dns/20160708/dns_scores_fb.csv",
			"dns/scored_results/20160708/feedback/ml_feedback.csv", ""}},
		{"proxy", 2016, 12, 13, "proxy_scores_fb.csv", Unit{"proxy", Feedback, "proxy/20161213/proxy_scores_fb.csv",
			"proxy/scored_results/20161213/feedback/ml_feedback.csv", ""}},
	}
	for _, c := range cases {
		got, ok := Match(c.pipe, c.y, c.m, c.d, c.name)
		if !ok || got != c.want {
			t.Errorf("Match(%s, %d, %d, %d, %q) = %+v, %v; want %+v", c.pipe, c.y, c.m, c.d, c.name, got, ok, c.want)
		}
	}
}

// TestMatchRejects checks that hostile and foreign names are no match.
func TestMatchRejects(t *testing.T) {
	cases := []struct {
		pipe    string
		y, m, d int
		name    string
	}{
		{"flow", 2016, 10, 24, "globe-../../x.json"},
		{"flow", 2016, 10, 24, "globe-10.0.0.1.json.bak"},
		{"flow", 2016, 10, 24, "globe-999.1.1.1.json"},
		{"flow", 2016, 10, 24, "globe-10.0.0.json"},
		{"flow", 2016, 10, 24, "globe-10.0.0.1.2.json"},
		{"flow", 2016, 10, 24, "globe-010.0.0.1.json"},
		{"flow", 2016, 10, 24, "globe-10_0_2_88.json"},
		{"flow", 2016, 10, 24, "globe-10.0.2.88.json\n"},
		{"flow", 2016, 10, 24, "globe-10.0.2.88\xff.json"},
		{"flow", 2016, 10, 24, "\xff\xfe"},
		{"flow", 2016, 10, 24, "incident-progression-725cb34289c4e3618d273c1b64e7b1d4.json"},
		{"flow", 2016, 10, 24, "dns_scores_fb.csv"},
		{"flow", 2016, 10, 24, "flow_scores.csv"},
		{"flow", 2016, 10, 24, "../flow_scores_fb.csv"},
		{"proxy", 2016, 10, 20, "incident-progression-XYZ.json"},
		{"proxy", 2016, 10, 20, "incident-progression-725CB34289C4E3618D273C1B64E7B1D4.json"},
		{"proxy", 2016, 10, 20, "incident-progression-725cb34289c4e3618d273c1b64e7b1d.json"},
		{"proxy", 2016, 10, 20, "incident-progression-../../725cb34289c4e3618d273c1b64e7b1d4.json"},
		{"proxy", 2016, 10, 20, "globe-10.0.2.88.json"},
		{"dns", 2016, 11, 6, "threat-dendro-10.0.7.33.json"},
		{"dns", 2016, 11, 6, "globe-10.0.7.33.json"},
		{"web", 2016, 11, 6, "web_scores_fb.csv"},
		{"flow", 2016, 2, 30, "flow_scores_fb.csv"},
		{"flow", 2016, 13, 1, "flow_scores_fb.csv"},
		{"flow", 0, 1, 1, "flow_scores_fb.csv"},
		{"flow", 10000, 1, 1, "flow_scores_fb.csv"},
	}
	for _, c := range cases {
		if u, ok := Match(c.pipe, c.y, c.m, c.d, c.name); ok {
			t.Errorf("Match(%s, %d, %d, %d, %q) = %+v; want no match", c.pipe, c.y, c.m, c.d, c.name, u)
		}
	}
}

// destRE is the set of characters a storyboard or feedback Dest may hold.
var destRE = regexp.MustCompile(`^[a-z]+/(oa/storyboard/[0-9]{1,4}/[0-9]{1,2}/[0-9]{1,2}/([0-9_]+/)?[a-z-]+-[0-9a-f_]+\.json|scored_results/[0-9]{8}/feedback/ml_feedback\.csv)$`)

// FuzzMatch checks that a matched Dest never leaves its documented shape.
func FuzzMatch(f *testing.F) {
	for _, s := range []string{"globe-10.0.2.88.json", "stats-1.2.3.4.json", "threat-dendro-0.0.0.0.json",
		"incident-progression-725cb34289c4e3618d273c1b64e7b1d4.json", "flow_scores_fb.csv", "globe-../x.json"} {
		f.Add("flow", 2016, 7, 8, s)
		f.Add("proxy", 2016, 12, 31, s)
	}
	f.Fuzz(func(t *testing.T, pipe string, y, m, d int, name string) {
		u, ok := Match(pipe, y, m, d, name)
		if !ok {
			return
		}
		if !destRE.MatchString(u.Dest) || strings.Contains(u.Dest, "..") {
			t.Fatalf("Match(%q, %d, %d, %d, %q) gave Dest %q", pipe, y, m, d, name, u.Dest)
		}
		if strings.Contains(u.Source, "..") || strings.Count(u.Source, "/") != 2 {
			t.Fatalf("Match(%q, %d, %d, %d, %q) gave Source %q", pipe, y, m, d, name, u.Source)
		}
	})
}

// convertSample converts a sample file through its matched unit.
func convertSample(t *testing.T, pipe string, y, m, d int, name string) ([]byte, []byte, Unit) {
	t.Helper()
	u, ok := Match(pipe, y, m, d, name)
	if !ok {
		t.Fatalf("Match(%s, %q) = no match", pipe, name)
	}
	src := readSample(t, u.Source)
	out, u, err := Convert(u, src)
	if err != nil {
		t.Fatalf("Convert(%s) error: %v", u.Source, err)
	}
	return src, out, u
}

// TestConvertIdentical checks that JSON, F8 and D1 samples are copied.
func TestConvertIdentical(t *testing.T) {
	cases := []struct {
		pipe    string
		y, m, d int
		name    string
	}{
		{"flow", 2016, 10, 24, "globe-10.0.2.88.json"},
		{"flow", 2016, 10, 24, "stats-10.0.2.88.json"},
		{"flow", 2016, 10, 24, "threat-dendro-10.0.2.88.json"},
		{"flow", 2016, 12, 1, "globe-10.0.4.12.json"},
		{"proxy", 2016, 10, 20, "incident-progression-725cb34289c4e3618d273c1b64e7b1d4.json"},
		{"proxy", 2016, 12, 13, "incident-progression-9adba15ebde72ca0d5bbb19146abbefe.json"},
		{"flow", 2016, 12, 1, "flow_scores_fb.csv"},
		{"dns", 2016, 11, 6, "dns_scores_fb.csv"},
	}
	for _, c := range cases {
		src, out, u := convertSample(t, c.pipe, c.y, c.m, c.d, c.name)
		if !bytes.Equal(src, out) || u.Convert != "" {
			t.Errorf("Convert(%s): Convert %q, identical %v; want a byte-identical copy", u.Source, u.Convert, bytes.Equal(src, out))
		}
	}
}

// TestConvertProxyIdentical checks that a 26-column proxy file is copied.
func TestConvertProxyIdentical(t *testing.T) {
	src := []byte(strings.Join(catalogHeader("proxy_scores", "P0"), "\t") + "\r\n" +
		strings.Repeat("x\t", 25) + "x\r\n")
	u, _ := Match("proxy", 2016, 12, 13, "proxy_scores_fb.csv")
	out, u, err := Convert(u, src)
	if err != nil || !bytes.Equal(out, src) || u.Convert != "" {
		t.Fatalf("Convert(proxy) = %q, %q, %v; want a copy", out, u.Convert, err)
	}
}

// TestConvertF20 checks the sample F20 file against the hand-written golden
// output.
func TestConvertF20(t *testing.T) {
	_, out, u := convertSample(t, "flow", 2016, 10, 24, "flow_scores_fb.csv")
	want, err := os.ReadFile("testdata/flow_20161024_ml_feedback.csv")
	if err != nil {
		t.Fatalf("failed to read golden file: %v", err)
	}
	if !bytes.Equal(out, want) || u.Convert != "F20 to F8" {
		t.Errorf("Convert(F20) = %q (Convert %q); want %q (F20 to F8)", out, u.Convert, want)
	}
}

// TestConvertD0 checks a D0 file built from the catalog's D0 header: tld
// is empty, other columns are picked by name; blank lines and a repeated
// header are dropped.
func TestConvertD0(t *testing.T) {
	d0 := strings.Join(catalogHeader("dns_scores", "D0"), "\t")
	row := "Nov  6 2016 01:20:15.250000000 PDT\t131\t10.0.7.21\tdGVzdA.iodine-tun.org\t0x00000001\t10\t0\t" +
		"iodine-tun\tdGVzdA\t6\t2\t2.58\t0\tNone\t1.4e-06\t\t01\t0\t3\tInternet (IN)\tNULL\tNoError\t\t1478420415"
	src := "\xef\xbb\xbf" + d0 + "\r\n\r\n" + row + "\r\n" + d0 + "\r\n"
	want := "frame_time\tframe_len\tip_dst\tdns_qry_name\tdns_qry_class\tdns_qry_type\tdns_qry_rcode\tscore\ttld\t" +
		"query_rep\thh\tip_sev\tdns_sev\tdns_qry_class_name\tdns_qry_type_name\tdns_qry_rcode_name\tnetwork_context\tunix_tstamp\n" +
		"Nov  6 2016 01:20:15.250000000 PDT\t131\t10.0.7.21\tdGVzdA.iodine-tun.org\t0x00000001\t10\t0\t1.4e-06\t\t" +
		"\t01\t0\t3\tInternet (IN)\tNULL\tNoError\t\t1478420415\n"
	u, _ := Match("dns", 2016, 11, 6, "dns_scores_fb.csv")
	out, u, err := Convert(u, []byte(src))
	if err != nil || string(out) != want || u.Convert != "D0 to D1" {
		t.Fatalf("Convert(D0) = %q, %q, %v; want %q", out, u.Convert, err, want)
	}
	if f := strings.Split(strings.Split(string(out), "\n")[1], "\t"); f[12] != "3" || f[17] != "1478420415" {
		t.Errorf("D1 positions 12, 17 = %q, %q", f[12], f[17])
	}
}

// TestConvertErrors checks the messages for an unknown header, a short
// row, a stray CR, an empty file and a notebook unit.
func TestConvertErrors(t *testing.T) {
	u, _ := Match("flow", 2016, 12, 1, "flow_scores_fb.csv")
	f8 := "sev\ttstart\tsrcIP\tdstIP\tsport\tdport\tipkt\tibyt\n"
	cases := []struct {
		src  string
		want []string
	}{
		{"sev\ttstart\tsrcIP\n1\t2\t3\n", []string{"flow/20161201/flow_scores_fb.csv", `unknown header "sev\ttstart\tsrcIP"`}},
		{f8 + "3\t2016-12-01 00:00:00\t10.0.0.1\t10.0.0.2\t1\t2\t3\t4\n\n3\t2016-12-01\t10.0.0.1\n",
			[]string{"flow/20161201/flow_scores_fb.csv", "line 4: 3 fields, the header has 8"}},
		{f8 + "3\t2016-12-01 00:00:00\t10.0.0.1\t10.0.0.2\t1\t2\t3\r4\n", []string{"line 2: carriage return"}},
		{"\r\n\n", []string{"flow/20161201/flow_scores_fb.csv", "no header line"}},
	}
	for _, c := range cases {
		_, _, err := Convert(u, []byte(c.src))
		for _, w := range c.want {
			if err == nil || !strings.Contains(err.Error(), w) {
				t.Errorf("Convert(%q) error = %v; want it to name %q", c.src, err, w)
			}
		}
	}
	nb := Notebooks("flow", "20161024")[0]
	if _, _, err := Convert(nb, nil); err == nil {
		t.Errorf("Convert(notebook) gave no error")
	}
}

// TestNotebooks checks the notebook units and their paths.
func TestNotebooks(t *testing.T) {
	got := Notebooks("proxy", "20160708")
	want := []Unit{
		{"proxy", Notebook, "Threat_Investigation_master.ipynb", "ipynb/proxy/20160708/Threat_Investigation.ipynb", ""},
		{"proxy", Notebook, "Advanced_Mode_master.ipynb", "ipynb/proxy/20160708/Advanced_Mode.ipynb", ""},
	}
	if len(got) != 2 || got[0] != want[0] || got[1] != want[1] {
		t.Errorf("Notebooks = %+v; want %+v", got, want)
	}
	for _, bad := range [][2]string{{"web", "20160708"}, {"flow", "2016-07-08"}, {"flow", "20160230"},
		{"flow", "../../x"}, {"flow", "00000101"}} {
		if u := Notebooks(bad[0], bad[1]); u != nil {
			t.Errorf("Notebooks(%q, %q) = %+v; want nil", bad[0], bad[1], u)
		}
	}
}
