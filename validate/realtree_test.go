package validate

import (
	"context"
	"database/sql"
	"fmt"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"spotmigrate/catalog"
	"spotmigrate/dialect"
	"spotmigrate/internal/oagen"
	"spotmigrate/manifest"
)

// The trees below are written byte for byte as the old OA wrote its files
// (spec §7): Python csv files end lines with CRLF, impala-shell files with
// LF, DNS edge files are QUOTE_ALL, names are the registries' own.

const (
	dnsD1Header = "frame_time,frame_len,ip_dst,dns_qry_name,dns_qry_class,dns_qry_type,dns_qry_rcode,score,tld,query_rep,hh,ip_sev,dns_sev,dns_qry_class_name,dns_qry_type_name,dns_qry_rcode_name,network_context,unix_tstamp"
	dnsD0Header = "frame_time,frame_len,ip_dst,dns_qry_name,dns_qry_class,dns_qry_type,dns_qry_rcode,domain,subdomain,subdomain_length,num_periods,subdomain_entropy,top_domain,word,score,query_rep,hh,ip_sev,dns_sev,dns_qry_class_name,dns_qry_type_name,dns_qry_rcode_name,network_context,unix_tstamp"
	dnsEdgeHdr  = `"frame_time","frame_len","ip_dst","ip_src","dns_qry_name","dns_qry_class_name","dns_qry_type_name","dns_qry_rcode_name","dns_a"`
	flowL0Hdr   = "sev,tstart,srcIP,dstIP,sport,dport,proto,flag,ipkt,ibyt,lda_score,rank,srcIpInternal,destIpInternal,srcGeo,dstGeo,srcDomain,dstDomain,srcIP_rep,dstIP_rep"
	flowE13Hdr  = "tstart\tsrcip\tdstip\tsport\tdport\tproto\tflags\ttos\tbytes\tpkts\tinput\toutput\trip"
	flowC6Hdr   = "srcip\tdstip\tmaxbyte\tavgbyte\tmaxpkt\tavgpkt"
	sbdetHdr    = "tstart\ttend\tsrcip\tdstip\tproto\tsport\tdport\tpkts\tbytes"
)

// crlf joins lines as Python's csv writer does; lf as impala-shell does.
func crlf(lines ...string) string { return strings.Join(lines, "\r\n") + "\r\n" }
func lf(lines ...string) string   { return strings.Join(lines, "\n") + "\n" }

// quoteAll writes a row as csv.QUOTE_ALL does.
func quoteAll(fields ...string) string { return `"` + strings.Join(fields, `","`) + `"` }

