//go:build itest

package itest

import (
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// webHDFS reads a file as Spot 1.0's API does: over WebHDFS (OPEN, which
// redirects to a DataNode).
func webHDFS(t *testing.T, path string) ([]byte, int) {
	t.Helper()
	url := fmt.Sprintf("http://%s/webhdfs/v1%s?op=OPEN&user.name=root", cluster["HDFS_HTTP"], path)
	resp, err := http.Get(url)
	if err != nil {
		t.Fatalf("GET %s: %v", url, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return b, resp.StatusCode
}

// TestFilesOnCluster migrates the sample to the cluster: the storyboard
// JSON and feedback files land below HUSER at Spot 1.0's paths, and read
// back over WebHDFS they hold the old bytes (the F20 feedback in F8).
func TestFilesOnCluster(t *testing.T) {
	if cluster["HDFS_HTTP"] == "" {
		t.Fatal("the cluster's env file has no HDFS_HTTP (cluster/up.sh writes it)")
	}
	dir, tg := sample(t), newTarget(t, "files")
	r := spot(t, dir, nil, append([]string{"migrate", "--oa-path", "spot-oa", "--staging-db", "spot_files_stg", "--no-archive"}, tg.flags()...)...)
	if r.Code != 0 {
		t.Fatalf("migrate: exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
	if !strings.Contains(r.Stdout, "and 12 file(s) match the manifest") {
		t.Errorf("the reconcile did not verify the 12 files:\n%s", r.Stdout)
	}
	data := filepath.Join(dir, "spot-oa", "data")
	for dest, src := range map[string]string{
		"/flow/oa/storyboard/2016/12/1/10_0_4_12/globe-10_0_4_12.json":                               "flow/20161201/globe-10.0.4.12.json",
		"/flow/oa/storyboard/2016/10/24/10_0_2_88/threat-dendro-10_0_2_88.json":                      "flow/20161024/threat-dendro-10.0.2.88.json",
		"/proxy/oa/storyboard/2016/10/20/incident-progression-725cb34289c4e3618d273c1b64e7b1d4.json": "proxy/20161020/incident-progression-725cb34289c4e3618d273c1b64e7b1d4.json",
		"/dns/scored_results/20161106/feedback/ml_feedback.csv":                                      "dns/20161106/dns_scores_fb.csv",
		"/flow/scored_results/20161024/feedback/ml_feedback.csv":                                     "",
	} {
		want := []byte("sev\ttstart\tsrcIP\tdstIP\tsport\tdport\tipkt\tibyt\n" +
			"1\t2016-10-24 02:11:09\t10.0.2.88\t203.0.113.50\t33120\t25\t88\t120400\n" +
			"2\t2016-10-24 16:20:33\t10.0.2.41\t10.0.2.88\t0\t22\t3\t152\n")
		if src != "" {
			var err error
			if want, err = os.ReadFile(filepath.Join(data, filepath.FromSlash(src))); err != nil {
				t.Fatal(err)
			}
		}
		got, code := webHDFS(t, tg.huser+dest)
		if code != http.StatusOK || string(got) != string(want) {
			t.Errorf("%s over WebHDFS: HTTP %d, %q; want %q", tg.huser+dest, code, got, want)
		}
	}
	// a file removed on HDFS makes reconcile fail, naming it
	if err := hdfsClient(t).Remove(tg.huser + "/flow/oa/storyboard/2016/12/1/10_0_4_12/globe-10_0_4_12.json"); err != nil {
		t.Fatal(err)
	}
	r = spot(t, dir, nil, append([]string{"reconcile"}, tg.flags()...)...)
	if r.Code != 4 || !strings.Contains(r.Stdout, "flow/20161201/globe-10.0.4.12.json") || !strings.Contains(r.Stdout, "missing") {
		t.Errorf("reconcile after removing a file: exit %d\n%s\n%s", r.Code, r.Stdout, r.Stderr)
	}
}
