package main

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"spotmigrate/reconcile"
)

// landed is where the sample's copied files must stand below HUSER (the
// embedded target's files root), and the old file whose bytes they hold;
// "" means a conversion, checked against its own expected bytes.
var landed = map[string]string{
	"flow/oa/storyboard/2016/10/24/10_0_2_88/globe-10_0_2_88.json":                              "flow/20161024/globe-10.0.2.88.json",
	"flow/oa/storyboard/2016/10/24/10_0_2_88/stats-10_0_2_88.json":                              "flow/20161024/stats-10.0.2.88.json",
	"flow/oa/storyboard/2016/10/24/10_0_2_88/threat-dendro-10_0_2_88.json":                      "flow/20161024/threat-dendro-10.0.2.88.json",
	"flow/oa/storyboard/2016/12/1/10_0_4_12/globe-10_0_4_12.json":                               "flow/20161201/globe-10.0.4.12.json",
	"flow/oa/storyboard/2016/12/1/10_0_4_12/stats-10_0_4_12.json":                               "flow/20161201/stats-10.0.4.12.json",
	"flow/oa/storyboard/2016/12/1/10_0_4_12/threat-dendro-10_0_4_12.json":                       "flow/20161201/threat-dendro-10.0.4.12.json",
	"proxy/oa/storyboard/2016/10/20/incident-progression-725cb34289c4e3618d273c1b64e7b1d4.json": "proxy/20161020/incident-progression-725cb34289c4e3618d273c1b64e7b1d4.json",
	"proxy/oa/storyboard/2016/12/13/incident-progression-9adba15ebde72ca0d5bbb19146abbefe.json": "proxy/20161213/incident-progression-9adba15ebde72ca0d5bbb19146abbefe.json",
	"flow/scored_results/20161201/feedback/ml_feedback.csv":                                     "flow/20161201/flow_scores_fb.csv",
	"dns/scored_results/20161106/feedback/ml_feedback.csv":                                      "dns/20161106/dns_scores_fb.csv",
	"flow/scored_results/20161024/feedback/ml_feedback.csv":                                     "",
	"dns/scored_results/20160520/feedback/ml_feedback.csv":                                      "",
}

// f20AsF8 is the sample's F20 feedback file in the F8 layout, written by
// hand from docs/FILES.md: the 8 F8 columns picked by name, TAB, LF.
const f20AsF8 = "sev\ttstart\tsrcIP\tdstIP\tsport\tdport\tipkt\tibyt\n" +
	"1\t2016-10-24 02:11:09\t10.0.2.88\t203.0.113.50\t33120\t25\t88\t120400\n" +
	"2\t2016-10-24 16:20:33\t10.0.2.41\t10.0.2.88\t0\t22\t3\t152\n"

// d0AsD1 is the sample's D0 feedback file (dns 20160520) in the D1 layout,
// written by hand from docs/FILES.md: the 18 D1 columns picked by name,
// tld (absent from D0) empty, TAB, LF.
const d0AsD1 = "frame_time\tframe_len\tip_dst\tdns_qry_name\tdns_qry_class\tdns_qry_type\tdns_qry_rcode\tscore\ttld\tquery_rep\thh\tip_sev\tdns_sev\tdns_qry_class_name\tdns_qry_type_name\tdns_qry_rcode_name\tnetwork_context\tunix_tstamp\n" +
	"May 20 2016 02:31:07.114520000 PDT\t180\t172.16.9.12\taGVsbG8gd29ybGQ.t.evil-tunnel.com\t0x00000001\t16\t0\t1.1e-06\t\t\t02\t0\t1\tInternet (IN)\tTXT\tNoError\t\t1463736667\n" +
	"May 20 2016 20:30:44.118000000 PDT\t152\t172.16.9.40\tx1f7.c2-beacon.net\t0x00000001\t1\t0\t1.7e-06\t\tgti:High:70\t20\t0\t3\tInternet (IN)\tA\tNoError\thr-lan\t1463801444\n"