// writeTree writes files (path relative to spot-oa/data) and returns the
// spot-oa folder.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := filepath.Join(t.TempDir(), "spot-oa")
	for rel, text := range files {
		p := filepath.Join(root, "data", rel)
		if strings.HasPrefix(rel, "../") {
			p = filepath.Join(root, rel[3:])
		}
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// validated validates a tree, staging its landing rows as migrate does,
// and returns the manifest and the staging files.
func validated(t *testing.T, opt Options) (*manifest.Manifest, *staged) {
	t.Helper()
	if opt.Pipelines == nil {
		opt.Pipelines = all
	}
	opt.WorkDir = t.TempDir()
	opt.Stage = filepath.Join(t.TempDir(), "stage")
	m, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	return m, openStaged(t, opt.Stage)
}

// landed returns the rows of table that migrate would stage, as text:
// "y/m/d col=value …" for the columns asked, sorted by the first column.
func landed(t *testing.T, w *staged, table string, cols ...string) []string {
	t.Helper()
	q, args := w.rows(table), []any(nil)
	if q == "" {
		return nil
	}
	sel := []string{"concat_ws('/', y, m, d)"}
	for _, c := range cols {
		sel = append(sel, fmt.Sprintf("'%s=' || coalesce(CAST(%q AS VARCHAR), 'NULL')", c, c))
	}
	rows, err := w.Conn.QueryContext(context.Background(),
		"SELECT concat_ws(' ', "+strings.Join(sel, ", ")+") AS r FROM ("+q+") ORDER BY r", args...)
	if err != nil {
		t.Fatalf("%s: %v", table, err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var s sql.NullString
		if err := rows.Scan(&s); err != nil {
			t.Fatal(err)
		}
		out = append(out, s.String)
	}
	return out
}

func wantRows(t *testing.T, what string, got []string, want ...string) {
	t.Helper()
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("%s:\n got  %s\n want %s", what, strings.Join(got, "\n      "), strings.Join(want, "\n      "))
	}
}

// notices lists a manifest's notices and rejects as path:line:column: reason.
func findings(m *manifest.Manifest) (notices, rejects []string) {
	for _, f := range m.Files {
		for _, n := range f.Notices {
			notices = append(notices, n.Location(f.Path)+": "+n.Reason)
		}
		for _, r := range f.Rejects {
			rejects = append(rejects, r.Location(f.Path)+": "+r.Reason)
		}
		if f.Error != "" {
			rejects = append(rejects, f.Path+": "+f.Error)
		}
	}
	return notices, rejects
}

// pdtDay is a day of a collector in PDT (the fixture pair of
// DNSSuspiciousConnectsAnalysisTest: 02:10:25 PDT = 1463735425 = 09:10:25
// UTC), with a scored row at 20:30 PDT, which is 03:30 UTC of the next day
// (1463735425 + 18 h 19 min 35 s = 1463801400).
func pdtDay() map[string]string {
	return map[string]string{
		"dns/20160520/dns_scores.csv": crlf(dnsD1Header,
			"May 20 2016 02:10:25.970987000 PDT,93,10.0.0.5,evil.example.com,0x00000001,1,0,1e-05,example.com,,02,1,0,Internet (IN),A,NoError,Lab VPN,1463735425",
			"May 20 2016 20:30:00.000000000 PDT,80,10.0.0.6,late.example.org,0x00000001,28,3,2e-05,example.org,,20,0,2,Internet (IN),AAAA,NXDomain,,1463801400"),
		"dns/20160520/edge-evil.example.com_02_00.csv": crlf(dnsEdgeHdr,
			quoteAll("May 20 2016 02:10:31.000000000 PDT", "93", "10.0.0.5", "10.0.0.53", "evil.example.com", "Internet (IN)", "A", "NoError", "93.184.216.34"),
			quoteAll("May 20 2016 02:11:00.500000000 PDT", "93", "10.0.0.7", "10.0.0.53", "x.evil.example.com", "QCLASS * (ANY)", "*", "BADSIG", "")),
		"dns/20160520/edge-late.example.org_20_00.csv": crlf(dnsEdgeHdr,
			quoteAll("May 20 2016 20:30:05.000000000 PDT", "80", "10.0.0.6", "10.0.0.53", "late.example.org", "Internet (IN)", "AAAA", "NXDomain", "")),
	}
}

// TestDNSEdgeWhereSpotLooks: a PDT collector's edges land at the UTC date
// and hour of their scored row, with epoch seconds from the learned
// offset, the registry's codes and names, and the client's context.
func TestDNSEdgeWhereSpotLooks(t *testing.T) {
	m, w := validated(t, Options{OAPath: writeTree(t, pdtDay())})
	if n, r := findings(m); len(n)+len(r) > 0 {
		t.Fatalf("want a clean tree, got notices %v rejects %v", n, r)
	}
	wantRows(t, "dns_edge", landed(t, w, "dns_edge", "unix_tstamp", "hh", "dns_qry_class", "dns_qry_type",
		"dns_qry_rcode", "dns_qry_class_name", "dns_qry_type_name", "dns_qry_rcode_name", "network_context"),
		"2016/5/20 unix_tstamp=1463735431 hh=9 dns_qry_class=0x00000001 dns_qry_type=1 dns_qry_rcode=0 dns_qry_class_name=Internet (IN) dns_qry_type_name=A dns_qry_rcode_name=NoError network_context=Lab VPN",
		"2016/5/20 unix_tstamp=1463735460 hh=9 dns_qry_class=0x000000FF dns_qry_type=255 dns_qry_rcode=16 dns_qry_class_name=QCLASS * (ANY) dns_qry_type_name=* dns_qry_rcode_name=BADSIG network_context=",
		"2016/5/21 unix_tstamp=1463801405 hh=3 dns_qry_class=0x00000001 dns_qry_type=28 dns_qry_rcode=3 dns_qry_class_name=Internet (IN) dns_qry_type_name=AAAA dns_qry_rcode_name=NXDomain network_context=")
	wantRows(t, "dns_scores stay in the day folder", landed(t, w, "dns_scores", "hh", "dns_qry_class_name"),
		"2016/5/20 hh=2 dns_qry_class_name=Internet (IN)", "2016/5/20 hh=20 dns_qry_class_name=Internet (IN)")
}

// TestDNSTimezoneDST: on the day PDT ends, one folder holds both tokens;
// each gets its own offset from the day's scores (01:30 PDT = 08:30 UTC =
// 1478421000; 01:30 PST = 09:30 UTC = 1478424600).
func TestDNSTimezoneDST(t *testing.T) {
	tree := map[string]string{
		"dns/20161106/dns_scores.csv": crlf(dnsD1Header,
			"Nov  6 2016 01:30:00.000000000 PDT,80,10.0.0.5,a.example.com,0x00000001,1,0,1e-05,example.com,,01,0,1,Internet (IN),A,NoError,,1478421000",
			"Nov  6 2016 01:30:00.000000000 PST,80,10.0.0.5,b.example.com,0x00000001,1,0,1e-05,example.com,,01,0,1,Internet (IN),A,NoError,,1478424600"),
		"dns/20161106/edge-a.example.com_01_00.csv": crlf(dnsEdgeHdr,
			quoteAll("Nov  6 2016 01:45:10.000000000 PDT", "80", "10.0.0.5", "10.0.0.53", "a.example.com", "Internet (IN)", "A", "NoError", "")),
		"dns/20161106/edge-b.example.com_01_00.csv": crlf(dnsEdgeHdr,
			quoteAll("Nov  6 2016 01:45:10.000000000 PST", "80", "10.0.0.5", "10.0.0.53", "b.example.com", "Internet (IN)", "A", "NoError", "")),
	}
	_, w := validated(t, Options{OAPath: writeTree(t, tree)})
	wantRows(t, "dns_edge", landed(t, w, "dns_edge", "unix_tstamp", "hh", "dns_qry_name"),
		"2016/11/6 unix_tstamp=1478421910 hh=8 dns_qry_name=a.example.com",
		"2016/11/6 unix_tstamp=1478425510 hh=9 dns_qry_name=b.example.com")
}

// TestDNSTimezoneUnknown: a token no scores row of the day carries is
// rejected with a reason naming it and the flag; --dns-timezone supplies
// it (01:00 CEST = 23:00 UTC of the day before = 1463785200).
func TestDNSTimezoneUnknown(t *testing.T) {
	tree := map[string]string{"dns/20160521/edge-q.example.net_01_00.csv": crlf(dnsEdgeHdr,
		quoteAll("May 21 2016 01:00:00.000000000 CEST", "80", "10.0.0.8", "10.0.0.53", "q.example.net", "Internet (IN)", "A", "NoError", ""))}
	root := writeTree(t, tree)
	m, _ := validated(t, Options{OAPath: root})
	_, rejects := findings(m)
	wantRows(t, "rejects", rejects, `dns/20160521/edge-q.example.net_01_00.csv:2:1: column "frame_time": "CEST": no UTC offset known for this zone token: no dns_scores.csv row of the day carries it; give it with --dns-timezone TOKEN=±HH:MM`)
	m, w := validated(t, Options{OAPath: root, DNSZones: map[string]int64{"CEST": 7200}})
	if !m.Clean() {
		t.Fatalf("with --dns-timezone CEST=+02:00: %s", m.Verdict())
	}
	wantRows(t, "dns_edge", landed(t, w, "dns_edge", "unix_tstamp", "hh"), "2016/5/20 unix_tstamp=1463785200 hh=23")
}

// TestIANAValues: an install whose lookups missed wrote codes in the name
// columns (they get the registry's names); values the registry does not
// know land as written with a NULL code and a notice; impala-shell's NULL
// is SQL NULL, but in the type name column of a row with a class or an
// rcode it is the name of type 10; --strict rejects the rows with notices.
func TestIANAValues(t *testing.T) {
	tree := map[string]string{
		"dns/20160708/edge-c.example.com_10_00.csv": crlf(dnsEdgeHdr,
			quoteAll("Jul  8 2016 10:00:00.123456000 UTC", "80", "10.0.0.5", "10.0.0.53", "c.example.com", "0x00000001", "28", "3", ""),
			quoteAll("Jul  8 2016 10:00:01.000000000 UTC", "80", "10.0.0.5", "10.0.0.53", "c.example.com", "0x000000ff", "65", "11", ""),
			quoteAll("Jul  8 2016 10:00:02.000000000 UTC", "80", "10.0.0.5", "10.0.0.53", "c.example.com", "Internet (IN)", "NULL", "NoError", ""),
			quoteAll("Jul  8 2016 10:00:03.000000000 UTC", "80", "10.0.0.5", "10.0.0.53", "c.example.com", "NULL", "A", "NULL", "NULL"),
			quoteAll("Jul  8 2016 10:00:04.000000000 UTC", "80", "10.0.0.5", "10.0.0.53", "c.example.com", "NULL", "NULL", "NULL", "")),
		"proxy/20160708/edge-10.0.0.9-0123456789abcdef0123456789abcdef10.tsv": crlf(
			"p_date\tp_time\tclientip\thost\twebcat\trespcode\treqmethod\tuseragent\tresconttype\treferer\turiport\tserverip\tscbytes\tcsbytes\tfulluri",
			"2016-07-08\t10:00:00\t10.0.0.9\th.example\tweb\tProcessing (WebDAV)\tGET\tua\ttext/html\t-\t80\t10.1.1.1\t100\t200\thttp://h.example/",
			"2016-07-08\t10:00:01\t10.0.0.9\th.example\tweb\t404\tGET\tua\ttext/html\t-\t80\t10.1.1.1\t100\t200\thttp://h.example/",
			"2016-07-08\t10:00:02\t10.0.0.9\th.example\tweb\t-\tGET\tua\ttext/html\t-\t80\t10.1.1.1\t100\t200\thttp://h.example/"),
	}
	root := writeTree(t, tree)
	m, w := validated(t, Options{OAPath: root})
	wantRows(t, "dns_edge", landed(t, w, "dns_edge", "unix_tstamp", "dns_qry_class", "dns_qry_type", "dns_qry_rcode",
		"dns_qry_class_name", "dns_qry_type_name", "dns_qry_rcode_name"),
		"2016/7/8 unix_tstamp=1467972000 dns_qry_class=0x00000001 dns_qry_type=28 dns_qry_rcode=3 dns_qry_class_name=Internet (IN) dns_qry_type_name=AAAA dns_qry_rcode_name=NXDomain",
		"2016/7/8 unix_tstamp=1467972001 dns_qry_class=NULL dns_qry_type=NULL dns_qry_rcode=NULL dns_qry_class_name=0x000000ff dns_qry_type_name=65 dns_qry_rcode_name=11",
		"2016/7/8 unix_tstamp=1467972002 dns_qry_class=0x00000001 dns_qry_type=10 dns_qry_rcode=0 dns_qry_class_name=Internet (IN) dns_qry_type_name=NULL dns_qry_rcode_name=NoError",
		"2016/7/8 unix_tstamp=1467972003 dns_qry_class=NULL dns_qry_type=1 dns_qry_rcode=NULL dns_qry_class_name=NULL dns_qry_type_name=A dns_qry_rcode_name=NULL",
		"2016/7/8 unix_tstamp=1467972004 dns_qry_class=NULL dns_qry_type=NULL dns_qry_rcode=NULL dns_qry_class_name=NULL dns_qry_type_name=NULL dns_qry_rcode_name=NULL")
	wantRows(t, "proxy_edge", landed(t, w, "proxy_edge", "time", "respcode", "respcode_name"),
		"2016/7/8 time=10:00:00 respcode=102 respcode_name=Processing (WebDAV)",
		"2016/7/8 time=10:00:01 respcode=404 respcode_name=Not Found",
		"2016/7/8 time=10:00:02 respcode=NULL respcode_name=-")
	notices, rejects := findings(m)
	wantRows(t, "rejects", rejects)
	const edge = "dns/20160708/edge-c.example.com_10_00.csv"
	wantRows(t, "notices", notices,
		edge+`:3:6: column "dns_qry_class_name": "0x000000ff": neither a name nor a code of the DNS class registry (dns-qclass.csv): lands as written, dns_qry_class NULL`,
		edge+`:3:7: column "dns_qry_type_name": "65": neither a name nor a code of the DNS type registry (dns-qtype.csv): lands as written, dns_qry_type NULL`,
		edge+`:3:8: column "dns_qry_rcode_name": "11": neither a name nor a code of the DNS rcode registry (dns-rcode.csv): lands as written, dns_qry_rcode NULL`,
		`proxy/20160708/edge-10.0.0.9-0123456789abcdef0123456789abcdef10.tsv:4:6: column "respcode": "-": neither a name nor a code of the HTTP status registry (http-rcode.csv): lands as written, respcode NULL`)
	if m.Summary.Notices != 4 || m.Summary.FilesNoticed != 2 || !m.Clean() {
		t.Errorf("summary %+v, want 4 notices in 2 files and clean", m.Summary)
	}

	m, w = validated(t, Options{OAPath: root, Strict: true})
	if m.Summary.Rejected != 2 || m.Summary.Notices != 0 {
		t.Errorf("--strict: %d rejected, %d notices; want 2 rejected rows, no notices", m.Summary.Rejected, m.Summary.Notices)
	}
	if got := landed(t, w, "dns_edge", "unix_tstamp"); len(got) != 4 {
		t.Errorf("--strict: %d dns_edge rows land, want 4: %v", len(got), got)
	}
}

// TestFlowOlderLayouts: an L0 day (notebook header spelling), its E13 edge
// file of a 23:59 scored row of the day before, a C6 chord file, an sbdet
// file starting with two blank lines, a byte count above INT, and the
// daily ingest summary of Nov 2016.
func TestFlowOlderLayouts(t *testing.T) {
	tree := map[string]string{
		"flow/20161010/flow_scores.csv": crlf(flowL0Hdr,
			"1,2016-10-09 23:59:12,10.0.0.1,10.0.0.2,5555,80,TCP,.AP...,12,3000000000,1e-06,0,1,0,,,,,,",
			"0,2016-10-10 10:15:00,10.0.0.3,10.0.0.4,1,2,UDP,......,1,100,2e-06,1,0,0,,,,,,"),
		"flow/20161010/edge-10_0_0_1-10_0_0_2-23-59.tsv": lf(flowE13Hdr,
			"2016-10-09 23:59:12\t10.0.0.1\t10.0.0.2\t5555\t80\tTCP\t.AP...\t0\t3000000000\t12\t1\t2\t10.0.0.254"),
		"flow/20161010/edge-10_0_0_3-10_0_0_4-10-15.tsv": lf(flowE13Hdr,
			"2016-10-10 10:15:00\t10.0.0.3\t10.0.0.4\t1\t2\tUDP\t......\t0\t100\t1\t1\t2\t10.0.0.254"),
		"flow/20161010/chord-10_0_0_1.tsv":    lf(flowC6Hdr, "10.0.0.1\t10.0.0.2\t3000\t1500.5\t12\t6.0"),
		"flow/20161010/sbdet-10.0.0.1.tsv":    "\n\n" + lf(sbdetHdr, "2016-10-10 10:00:00\t2016-10-10 10:05:00\t10.0.0.1\t10.0.0.2\tTCP\t5555\t80\t12\t3000", "2016-10-10 10:00:00\t2016-10-10 10:05:00\t10.0.0.1\t10.0.0.2\tTCP\t5555\tx80\t12\t3000"),
		"flow/ingest_summary/is_20161130.csv": lf("date,flows", "11/30/2016 16:40,120", "date,flows", "11/30/2016 16:41,130"),
	}
	m, w := validated(t, Options{OAPath: writeTree(t, tree), Pipelines: []string{"flow"}})
	wantRows(t, "flow_scores", landed(t, w, "flow_scores", "tstart", "ibyt", "ipkt"),
		"2016/10/10 tstart=2016-10-09 23:59:12 ibyt=NULL ipkt=12", "2016/10/10 tstart=2016-10-10 10:15:00 ibyt=100 ipkt=1")
	wantRows(t, "flow_threat_investigation", landed(t, w, "flow_threat_investigation", "tstart", "score"),
		"2016/10/10 tstart=2016-10-09 23:59:12 score=1")
	wantRows(t, "flow_edge", landed(t, w, "flow_edge", "tstart", "hh", "mn", "ibyt", "ipkt", "obyt", "opkt"),
		"2016/10/10 tstart=2016-10-10 10:15:00 hh=10 mn=15 ibyt=100 ipkt=1 obyt=NULL opkt=NULL",
		"2016/10/9 tstart=2016-10-09 23:59:12 hh=23 mn=59 ibyt=3000000000 ipkt=12 obyt=NULL opkt=NULL")
	wantRows(t, "flow_chords", landed(t, w, "flow_chords", "ip_threat", "srcip", "dstip", "ibyt", "ipkt"),
		"2016/10/10 ip_threat=10.0.0.1 srcip=10.0.0.1 dstip=10.0.0.2 ibyt=NULL ipkt=NULL")
	wantRows(t, "flow_timeline", landed(t, w, "flow_timeline", "ip_threat", "dport", "ibyt"), "2016/10/10 ip_threat=10.0.0.1 dport=80 ibyt=3000")
	wantRows(t, "flow_ingest_summary", landed(t, w, "flow_ingest_summary", "tdate", "total"),
		"2016/11/30 tdate=2016-11-30 16:40 total=120", "2016/11/30 tdate=2016-11-30 16:41 total=130")
	notices, rejects := findings(m)
	wantRows(t, "rejects (the line counts the two blank lines)", rejects,
		`flow/20161010/sbdet-10.0.0.1.tsv:5:7: column "dport": "x80" is not INT`)
	wantRows(t, "notices", notices,
		"flow/20161010/chord-10_0_0_1.tsv:1: layout C6: sums not available in this layout: ibyt and ipkt land as NULL (the file holds MAX and AVG per pair)",
		`flow/20161010/flow_scores.csv:2:10: column "ibyt": "3000000000": outside the INT range of Spot 1.0's flow_scores.ibyt (2147483647): lands as NULL`)
}

// TestD0RegisteredDomain: D0's spot-ml label is replaced by the registered
// domain of the name, as D1 (tld 0.7.6) and Spot 1.0 hold it.
func TestD0RegisteredDomain(t *testing.T) {
	row := func(name, domain string) string {
		return "Oct  5 2016 08:00:00.000000000 UTC,80,10.0.0.9," + name + ",0x00000001,1,0," + domain +
			",news,4,3,1.5,0,w1,1e-05,,08,0,0,Internet (IN),A,NoError,,1475654400"
	}
	tree := map[string]string{"dns/20161005/dns_scores.csv": crlf(dnsD0Header, row("news.yahoo.co.jp", "co"),
		row("panasonic.c", "None"), row("123.103.104.10.in-addr.arpa", "None"), row("services.amazon.com.mx", "amazon"))}
	_, w := validated(t, Options{OAPath: writeTree(t, tree), Pipelines: []string{"dns"}})
	wantRows(t, "dns_scores", landed(t, w, "dns_scores", "dns_qry_name", "tld"),
		"2016/10/5 dns_qry_name=123.103.104.10.in-addr.arpa tld=10.in-addr.arpa",
		"2016/10/5 dns_qry_name=news.yahoo.co.jp tld=yahoo.co.jp",
		"2016/10/5 dns_qry_name=panasonic.c tld=",
		"2016/10/5 dns_qry_name=services.amazon.com.mx tld=amazon.com.mx")
}

// TestRegistriesOfTheTree: the tree's own registries are used and
// recorded; a name only they hold resolves.
func TestRegistriesOfTheTree(t *testing.T) {
	tree := pdtDay()
	for _, f := range []string{"dns-qclass.csv", "dns-qtype.csv", "dns-rcode.csv", "http-rcode.csv"} {
		b, err := os.ReadFile(filepath.Join("..", "iana", "abe8447", f))
		if err != nil {
			t.Fatal(err)
		}
		tree["../oa/components/iana/"+f] = strings.Replace(string(b), "Internet (IN)", "Internet", 1)
	}
	tree["../oa/components/iana/iana_config.json"] = `{"IANA": {"dns_qry_class": "dns-qclass.csv", "dns_qry_type": "dns-qtype.csv", "dns_qry_rcode": "dns-rcode.csv", "proxy_http_rcode": "http-rcode.csv"}}`
	root := writeTree(t, tree)
	m, _ := validated(t, Options{OAPath: root})
	want := filepath.Join(root, "oa", "components", "iana", "dns-qclass.csv")
	if len(m.Registries) != 4 || m.Registries[0].Path != want || len(m.Registries[0].SHA256) != 64 {
		t.Fatalf("registries %+v, want the tree's, first %s", m.Registries, want)
	}
	notices, _ := findings(m)
	if len(notices) != 4 {
		t.Errorf("with a registry that calls class 1 'Internet', 'Internet (IN)' is unknown: want 4 notices, got %d: %v", len(notices), notices)
	}
}

// TestTreeExpectations checks the bundled trees against their hand-checked
// expectations (testdata/sample/EXPECTED.md, testdata/trees/EXPECTED.md):
// rows per partition, no rejects, the notices counted by hand, and the
// landed values computed by hand (expected_values.tsv: table, partition and
// source line, column, value; \N is NULL, ” the empty string).
func TestTreeExpectations(t *testing.T) {
	for _, tc := range []struct {
		dir              string
		notices, skipped int
		copies           int
	}{
		// the sample's 8 storyboard JSON files and 4 feedback files are copied
		{"../testdata/sample", 10, 12, 12},
		{"../testdata/trees/no-registry", 0, 0, 0},
		{"../testdata/trees/unconfigured", 0, 0, 0},
	} {
		t.Run(filepath.Base(tc.dir), func(t *testing.T) {
			m, w := validated(t, Options{OAPath: tc.dir + "/spot-oa"})
			got := map[string]int64{}
			for _, p := range m.Partitions {
				got[p.Name()] = p.Rows
			}
			want := map[string]int64{}
			for _, f := range tsv(t, tc.dir+"/expected_counts.tsv", 5) {
				n, _ := strconv.ParseInt(f[4], 10, 64)
				want[fmt.Sprintf("%s/y=%s/m=%s/d=%s", f[0], f[1], f[2], f[3])] = n
			}
			if !reflect.DeepEqual(got, want) {
				t.Errorf("partitions:\n got  %v\n want %v", got, want)
			}
			notices, rejects := findings(m)
			if len(m.Copies) != tc.copies {
				t.Errorf("%d copies, want %d", len(m.Copies), tc.copies)
			}
			if len(rejects) > 0 || m.Summary.Notices != int64(tc.notices) || m.Summary.Skipped != tc.skipped {
				t.Errorf("rejects %v; %d notices (want %d): %v; %d skipped (want %d)",
					rejects, m.Summary.Notices, tc.notices, notices, m.Summary.Skipped, tc.skipped)
			}
			for _, f := range tsv(t, tc.dir+"/expected_values.tsv", 4) {
				checkValue(t, w, f)
			}
		})
	}
}

// tsv reads the lines of a tab-separated file of n fields.
func tsv(t *testing.T, path string, n int) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	var out [][]string
	for _, line := range strings.Split(strings.TrimRight(string(b), "\n"), "\n") {
		f := strings.Split(line, "\t")
		if len(f) != n {
			t.Fatalf("%s: %q has %d fields, want %d", path, line, len(f), n)
		}
		out = append(out, f)
	}
	return out
}

