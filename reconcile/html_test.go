package reconcile

import (
	"bytes"
	"strings"
	"testing"

	"spotmigrate/manifest"
	"spotmigrate/report"
)

// TestHTMLHostile checks that names from the tree and the target are
// escaped, and that a failing unit is a failing cell and a flagged day.
func TestHTMLHostile(t *testing.T) {
	evil := `"><script>alert(1)</script>`
	k := manifest.PartitionKey{Table: "flow_scores", Y: 2016, M: 1, D: 2}
	r := &Report{Target: "duckdb:" + evil, Database: evil, Pipelines: []string{"flow"}, Failed: 2,
		Units: []Unit{{PartitionKey: k, ExpectedRows: 3, Status: Missing, Files: []string{"flow/" + evil}}},
		Files: []FileUnit{{Pipeline: "flow", Kind: "storyboard", Source: evil, Where: evil, Status: FileDiffers}}}
	var b bytes.Buffer
	if err := r.Write(&b, report.HTML); err != nil {
		t.Fatal(err)
	}
	out := b.String()
	if strings.Contains(out, "<script") {
		t.Errorf("the report holds a script:\n%s", out)
	}
	for _, want := range []string{`class="cell cell-fail" data-unit="flow_scores/y=2016/m=1/d=2"`,
		`class="day label-fail"`, `class="verdict verdict-mismatch"`, `<tr class="file row-fail">`} {
		if !strings.Contains(out, want) {
			t.Errorf("the report lacks %s", want)
		}
	}
}
