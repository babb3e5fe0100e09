package catalog

// same maps each named target column to the source column of the same name.
func same(set map[string]string, names ...string) map[string]string {
	for _, n := range names {
		set[n] = `s."` + n + `"`
	}
	return set
}

// Expressions shared by several mappings.
const (
	// A TIMESTAMP read from 'YYYY-MM-DD HH:MM:SS' (no fraction) casts back
	// to the same text.
	tsText   = `CAST(s.tstart AS VARCHAR)`
	dateText = `strftime(s.p_date, '%Y-%m-%d')`
	timeText = `CAST(s.p_time AS VARCHAR)`
	// frameTime parses tshark's frame time as the DNS ingest glued it back
	// together, e.g. "Jul  8 2016 10:00:00.123456000 UTC".
	frameTime    = `try_strptime(s.frame_time, '%b %d %Y %H:%M:%S.%n UTC')`
	summaryDate  = `try_strptime(s.date, '%Y-%m-%d %H:%M')`
	sameDay      = `u.y = f.y AND u.m = f.m AND u.d = f.d`
	uriCandidate = ` LEFT JOIN uri_candidates u ON ` + sameDay
)

// scored filters keep the rows an analyst scored.
var (
	flowScored  = Filter{Rule: "not scored (sev = 0)", Keep: `s.sev > 0`, Selective: true}
	dnsScored   = Filter{Rule: "not scored (ip_sev = 0 and dns_sev = 0)", Keep: `s.ip_sev > 0 OR s.dns_sev > 0`, Selective: true}
	proxyScored = Filter{Rule: "not scored (uri_sev = 0)", Keep: `s.uri_sev > 0`, Selective: true}
)

// ianaPair joins the IANA table twice for one coded field: by name (alias
// n) and by code (alias c), so that either form of the old value resolves.
func ianaPair(kind, field, n, c string) string {
	return ` LEFT JOIN iana ` + n + ` ON ` + n + `.kind = '` + kind + `' AND ` + n + `.key = lower(s.` + field + `)` +
		` LEFT JOIN iana ` + c + ` ON ` + c + `.kind = '` + kind + `' AND ` + c + `.is_primary AND ` + c + `.code = s.` + field
}

// codeOf and nameOf resolve a coded field that may hold a code or a name.
func codeOf(field, codeRE, n string) string {
	return `CASE WHEN regexp_full_match(s.` + field + `, '` + codeRE + `') THEN s.` + field + ` ELSE ` + n + `.code END`
}

func nameOf(field, codeRE, c string) string {
	return `CASE WHEN regexp_full_match(s.` + field + `, '` + codeRE + `') THEN ` + c + `.name ELSE s.` + field + ` END`
}

// unknownName rejects a name that no IANA entry has.
func unknownName(field, codeRE, n, what string) Check {
	return Check{Column: field, Reason: "unknown " + what + " name (not in the IANA table)",
		Bad: `s.` + field + ` IS NOT NULL AND NOT regexp_full_match(s.` + field + `, '` + codeRE + `') AND ` + n + `.code IS NULL`}
}

// summaryMapping is the mapping of a monthly ingest summary: the partition
// comes from the date inside each row.
func summaryMapping(pipe string) Mapping {
	return Mapping{Table: pipe + "_ingest_summary", Source: pipe + "_ingest_summary",
		Set: map[string]string{"tdate": `s.date`, "total": `s.total`},
		Partition: [3]string{`CAST(year(` + summaryDate + `) AS SMALLINT)`,
			`CAST(month(` + summaryDate + `) AS TINYINT)`, `CAST(day(` + summaryDate + `) AS TINYINT)`},
		Checks: []Check{{Column: "date", Reason: "not a date and minute (YYYY-MM-DD HH:MM)",
			Bad: summaryDate + ` IS NULL`}},
	}
}