// checkValue asserts that a row landing in the partition holds the value.
func checkValue(t *testing.T, w *staged, f []string) {
	t.Helper()
	table, where, col, val := f[0], f[1], f[2], f[3]
	var y, mo, d int
	if _, err := fmt.Sscanf(where, "y=%d/m=%d/d=%d", &y, &mo, &d); err != nil {
		t.Fatalf("%q: %v", where, err)
	}
	if !catalog.ValidIdent(col) {
		t.Fatalf("bad column %q", col)
	}
	q, args := w.rows(table), []any(nil)
	cond := "CAST(" + dialect.DuckDB{}.Ident(col) + " AS VARCHAR) = ?"
	switch val {
	case `\N`:
		cond, val = dialect.DuckDB{}.Ident(col)+" IS NULL AND ? = ''", ""
	case "''":
		val = ""
	}
	var n int
	err := w.Conn.QueryRowContext(context.Background(), "SELECT count(*) FROM ("+q+") WHERE y = ? AND m = ? AND d = ? AND "+cond,
		append(args, y, mo, d, val)...).Scan(&n)
	if err != nil {
		t.Fatalf("%v: %v", f, err)
	}
	if n == 0 {
		t.Errorf("%s %s: no landed row has %s = %s", table, where, col, f[3])
	}
}

