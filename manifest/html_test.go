package manifest

import (
	"bytes"
	"strings"
	"testing"

	"golang.org/x/net/html"

	"spotmigrate/report"
)

// TestHTMLHostileNames checks that names and values from the tree cannot
// add markup, scripts or links to the HTML report.
func TestHTMLHostileNames(t *testing.T) {
	evil := `x"><script>alert(1)</script><img src=http://evil.example/x onerror=alert(1)>`
	m := &Manifest{Root: "/tmp/" + evil, Pipelines: []string{"flow"},
		Files: []File{{Path: "flow/20160101/" + evil + ".csv", Pipeline: "flow", Source: "flow_scores", Rows: 1, Rejected: 1,
			Rejects: []Reject{{Line: 2, Column: 1, Reason: `column "` + evil + `": "` + evil + `" is not INT`, Raw: evil + "\x1b[2J"}}}},
		Skipped:    []Skipped{{Path: "flow/javascript:alert(1)/", Reason: evil}},
		Partitions: []Partition{{PartitionKey: PartitionKey{Table: "flow_scores", Y: 2016, M: 1, D: 1}, Rows: 1}},
		Copies:     []Copy{{Pipeline: "flow", Kind: "storyboard", Source: evil, Dest: evil}},
	}
	m.Summary.Rejected, m.Summary.FilesRejected = 1, 1
	var b bytes.Buffer
	if err := m.Write(&b, report.HTML); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	for _, bad := range []string{"<script", "<img", "\x1b"} {
		if strings.Contains(out, bad) {
			t.Errorf("the report holds %q", bad)
		}
	}
	doc, err := html.Parse(&b)
	if err != nil {
		t.Fatal(err)
	}
	var walk func(*html.Node)
	walk = func(n *html.Node) {
		for _, a := range n.Attr {
			if strings.HasPrefix(a.Key, "on") || a.Key == "src" || a.Key == "href" {
				t.Errorf("<%s %s=%q>", n.Data, a.Key, a.Val)
			}
		}
		for c := n.FirstChild; c != nil; c = c.NextSibling {
			walk(c)
		}
	}
	walk(doc)
	if !strings.Contains(out, "REJECTS") || !strings.Contains(out, "&lt;script&gt;") {
		t.Errorf("the report lacks the verdict or the escaped name:\n%s", out)
	}
}

func TestReasonKey(t *testing.T) {
	for in, want := range map[string]string{
		`column "ibyt": "3000000000": outside the INT range`: `column "ibyt": …: outside the INT range`,
		`column "sev": "x\"y" is not INTEGER`:                `column "sev": … is not INTEGER`,
		`expected 21 columns, found 20`:                      `expected 21 columns, found 20`,
		`column "a" broken`:                                  `column "a" broken`,
	} {
		if got := reasonKey(in); got != want {
			t.Errorf("reasonKey(%q) = %q, want %q", in, got, want)
		}
	}
}
