package provenance

import (
	"bytes"
	"runtime"
	"runtime/debug"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestMaskArgs(t *testing.T) {
	for _, c := range []struct{ in, want []string }{
		{[]string{"migrate", "--oa-path", "spot-oa"}, []string{"migrate", "--oa-path", "spot-oa"}},
		{[]string{"migrate", "--keytab", "/etc/spot.keytab", "--principal", "spot@X"},
			[]string{"migrate", "--keytab", "***", "--principal", "spot@X"}},
		{[]string{"migrate", "--impala-password-file=/run/pw", "-keytab=/k"},
			[]string{"migrate", "--impala-password-file=***", "-keytab=***"}},
		{[]string{"-API-TOKEN", "abc", "--client_secret", "--looks-like-a-flag"},
			[]string{"-API-TOKEN", "***", "--client_secret", "***"}},
		{[]string{"--password="}, []string{"--password=***"}},
		{[]string{"--token"}, []string{"--token"}},
		{[]string{"--", "--password", "x"}, []string{"--", "--password", "x"}},
		{[]string{"-", "password", "--tokens-per-day=5"}, []string{"-", "password", "--tokens-per-day=***"}},
		{[]string{}, []string{}},
	} {
		if got := MaskArgs(c.in); !slices.Equal(got, c.want) {
			t.Errorf("MaskArgs(%q) = %q, want %q", c.in, got, c.want)
		}
	}
	in := []string{"--keytab", "k"}
	MaskArgs(in)
	if in[1] != "k" {
		t.Errorf("MaskArgs changed its argument")
	}
}

func TestBuild(t *testing.T) {
	var p Provenance
	p.setBuild(nil, false)
	if p.Version != "devel" || p.Commit != "unknown" || p.Modified != "unknown" || p.GoVersion != runtime.Version() {
		t.Errorf("without build info: %+v", p)
	}
	bi := &debug.BuildInfo{GoVersion: "go1.26.0", Main: debug.Module{Version: "(devel)"}}
	p.setBuild(bi, true)
	if p.Version != "devel" || p.Commit != "unknown" || p.Modified != "unknown" || p.GoVersion != "go1.26.0" {
		t.Errorf("devel build without VCS: %+v", p)
	}
	bi.Main.Version = "v1.2.3"
	bi.Settings = []debug.BuildSetting{{Key: "vcs.revision", Value: "640fc9c"}, {Key: "vcs.modified", Value: "true"}}
	p.setBuild(bi, true)
	if p.Version != "v1.2.3" || p.Commit != "640fc9c" || p.Modified != "true" {
		t.Errorf("tagged build: %+v", p)
	}
}

func TestFinish(t *testing.T) {
	start := time.Date(2026, 5, 1, 22, 59, 58, 123456789, time.FixedZone("x", 3600))
	p := New([]string{"validate", "--token", "t"}, start)
	if p.Started != "2026-05-01T21:59:58.123Z" || p.Tool != Tool {
		t.Errorf("started %q, tool %q", p.Started, p.Tool)
	}
	q := p.Finish(start.Add(61*time.Second + 500*time.Millisecond))
	if q.Ended != "2026-05-01T22:00:59.623Z" || q.Duration != "1m1.5s" || p.Ended != "" {
		t.Errorf("ended %q, duration %q (the original's ended %q)", q.Ended, q.Duration, p.Ended)
	}
	if !slices.Equal(q.Args, []string{"validate", "--token", Masked}) {
		t.Errorf("args %q", q.Args)
	}
	if z := New(nil, start).Finish(start); z.Args == nil || z.Duration != "0s" {
		t.Errorf("no args: %#v, duration %q", z.Args, z.Duration)
	}
}

func TestText(t *testing.T) {
	p := &Provenance{Tool: Tool, Version: "devel", Args: []string{"validate", "--oa-path", "my tree", "--x=it's"},
		OAPath: "/tmp/a\nForged: line", ManifestSHA256: "ab`c"}
	var b bytes.Buffer
	if err := p.WriteText(&b, false); err != nil {
		t.Fatal(err)
	}
	want := "Tool: spotmigrate\nspotmigrate version: devel\nArguments: validate --oa-path 'my tree' '--x=it'\\''s'\n" +
		"Manifest sha256: ab`c\nOA path: \"/tmp/a\\nForged: line\"\n"
	if b.String() != want {
		t.Errorf("text:\n%s\nwant:\n%s", b.String(), want)
	}
	b.Reset()
	if err := p.WriteText(&b, true); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(b.String(), "- Manifest sha256: `ab'c`\n") || !strings.HasPrefix(b.String(), "- Tool: `spotmigrate`\n") {
		t.Errorf("markdown:\n%s", b.String())
	}
	for k := range Varying {
		if Label(k) == "" {
			t.Errorf("varying member %s has no label", k)
		}
	}
}