// TestGeneratedTrees checks trees oagen writes with the real shapes
// (registry names, a Pacific collector with its DST end, the layouts of
// autumn 2016, unconfigured and registry-less installs, rejected rows)
// against what the generator counted from its own rows: partitions, rows,
// notices and rejects.
func TestGeneratedTrees(t *testing.T) {
	autumn := time.Date(2016, time.October, 28, 0, 0, 0, 0, time.UTC)
	for name, o := range map[string]oagen.Options{
		"default":      {},
		"autumn-2016":  {Start: autumn, DNSZone: "America/Los_Angeles", Days: 12},
		"unconfigured": {Unconfigured: true, DNSZone: "PDT"},
		"no-registry":  {NoRegistry: true, DNSZone: "CEST", DNSSwitchDay: 2},
		"rejects":      {Start: autumn, DNSZone: "PST", RejectShare: 0.3},
	} {
		t.Run(name, func(t *testing.T) {
			dir := t.TempDir()
			o.Size, o.Seed = 3<<20, 7
			if o.Days == 0 {
				o.Days = 3
			}
			st, err := oagen.Generate(dir, o)
			if err != nil {
				t.Fatal(err)
			}
			m, _ := validated(t, Options{OAPath: filepath.Join(dir, "spot-oa")})
			got := map[string]int64{}
			for _, p := range m.Partitions {
				got[p.Name()] = p.Rows
			}
			if !reflect.DeepEqual(got, st.Rows) {
				for k, n := range st.Rows {
					if got[k] != n {
						t.Errorf("%s: %d rows, generated %d", k, got[k], n)
					}
				}
				t.Errorf("%d partitions, generated %d", len(got), len(st.Rows))
			}
			t.Logf("%d partitions, %d landing rows, %d notices, %d rejected", len(got), m.Summary.Landing, m.Summary.Notices, m.Summary.Rejected)
			if m.Summary.Rejected != st.Rejected || m.Summary.Notices != st.Notices || m.Summary.FileErrors != 0 {
				t.Errorf("%d rejected, %d notices, %d file errors; generated %d rejected, %d notices",
					m.Summary.Rejected, m.Summary.Notices, m.Summary.FileErrors, st.Rejected, st.Notices)
			}
		})
	}
}

