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
	// Ingest summaries hold YYYY-MM-DD HH:MM; the daily flow files of
	// Nov–Dec 2016 MM/DD/YYYY HH:MM.
	isoMinute    = `try_strptime(s.date, '%Y-%m-%d %H:%M')`
	summaryDate  = `coalesce(` + isoMinute + `, try_strptime(s.date, '%m/%d/%Y %H:%M'))`
	sameDay      = `u.y = f.y AND u.m = f.m AND u.d = f.d`
	uriCandidate = ` LEFT JOIN uri_candidates u ON ` + sameDay
	intMin       = `-2147483648`
	intMax       = `2147483647`
)

// frameTimeRE splits tshark's frame time as the DNS ingest glued it back
// together ("May 20 2016 02:10:25.970987000 PDT", "Jul  8 2016 …"): the
// wall clock, the fraction, the zone token.
const frameTimeRE = `'^([A-Za-z]{3} +[0-9]{1,2} [0-9]{4} [0-9]{2}:[0-9]{2}:[0-9]{2})(\.[0-9]+)? +(\S+)$'`

// FrameWall is the wall clock of a frame time (fraction dropped) as a
// TIMESTAMP, NULL when the text is not a frame time; FrameZone its zone
// token. col is an SQL expression.
func FrameWall(col string) string {
	return `try_strptime(regexp_extract(` + col + `, ` + frameTimeRE + `, 1), '%b %d %Y %H:%M:%S')`
}

// FrameZone is the zone token of a frame time.
func FrameZone(col string) string {
	return `nullif(regexp_extract(` + col + `, ` + frameTimeRE + `, 3), '')`
}

// epochOf is the epoch seconds of a TIMESTAMP taken as UTC.
func epochOf(ts string) string { return `(epoch_ms(` + ts + `) // 1000)` }

// utcOf is the UTC TIMESTAMP of epoch seconds.
func utcOf(secs string) string { return `epoch_ms((` + secs + `) * 1000)` }

// datePartition partitions by the date of a TIMESTAMP or DATE expression.
func datePartition(t string) [3]string {
	return [3]string{`CAST(year(` + t + `) AS SMALLINT)`, `CAST(month(` + t + `) AS TINYINT)`,
		`CAST(day(` + t + `) AS TINYINT)`}
}

// scored filters keep the rows an analyst scored.
var (
	flowScored  = Filter{Rule: "not scored (sev = 0)", Keep: `s.sev > 0`, Selective: true}
	dnsScored   = Filter{Rule: "not scored (ip_sev = 0 and dns_sev = 0)", Keep: `s.ip_sev > 0 OR s.dns_sev > 0`, Selective: true}
	proxyScored = Filter{Rule: "not scored (uri_sev = 0)", Keep: `s.uri_sev > 0`, Selective: true}
)

// ianaJoin joins the install's registry of kind for the value of source
// field (alias a, iana_values): a value that is a name gives its code; a
// value that is a lookup key (an install whose lookups missed wrote codes)
// gives the name it stands for and that name's code.
func ianaJoin(kind, field, a string) string {
	return ` LEFT JOIN iana_values ` + a + ` ON ` + a + `.kind = '` + kind + `' AND ` + a + `.value = s.` + field
}

// ianaCode is the code of a coded field, NULL when the registry does not
// know the value.
func ianaCode(a string) string { return a + `.code` }

// ianaName is the name of a coded field: the name it holds, never
// respelled; the registry's name where it holds a key; else as written.
func ianaName(field, a string) string { return `coalesce(` + a + `.name, s.` + field + `)` }

// ianaUnknown is the notice of a value the registry knows neither as a name
// nor as a key; it lands as written (then says what else).
func ianaUnknown(field, a, registry, then string) Check {
	return Check{Column: field, Reason: "neither a name nor a code of " + registry + ": lands as written" + then,
		Bad: `nullif(s.` + field + `, '') IS NOT NULL AND ` + a + `.value IS NULL`}
}

