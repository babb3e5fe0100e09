package oagen

import (
	"strings"
	"testing"

	"spotmigrate/catalog"
)

// TestHeadersDetected checks that the migration's layout detection reads
// every header the generator writes as the layout it was derived from,
// including the respelled and quoted ones.
func TestHeadersDetected(t *testing.T) {
	for _, c := range []struct {
		name, header, source, layout string
		quoted                       bool
	}{
		{"FlowScoresHeader", FlowScoresHeader, "flow_scores", "L2", false},
		{"FlowScoresL1Header", FlowScoresL1Header, "flow_scores", "L1", false},
		{"FlowScoresL0Header", FlowScoresL0Header, "flow_scores", "L0", false},
		{"FlowScoresL0NotebookHeader", FlowScoresL0NotebookHeader, "flow_scores", "L0", false},
		{"FlowEdgeHeader", FlowEdgeHeader, "flow_edge", "E15", false},
		{"FlowEdgeE13Header", FlowEdgeE13Header, "flow_edge", "E13", false},
		{"FlowChordHeader", FlowChordHeader, "flow_chords", "C4", false},
		{"FlowChordC6Header", FlowChordC6Header, "flow_chords", "C6", false},
		{"FlowThreatsHeader", FlowThreatsHeader, "flow_storyboard", "threats", false},
		{"FlowTimelineHeader", FlowTimelineHeader, "flow_timeline", "sbdet", false},
		{"FlowIngestFlowsHeader", FlowIngestFlowsHeader, "flow_ingest_summary", "flows", false},
		{"DNSScoresHeader", DNSScoresHeader, "dns_scores", "D1", false},
		{"DNSScoresD0Header", DNSScoresD0Header, "dns_scores", "D0", false},
		{"DNSEdgeHeader", DNSEdgeHeader, "dns_edge", "names", true},
		{"DNSDendroHeader", DNSDendroHeader, "dns_dendro", "dendro", false},
		{"DNSThreatDendroHdr", DNSThreatDendroHdr, "dns_threat_dendro", "threat-dendro", false},
		{"DNSThreatsHeader", DNSThreatsHeader, "dns_storyboard", "threats", false},
		{"ProxyScoresHeader", ProxyScoresHeader, "proxy_scores", "P0", false},
		{"ProxyEdgeHeader", ProxyEdgeHeader, "proxy_edge", "edge", false},
		{"ProxyThreatsHeader", ProxyThreatsHeader, "proxy_storyboard", "threats", false},
		{"ProxyTimelineHeader", ProxyTimelineHeader, "proxy_timeline", "timeline", false},
		{"ProxyESHeader", ProxyESHeader, "proxy_es", "es", false},
		{"IngestSummaryHeader", IngestSummaryHeader, "flow_ingest_summary", "total", false},
		{"ingestSummaryHeaders[dns]", ingestSummaryHeaders["dns"], "dns_ingest_summary", "total", false},
		{"ingestSummaryHeaders[proxy]", ingestSummaryHeaders["proxy"], "proxy_ingest_summary", "total", false},
	} {
		src, ok := catalog.SourceByName(c.source)
		if !ok {
			t.Fatalf("%s: no catalog source %q", c.name, c.source)
		}
		names := strings.Split(c.header, string(src.Delim))
		if c.quoted {
			for i, n := range names {
				if len(n) < 2 || n[0] != '"' || n[len(n)-1] != '"' {
					t.Fatalf("%s: name %q is not quoted", c.name, n)
				}
				names[i] = n[1 : len(n)-1]
			}
		}
		l, err := src.DetectLayout(names)
		if err != nil {
			t.Errorf("%s: %v", c.name, err)
		} else if l.Name != c.layout {
			t.Errorf("%s: detected as %s, want %s", c.name, l.Name, c.layout)
		}
	}
	if FlowScoresL0Header == FlowScoresL0NotebookHeader {
		t.Errorf("the two L0 spellings are the same: %q", FlowScoresL0Header)
	}
	if !strings.HasSuffix(FlowScoresL0Header, ",srcIp_rep,dstIp_rep") || !strings.HasSuffix(FlowScoresL0NotebookHeader, ",srcIP_rep,dstIP_rep") {
		t.Errorf("L0 spellings: OA %q, notebook %q", FlowScoresL0Header, FlowScoresL0NotebookHeader)
	}
}

func TestHeaderUnknownPanics(t *testing.T) {
	for _, c := range [][2]string{{"no_such_source", "L2"}, {"flow_scores", "L9"}} {
		func() {
			defer func() {
				if recover() == nil {
					t.Errorf("header(%q, %q) did not panic", c[0], c[1])
				}
			}()
			header(c[0], c[1])
		}()
	}
}