// TestFindingsInOrder: a file with rows a check rejects and rows with
// notices is read again in order (the notices' values alone would not
// tell which lines land); a QUOTE_MINIMAL dns_scores.csv (Jan 2017) holds
// the comma-bearing rcode-23 name quoted.
func TestFindingsInOrder(t *testing.T) {
	const rcode23 = "BADCOOKIE (TEMPORARY - registered 2015-07-26, expires 2016-07-26)"
	tree := map[string]string{
		"dns/20170115/dns_scores.csv": crlf(dnsD1Header,
			`Jan 15 2017 10:00:00.000000000 UTC,80,10.0.0.5,c.example.com,0x00000001,1,23,1e-05,example.com,,10,0,1,Internet (IN),A,"`+rcode23+`",,1484474400`),
		"dns/20170115/edge-c.example.com_10_00.csv": crlf(dnsEdgeHdr,
			quoteAll("Jan 15 2017 10:00:00.000000000 UTC", "80", "10.0.0.5", "10.0.0.53", "c.example.com", "0x000000ff", "A", rcode23, ""),
			quoteAll("2017-01-15 10:00:01", "80", "10.0.0.5", "10.0.0.53", "c.example.com", "0x000000ff", "A", "NoError", ""),
			quoteAll("Jan 15 2017 10:00:02.000000000 UTC", "80", "10.0.0.5", "10.0.0.53", "c.example.com", "0x000000ff", "A", "NoError", "")),
	}
	m, w := validated(t, Options{OAPath: writeTree(t, tree), Pipelines: []string{"dns"}})
	notices, rejects := findings(m)
	const edge = "dns/20170115/edge-c.example.com_10_00.csv"
	wantRows(t, "rejects", rejects, edge+`:3:1: column "frame_time": "2017-01-15 10:00:01": not a frame time like 'May 20 2016 02:10:25.970987000 PDT'`)
	notice := `:6: column "dns_qry_class_name": "0x000000ff": neither a name nor a code of the DNS class registry (dns-qclass.csv): lands as written, dns_qry_class NULL`
	wantRows(t, "notices", notices, edge+":2"+notice, edge+":4"+notice)
	wantRows(t, "dns_scores", landed(t, w, "dns_scores", "dns_qry_rcode", "dns_qry_rcode_name"),
		"2017/1/15 dns_qry_rcode=23 dns_qry_rcode_name="+rcode23)
	wantRows(t, "dns_edge", landed(t, w, "dns_edge", "unix_tstamp", "dns_qry_rcode"),
		"2017/1/15 unix_tstamp=1484474400 dns_qry_rcode=23", "2017/1/15 unix_tstamp=1484474402 dns_qry_rcode=0")
}

