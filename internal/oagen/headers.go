package oagen

import (
	"fmt"
	"strings"

	"spotmigrate/catalog"
)

// Headers of the generated files, exactly as the old OA wrote them (without
// the line end). They are taken from the layouts of spotmigrate/catalog, the
// same layouts the migration detects, so the generator cannot drift from
// them. The unqualified names are the newest layouts.
var (
	FlowScoresHeader   = header("flow_scores", "L2")
	FlowEdgeHeader     = header("flow_edge", "E15")
	FlowChordHeader    = header("flow_chords", "C4")
	FlowThreatsHeader  = header("flow_storyboard", "threats")
	FlowTimelineHeader = header("flow_timeline", "sbdet")
	DNSScoresHeader    = header("dns_scores", "D1")
	// DNSEdgeHeader: dns_oa.py rewrote the edge files QUOTE_ALL (the
	// catalog's dns_edge is Quoted), so every header name is in quotes too.
	DNSEdgeHeader       = quotedHeader("dns_edge", "names")
	DNSDendroHeader     = header("dns_dendro", "dendro")
	DNSThreatDendroHdr  = header("dns_threat_dendro", "threat-dendro")
	DNSThreatsHeader    = header("dns_storyboard", "threats")
	ProxyScoresHeader   = header("proxy_scores", "P0")
	ProxyEdgeHeader     = header("proxy_edge", "edge")
	ProxyThreatsHeader  = header("proxy_storyboard", "threats")
	ProxyTimelineHeader = header("proxy_timeline", "timeline")
	ProxyESHeader       = header("proxy_es", "es")
	// IngestSummaryHeader heads the monthly ingest summaries of every
	// pipeline (the catalog's <pipe>_ingest_summary layout "total"; the
	// generator writes each pipeline's own, ingestSummaryHeaders).
	IngestSummaryHeader = header("flow_ingest_summary", "total")
)

// Headers of the older layouts (reference §1.4, addendum §7.3).
var (
	// FlowScoresL0Header is L0 as the OA wrote it; FlowScoresL0NotebookHeader
	// is L0 after an Edge-notebook save (until 2016-10-27). The catalog keeps
	// one spelling of L0 (it detects headers case-insensitively), so both are
	// its L0 with the two reputation columns spelled as each writer did.
	FlowScoresL0Header         = spelledHeader("flow_scores", "L0", "srcIp_rep", "dstIp_rep")
	FlowScoresL0NotebookHeader = spelledHeader("flow_scores", "L0", "srcIP_rep", "dstIP_rep")
	FlowScoresL1Header         = header("flow_scores", "L1")
	FlowEdgeE13Header          = header("flow_edge", "E13")
	FlowChordC6Header          = header("flow_chords", "C6")
	DNSScoresD0Header          = header("dns_scores", "D0")
	// FlowIngestFlowsHeader heads the flow ingest summaries of 2016-11-30 to
	// 2016-12-11 (daily is_YYYYMMDD.csv, then monthly with the header
	// repeated before each day).
	FlowIngestFlowsHeader = header("flow_ingest_summary", "flows")
)

// ingestSummaryHeaders are the monthly ingest-summary headers by pipeline,
// from the catalog's <pipe>_ingest_summary sources.
var ingestSummaryHeaders = func() map[string]string {
	m := make(map[string]string, len(Pipelines))
	for _, p := range Pipelines {
		m[p] = header(p+"_ingest_summary", "total")
	}
	return m
}()

// Line ends (addendum §7.4): Python csv writers end lines with CRLF
// (scores files and their backups, DNS and proxy edge files); impala-shell
// outputs, threats.csv, is_*.csv and the registries use LF.
const (
	crlf = "\r\n"
	lf   = "\n"
)

// layoutOf returns the catalog source called source and its layout called
// layout. The names are fixed in this package, so an unknown one is a bug:
// it panics, at package initialisation.
func layoutOf(source, layout string) (*catalog.Source, *catalog.Layout) {
	src, ok := catalog.SourceByName(source)
	if !ok {
		panic(fmt.Sprintf("oagen: catalog has no source %q", source))
	}
	for i := range src.Layouts {
		if src.Layouts[i].Name == layout {
			return src, &src.Layouts[i]
		}
	}
	panic(fmt.Sprintf("oagen: catalog source %q has no layout %q", source, layout))
}

// header returns the header line of the catalog's layout of source, joined
// by the source's delimiter.
func header(source, layout string) string {
	src, l := layoutOf(source, layout)
	return l.Header(src.Delim)
}

// quotedHeader is header with every name in double quotes, as a QUOTE_ALL
// csv writer wrote it; the catalog source must be a quoted one.
func quotedHeader(source, layout string) string {
	src, l := layoutOf(source, layout)
	if !src.Quoted {
		panic(fmt.Sprintf("oagen: catalog source %q is not quoted", source))
	}
	q := make([]string, len(l.Fields))
	for i, f := range l.Fields {
		q[i] = `"` + f.Header + `"`
	}
	return strings.Join(q, string(src.Delim))
}

// spelledHeader is header with the names that equal one of spellings but
// for case written as that spelling. Each spelling must match a name.
func spelledHeader(source, layout string, spellings ...string) string {
	src, l := layoutOf(source, layout)
	h := make([]string, len(l.Fields))
	for i, f := range l.Fields {
		h[i] = f.Header
	}
	for _, s := range spellings {
		found := false
		for i := range h {
			if strings.EqualFold(h[i], s) {
				h[i], found = s, true
			}
		}
		if !found {
			panic(fmt.Sprintf("oagen: catalog layout %s %s has no column %q", source, layout, s))
		}
	}
	return strings.Join(h, string(src.Delim))
}