// intOrNull is an INT column fed from a BIGINT field: NULL out of range.
func intOrNull(field string) string {
	return `CASE WHEN s.` + field + ` BETWEEN ` + intMin + ` AND ` + intMax + ` THEN s.` + field + ` END`
}

// intOverflow is the notice of a value intOrNull turns into NULL.
func intOverflow(field, table string) Check {
	return Check{Column: field, Bad: `s.` + field + ` NOT BETWEEN ` + intMin + ` AND ` + intMax,
		Reason: "outside the INT range of Spot 1.0's " + table + "." + field + " (" + intMax + "): lands as NULL"}
}

// The joins of a DNS edge row: its zone's UTC offset (--dns-timezone, then
// the offset learned from the day's dns_scores.csv), its scored row, the
// network context of its client, and the registries of its coded fields.
const dnsEdgeJoin = ` LEFT JOIN tz_flag zf ON zf.zone = s.ft_zone` +
	` LEFT JOIN dns_offsets zo ON zo.y = f.y AND zo.m = f.m AND zo.d = f.d AND zo.zone = s.ft_zone` +
	` LEFT JOIN dns_scored sc ON sc.y = f.y AND sc.m = f.m AND sc.d = f.d AND sc.qname = f.qname AND sc.hh = CAST(f.hh AS INTEGER)` +
	` LEFT JOIN dns_context nc ON nc.y = f.y AND nc.m = f.m AND nc.d = f.d AND nc.ip = s.ip_dst`

var (
	// dnsOffset is the UTC offset of a DNS edge row's zone, in seconds
	// (local = UTC + offset); UTC and GMT are always 0.
	dnsOffset = `coalesce(zf.off, zo.off, CASE WHEN s.ft_zone IN ('UTC', 'GMT') THEN 0 END)`
	// dnsEdgeTime is the edge row's own epoch seconds.
	dnsEdgeTime = `(` + epochOf(`s.ft_wall`) + ` - ` + dnsOffset + `)`
	// dnsEdgeKey is the UTC time Spot 1.0 looks the row up by: that of the
	// scored row whose edge file it is, else its own.
	dnsEdgeKey = utcOf(`coalesce(sc.ts, ` + dnsEdgeTime + `)`)
)

// The join of a flow edge row's scored row.
const flowEdgeJoin = ` LEFT JOIN flow_scored sc ON sc.y = f.y AND sc.m = f.m AND sc.d = f.d` +
	` AND sc.sip = f.sip AND sc.dip = f.dip AND sc.hh = CAST(f.hh AS INTEGER) AND sc.mn = CAST(f.mn AS INTEGER)`

// summaryMapping is the mapping of a monthly ingest summary: the partition
// comes from the date inside each row.
func summaryMapping(pipe string) Mapping {
	return Mapping{Table: pipe + "_ingest_summary", Source: pipe + "_ingest_summary",
		Set: map[string]string{"total": `s.total`, "tdate": `CASE WHEN ` + isoMinute + ` IS NULL THEN strftime(` +
			summaryDate + `, '%Y-%m-%d %H:%M') ELSE s.date END`},
		Partition: datePartition(summaryDate),
		Checks: []Check{{Column: "date", Reason: "not a date and minute (YYYY-MM-DD HH:MM or MM/DD/YYYY HH:MM)",
			Bad: summaryDate + ` IS NULL`}},
	}
}