// TestFindingsBothWays: rejects and notices located by their values are
// those the ordered re-read finds, line for line, on trees with checks,
// notices, type rejects and blank lines.
func TestFindingsBothWays(t *testing.T) {
	gen := t.TempDir()
	if _, err := oagen.Generate(gen, oagen.Options{Size: 3 << 20, Days: 3, Seed: 3, DNSZone: "PST",
		Start: time.Date(2016, time.October, 30, 0, 0, 0, 0, time.UTC), RejectShare: 0.3}); err != nil {
		t.Fatal(err)
	}
	// the trees with notices or rows a check rejects have files located by
	// value; the others only DuckDB's own rejects, which carry their lines
	byValue := map[string]bool{filepath.Join(gen, "spot-oa"): true, "../testdata/sample/spot-oa": true,
		"../testdata/corpus/bad-frame-time/spot-oa": true, "../testdata/corpus/unknown-uri/spot-oa": true,
		"../testdata/corpus/bad-port/spot-oa": false, "../testdata/corpus/pipe-in-storyboard/spot-oa": false}
	for tree := range byValue {
		var got [2]string
		for i, inOrder := range []bool{false, true} {
			locateInOrder, locatedByValue = inOrder, 0
			m, _ := validated(t, Options{OAPath: tree})
			if !inOrder && byValue[tree] != (locatedByValue > 0) {
				t.Errorf("%s: %d file(s) located by value, want some: %v", tree, locatedByValue, byValue[tree])
			}
			var b strings.Builder
			for _, f := range m.Files {
				fmt.Fprintf(&b, "%s %d %d %v %v\n", f.Path, f.Rejected, f.NoticeCount, f.Rejects, f.Notices)
			}
			got[i] = b.String()
			if m.Summary.Rejected+m.Summary.Notices == 0 {
				t.Errorf("%s: no findings, the comparison proves nothing", tree)
			}
		}
		locateInOrder = false
		if got[0] != got[1] {
			t.Errorf("%s: by value and in order differ:\n%s\n---\n%s", tree, got[0], got[1])
		}
	}
}