// Mappings are the 20 mappings, one per Spot 1.0 table.
var Mappings = []Mapping{
	{Table: "flow_scores", Source: "flow_scores", Set: same(map[string]string{
		"tstart": tsText, "ml_score": `s.score`, "srcip_internal": `s.srcipinternal`,
		"dstip_internal": `s.destipinternal`, "src_geoloc": `s.srcgeo`, "dst_geoloc": `s.dstgeo`,
		"src_domain": `s.srcdomain`, "dst_domain": `s.dstdomain`, "src_rep": `s.srcip_rep`,
		"dst_rep": `s.dstip_rep`}, "srcip", "dstip", "sport", "dport", "proto", "ipkt", "ibyt",
		"opkt", "obyt", "rank")},
	{Table: "flow_chords", Source: "flow_chords", Set: same(map[string]string{
		"ip_threat": `replace(f.ip, '_', '.')`, "ibyt": `s.ibytes`, "ipkt": `s.ipkts`},
		"srcip", "dstip")},
	{Table: "flow_edge", Source: "flow_edge", Set: same(map[string]string{
		"tstart": tsText, "ibyt": `s.ibytes`, "ipkt": `s.ipkts`, "obyt": `s.obytes`, "opkt": `s.opkts`,
		"hh": `CAST(f.hh AS INTEGER)`, "mn": `CAST(f.mn AS INTEGER)`},
		"srcip", "dstip", "sport", "dport", "proto", "flags", "tos", "input", "output", "rip"),
		Filters: []Filter{{Rule: "srcip is NULL", Keep: `s.srcip IS NOT NULL`}}},
	summaryMapping("flow"),
	{Table: "flow_storyboard", Source: "flow_storyboard", Set: same(map[string]string{
		"ip_threat": `s.ip`, "text": `s.summary`}, "title")},
	{Table: "flow_threat_investigation", Source: "flow_scores", Set: same(map[string]string{
		"tstart": tsText, "srcport": `s.sport`, "dstport": `s.dport`, "score": `s.sev`},
		"srcip", "dstip"), Filters: []Filter{flowScored}},
	{Table: "flow_timeline", Source: "flow_timeline", Set: same(map[string]string{
		"ip_threat": `f.ip`, "tstart": tsText, "tend": `CAST(s.tend AS VARCHAR)`,
		"ipkt": `s.pkts`, "ibyt": `s.bytes`}, "srcip", "dstip", "proto", "sport", "dport")},

	{Table: "dns_scores", Source: "dns_scores", Set: same(map[string]string{"ml_score": `s.score`},
		"frame_time", "unix_tstamp", "frame_len", "ip_dst", "dns_qry_name", "dns_qry_class",
		"dns_qry_type", "dns_qry_rcode", "tld", "query_rep", "hh", "dns_qry_class_name",
		"dns_qry_type_name", "dns_qry_rcode_name", "network_context")},
	{Table: "dns_edge", Source: "dns_edge", Set: same(map[string]string{
		"unix_tstamp":        `CAST(epoch_ms(` + frameTime + `) // 1000 AS BIGINT)`,
		"dns_qry_class":      codeOf("qclass", `0x[0-9A-Fa-f]+`, "qcn"),
		"dns_qry_type":       `CAST(` + codeOf("qtype", `[0-9]+`, "qtn") + ` AS INTEGER)`,
		"dns_qry_rcode":      `CAST(` + codeOf("qrcode", `[0-9]+`, "qrn") + ` AS INTEGER)`,
		"hh":                 `CAST(f.hh AS INTEGER)`,
		"dns_qry_class_name": nameOf("qclass", `0x[0-9A-Fa-f]+`, "qcc"),
		"dns_qry_type_name":  nameOf("qtype", `[0-9]+`, "qtc"),
		"dns_qry_rcode_name": nameOf("qrcode", `[0-9]+`, "qrc"),
		"network_context":    `CAST(NULL AS VARCHAR)`},
		"frame_len", "ip_dst", "ip_src", "dns_qry_name", "dns_a"),
		Join: ianaPair("dns_qclass", "qclass", "qcn", "qcc") + ianaPair("dns_qtype", "qtype", "qtn", "qtc") +
			ianaPair("dns_rcode", "qrcode", "qrn", "qrc"),
		Checks: []Check{
			{Column: "frame_time", Reason: "not a frame time like 'Jul  8 2016 10:00:00.123456000 UTC'",
				Bad: frameTime + ` IS NULL`},
			unknownName("qclass", `0x[0-9A-Fa-f]+`, "qcn", "DNS class"),
			unknownName("qtype", `[0-9]+`, "qtn", "DNS type"),
			unknownName("qrcode", `[0-9]+`, "qrn", "DNS rcode"),
		}},
	{Table: "dns_dendro", Source: "dns_dendro", Set: same(map[string]string{
		"unix_tstamp": `CAST(epoch_ms(CAST(f.day AS TIMESTAMP)) // 1000 AS BIGINT)`},
		"dns_a", "dns_qry_name", "ip_dst")},
	{Table: "dns_threat_dendro", Source: "dns_threat_dendro", Set: same(map[string]string{
		"anchor": `f.anchor`}, "total", "dns_qry_name", "ip_dst"),
		Filters: []Filter{{Rule: "dns_qry_name is NULL", Keep: `s.dns_qry_name IS NOT NULL`}}},
	summaryMapping("dns"),
	{Table: "dns_storyboard", Source: "dns_storyboard", Set: same(map[string]string{
		"ip_threat": `s.ip_dst`, "dns_threat": `s.dns_qry_name`, "text": `s.summary`}, "title")},
	{Table: "dns_threat_investigation", Source: "dns_scores", Set: same(map[string]string{},
		"unix_tstamp", "ip_dst", "dns_qry_name", "ip_sev", "dns_sev"), Filters: []Filter{dnsScored}},

	{Table: "proxy_scores", Source: "proxy_scores", Set: same(map[string]string{
		"tdate": dateText, "time": timeText, "ml_score": `s.score`},
		"clientip", "host", "reqmethod", "useragent", "resconttype", "duration", "username",
		"webcat", "referer", "respcode", "uriport", "uripath", "uriquery", "serverip", "scbytes",
		"csbytes", "fulluri", "word", "uri_rep", "respcode_name", "network_context")},
	{Table: "proxy_edge", Source: "proxy_edge", Set: same(map[string]string{
		"tdate": dateText, "time": timeText, "hh": `hour(s.p_time)`,
		"respcode":      codeOf("respcode", `[0-9]+`, "hn"),
		"respcode_name": nameOf("respcode", `[0-9]+`, "hc")},
		"clientip", "host", "webcat", "reqmethod", "useragent", "resconttype", "referer",
		"uriport", "serverip", "scbytes", "csbytes", "fulluri"),
		Join:   ianaPair("http", "respcode", "hn", "hc"),
		Checks: []Check{unknownName("respcode", `[0-9]+`, "hn", "HTTP status")}},
	summaryMapping("proxy"),
	{Table: "proxy_storyboard", Source: "proxy_storyboard", Set: same(map[string]string{
		"p_threat": `u.uri`, "text": `s.summary`}, "title"),
		Join: uriCandidate + ` AND u.md5 = lower(s.hash)`,
		Checks: []Check{{Column: "hash", Bad: `u.uri IS NULL`,
			Reason: "no fulluri of this day's proxy_scores.tsv or es-*.csv has this md5"}}},
	{Table: "proxy_threat_investigation", Source: "proxy_scores", Set: same(map[string]string{
		"tdate": dateText}, "fulluri", "uri_sev"), Filters: []Filter{proxyScored}},
	{Table: "proxy_timeline", Source: "proxy_timeline", Set: same(map[string]string{
		"p_threat": `u.uri`, "tstart": tsText, "tend": `CAST(s.tend AS VARCHAR)`,
		"respcodename": `coalesce(hc.name, '')`}, "duration", "clientip", "respcode"),
		Join: uriCandidate + ` AND u.md5 = f.hash` + ` LEFT JOIN iana hc ON hc.kind = 'http' AND hc.is_primary AND hc.code = s.respcode`,
		Checks: []Check{{Column: "respcode", Bad: `u.uri IS NULL`, Value: `f.hash`,
			Reason: "no fulluri of this day's proxy_scores.tsv or es-*.csv has the md5 in the file name"}}},
}

// Relations are built in the work database before the mappings run.
var Relations = []Relation{
	{Name: "uri_candidates", Columns: "y SMALLINT, m TINYINT, d TINYINT, md5 VARCHAR, uri VARCHAR",
		Sources: []string{"proxy_scores", "proxy_es"},
		Select:  "f.y, f.m, f.d, md5(s.fulluri), s.fulluri", Where: "s.fulluri IS NOT NULL"},
}
