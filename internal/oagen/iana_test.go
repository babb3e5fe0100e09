package oagen

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

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
