package catalog

// cols builds a column list from alternating name, type pairs.
func cols(pairs ...any) []Column {
	out := make([]Column, 0, len(pairs)/2)
	for i := 0; i < len(pairs); i += 2 {
		out = append(out, Column{Name: pairs[i].(string), Type: pairs[i+1].(Type)})
	}
	return out
}

// Tables are the 20 Spot 1.0 OA tables (spot-setup/create_*_parquet.hql,
// v1.0-incubating), with names as Impala folds them (lower case).
var Tables = []Table{
	{Name: "flow_scores", Pipeline: "flow", Location: "suspicious", Columns: cols(
		"tstart", String, "srcip", String, "dstip", String, "sport", Int, "dport", Int,
		"proto", String, "ipkt", Int, "ibyt", Int, "opkt", Int, "obyt", Int,
		"ml_score", Float, "rank", Int, "srcip_internal", Int, "dstip_internal", Int,
		"src_geoloc", String, "dst_geoloc", String, "src_domain", String, "dst_domain", String,
		"src_rep", String, "dst_rep", String)},
	{Name: "flow_chords", Pipeline: "flow", Location: "chords", Columns: cols(
		"ip_threat", String, "srcip", String, "dstip", String, "ibyt", BigInt, "ipkt", BigInt)},
	{Name: "flow_edge", Pipeline: "flow", Location: "edge", Columns: cols(
		"tstart", String, "srcip", String, "dstip", String, "sport", Int, "dport", Int,
		"proto", String, "flags", String, "tos", Int, "ibyt", BigInt, "ipkt", BigInt,
		"input", BigInt, "output", BigInt, "rip", String, "obyt", BigInt, "opkt", BigInt,
		"hh", Int, "mn", Int)},
	{Name: "flow_ingest_summary", Pipeline: "flow", Location: "summary", Columns: cols(
		"tdate", String, "total", BigInt)},
	{Name: "flow_storyboard", Pipeline: "flow", Location: "storyboard", Columns: cols(
		"ip_threat", String, "title", String, "text", String)},
	{Name: "flow_threat_investigation", Pipeline: "flow", Location: "threat_investigation", Columns: cols(
		"tstart", String, "srcip", String, "dstip", String, "srcport", Int, "dstport", Int, "score", Int)},
	{Name: "flow_timeline", Pipeline: "flow", Location: "timeline", Columns: cols(
		"ip_threat", String, "tstart", String, "tend", String, "srcip", String, "dstip", String,
		"proto", String, "sport", Int, "dport", Int, "ipkt", BigInt, "ibyt", BigInt)},

	{Name: "dns_scores", Pipeline: "dns", Location: "suspicious", Columns: cols(
		"frame_time", String, "unix_tstamp", BigInt, "frame_len", BigInt, "ip_dst", String,
		"dns_qry_name", String, "dns_qry_class", String, "dns_qry_type", Int, "dns_qry_rcode", Int,
		"ml_score", Float, "tld", String, "query_rep", String, "hh", Int,
		"dns_qry_class_name", String, "dns_qry_type_name", String, "dns_qry_rcode_name", String,
		"network_context", String)},
	{Name: "dns_edge", Pipeline: "dns", Location: "edge", Columns: cols(
		"unix_tstamp", BigInt, "frame_len", BigInt, "ip_dst", String, "ip_src", String,
		"dns_qry_name", String, "dns_qry_class", String, "dns_qry_type", Int, "dns_qry_rcode", Int,
		"dns_a", String, "hh", Int, "dns_qry_class_name", String, "dns_qry_type_name", String,
		"dns_qry_rcode_name", String, "network_context", String)},
	{Name: "dns_dendro", Pipeline: "dns", Location: "dendro", Columns: cols(
		"unix_tstamp", BigInt, "dns_a", String, "dns_qry_name", String, "ip_dst", String)},
	{Name: "dns_threat_dendro", Pipeline: "dns", Location: "threat_dendro", Columns: cols(
		"anchor", String, "total", BigInt, "dns_qry_name", String, "ip_dst", String)},
	{Name: "dns_ingest_summary", Pipeline: "dns", Location: "summary", Columns: cols(
		"tdate", String, "total", BigInt)},
	{Name: "dns_storyboard", Pipeline: "dns", Location: "storyboard", Columns: cols(
		"ip_threat", String, "dns_threat", String, "title", String, "text", String)},
	{Name: "dns_threat_investigation", Pipeline: "dns", Location: "threat_investigation", Columns: cols(
		"unix_tstamp", BigInt, "ip_dst", String, "dns_qry_name", String, "ip_sev", Int, "dns_sev", Int)},

	{Name: "proxy_scores", Pipeline: "proxy", Location: "suspicious", Columns: cols(
		"tdate", String, "time", String, "clientip", String, "host", String, "reqmethod", String,
		"useragent", String, "resconttype", String, "duration", Int, "username", String,
		"webcat", String, "referer", String, "respcode", Int, "uriport", Int, "uripath", String,
		"uriquery", String, "serverip", String, "scbytes", Int, "csbytes", Int, "fulluri", String,
		"word", String, "ml_score", Float, "uri_rep", String, "respcode_name", String,
		"network_context", String)},
	{Name: "proxy_edge", Pipeline: "proxy", Location: "edge", Columns: cols(
		"tdate", String, "time", String, "clientip", String, "host", String, "webcat", String,
		"respcode", String, "reqmethod", String, "useragent", String, "resconttype", String,
		"referer", String, "uriport", String, "serverip", String, "scbytes", Int, "csbytes", Int,
		"fulluri", String, "hh", Int, "respcode_name", String)},
	{Name: "proxy_ingest_summary", Pipeline: "proxy", Location: "summary", Columns: cols(
		"tdate", String, "total", BigInt)},
	{Name: "proxy_storyboard", Pipeline: "proxy", Location: "storyboard", Columns: cols(
		"p_threat", String, "title", String, "text", String)},
	{Name: "proxy_threat_investigation", Pipeline: "proxy", Location: "threat_investigation", Columns: cols(
		"tdate", String, "fulluri", String, "uri_sev", Int)},
	{Name: "proxy_timeline", Pipeline: "proxy", Location: "timeline", Columns: cols(
		"p_threat", String, "tstart", String, "tend", String, "duration", BigInt,
		"clientip", String, "respcode", String, "respcodename", String)},
}