// TestDNSEdgeRawCopy: the raw impala-shell file the OA copied when a row
// was short (unquoted, LF, codes in columns 6–8, §7.1.4): the codes land
// with the registry's names; the short row is rejected.
func TestDNSEdgeRawCopy(t *testing.T) {
	tree := map[string]string{"dns/20170110/edge-r.example.org_07_00.csv": lf(
		"frame_time,frame_len,ip_dst,ip_src,dns_qry_name,dns_qry_class,dns_qry_type,dns_qry_rcode,dns_a",
		"Jan 10 2017 07:00:00.000000000 UTC,80,10.0.0.5,10.0.0.53,r.example.org,0x00000001,28,3,NULL",
		"Jan 10 2017 07:00:01.000000000 UTC,80,10.0.0.5,10.0.0.53",
		"Jan 10 2017 07:00:02.000000000 UTC,80,10.0.0.5,10.0.0.53,r.example.org,NULL,NULL,NULL,NULL")}
	m, w := validated(t, Options{OAPath: writeTree(t, tree), Pipelines: []string{"dns"}})
	_, rejects := findings(m)
	wantRows(t, "rejects", rejects, "dns/20170110/edge-r.example.org_07_00.csv:3:4: expected 9 columns, found 4")
	// 2017-01-10 07:00:00 UTC = 1483228800 + 9 × 86400 + 7 × 3600
	wantRows(t, "dns_edge", landed(t, w, "dns_edge", "unix_tstamp", "hh", "dns_qry_class", "dns_qry_type", "dns_qry_rcode",
		"dns_qry_class_name", "dns_qry_type_name", "dns_qry_rcode_name", "dns_a"),
		"2017/1/10 unix_tstamp=1484031600 hh=7 dns_qry_class=0x00000001 dns_qry_type=28 dns_qry_rcode=3 dns_qry_class_name=Internet (IN) dns_qry_type_name=AAAA dns_qry_rcode_name=NXDomain dns_a=NULL",
		"2017/1/10 unix_tstamp=1484031602 hh=7 dns_qry_class=NULL dns_qry_type=NULL dns_qry_rcode=NULL dns_qry_class_name=NULL dns_qry_type_name=NULL dns_qry_rcode_name=NULL dns_a=NULL")
}

