package catalog

import (
	"maps"
	"regexp"
)

// fields builds a layout's field list from header, type pairs; a header
// written "name>canon" is read as name and known as canon ("-" drops it).
func fields(pairs ...any) []Field {
	out := make([]Field, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		h := pairs[i].(string)
		f := Field{Header: h, Type: pairs[i+1].(FieldType)}
		for j := 0; j < len(h); j++ {
			if h[j] == '>' {
				f.Header, f.As = h[:j], h[j+1:]
			}
		}
		out = append(out, f)
	}
	return out
}

// frameTimeParts are the wall clock and zone token of a DNS edge row's
// frame time, computed once per row.
var frameTimeParts = map[string]string{"ft_wall": FrameWall(`r."frame_time"`), "ft_zone": FrameZone(`r."frame_time"`)}

// withNullType adds to the computed fields of the DNS edge names layout its
// type name: impala-shell's NULL and the type-10 name NULL are the same
// text. A query of type 10 has a class and an rcode; a row whose three
// names are all NULL is a row whose codes were NULL in the raw table (the
// ML filled such rows from Dec 2016).
func withNullType(parts map[string]string) map[string]string {
	out := maps.Clone(parts)
	out["qtype"] = `CASE WHEN r."dns_qry_type_name" = 'NULL' AND r."dns_qry_class_name" = 'NULL' AND ` +
		`r."dns_qry_rcode_name" = 'NULL' THEN NULL ELSE r."dns_qry_type_name" END`
	return out
}

// The eight columns the flow OA appended after rank, in every layout.
var flowContext = []any{
	"srcIpInternal", Integer, "destIpInternal", Integer, "srcGeo", Text, "dstGeo", Text,
	"srcDomain", Text, "dstDomain", Text, "srcIP_rep", Text, "dstIP_rep", Text,
}

func join(parts ...[]any) []any {
	var out []any
	for _, p := range parts {
		out = append(out, p...)
	}
	return out
}

// ingestSummary is the source of the ingest-summary files: monthly
// is_YYYYMM.csv, and for flow also the older layout `date,flows` (header
// appended on every run) and the daily is_YYYYMMDD.csv of Nov–Dec 2016.
func ingestSummary(pipe string, old bool) Source {
	ls := []Layout{{Name: "total", Fields: fields("date", Text, "total", Long)}}
	pattern := `^is_(?P<period>[0-9]{6})\.csv$`
	if old {
		ls = append(ls, Layout{Name: "flows", RepeatedHeader: true,
			Fields: fields("date", Text, "flows>total", Long)})
		pattern = `^is_(?P<period>[0-9]{6}|[0-9]{8})\.csv$`
	}
	return Source{Name: pipe + "_ingest_summary", Pipeline: pipe, Scope: IngestSummary,
		Pattern: regexp.MustCompile(pattern), Delim: ',',
		Layouts: ls, Writer: pipe + "_oa.py (pandas)"}
}

