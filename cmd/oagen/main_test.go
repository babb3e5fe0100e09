package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRun(t *testing.T) {
	dir := t.TempDir()
	args := []string{"-out", dir, "-size", "512KB", "-days", "2", "-start", "20161105", "-pipelines", "dns",
		"-dns-zone", "PDT", "-dns-switch-day", "2", "-reject-share", "0.5", "-unconfigured"}
	if err := run(args); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(filepath.Join(dir, "spot-oa", "data", "dns", "20161106", "dns_scores.csv"))
	if err != nil {
		t.Fatal(err)
	}
	if s := string(b); !strings.Contains(s, " PDT,") || !strings.Contains(s, " PST,") || !strings.Contains(s, ",0x00000001,") || strings.Contains(s, "Internet (IN)") {
		t.Errorf("dns_scores.csv of the switch day, unconfigured: %.300q", s)
	}
	if _, err := os.Stat(filepath.Join(dir, "spot-oa", "oa", "components", "iana", "dns-qtype.csv")); err != nil {
		t.Error(err)
	}
	none := t.TempDir()
	if err := run([]string{"-out", none, "-size", "256KB", "-days", "1", "-pipelines", "proxy", "-no-registry"}); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(none, "spot-oa", "oa")); !os.IsNotExist(err) {
		t.Errorf("-no-registry: %v", err)
	}
	for _, bad := range [][]string{
		{"-out", dir, "-dns-zone", "XYZT"},
		{"-out", dir, "-reject-share", "2"},
		{"-out", dir, "-days", "1", "-dns-switch-day", "3"},
		{"-size", "1MB"},
	} {
		if err := run(bad); err == nil {
			t.Errorf("run(%q): want an error", bad)
		}
	}
}
