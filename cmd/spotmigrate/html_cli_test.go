package main

import (
	"bytes"
	"context"
	"database/sql"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/net/html"

	"spotmigrate/internal/golden"
)

// TestValidateHTML checks the HTML report of the sample tree: its golden
// file, that it refers to nothing outside itself, and what a real browser
// shows of it.
func TestValidateHTML(t *testing.T) {
	dir := repoPath("testdata", "sample")
	oa, _ := filepath.Abs(filepath.Join(dir, "spot-oa"))
	out := filepath.Join(t.TempDir(), "validate.html")
	r := spot(t, dir, nil, "validate", "--oa-path", "spot-oa", "--format", "html", "--output", out)
	if r.Code != 0 {
		t.Fatalf("exit %d: %s", r.Code, r.Stderr)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	golden.Check(t, repoPath("testdata", "golden", "validate.html"), normalized(string(b), filepath.Join(oa, "data"), "<root>", oa, "<oa-path>", out, "<output>"))
	checkSelfContained(t, b)

	dom := renderDOM(t, out)
	checkVerdict(t, dom, "verdict-ok", "OK: every data row of 72 file(s) can be migrated; 10 notice(s) in 9 file(s)")
	checkTotals(t, dom, map[string]int64{"files": 72, "rows": 175, "filtered": 19, "rejected": 0,
		"notices": 10, "landing": 180, "partitions": 55, "skipped": 12})
	if got := chartRows(t, dom); got != 180 {
		t.Errorf("the chart's bars add up to %d rows, want 180", got)
	}
	if got := sumText(t, findAll(dom, hasClass("count"))); got != 10 {
		t.Errorf("the notice groups count %d notices, want 10", got)
	}
	if got := len(findAll(dom, hasClass("copy"))); got != 12 {
		t.Errorf("%d copied files shown, want 12", got)
	}
}

// TestReconcileTamperedHTML checks the HTML report of migrate and of a
// reconcile of a target changed after the migration (as in
// TestReconcileTampered): the golden file, and the failing cells, counts
// and flagged days a real browser shows.
func TestReconcileTamperedHTML(t *testing.T) {
	dir := sampleCopy(t)
	migrated := filepath.Join(dir, "migrate.html")
	r := spot(t, dir, nil, "migrate", "--oa-path", "spot-oa", "--target", "out/spot.duckdb", "--no-archive",
		"--pipelines", "proxy", "--format", "html", "--output", migrated)
	if r.Code != 0 {
		t.Fatalf("migrate: exit %d\n%s", r.Code, r.Stderr)
	}
	b, err := os.ReadFile(migrated)
	if err != nil {
		t.Fatal(err)
	}
	checkSelfContained(t, b)
	checkVerdict(t, parseHTML(t, b), "verdict-ok", "OK: all 12 partition(s) and 2 file(s) match the manifest")

	tamper(t, filepath.Join(dir, "out", "spot.duckdb"))
	out := filepath.Join(dir, "reconcile.html")
	r = spot(t, dir, nil, "reconcile", "--target", "out/spot.duckdb", "--format", "html", "--output", out)
	if r.Code != 4 {
		t.Fatalf("reconcile: exit %d, want 4\n%s", r.Code, r.Stderr)
	}
	if b, err = os.ReadFile(out); err != nil {
		t.Fatal(err)
	}
	golden.Check(t, repoPath("testdata", "golden", "reconcile-tampered.html"), normalized(string(b), dir, "<dir>"))
	checkSelfContained(t, b)

	dom := renderDOM(t, out)
	checkVerdict(t, dom, "verdict-mismatch", "MISMATCH: 3 of 12 partition(s) and 0 of 2 file(s) do not match the manifest")
	checkTotals(t, dom, map[string]int64{"partitions-matched": 9, "partitions-failed": 3, "partitions-extra": 0,
		"files-matched": 2, "files-failed": 0})
	var failing []string
	for _, c := range findAll(dom, hasClass("cell-fail")) {
		failing = append(failing, attr(c, "data-unit"))
	}
	slices.Sort(failing)
	want := []string{"proxy_scores/y=2016/m=12/d=13", "proxy_storyboard/y=2016/m=10/d=20", "proxy_timeline/y=2016/m=12/d=13"}
	if !slices.Equal(failing, want) {
		t.Errorf("failing cells %q, want %q", failing, want)
	}
	if n := len(findAll(dom, hasClass("cell-ok"))); n != 9 {
		t.Errorf("%d matching cells, want 9", n)
	}
	if c := findAll(dom, func(n *html.Node) bool { return attr(n, "data-unit") == want[0] }); len(c) != 1 ||
		!strings.Contains(attr(c[0], "title"), "expected 3 rows, actual 0 rows") {
		t.Errorf("the cell of %s does not show its expected and actual rows", want[0])
	}
	var flagged []string
	for _, l := range findAll(dom, hasClass("label-fail")) {
		flagged = append(flagged, text(l))
	}
	if !slices.Equal(flagged, []string{"2016-10-20", "2016-12-13"}) {
		t.Errorf("flagged days %q, want 2016-10-20 and 2016-12-13", flagged)
	}
	if got := chartRows(t, dom); got != 38 {
		t.Errorf("the chart's bars add up to %d expected rows, want 38", got)
	}
	mism := findAll(dom, hasClass("mismatch"))
	if len(mism) != 3 || !strings.Contains(text(mism[0]), "proxy/20161213/proxy_scores.tsv") {
		t.Errorf("mismatches do not list the three partitions with their source files")
	}
}

// tamper changes three partitions of the proxy tables of a migrated
// target: one loses its rows, one gains rows, one has a value changed.
func tamper(t *testing.T, target string) {
	t.Helper()
	db, err := sql.Open("duckdb", target)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, q := range []string{
		`UPDATE spot.spot.proxy_timeline SET duration = duration + 1 WHERE clientip = '10.1.25.14'`,
		`INSERT INTO spot.spot.proxy_storyboard SELECT * FROM spot.spot.proxy_storyboard WHERE d = 20`,
		`DELETE FROM spot.spot.proxy_scores WHERE d = 13`,
	} {
		if _, err := db.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
}

// Elements that load something, and attributes that hold a URL.
var (
	loadingTags = []string{"script", "link", "img", "iframe", "frame", "object", "embed", "base", "video", "audio", "source", "track", "image", "use"}
	urlAttrs    = []string{"src", "href", "srcset", "action", "formaction", "poster", "data", "background", "cite", "ping", "manifest", "longdesc"}
)

// checkSelfContained fails when the document could load anything: an
// element that loads, a URL attribute other than a link into the page, or
// url() or @import in a style.
func checkSelfContained(t *testing.T, b []byte) {
	t.Helper()
	for _, n := range findAll(parseHTML(t, b), func(*html.Node) bool { return true }) {
		if n.Type == html.ElementNode && slices.Contains(loadingTags, n.Data) {
			t.Errorf("the document holds a <%s> element", n.Data)
		}
		for _, a := range n.Attr {
			v := strings.ToLower(a.Val)
			if slices.Contains(urlAttrs, a.Key) && !strings.HasPrefix(v, "#") {
				t.Errorf("<%s %s=%q>: a URL outside the document", n.Data, a.Key, a.Val)
			}
			if strings.Contains(v, "url(") {
				t.Errorf("<%s %s=%q>: url() in an attribute", n.Data, a.Key, a.Val)
			}
		}
		if n.Type == html.TextNode && n.Parent != nil && n.Parent.Data == "style" {
			if css := strings.ToLower(n.Data); strings.Contains(css, "url(") || strings.Contains(css, "@import") ||
				strings.Contains(css, "http:") || strings.Contains(css, "https:") {
				t.Errorf("the style sheet refers to something outside the document")
			}
		}
	}
}

// browserBin is Chromium, or "" when it is not installed.
func browserBin() string {
	for _, name := range []string{"chromium", "chromium-browser"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browserOwn are the requests Chromium makes on its own, whatever the page
// (extension updates, sign-in, network time), even with background
// networking disabled: they are not the document's.
var browserOwn = []string{"CONNECT update.googleapis.com:443", "CONNECT accounts.google.com:443",
	"GET clients2.google.com", "POST update.googleapis.com"}

// proxyLog is an HTTP proxy that answers nothing and records every request.
type proxyLog struct {
	mu   sync.Mutex
	reqs []string
}

func (p *proxyLog) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p.mu.Lock()
	p.reqs = append(p.reqs, r.Method+" "+r.Host)
	p.mu.Unlock()
	http.Error(w, "no network in tests", http.StatusForbidden)
}

// foreign is the requests that are not Chromium's own.
func (p *proxyLog) foreign() []string {
	p.mu.Lock()
	defer p.mu.Unlock()
	var out []string
	for _, r := range p.reqs {
		if !slices.Contains(browserOwn, r) {
			out = append(out, r)
		}
	}
	return out
}

// renderDOM loads page in headless Chromium and returns the DOM it built.
// Every request goes to a local proxy that records it (loopback too), and
// no host name resolves; the test fails when the page made a request.
// Before the page, a probe page with an outside image checks that the
// proxy does see what a page requests. Without Chromium the test skips,
// or fails when SPOTMIGRATE_REQUIRE_BROWSER=1.
func renderDOM(t *testing.T, page string) *html.Node {
	t.Helper()
	bin := browserBin()
	if bin == "" {
		if os.Getenv("SPOTMIGRATE_REQUIRE_BROWSER") == "1" {
			t.Fatal("chromium is not installed (SPOTMIGRATE_REQUIRE_BROWSER=1)")
		}
		t.Skip("chromium is not installed: the HTML report is not checked in a browser")
	}
	probe := filepath.Join(t.TempDir(), "probe.html")
	if err := os.WriteFile(probe, []byte(`<!DOCTYPE html><p>probe</p><img src="http://spotmigrate-probe.invalid/x.png">`), 0o644); err != nil {
		t.Fatal(err)
	}
	plog := &proxyLog{}
	proxy := httptest.NewServer(plog)
	defer proxy.Close()
	browse(t, bin, probe, proxy.Listener.Addr().String())
	if got := plog.foreign(); !slices.Equal(got, []string{"GET spotmigrate-probe.invalid"}) {
		t.Fatalf("the probe page's request did not reach the proxy as the only one: %q", got)
	}
	plog.mu.Lock()
	plog.reqs = nil
	plog.mu.Unlock()
	dom := browse(t, bin, page, proxy.Listener.Addr().String())
	if got := plog.foreign(); len(got) > 0 {
		t.Errorf("the report made network requests: %q", got)
	}
	return parseHTML(t, dom)
}

// browse runs Chromium on page and returns the DOM it dumps.
func browse(t *testing.T, bin, page, proxy string) []byte {
	t.Helper()
	abs, err := filepath.Abs(page)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	home := t.TempDir()
	cmd := exec.CommandContext(ctx, bin, "--headless", "--disable-gpu", "--no-sandbox", "--dump-dom",
		"--proxy-server=http://"+proxy, "--proxy-bypass-list=<-loopback>",
		"--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1",
		"--user-data-dir="+filepath.Join(home, "profile"), "--no-first-run", "--disable-background-networking",
		"--disable-component-update", "--disable-sync", "--disable-default-apps", "--disable-extensions",
		"--disable-features=NetworkTimeServiceQuerying,OptimizationHints,Translate,MediaRouter",
		"file://"+filepath.ToSlash(abs))
	cmd.Env = append(os.Environ(), "HOME="+home, "XDG_CONFIG_HOME="+home, "XDG_CACHE_HOME="+home)
	cmd.WaitDelay = 10 * time.Second
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("chromium on %s: %v\n%s", page, err, stderr.Bytes())
	}
	if !bytes.Contains(out, []byte("</html>")) {
		t.Fatalf("chromium dumped no document for %s:\n%s\n%s", page, out, stderr.Bytes())
	}
	return out
}

func parseHTML(t *testing.T, b []byte) *html.Node {
	t.Helper()
	doc, err := html.Parse(bytes.NewReader(b))
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

// findAll is every node below n (n too) that keep accepts, in document order.
func findAll(n *html.Node, keep func(*html.Node) bool) []*html.Node {
	var out []*html.Node
	if keep(n) {
		out = append(out, n)
	}
	for c := n.FirstChild; c != nil; c = c.NextSibling {
		out = append(out, findAll(c, keep)...)
	}
	return out
}

func attr(n *html.Node, key string) string {
	for _, a := range n.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

func hasClass(class string) func(*html.Node) bool {
	return func(n *html.Node) bool {
		return n.Type == html.ElementNode && slices.Contains(strings.Fields(attr(n, "class")), class)
	}
}

// text is the text below n.
func text(n *html.Node) string {
	var b strings.Builder
	for _, d := range findAll(n, func(d *html.Node) bool { return d.Type == html.TextNode }) {
		b.WriteString(d.Data)
	}
	return b.String()
}

func sumText(t *testing.T, nodes []*html.Node) int64 {
	t.Helper()
	var sum int64
	for _, n := range nodes {
		v, err := strconv.ParseInt(strings.TrimSpace(text(n)), 10, 64)
		if err != nil {
			t.Fatalf("not a count: %q", text(n))
		}
		sum += v
	}
	return sum
}

func checkVerdict(t *testing.T, dom *html.Node, class, sentence string) {
	t.Helper()
	v := findAll(dom, func(n *html.Node) bool { return attr(n, "id") == "verdict" })
	if len(v) != 1 {
		t.Fatalf("%d verdict banners, want 1", len(v))
	}
	if !hasClass(class)(v[0]) || !strings.Contains(text(v[0]), sentence) {
		t.Errorf("verdict banner %q (class %q), want %q (class %s)", text(v[0]), attr(v[0], "class"), sentence, class)
	}
}

func checkTotals(t *testing.T, dom *html.Node, want map[string]int64) {
	t.Helper()
	for key, n := range want {
		el := findAll(dom, func(e *html.Node) bool { return attr(e, "data-total") == key })
		if len(el) != 1 {
			t.Errorf("total %s: %d elements, want 1", key, len(el))
			continue
		}
		if got := sumText(t, findAll(el[0], hasClass("value"))); got != n {
			t.Errorf("total %s = %d, want %d", key, got, n)
		}
	}
}

// chartRows adds up the rows of the chart's bars (their titles end in
// ": N rows").
func chartRows(t *testing.T, dom *html.Node) int64 {
	t.Helper()
	var sum int64
	bars := findAll(dom, hasClass("bar"))
	if len(bars) == 0 {
		t.Fatal("the chart has no bars")
	}
	for _, b := range bars {
		title := text(b)
		i := strings.LastIndex(title, ": ")
		v, err := strconv.ParseInt(strings.TrimSuffix(title[i+2:], " rows"), 10, 64)
		if i < 0 || err != nil {
			t.Fatalf("bar title %q", title)
		}
		sum += v
	}
	return sum
}