// Sources are the kinds of old OA file that hold data to migrate.
var Sources = []Source{
	// The Edge notebook rewrote flow_scores.csv with QUOTE_MINIMAL, and
	// dns_oa.py wrote dns_scores.csv so between 2017-01-13 and 01-20 (§7.3.3):
	// a value holding a comma is quoted there (QUOTE_NONE files hold no quote).
	{Name: "flow_scores", Pipeline: "flow", Pattern: regexp.MustCompile(`^flow_scores\.csv$`), Quoted: true,
		Delim: ',', Writer: "flow_oa.py (csv, QUOTE_NONE) and the Edge notebook (QUOTE_MINIMAL)", Layouts: []Layout{
			{Name: "L2", Fields: fields(join([]any{"sev", Integer, "tstart", Timestamp, "srcIP", Text,
				"dstIP", Text, "sport", Integer, "dport", Integer, "proto", Text, "ipkt", Long,
				"ibyt", Long, "opkt", Long, "obyt", Long, "score", Real, "rank", Integer},
				flowContext)...)},
			{Name: "L1", Fields: fields(join([]any{"sev", Integer, "tstart", Timestamp, "srcIP", Text,
				"dstIP", Text, "sport", Integer, "dport", Integer, "proto", Text, "ipkt", Long,
				"ibyt", Long, "score", Real, "rank", Integer}, flowContext)...)},
			{Name: "L1-lda", Fields: fields(join([]any{"sev", Integer, "tstart", Timestamp, "srcIP", Text,
				"dstIP", Text, "sport", Integer, "dport", Integer, "proto", Text, "ipkt", Long,
				"ibyt", Long, "lda_score>score", Real, "rank", Integer}, flowContext)...)},
			{Name: "L0", Fields: fields(join([]any{"sev", Integer, "tstart", Timestamp, "srcIP", Text,
				"dstIP", Text, "sport", Integer, "dport", Integer, "proto", Text, "flag>-", Text,
				"ipkt", Long, "ibyt", Long, "lda_score>score", Real, "rank", Integer}, flowContext)...)},
		}},
	{Name: "flow_chords", Pipeline: "flow", Pattern: regexp.MustCompile(`^chord-(?P<ip>[^/]+)\.tsv$`),
		Delim: '\t', NullMarker: "NULL", Writer: "flow_oa.py (impala-shell)", Layouts: []Layout{
			{Name: "C4", Fields: fields("srcip", Text, "dstip", Text, "ibytes", Long, "ipkts", Long)},
			{Name: "C6", Fields: fields("srcip", Text, "dstip", Text, "maxbyte>-", Long, "avgbyte>-", Real,
				"maxpkt>-", Long, "avgpkt>-", Real),
				Notice: "sums not available in this layout: ibyt and ipkt land as NULL (the file holds MAX and AVG per pair)"},
		}},
	{Name: "flow_edge", Pipeline: "flow",
		Pattern: regexp.MustCompile(`^edge-(?P<sip>[^-]+)-(?P<dip>[^-]+)-(?P<hh>[0-9]{1,2})-(?P<mn>[0-9]{1,2})\.tsv$`),
		Delim:   '\t', NullMarker: "NULL", Writer: "flow_oa.py (impala-shell)", Layouts: []Layout{
			{Name: "E15", Fields: fields("tstart", Timestamp, "srcip", Text, "dstip", Text,
				"sport", Integer, "dport", Integer, "proto", Text, "flags", Text, "tos", Integer,
				"ibytes", Long, "ipkts", Long, "input", Long, "output", Long, "rip", Text,
				"obytes", Long, "opkts", Long)},
			{Name: "E13", Fields: fields("tstart", Timestamp, "srcip", Text, "dstip", Text,
				"sport", Integer, "dport", Integer, "proto", Text, "flags", Text, "tos", Integer,
				"bytes>ibytes", Long, "pkts>ipkts", Long, "input", Long, "output", Long, "rip", Text)},
		}},
	ingestSummary("flow", true),
	{Name: "flow_storyboard", Pipeline: "flow", Pattern: regexp.MustCompile(`^threats\.csv$`),
		Delim: '|', Writer: "flow Threat_Investigation notebook", Layouts: []Layout{
			{Name: "threats", Fields: fields("ip", Text, "title", Text, "summary", Text)}}},
	{Name: "flow_timeline", Pipeline: "flow", Pattern: regexp.MustCompile(`^sbdet-(?P<ip>[^/]+)\.tsv$`),
		Delim: '\t', NullMarker: "NULL", Writer: "flow Threat_Investigation notebook (impala-shell)",
		Layouts: []Layout{{Name: "sbdet", Fields: fields("tstart", Timestamp, "tend", Timestamp,
			"srcip", Text, "dstip", Text, "proto", Text, "sport", Integer, "dport", Integer,
			"pkts", Long, "bytes", Long)}}},

	{Name: "dns_scores", Pipeline: "dns", Pattern: regexp.MustCompile(`^dns_scores\.csv$`), Quoted: true,
		Delim: ',', Writer: "dns_oa.py (csv, QUOTE_NONE; QUOTE_MINIMAL in Jan 2017) and the Edge notebook", Layouts: []Layout{
			{Name: "D1", Fields: fields("frame_time", Text, "frame_len", Long, "ip_dst", Text,
				"dns_qry_name", Text, "dns_qry_class", Text, "dns_qry_type", Integer,
				"dns_qry_rcode", Integer, "score", Real, "tld", Text, "query_rep", Text, "hh", Integer,
				"ip_sev", Integer, "dns_sev", Integer, "dns_qry_class_name", Text,
				"dns_qry_type_name", Text, "dns_qry_rcode_name", Text, "network_context", Text,
				"unix_tstamp", Long)},
			{Name: "D0", Fields: fields("frame_time", Text, "frame_len", Long, "ip_dst", Text,
				"dns_qry_name", Text, "dns_qry_class", Text, "dns_qry_type", Integer,
				"dns_qry_rcode", Integer, "domain>-", Text, "subdomain>-", Text,
				"subdomain_length>-", Text, "num_periods>-", Text, "subdomain_entropy>-", Text,
				"top_domain>-", Text, "word>-", Text, "score", Real, "query_rep", Text, "hh", Integer,
				"ip_sev", Integer, "dns_sev", Integer, "dns_qry_class_name", Text,
				"dns_qry_type_name", Text, "dns_qry_rcode_name", Text, "network_context", Text,
				"unix_tstamp", Long),
				// spot-ml's bare label (`github`, `co`, `None`) is not what D1
				// and Spot 1.0 hold: the registered domain of the name
				Computed: map[string]string{"tld": `registered_domain(r."dns_qry_name")`}},
		}},
	{Name: "dns_edge", Pipeline: "dns",
		Pattern: regexp.MustCompile(`^edge-(?P<qname>.+)_(?P<hh>[0-9]{2})_(?P<mn>[0-9]{2})\.csv$`),
		Delim:   ',', Quoted: true, NullMarker: "NULL", Writer: "dns_oa.py (impala-shell, rewritten QUOTE_ALL)",
		Layouts: []Layout{
			{Name: "names", Fields: fields("frame_time", Text, "frame_len", Long, "ip_dst", Text,
				"ip_src", Text, "dns_qry_name", Text, "dns_qry_class_name>qclass", Text,
				"dns_qry_type_name>qtype", Text, "dns_qry_rcode_name>qrcode", Text, "dns_a", Text),
				Computed: withNullType(frameTimeParts)},
			{Name: "codes", Fields: fields("frame_time", Text, "frame_len", Long, "ip_dst", Text,
				"ip_src", Text, "dns_qry_name", Text, "dns_qry_class>qclass", Text,
				"dns_qry_type>qtype", Text, "dns_qry_rcode>qrcode", Text, "dns_a", Text),
				Computed: frameTimeParts},
		}},
	{Name: "dns_dendro", Pipeline: "dns", Pattern: regexp.MustCompile(`^dendro-(?P<ip>[^/]+)\.csv$`),
		Delim: ',', NullMarker: "NULL", Writer: "dns_oa.py (impala-shell)", Layouts: []Layout{
			{Name: "dendro", Fields: fields("dns_a", Text, "dns_qry_name", Text, "ip_dst", Text)}}},
	{Name: "dns_threat_dendro", Pipeline: "dns",
		Pattern: regexp.MustCompile(`^threat-dendro-(?P<anchor>.+)\.csv$`),
		Delim:   ',', NullMarker: "NULL", Writer: "dns Threat_Investigation notebook (impala-shell)",
		Layouts: []Layout{{Name: "threat-dendro", Fields: fields("total", Long, "dns_qry_name", Text,
			"ip_dst", Text, "sev>-", Integer)}}},
	ingestSummary("dns", false),
	{Name: "dns_storyboard", Pipeline: "dns", Pattern: regexp.MustCompile(`^threats\.csv$`),
		Delim: '|', Writer: "dns Threat_Investigation notebook", Layouts: []Layout{
			{Name: "threats", Fields: fields("ip_dst", Text, "dns_qry_name", Text, "title", Text,
				"summary", Text)}}},

	{Name: "proxy_scores", Pipeline: "proxy", Pattern: regexp.MustCompile(`^proxy_scores\.tsv$`),
		Delim: '\t', Writer: "proxy_oa.py (csv, QUOTE_NONE) and the Edge notebook", Layouts: []Layout{
			{Name: "P0", Fields: fields("p_date", Date, "p_time", Time, "clientip", Text, "host", Text,
				"reqmethod", Text, "useragent", Text, "resconttype", Text, "duration", Integer,
				"username", Text, "webcat", Text, "referer", Text, "respcode", Integer,
				"uriport", Integer, "uripath", Text, "uriquery", Text, "serverip", Text,
				"scbytes", Integer, "csbytes", Integer, "fulluri", Text, "word", Text, "score", Real,
				"uri_rep", Text, "uri_sev", Integer, "respcode_name", Text, "network_context", Text,
				"hash", Text)}}},
	{Name: "proxy_edge", Pipeline: "proxy",
		Pattern: regexp.MustCompile(`^edge-(?P<clientip>.+)-(?P<hash>[0-9a-f]{32}[0-9]{2})\.tsv$`),
		Delim:   '\t', NullMarker: "NULL", Writer: "proxy_oa.py (impala-shell, quotes removed)",
		Layouts: []Layout{{Name: "edge", Fields: fields("p_date", Date, "p_time", Time,
			"clientip", Text, "host", Text, "webcat", Text, "respcode", Text, "reqmethod", Text,
			"useragent", Text, "resconttype", Text, "referer", Text, "uriport", Text,
			"serverip", Text, "scbytes", Integer, "csbytes", Integer, "fulluri", Text)}}},
	ingestSummary("proxy", false),
	{Name: "proxy_storyboard", Pipeline: "proxy", Pattern: regexp.MustCompile(`^threats\.csv$`),
		Delim: '|', Writer: "proxy Threat_Investigation notebook", Layouts: []Layout{
			{Name: "threats", Fields: fields("hash", Text, "title", Text, "summary", Text)}}},
	{Name: "proxy_timeline", Pipeline: "proxy",
		Pattern: regexp.MustCompile(`^timeline-(?P<hash>[0-9a-f]{32})\.tsv$`),
		Delim:   '\t', NullMarker: "NULL", Writer: "proxy Threat_Investigation notebook (impala-shell)",
		Layouts: []Layout{{Name: "timeline", Fields: fields("tstart", Timestamp, "tend", Timestamp,
			"duration", Long, "clientip", Text, "respcode", Text)}}},
	// The expanded-search files feed no table of their own: they are the
	// second source of URI candidates for proxy_storyboard and proxy_timeline.
	{Name: "proxy_es", Pipeline: "proxy", Pattern: regexp.MustCompile(`^es-(?P<hash>[0-9a-f]{32})\.csv$`),
		Delim: '\t', NullMarker: "NULL", Writer: "proxy Threat_Investigation notebook (impala-shell)",
		Layouts: []Layout{{Name: "es", Fields: fields("p_time", Text, "clientip", Text,
			"username", Text, "duration", Text, "fulluri", Text, "webcat", Text, "respcode", Text,
			"reqmethod", Text, "useragent", Text, "resconttype", Text, "referer", Text,
			"uriport", Text, "serverip", Text, "scbytes", Text, "csbytes", Text)}}},
}

