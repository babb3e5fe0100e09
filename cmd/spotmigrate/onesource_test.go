package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// Headers as the old OA wrote them (reference §2.1 F21, §2.2 D1).
const (
	flowF21Header = "sev,tstart,srcIP,dstIP,sport,dport,proto,ipkt,ibyt,opkt,obyt,score,rank,srcIpInternal,destIpInternal,srcGeo,dstGeo,srcDomain,dstDomain,srcIP_rep,dstIP_rep"
	dnsD1Header   = "frame_time,frame_len,ip_dst,dns_qry_name,dns_qry_class,dns_qry_type,dns_qry_rcode,score,tld,query_rep,hh,ip_sev,dns_sev,dns_qry_class_name,dns_qry_type_name,dns_qry_rcode_name,network_context,unix_tstamp"
)

// oneSourceTree writes a flow and a DNS day whose scores files each hold a
// clean scored row, a scored row rejected for a column only the scores
// table carries (obyt, frame_len: a type error), and a scored row with a
// notice on such a column (an ibyt above the INT range, a class name no
// registry knows).
func oneSourceTree(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string][]string{
		"flow/20161010/flow_scores.csv": {flowF21Header,
			"1,2016-10-10 10:00:00,10.0.0.1,10.0.0.2,5555,80,TCP,12,3000,4,400,1e-06,0,1,0,,,,,,",
			"2,2016-10-10 11:00:00,10.0.0.3,10.0.0.4,5556,443,TCP,12,3000,4,many,2e-06,1,1,0,,,,,,",
			"3,2016-10-10 12:00:00,10.0.0.5,10.0.0.6,5557,22,TCP,12,3000000000,4,400,3e-06,2,1,0,,,,,,"},
		"dns/20160520/dns_scores.csv": {dnsD1Header,
			"May 20 2016 02:10:25.970987000 UTC,93,10.0.0.5,evil.example.com,0x00000001,1,0,1e-05,example.com,,02,1,0,Internet (IN),A,NoError,,1463710225",
			"May 20 2016 03:00:00.000000000 UTC,big,10.0.0.6,bad.example.com,0x00000001,1,0,2e-05,example.com,,03,1,0,Internet (IN),A,NoError,,1463713200",
			"May 20 2016 04:00:00.000000000 UTC,90,10.0.0.7,odd.example.com,0x00000001,1,0,3e-05,example.com,,04,2,0,Chaos-ish,A,NoError,,1463716800"},
	}
	for name, lines := range files {
		p := filepath.Join(dir, "spot-oa", "data", filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(strings.Join(lines, "\r\n")+"\r\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dir
}

// TestRowRejectedOutOfEveryTableItFeeds: a row rejected for a column that
// only one of its source's two tables carries is out of both, a row with
// a notice is in both (with --strict, out of both), and reconcile passes
// for every table.
func TestRowRejectedOutOfEveryTableItFeeds(t *testing.T) {
	for _, c := range []struct {
		name   string
		strict bool
		want   map[string]int64
	}{
		{"notices land", false, map[string]int64{
			"flow_scores/y=2016/m=10/d=10": 2, "flow_threat_investigation/y=2016/m=10/d=10": 2,
			"dns_scores/y=2016/m=5/d=20": 2, "dns_threat_investigation/y=2016/m=5/d=20": 2}},
		{"strict", true, map[string]int64{
			"flow_scores/y=2016/m=10/d=10": 1, "flow_threat_investigation/y=2016/m=10/d=10": 1,
			"dns_scores/y=2016/m=5/d=20": 1, "dns_threat_investigation/y=2016/m=5/d=20": 1}},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := oneSourceTree(t)
			args := []string{"migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--max-rejects", "4"}
			if c.strict {
				args = append(args, "--strict")
			}
			r := spot(t, dir, nil, args...)
			// the rejects are within --max-rejects: the pipelines verify and are archived
			if r.Code != exitOK || !strings.Contains(r.Stderr, "Archived flow to") || !strings.Contains(r.Stderr, "Archived dns to") {
				t.Fatalf("exit %d, want %d with both pipelines archived\n%s%s", r.Code, exitOK, r.Stdout, r.Stderr)
			}
			if !strings.Contains(r.Stdout, "OK: all 4 partition(s) match the manifest") {
				t.Errorf("reconcile did not pass:\n%s", r.Stdout)
			}
			got := targetCounts(t, filepath.Join(dir, "out", "spot.duckdb"))
			for k, n := range c.want {
				if got[k] != n {
					t.Errorf("%s: %d rows, want %d", k, got[k], n)
				}
			}
			if len(got) != len(c.want) {
				t.Errorf("target partitions %v, want %v", got, c.want)
			}
			rec := spot(t, dir, nil, "reconcile", "--target", "out/spot.duckdb")
			if rec.Code != exitOK {
				t.Errorf("reconcile: exit %d\n%s%s", rec.Code, rec.Stdout, rec.Stderr)
			}
		})
	}
}