// converted are the expected bytes of the converted copies.
var converted = map[string]string{
	"flow/scored_results/20161024/feedback/ml_feedback.csv": f20AsF8,
	"dns/scored_results/20160520/feedback/ml_feedback.csv":  d0AsD1,
}

// TestFilesLanded migrates the sample and checks every copied file at its
// Spot 1.0 path, byte for byte; the archive holds the old files.
func TestFilesLanded(t *testing.T) {
	dir := sampleCopy(t)
	data := filepath.Join(dir, "spot-oa", "data")
	sources := map[string][]byte{}
	for _, src := range landed {
		if src != "" {
			sources[src], _ = os.ReadFile(filepath.Join(data, filepath.FromSlash(src)))
		}
	}
	r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--files-root", "hdfs-mirror")
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	for dest, src := range landed {
		got, err := os.ReadFile(filepath.Join(dir, "hdfs-mirror", filepath.FromSlash(dest)))
		if err != nil {
			t.Errorf("%s: %v", dest, err)
			continue
		}
		want := []byte(converted[dest])
		if src != "" {
			want = sources[src]
		}
		if string(got) != string(want) {
			t.Errorf("%s holds %q, want %q", dest, got, want)
		}
	}
	n := 0
	filepath.WalkDir(filepath.Join(dir, "hdfs-mirror"), func(_ string, d os.DirEntry, _ error) error {
		if d != nil && d.Type().IsRegular() {
			n++
		}
		return nil
	})
	if n != len(landed) {
		t.Errorf("%d files below the files root, want %d", n, len(landed))
	}
	if !strings.Contains(r.Stdout, "OK: all 55 partition(s) and 12 file(s) match the manifest") {
		t.Errorf("no verdict over the files:\n%s", r.Stdout)
	}
}

// TestFilesTampered changes and removes landed files: reconcile fails
// naming them, and a re-run of migrate does not archive their pipelines.
func TestFilesTampered(t *testing.T) {
	dir := sampleCopy(t)
	args := []string{"migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--no-archive"}
	if r := spot(t, dir, nil, args...); r.Code != 0 {
		t.Fatalf("exit %d\n%s", r.Code, r.Stderr)
	}
	root := filepath.Join(dir, "out", "spot.duckdb.files")
	changed := filepath.Join(root, "flow", "oa", "storyboard", "2016", "10", "24", "10_0_2_88", "stats-10_0_2_88.json")
	os.WriteFile(changed, []byte(`{"name":"","size":0}`), 0o644)
	gone := filepath.Join(root, "proxy", "oa", "storyboard", "2016", "12", "13", "incident-progression-9adba15ebde72ca0d5bbb19146abbefe.json")
	os.Remove(gone)
	r := spot(t, dir, nil, "reconcile", "--target", "out/spot.duckdb")
	if r.Code != exitMismatch {
		t.Fatalf("reconcile: exit %d, want 4\n%s", r.Code, r.Stdout)
	}
	for _, want := range []string{"MISMATCH: 0 of 55 partition(s) and 2 of 12 file(s) do not match the manifest",
		"flow/20161024/stats-10.0.2.88.json", reconcile.FileDiffers, "proxy/20161213/incident-progression-9adba15ebde72ca0d5bbb19146abbefe.json", reconcile.FileMissing} {
		if !strings.Contains(r.Stdout, want) {
			t.Errorf("reconcile report lacks %q:\n%s", want, r.Stdout)
		}
	}
	r = spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb")
	if r.Code != exitMismatch {
		t.Fatalf("re-run: exit %d, want 4\n%s", r.Code, r.Stderr)
	}
	for _, pipe := range []string{"flow", "proxy"} {
		if !strings.Contains(r.Stderr, "Not archived "+pipe+": reconcile failed") {
			t.Errorf("%s archived despite a bad file:\n%s", pipe, r.Stderr)
		}
	}
	if !strings.Contains(r.Stderr, "Archived dns to ") {
		t.Errorf("dns, whose files verify, was not archived:\n%s", r.Stderr)
	}
}