// TestEveryLineAccountedFor: a line longer than the reader takes is
// rejected with that reason; one longer than its buffer, which DuckDB
// drops without a word, makes the file a file error (the tree is not
// clean, so its pipeline is not archived); the line counter knows blank
// lines, CRLF and a last line without a newline.
func TestEveryLineAccountedFor(t *testing.T) {
	hdr := "srcip\tdstip\tibytes\tipkts"
	long := func(n int) string { return strings.Repeat("x", n) + "\t10.0.0.2\t1\t1" }
	tree := map[string]string{
		"flow/20161201/chord-10_0_0_1.tsv": lf(hdr, "10.0.0.1\t10.0.0.2\t1\t1", long(3_000_000), "10.0.0.3\t10.0.0.2\t1\t1"),
		"flow/20161201/chord-10_0_0_2.tsv": lf(hdr, "10.0.0.1\t10.0.0.2\t1\t1", long(40_000_000), "10.0.0.3\t10.0.0.2\t1\t1"),
		"flow/20161201/chord-10_0_0_3.tsv": "\r\n" + hdr + "\r\n10.0.0.1\t10.0.0.2\t1\t1\r\n\r\n10.0.0.3\t10.0.0.2\t1\t1",
	}
	m, _ := validated(t, Options{OAPath: writeTree(t, tree), Pipelines: []string{"flow"}})
	_, rejects := findings(m)
	wantRows(t, "rejects and file errors", rejects,
		"flow/20161201/chord-10_0_0_1.tsv:3: line longer than 2000000 bytes (the most a line may hold): not read",
		"flow/20161201/chord-10_0_0_2.tsv: 1 line(s) not accounted for: the file has 4 lines, read were the header, 0 blank line(s), 2 row(s) and 0 repeated header(s) (a line longer than the reader's buffer?)")
	if m.Clean() || m.Summary.FileErrors != 1 {
		t.Errorf("summary %+v: want one file error and an unclean manifest", m.Summary)
	}
}

// TestFIFOIsSkipped: a FIFO named like a data file is skipped with its
// reason instead of blocking the read forever.
func TestFIFOIsSkipped(t *testing.T) {
	root := writeTree(t, map[string]string{"flow/20161201/chord-10_0_0_1.tsv": lf("srcip\tdstip\tibytes\tipkts", "10.0.0.1\t10.0.0.2\t1\t1")})
	if err := syscall.Mkfifo(filepath.Join(root, "data", "flow", "20161201", "chord-10_0_0_2.tsv"), 0o644); err != nil {
		t.Fatal(err)
	}
	m, _ := validated(t, Options{OAPath: root, Pipelines: []string{"flow"}})
	if len(m.Skipped) != 1 || m.Skipped[0].Path != "flow/20161201/chord-10_0_0_2.tsv" ||
		m.Skipped[0].Reason != "not a regular file (a FIFO, socket or device), not read" || m.Summary.Landing != 1 {
		t.Errorf("skipped %v, %d landing rows; want the FIFO skipped and 1 row", m.Skipped, m.Summary.Landing)
	}
}
