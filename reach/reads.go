package reach

// Read is one lookup Spot 1.0 makes on its OA tables, in DuckDB form.
type Read struct {
	// Kind names the read in reports, e.g. "flow details".
	Kind string
	// Func is the Spot 1.0 function that runs the query.
	Func string
	// Source is where that query is, in the Spot repository at 4e3982e.
	Source string
	// Params names the bound parameters of SQL, in order.
	Params []string
	// SQL is the query over schema spot, with ? parameters. It keeps
	// Spot 1.0's column list, predicates, order and limit; only Impala's
	// STRAIGHT_JOIN hint and the string formatting of the arguments are gone.
	SQL string
}

// The reads. Each follows its Spot 1.0 query clause for clause; see
// docs/READS.md for the keys and where the UI takes each argument.
var (
	FlowSuspicious = Read{
		Kind: "flow suspicious", Func: "flow.suspicious_connections(date)",
		Source: "spot-oa/api/resources/flow.py:33-55",
		Params: []string{"y", "m", "d"},
		SQL: `SELECT fs.tstart, fs.srcip, fs.dstip, fs.sport, fs.dport, proto,
       ipkt, ibyt, opkt, obyt, ml_score, "rank", srcip_internal,
       dstip_internal, src_geoloc, dst_geoloc, src_domain,
       dst_domain, src_rep, dst_rep
FROM spot.flow_scores fs
LEFT JOIN spot.flow_threat_investigation ft
    ON ((fs.srcip = ft.srcip) OR (fs.dstip = ft.dstip))
WHERE fs.y = ? AND fs.m = ? AND fs.d = ?
    AND (ft.srcip IS NULL AND ft.dstip IS NULL)
ORDER BY "rank" LIMIT 250`,
	}
	FlowDetails = Read{
		Kind: "flow details", Func: "flow.details(src_ip, dst_ip, date)",
		Source: "spot-oa/api/resources/flow.py:63-79",
		Params: []string{"y", "m", "d", "hh", "mn", "src_ip", "dst_ip", "dst_ip", "src_ip"},
		SQL: `SELECT tstart, srcip, dstip, sport, dport, proto, flags,
       tos, ibyt, ipkt, input, output, rip, obyt, opkt
FROM spot.flow_edge
WHERE y = ? AND m = ? AND d = ? AND hh = ? AND mn = ?
    AND ((srcip = ? AND dstip = ?)
    OR  (srcip = ? AND dstip = ?))
ORDER BY tstart`,
	}
	FlowChords = Read{
		Kind: "flow chord details", Func: "flow.chord_details(ip, date)",
		Source: "spot-oa/api/resources/flow.py:86-96",
		Params: []string{"y", "m", "d", "ip"},
		SQL: `SELECT srcip, dstip, ibyt, ipkt
FROM spot.flow_chords
WHERE y = ? AND m = ? AND d = ? AND ip_threat = ?`,
	}
	FlowIngestSummary = Read{
		Kind: "flow ingest summary", Func: "flow.ingest_summary(start_date, end_date)",
		Source: "spot-oa/api/resources/flow.py:104-120",
		Params: []string{"start.y", "end.y", "start.m", "end.m", "start.d", "end.d"},
		SQL: `SELECT tdate, total
FROM spot.flow_ingest_summary
WHERE (y >= ? AND y <= ?) AND
      (m >= ? AND m <= ?) AND
      (d >= ? AND d <= ?)
ORDER BY tdate`,
	}
	FlowTimeline = Read{
		Kind: "flow timeline", Func: "flow.time_line(ip, date)",
		Source: "spot-oa/api/resources/flow.py:128-141",
		Params: []string{"y", "m", "d", "ip"},
		SQL: `SELECT ip_threat, tstart, tend, srcip, dstip, proto,
       sport, dport, ipkt, ibyt
FROM spot.flow_timeline
WHERE y = ? AND m = ? AND d = ?
    AND ip_threat = ?`,
	}
	FlowStoryboard = Read{
		Kind: "flow storyboard", Func: "flow.story_board(date)",
		Source: "spot-oa/api/resources/flow.py:167-182",
		Params: []string{"y", "m", "d"},
		SQL: `SELECT ip_threat, title, text
FROM spot.flow_storyboard
WHERE y = ? AND m = ? AND d = ?`,
	}
	FlowThreats = Read{
		Kind: "flow scored connections", Func: "flow.get_scored_connections(date)",
		Source: "spot-oa/api/resources/flow.py:344-358",
		Params: []string{"y", "m", "d"},
		SQL: `SELECT tstart, srcip, dstip, srcport, dstport, score
FROM spot.flow_threat_investigation
WHERE y = ? AND m = ? AND d = ?`,
	}

	DNSSuspicious = Read{
		Kind: "dns suspicious", Func: "dns.suspicious_queries(date)",
		Source: "spot-oa/api/resources/dns.py:27-50",
		Params: []string{"y", "m", "d"},
		SQL: `SELECT ds.unix_tstamp, frame_len, ds.ip_dst, ds.dns_qry_name,
       dns_qry_class, dns_qry_type, dns_qry_rcode, ml_score, tld,
       query_rep, hh, dns_qry_class_name, dns_qry_type_name,
       dns_qry_rcode_name, network_context
FROM spot.dns_scores ds
LEFT JOIN spot.dns_threat_investigation dt
    ON (ds.dns_qry_name = dt.dns_qry_name)
WHERE ds.y = ? AND ds.m = ? AND ds.d = ?
    AND (dt.dns_qry_name IS NULL)
ORDER BY ds.ml_score LIMIT 250`,
	}
	DNSDetails = Read{
		Kind: "dns details", Func: "dns.details(frame_time, query)",
		Source: "spot-oa/api/resources/dns.py:57-72",
		Params: []string{"frame_time.y", "frame_time.m", "frame_time.d", "frame_time.hour", "query"},
		SQL: `SELECT unix_tstamp, frame_len, ip_dst, ip_src, dns_qry_name, dns_qry_class,
       dns_qry_type, dns_qry_rcode, dns_a, dns_qry_type_name,
       dns_qry_rcode_name, dns_qry_class_name
FROM spot.dns_edge
WHERE y = ? AND m = ? AND d = ? AND hh = ? AND dns_qry_name = ?`,
	}
	DNSClientDetails = Read{
		Kind: "dns client details", Func: "dns.client_details(date, ip)",
		Source: "spot-oa/api/resources/dns.py:79-92",
		Params: []string{"y", "m", "d", "ip"},
		SQL: `SELECT ip_dst, dns_a, dns_qry_name, ip_dst
FROM spot.dns_dendro
WHERE y = ? AND m = ? AND d = ?
    AND ip_dst = ?`,
	}
	// DNSThreatDendroByIP is dns.incident_progression with a client IP
	// anchor: it returns dns_qry_name.
	DNSThreatDendroByIP = Read{
		Kind: "dns threat dendro", Func: "dns.incident_progression(date, None, ip)",
		Source: "spot-oa/api/resources/dns.py:99-117",
		Params: []string{"y", "m", "d", "ip"},
		SQL: `SELECT anchor, total, dns_qry_name
FROM spot.dns_threat_dendro
WHERE y = ? AND m = ? AND d = ?
    AND anchor = ?`,
	}
	// DNSThreatDendroByQuery is dns.incident_progression with a query-name
	// anchor: it returns ip_dst.
	DNSThreatDendroByQuery = Read{
		Kind: "dns threat dendro", Func: "dns.incident_progression(date, query, None)",
		Source: "spot-oa/api/resources/dns.py:99-117",
		Params: []string{"y", "m", "d", "query"},
		SQL: `SELECT anchor, total, ip_dst
FROM spot.dns_threat_dendro
WHERE y = ? AND m = ? AND d = ?
    AND anchor = ?`,
	}
	DNSStoryboard = Read{
		Kind: "dns storyboard", Func: "dns.comments(date)",
		Source: "spot-oa/api/resources/dns.py:124-139",
		Params: []string{"y", "m", "d"},
		SQL: `SELECT ip_threat, dns_threat, title, text
FROM spot.dns_storyboard
WHERE y = ? AND m = ? AND d = ?`,
	}
	DNSThreats = Read{
		Kind: "dns scored connections", Func: "dns.get_scored_connections(date)",
		Source: "spot-oa/api/resources/dns.py:219-231",
		Params: []string{"y", "m", "d"},
		SQL: `SELECT unix_tstamp, ip_dst, dns_qry_name, ip_sev, dns_sev
FROM spot.dns_threat_investigation
WHERE y = ? AND m = ? AND d = ?`,
	}
	DNSIngestSummary = Read{
		Kind: "dns ingest summary", Func: "dns.ingest_summary(start_date, end_date)",
		Source: "spot-oa/api/resources/dns.py:355-369",
		Params: []string{"start.y", "end.y", "start.m", "end.m", "start.d", "end.d"},
		SQL: `SELECT tdate, total
FROM spot.dns_ingest_summary
WHERE (y >= ? AND y <= ?) AND
      (m >= ? AND m <= ?) AND
      (d >= ? AND d <= ?)`,
	}

	ProxySuspicious = Read{
		Kind: "proxy suspicious", Func: "proxy.suspicious_requests(date)",
		Source: "spot-oa/api/resources/proxy.py:31-57",
		Params: []string{"y", "m", "d"},
		SQL: `SELECT ps.tdate, ps.time, ps.clientip, ps.host, ps.reqmethod, ps.useragent,
       ps.resconttype, ps.duration, ps.username, ps.webcat, ps.referer,
       ps.respcode, ps.uriport, ps.uripath, ps.uriquery, ps.serverip, ps.scbytes,
       ps.csbytes, ps.fulluri, ps.ml_score, ps.uri_rep, ps.respcode_name,
       ps.network_context
FROM spot.proxy_scores ps
LEFT JOIN spot.proxy_threat_investigation pt
    ON (ps.fulluri = pt.fulluri)
WHERE ps.y = ? AND ps.m = ? AND ps.d = ?
    AND (pt.fulluri IS NULL)
ORDER BY ps.ml_score LIMIT 250`,
	}
	ProxyDetails = Read{
		Kind: "proxy details", Func: "proxy.details(date, uri, ip)",
		Source: "spot-oa/api/resources/proxy.py:64-81",
		Params: []string{"y", "m", "d", "uri", "ip"},
		SQL: `SELECT tdate, time, clientIp, host, webcat, respcode, respcode_name,
       reqmethod, useragent, resconttype, referer, uriport, serverip,
       scbytes, csbytes, fulluri, hh
FROM spot.proxy_edge
WHERE y = ? AND m = ? AND d = ? AND
    (fulluri = ? AND clientIp = ?)`,
	}
	ProxyThreats = Read{
		Kind: "proxy scored requests", Func: "proxy.get_scored_requests(date)",
		Source: "spot-oa/api/resources/proxy.py:179-191",
		Params: []string{"y", "m", "d"},
		SQL: `SELECT tdate, fulluri, uri_sev
FROM spot.proxy_threat_investigation
WHERE y = ? AND m = ? AND d = ?`,
	}
	ProxyStoryboard = Read{
		Kind: "proxy storyboard", Func: "proxy.story_board(date)",
		Source: "spot-oa/api/resources/proxy.py:367-382",
		Params: []string{"y", "m", "d"},
		SQL: `SELECT p_threat, title, text
FROM spot.proxy_storyboard
WHERE y = ? AND m = ? AND d = ?`,
	}
	ProxyTimeline = Read{
		Kind: "proxy timeline", Func: "proxy.time_line(date, uri)",
		Source: "spot-oa/api/resources/proxy.py:389-401",
		Params: []string{"y", "m", "d", "uri"},
		SQL: `SELECT p_threat, tstart, tend, duration, clientip, respcode, respcodename
FROM spot.proxy_timeline
WHERE y = ? AND m = ? AND d = ?
    AND p_threat = ?`,
	}
	ProxyIngestSummary = Read{
		Kind: "proxy ingest summary", Func: "proxy.ingest_summary(start_date, end_date)",
		Source: "spot-oa/api/resources/proxy.py:426-440",
		Params: []string{"start.y", "end.y", "start.m", "end.m", "start.d", "end.d"},
		SQL: `SELECT tdate, total
FROM spot.proxy_ingest_summary
WHERE (y >= ? AND y <= ?) AND
      (m >= ? AND m <= ?) AND
      (d >= ? AND d <= ?)`,
	}
)

// Reads lists every read, in report order.
var Reads = []Read{
	FlowSuspicious, FlowDetails, FlowChords, FlowTimeline, FlowStoryboard, FlowThreats, FlowIngestSummary,
	DNSSuspicious, DNSDetails, DNSClientDetails, DNSThreatDendroByIP, DNSThreatDendroByQuery,
	DNSStoryboard, DNSThreats, DNSIngestSummary,
	ProxySuspicious, ProxyDetails, ProxyTimeline, ProxyStoryboard, ProxyThreats, ProxyIngestSummary,
}