// Skip is a file-name rule for files that are known and deliberately not
// migrated; the reason is reported.
type Skip struct {
	Pattern *regexp.Regexp
	Reason  string
}

// Skips lists the known files that are not migrated.
var Skips = []Skip{
	{regexp.MustCompile(`_bu\.(csv|tsv)$`), "backup copy of the scores file, not migrated"},
	{regexp.MustCompile(`_fb\.csv$`), "feedback file of no pipeline's name (<pipe>_scores_fb.csv are copied), not migrated"},
	{regexp.MustCompile(`^(flow|dns|proxy)_results\.csv$`), "raw ML results, not migrated"},
	{regexp.MustCompile(`\.json$`), "JSON file of no kind Spot 1.0 reads (globe-, stats-, threat-dendro-<ip>, incident-progression-<md5> are copied), not migrated"},
	{regexp.MustCompile(`^ir-.*\.tsv$`), "flow threat-investigation detail, not a Spot 1.0 table"},
	{regexp.MustCompile(`\.fixed$`), "leftover of an interrupted original migration"},
	{regexp.MustCompile(`^ingest_summary_.*\.csv$`), "leftover of an interrupted original migration"},
	{regexp.MustCompile(`^results_[0-9]{8}\.csv$`), "leftover of a DNS ingest summary that stopped (the old OA failed on days 1–9), not migrated"},
}