// partitionDays are the dates (YYYYMMDD) of the sample's partitions per
// pipeline, from its hand-made expected_counts.tsv: a notebook is made for
// every date Spot 1.0 shows data of.
func partitionDays(t *testing.T) map[string][]string {
	b, err := os.ReadFile(repoPath("testdata", "sample", "expected_counts.tsv"))
	if err != nil {
		t.Fatal(err)
	}
	out := map[string][]string{}
	seen := map[string]bool{}
	for _, l := range strings.Split(string(b), "\n") {
		f := strings.Split(l, "\t")
		if len(f) < 5 || f[1] == "y" {
			continue
		}
		pipe, _, _ := strings.Cut(f[0], "_")
		m, _ := strconv.Atoi(f[2])
		d, _ := strconv.Atoi(f[3])
		day := fmt.Sprintf("%s%02d%02d", f[1], m, d)
		if !seen[pipe+day] {
			seen[pipe+day] = true
			out[pipe] = append(out[pipe], day)
		}
	}
	return out
}

// TestNotebooks creates the per-date notebooks from templates: once per
// migrated date and pipeline, never overwriting one that stands there.
func TestNotebooks(t *testing.T) {
	dir := sampleCopy(t)
	tpl := filepath.Join(dir, "new-spot-oa", "oa")
	for _, pipe := range []string{"flow", "dns", "proxy"} {
		d := filepath.Join(tpl, pipe, "ipynb_templates")
		os.MkdirAll(d, 0o755)
		os.WriteFile(filepath.Join(d, "Threat_Investigation_master.ipynb"), []byte(`{"cells":[],"pipe":"`+pipe+`","kind":"ti"}`), 0o644)
		os.WriteFile(filepath.Join(d, "Advanced_Mode_master.ipynb"), []byte(`{"cells":[],"pipe":"`+pipe+`","kind":"am"}`), 0o644)
	}
	newOA := filepath.Join(dir, "new-spot-oa")
	mine := filepath.Join(newOA, "ipynb", "flow", "20161024", "Threat_Investigation.ipynb")
	os.MkdirAll(filepath.Dir(mine), 0o755)
	os.WriteFile(mine, []byte("an analyst's own notebook"), 0o644)
	args := []string{"migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--no-archive",
		"--notebook-templates", tpl, "--new-oa-path", newOA}
	r := spot(t, dir, nil, args...)
	if r.Code != 0 {
		t.Fatalf("exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	if !strings.Contains(r.Stderr, "Kept the notebook already at "+mine+" (never overwritten).") {
		t.Errorf("the existing notebook is not reported as kept:\n%s", r.Stderr)
	}
	if b, _ := os.ReadFile(mine); string(b) != "an analyst's own notebook" {
		t.Errorf("the existing notebook was overwritten: %q", b)
	}
	for pipe, ds := range partitionDays(t) {
		for _, d := range ds {
			for kind, name := range map[string]string{"ti": "Threat_Investigation.ipynb", "am": "Advanced_Mode.ipynb"} {
				p := filepath.Join(newOA, "ipynb", pipe, d, name)
				if p == mine {
					continue
				}
				b, err := os.ReadFile(p)
				if want := `{"cells":[],"pipe":"` + pipe + `","kind":"` + kind + `"}`; err != nil || string(b) != want {
					t.Errorf("%s: %q, %v; want the %s template", p, b, err, pipe)
				}
			}
		}
	}
	// a second run creates nothing and overwrites nothing
	os.WriteFile(filepath.Join(tpl, "dns", "ipynb_templates", "Advanced_Mode_master.ipynb"), []byte("changed template"), 0o644)
	r = spot(t, dir, nil, args...)
	if r.Code != 0 {
		t.Fatalf("second run: exit %d\n%s", r.Code, r.Stderr)
	}
	if b, _ := os.ReadFile(filepath.Join(newOA, "ipynb", "dns", "20161106", "Advanced_Mode.ipynb")); string(b) != `{"cells":[],"pipe":"dns","kind":"am"}` {
		t.Errorf("a notebook was overwritten by the second run: %q", b)
	}
}