// Mappings are the 20 mappings, one per Spot 1.0 table.
var Mappings = []Mapping{
	{Table: "flow_scores", Source: "flow_scores", Set: same(map[string]string{
		"tstart": tsText, "ml_score": `s.score`, "srcip_internal": `s.srcipinternal`,
		"dstip_internal": `s.destipinternal`, "src_geoloc": `s.srcgeo`, "dst_geoloc": `s.dstgeo`,
		"src_domain": `s.srcdomain`, "dst_domain": `s.dstdomain`, "src_rep": `s.srcip_rep`,
		"dst_rep": `s.dstip_rep`, "ipkt": intOrNull("ipkt"), "ibyt": intOrNull("ibyt"),
		"opkt": intOrNull("opkt"), "obyt": intOrNull("obyt")},
		"srcip", "dstip", "sport", "dport", "proto", "rank"),
		Notices: []Check{intOverflow("ipkt", "flow_scores"), intOverflow("ibyt", "flow_scores"),
			intOverflow("opkt", "flow_scores"), intOverflow("obyt", "flow_scores")}},
	{Table: "flow_chords", Source: "flow_chords", Set: same(map[string]string{
		"ip_threat": `replace(f.ip, '_', '.')`, "ibyt": `s.ibytes`, "ipkt": `s.ipkts`},
		"srcip", "dstip")},
	{Table: "flow_edge", Source: "flow_edge", Set: same(map[string]string{
		"tstart": tsText, "ibyt": `s.ibytes`, "ipkt": `s.ipkts`, "obyt": `s.obytes`, "opkt": `s.opkts`,
		"hh": `CAST(f.hh AS INTEGER)`, "mn": `CAST(f.mn AS INTEGER)`},
		"srcip", "dstip", "sport", "dport", "proto", "flags", "tos", "input", "output", "rip"),
		// Spot 1.0 looks edges up by the scored row's tstart: an edge of a
		// 23:59 row of the day before sits in that day's partition
		Join:      flowEdgeJoin,
		Needs:     []string{"flow_scored"},
		Partition: datePartition(`coalesce(sc.day, f.day)`),
		Filters:   []Filter{{Rule: "srcip is NULL", Keep: `s.srcip IS NOT NULL`}}},
	summaryMapping("flow"),
	{Table: "flow_storyboard", Source: "flow_storyboard", Set: same(map[string]string{
		"ip_threat": `s.ip`, "text": `s.summary`}, "title")},
	{Table: "flow_threat_investigation", Source: "flow_scores", Set: same(map[string]string{
		"tstart": tsText, "srcport": `s.sport`, "dstport": `s.dport`, "score": `s.sev`},
		"srcip", "dstip"), Filters: []Filter{flowScored}},
	{Table: "flow_timeline", Source: "flow_timeline", Set: same(map[string]string{
		"ip_threat": `f.ip`, "tstart": tsText, "tend": `CAST(s.tend AS VARCHAR)`,
		"ipkt": `s.pkts`, "ibyt": `s.bytes`}, "srcip", "dstip", "proto", "sport", "dport")},

	{Table: "dns_scores", Source: "dns_scores", Set: same(map[string]string{"ml_score": `s.score`,
		"dns_qry_class_name": ianaName("dns_qry_class_name", "qc"),
		"dns_qry_type_name":  ianaName("dns_qry_type_name", "qt"),
		"dns_qry_rcode_name": ianaName("dns_qry_rcode_name", "qr")},
		"frame_time", "unix_tstamp", "frame_len", "ip_dst", "dns_qry_name", "dns_qry_class",
		"dns_qry_type", "dns_qry_rcode", "tld", "query_rep", "hh", "network_context"),
		Join: ianaJoin("dns_qclass", "dns_qry_class_name", "qc") + ianaJoin("dns_qtype", "dns_qry_type_name", "qt") +
			ianaJoin("dns_rcode", "dns_qry_rcode_name", "qr"),
		Notices: []Check{
			ianaUnknown("dns_qry_class_name", "qc", "the DNS class registry (dns-qclass.csv)", ""),
			ianaUnknown("dns_qry_type_name", "qt", "the DNS type registry (dns-qtype.csv)", ""),
			ianaUnknown("dns_qry_rcode_name", "qr", "the DNS rcode registry (dns-rcode.csv)", ""),
		}},
	{Table: "dns_edge", Source: "dns_edge", Set: same(map[string]string{
		"unix_tstamp":        dnsEdgeTime,
		"dns_qry_class":      ianaCode("qc"),
		"dns_qry_type":       ianaCode("qt"),
		"dns_qry_rcode":      ianaCode("qr"),
		"hh":                 `hour(` + dnsEdgeKey + `)`,
		"dns_qry_class_name": ianaName("qclass", "qc"),
		"dns_qry_type_name":  ianaName("qtype", "qt"),
		"dns_qry_rcode_name": ianaName("qrcode", "qr"),
		"network_context":    `coalesce(nc.nc, '')`},
		"frame_len", "ip_dst", "ip_src", "dns_qry_name", "dns_a"),
		Join: dnsEdgeJoin + ianaJoin("dns_qclass", "qclass", "qc") + ianaJoin("dns_qtype", "qtype", "qt") +
			ianaJoin("dns_rcode", "qrcode", "qr"),
		Needs: []string{"dns_offsets", "dns_scored", "dns_context"},
		// Spot 1.0 looks edges up by the UTC date and hour of the scored row
		Partition: datePartition(dnsEdgeKey),
		Checks: []Check{
			{Column: "frame_time", Reason: "not a frame time like 'May 20 2016 02:10:25.970987000 PDT'",
				Bad: `s.ft_wall IS NULL`},
			{Column: "frame_time", Value: `s.ft_zone`, Bad: dnsOffset + ` IS NULL`,
				Reason: "no UTC offset known for this zone token: no dns_scores.csv row of the day carries it; give it with --dns-timezone TOKEN=±HH:MM"},
		},
		Notices: []Check{
			ianaUnknown("qclass", "qc", "the DNS class registry (dns-qclass.csv)", ", dns_qry_class NULL"),
			ianaUnknown("qtype", "qt", "the DNS type registry (dns-qtype.csv)", ", dns_qry_type NULL"),
			ianaUnknown("qrcode", "qr", "the DNS rcode registry (dns-rcode.csv)", ", dns_qry_rcode NULL"),
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
		"tdate": dateText, "time": timeText, "ml_score": `s.score`,
		"respcode_name": ianaName("respcode_name", "h")},
		"clientip", "host", "reqmethod", "useragent", "resconttype", "duration", "username",
		"webcat", "referer", "respcode", "uriport", "uripath", "uriquery", "serverip", "scbytes",
		"csbytes", "fulluri", "word", "uri_rep", "network_context"),
		Join:    ianaJoin("http", "respcode_name", "h"),
		Notices: []Check{ianaUnknown("respcode_name", "h", "the HTTP status registry (http-rcode.csv)", "")}},
	{Table: "proxy_edge", Source: "proxy_edge", Set: same(map[string]string{
		"tdate": dateText, "time": timeText, "hh": `hour(s.p_time)`,
		"respcode": ianaCode("h"), "respcode_name": ianaName("respcode", "h")},
		"clientip", "host", "webcat", "reqmethod", "useragent", "resconttype", "referer",
		"uriport", "serverip", "scbytes", "csbytes", "fulluri"),
		Join:    ianaJoin("http", "respcode", "h"),
		Notices: []Check{ianaUnknown("respcode", "h", "the HTTP status registry (http-rcode.csv)", ", respcode NULL")}},
	summaryMapping("proxy"),
	{Table: "proxy_storyboard", Source: "proxy_storyboard", Set: same(map[string]string{
		"p_threat": `u.uri`, "text": `s.summary`}, "title"),
		Join: uriCandidate + ` AND u.md5 = lower(s.hash)`, Needs: []string{"uri_candidates"},
		Checks: []Check{{Column: "hash", Bad: `u.uri IS NULL`,
			Reason: "no fulluri of this day's proxy_scores.tsv or es-*.csv has this md5"}}},
	{Table: "proxy_threat_investigation", Source: "proxy_scores", Set: same(map[string]string{
		"tdate": dateText}, "fulluri", "uri_sev"), Filters: []Filter{proxyScored}},
	{Table: "proxy_timeline", Source: "proxy_timeline", Set: same(map[string]string{
		"p_threat": `u.uri`, "tstart": tsText, "tend": `CAST(s.tend AS VARCHAR)`,
		"respcodename": `coalesce(hk.name, '')`}, "duration", "clientip", "respcode"),
		Join:  uriCandidate + ` AND u.md5 = f.hash` + ` LEFT JOIN iana_keys hk ON hk.kind = 'http' AND hk.key = s.respcode`,
		Needs: []string{"uri_candidates"},
		Checks: []Check{{Column: "respcode", Bad: `u.uri IS NULL`, Value: `f.hash`,
			Reason: "no fulluri of this day's proxy_scores.tsv or es-*.csv has the md5 in the file name"}}},
}

// Relations are built in the work database before the mappings run.
var Relations = []Relation{
	{Name: "uri_candidates", Columns: "y SMALLINT, m TINYINT, d TINYINT, md5 VARCHAR, uri VARCHAR",
		Sources: []string{"proxy_scores", "proxy_es"},
		Select:  "f.y, f.m, f.d, md5(s.fulluri), s.fulluri", Where: "s.fulluri IS NOT NULL"},
	// the scored flow of each edge file: its connection and minute
	{Name: "flow_scored", Columns: "y SMALLINT, m TINYINT, d TINYINT, sip VARCHAR, dip VARCHAR, hh INTEGER, mn INTEGER, day DATE",
		Sources: []string{"flow_scores"},
		Select:  "f.y, f.m, f.d, replace(s.srcip, '.', '_'), replace(s.dstip, '.', '_'), hour(s.tstart), minute(s.tstart), CAST(s.tstart AS DATE)",
		Where:   "s.tstart IS NOT NULL AND s.srcip IS NOT NULL AND s.dstip IS NOT NULL",
		Reduce:  "SELECT y, m, d, sip, dip, hh, mn, min(day) AS day FROM flow_scored GROUP BY ALL"},
	// the UTC offset of each zone token of a day, from dns_scores' two times
	{Name: "dns_offsets", Columns: "y SMALLINT, m TINYINT, d TINYINT, zone VARCHAR, off BIGINT",
		Sources: []string{"dns_scores"},
		Select:  "f.y, f.m, f.d, " + FrameZone("s.frame_time") + ", " + epochOf(FrameWall("s.frame_time")) + " - s.unix_tstamp",
		Where:   FrameWall("s.frame_time") + " IS NOT NULL AND s.unix_tstamp IS NOT NULL",
		Reduce:  "SELECT y, m, d, zone, mode(off) AS off FROM dns_offsets WHERE abs(off) <= 14 * 3600 GROUP BY ALL"},
	// the scored row of each DNS edge file: its name (as in the file name) and local hour
	{Name: "dns_scored", Columns: "y SMALLINT, m TINYINT, d TINYINT, qname VARCHAR, hh INTEGER, ts BIGINT",
		Sources: []string{"dns_scores"},
		Select:  "f.y, f.m, f.d, replace(s.dns_qry_name, '/', '-'), s.hh, s.unix_tstamp",
		Where:   "s.dns_qry_name IS NOT NULL AND s.unix_tstamp IS NOT NULL",
		Reduce:  "SELECT y, m, d, qname, hh, min(ts) AS ts FROM dns_scored GROUP BY ALL"},
	// the network context of each client of a day
	{Name: "dns_context", Columns: "y SMALLINT, m TINYINT, d TINYINT, ip VARCHAR, nc VARCHAR",
		Sources: []string{"dns_scores"},
		Select:  "f.y, f.m, f.d, s.ip_dst, s.network_context", Where: "s.ip_dst IS NOT NULL",
		Reduce: "SELECT y, m, d, ip, max(nc) AS nc FROM dns_context GROUP BY ALL"},
}
