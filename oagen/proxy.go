package oagen

import (
	"fmt"
	"sort"
	"strconv"
)

// ---------------------------------------------------------------- proxy

type proxyURI struct {
	host, path, query, full string
	port                    int
	server                  uint32
	webcat, ctype           string
}

type proxyRow struct {
	sec    int
	client uint32
	uri    *proxyURI
	method string
	ua     string
	user   string
	ref    string
	code   coded
	dur    int
	sc, cs int
	sev    int
	hash   string
}

var (
	userAgents = []string{
		"Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/55.0.2883.87 Safari/537.36",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:50.0) Gecko/20100101 Firefox/50.0",
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 10_12_2) AppleWebKit/602.3.12 (KHTML, like Gecko) Version/10.0.2 Safari/602.3.12",
		"Microsoft-CryptoAPI/6.1", "curl/7.47.0", "Python-urllib/2.7", "Java/1.8.0_111", "-",
	}
	proxyHosts = []string{"update.microsoft-cdn.co", "paste.example-bin.com", "cdn.tracker-ads.net", "login.examp1e-bank.com",
		"files.example-share.net", "c2.example-beacon.org", "ajax.example-apis.com", "static.example-news.org",
		"telemetry.example-soft.com", "dl.example-mirror.net"}
	proxyWords   = []string{"users", "download", "static", "img", "api", "v1", "v2", "update", "raw", "login", "assets", "js", "css", "b", "collect", "files"}
	proxyExts    = []string{"", ".php", ".exe", ".js", ".css", ".png", ".html", ".zip", ".json", ""}
	webcats      = []string{"Business", "Uncategorized", "Advertisements", "Phishing", "File Sharing", "News", "Software Updates", "Malicious Sites"}
	contentTypes = []string{"text/html", "application/json", "application/octet-stream", "text/plain", "image/png", "application/javascript", "-"}
	proxyUsers   = []string{"-", "-", "-", "jdoe", "asmith", "bwayne", "ckent", "svc_backup"}
	uriReps      = []string{"", "", "gti:Minimal:1", "gti:High:70", "gti:Medium:30", "gti:Unverified:-1"}
	methods      = []string{"GET", "GET", "GET", "GET", "POST", "POST", "PUT", "HEAD", "CONNECT"}
)

func (u *unit) proxyURI(external []uint32) *proxyURI {
	p := &proxyURI{server: external[u.rng.IntN(len(external))], webcat: pick(u.rng, webcats), ctype: pick(u.rng, contentTypes)}
	if u.rng.IntN(2) == 0 {
		p.host = pick(u.rng, proxyHosts)
	} else {
		p.host = string(u.randLabel(nil, lower, 5+u.rng.IntN(8))) + "." + pick(u.rng, proxyHosts)
	}
	p.port = pick(u.rng, []int{80, 80, 80, 443, 443, 8080})
	var b []byte
	for i := 1 + u.rng.IntN(3); i > 0; i-- {
		b = append(b, '/')
		if u.rng.IntN(3) == 0 {
			b = u.randLabel(b, alnum, 6+u.rng.IntN(10))
		} else {
			b = append(b, pick(u.rng, proxyWords)...)
		}
	}
	b = append(b, pick(u.rng, proxyExts)...)
	p.path = string(b)
	p.query = "-"
	if u.rng.IntN(3) == 0 {
		p.query = "id=" + string(u.randLabel(nil, "0123456789abcdef", 8)) + "&t=" + strconv.Itoa(1480000000+u.rng.IntN(9000000))
	}
	scheme := "http://"
	if p.port == 443 {
		scheme = "https://"
	}
	full := scheme + p.host
	if p.port == 8080 {
		full += ":8080"
	}
	full += p.path
	if p.query != "-" {
		full += "?" + p.query
	}
	p.full = full
	return p
}

func (u *unit) proxy() error {
	const rowBytes, edgeFileBytes = 430, 55000
	target := u.scoresTarget(rowBytes, edgeFileBytes)
	nHosts := min(max(int(target/rowBytes/30), 20), 2000)
	clients := u.internalIPs(nHosts)
	external := u.externalIPs(nHosts)
	uris := make([]*proxyURI, max(int(target/rowBytes/2), 10))
	for i := range uris {
		uris[i] = u.proxyURI(external)
	}

	scores := make([]byte, 0, target+2048)
	bu := make([]byte, 0, target+2048)
	scores = append(scores, ProxyScoresHeader+crlf...)
	bu = append(bu, ProxyScoresHeader+crlf...)
	unconf := u.opt.Unconfigured
	scored := 0
	var rows []proxyRow
	pre := make([]byte, 0, 1024)
	post := make([]byte, 0, 128)
	score := 1e-7 * (1 + u.rng.Float64())
	for len(scores) < int(target) {
		r := proxyRow{sec: u.rng.IntN(86400), client: clients[u.skew(len(clients))], uri: uris[u.skew(len(uris))],
			method: pick(u.rng, methods), ua: pick(u.rng, userAgents), user: pick(u.rng, proxyUsers), ref: "-",
			code: pick(u.rng, httpCodes), dur: u.skew(5000), sc: u.skew(1 << 20), cs: 200 + u.rng.IntN(1200)}
		if u.rng.IntN(3) == 0 {
			r.ref = uris[u.rng.IntN(len(uris))].full
		}
		if u.perMille(unknownPerMille / 2) {
			r.code = unknownHTTP
			u.notices++
		}
		if u.rng.IntN(100) < 3 || len(rows) == 0 {
			r.sev = 1 + u.rng.IntN(3)
			if len(rows) == 0 {
				r.sev = 1
			}
			scored++
		}
		cip := ipString(r.client)
		hh := r.sec / 3600
		r.hash = md5hex(cip, r.uri.full) + string(ap2(nil, hh))
		rows = append(rows, r)
		score += u.rng.ExpFloat64() * 2.5e-9
		p := append(pre[:0], u.date...)
		p = append(p, '\t')
		p = apClock(p, r.sec)
		for _, s := range [...]string{cip, r.uri.host, r.method, r.ua, r.uri.ctype} {
			p = append(p, '\t')
			p = append(p, s...)
		}
		p = append(p, '\t')
		p = apInt(p, r.dur)
		for _, s := range [...]string{r.user, r.uri.webcat, r.ref} {
			p = append(p, '\t')
			p = append(p, s...)
		}
		p = append(p, '\t')
		p = append(p, r.code.code...)
		p = append(p, '\t')
		p = apInt(p, r.uri.port)
		p = append(p, '\t')
		p = append(p, r.uri.path...)
		p = append(p, '\t')
		p = append(p, r.uri.query...)
		p = append(p, '\t')
		p = apIP(p, r.uri.server, '.')
		p = append(p, '\t')
		p = apInt(p, r.sc)
		p = append(p, '\t')
		p = apInt(p, r.cs)
		p = append(p, '\t')
		p = append(p, r.uri.full...)
		p = append(p, '\t')
		for i := 0; i < 5; i++ {
			if i > 0 {
				p = append(p, '_')
			}
			p = apInt(p, u.rng.IntN(6))
		}
		p = append(p, '\t')
		p = apScore(p, score)
		p = append(p, '\t')
		p = append(p, uriReps[len(r.uri.host)%len(uriReps)]...)
		p = append(p, '\t')
		q := append(post[:0], '\t')
		q = append(q, r.code.text(unconf)...)
		q = append(q, "\t\t"...)
		q = append(q, r.hash...)
		q = append(q, crlf...)
		scores = append(scores, p...)
		scores = apInt(scores, r.sev)
		scores = append(scores, q...)
		bu = append(bu, p...)
		bu = append(bu, '0')
		bu = append(bu, q...)
		pre, post = p, q
	}
	if err := u.write("proxy_scores.tsv", scores); err != nil {
		return err
	}
	if err := u.write("proxy_scores_bu.tsv", bu); err != nil {
		return err
	}
	u.landed("proxy_scores", u.dayNum, len(rows))
	u.landed("proxy_threat_investigation", u.dayNum, scored)
	if err := u.proxyStoryboard(rows, clients, uris); err != nil {
		return err
	}
	return u.proxyEdges(rows)
}

func (u *unit) proxyStoryboard(rows []proxyRow, clients []uint32, uris []*proxyURI) error {
	var threats []*proxyURI
	seen := map[*proxyURI]bool{}
	for _, r := range rows {
		if r.sev == 1 && !seen[r.uri] && len(threats) < maxStoryboardThreats {
			seen[r.uri] = true
			threats = append(threats, r.uri)
		}
	}
	b := append(u.buf[:0], ProxyThreatsHeader+lf...)
	for _, t := range threats {
		b = append(b, md5hex(t.full)...)
		b = append(b, '|')
		b = u.threatText(b)
		b = append(b, '\n')
	}
	if err := u.writeSmall("threats.csv", "proxy_storyboard", b, 1, len(threats), rejectSpec{delim: '|', field: 1, how: rejPipe}); err != nil {
		return err
	}
	skip := u.notebookHeaderLines()
	for ti, t := range threats {
		h := md5hex(t.full)
		// Timeline: per client and time, at most 1000 rows.
		b := u.buf[:0]
		if u.lay.BlankLines { // impala-shell -r (addendum §7.4)
			b = append(b, "\n\n"...)
		}
		b = append(b, ProxyTimelineHeader+lf...)
		n := u.scale(5 + u.skew(400))
		secs := make([]int, n)
		for i := range secs {
			secs[i] = u.rng.IntN(86000)
		}
		sort.Ints(secs)
		for _, sec := range secs {
			b = u.apTstart(b, sec)
			b = append(b, '\t')
			b = u.apTstart(b, sec+u.rng.IntN(4))
			b = append(b, '\t')
			b = apInt(b, u.skew(3000))
			b = append(b, '\t')
			b = apIP(b, clients[u.skew(len(clients))], '.')
			b = append(b, '\t')
			b = append(b, pick(u.rng, httpCodes).code...)
			b = append(b, '\n')
		}
		if err := u.writeSmall("timeline-"+h+".tsv", "proxy_timeline", b, skip, n, rejectSpec{delim: '\t', field: 2, how: rejNumber}); err != nil {
			return err
		}
		// Expanded search: rows with fulluri = URI or referer = URI. Every
		// other threat starts with a referer match for a different URI; row 2
		// always matches the URI itself.
		b = append(u.buf[:0], ProxyESHeader+lf...)
		m := 2 + u.scale(u.skew(300))
		for i := 0; i < m; i++ {
			full, ref := t.full, "-"
			if (i == 0 && ti%2 == 0) || (i > 1 && u.rng.IntN(4) == 0) {
				full, ref = uris[u.rng.IntN(len(uris))].full, t.full
				if full == t.full {
					full = "http://" + t.host + "/favicon.ico"
				}
			}
			sec := min(i*86000/m+u.rng.IntN(60), 86399)
			b = apClock(b, sec)
			b = append(b, '\t')
			b = apIP(b, clients[u.skew(len(clients))], '.')
			b = append(b, '\t')
			b = append(b, pick(u.rng, proxyUsers)...)
			b = append(b, '\t')
			b = apInt(b, u.skew(3000))
			b = append(b, '\t')
			b = append(b, full...)
			b = append(b, '\t')
			b = append(b, t.webcat...)
			b = append(b, '\t')
			b = append(b, pick(u.rng, httpCodes).code...)
			for _, s := range [...]string{pick(u.rng, methods), pick(u.rng, userAgents), t.ctype, ref} {
				b = append(b, '\t')
				b = append(b, s...)
			}
			b = append(b, '\t')
			b = apInt(b, t.port)
			b = append(b, '\t')
			b = apIP(b, t.server, '.')
			b = append(b, '\t')
			b = apInt(b, u.skew(1<<20))
			b = append(b, '\t')
			b = apInt(b, 200+u.rng.IntN(1200))
			b = append(b, '\n')
		}
		u.buf = b
		if err := u.write("es-"+h+".csv", b); err != nil {
			return err
		}
		ip := fmt.Sprintf(`{"fulluri":%q,"size":%d,"children":[{"name":"Requests","children":[]},{"name":"Referers","children":[]}]}`, t.full, m)
		if err := u.write("incident-progression-"+h+".json", []byte(ip)); err != nil {
			return err
		}
	}
	return nil
}

func (u *unit) proxyEdges(rows []proxyRow) error {
	unconf := u.opt.Unconfigured
	seen := map[string]bool{}
	secs := make([]int, 0, proxyEdgeMaxRows)
	for _, r := range rows {
		if u.left() <= 0 {
			break
		}
		if seen[r.hash] {
			continue
		}
		seen[r.hash] = true
		cip := ipString(r.client)
		hh := r.sec / 3600
		n := u.fit(u.edgeRows(proxyEdgeMaxRows), 330)
		secs = secs[:0]
		for i := 0; i < n; i++ {
			secs = append(secs, hh*3600+u.rng.IntN(3600))
		}
		sort.Ints(secs)
		u.noticeLines = u.noticeLines[:0]
		b := append(u.buf[:0], ProxyEdgeHeader+crlf...)
		for i, sec := range secs {
			b = append(b, u.date...)
			b = append(b, '\t')
			b = apClock(b, sec)
			code := r.code
			switch x := u.rng.IntN(1000); {
			case x < unknownPerMille:
				code = unknownEdge
			case x < 200:
				code = pick(u.rng, httpCodes)
			}
			if code.unknown() {
				u.noticeLines = append(u.noticeLines, i)
				u.notices++
			}
			for _, s := range [...]string{cip, r.uri.host, r.uri.webcat, code.text(unconf), r.method, r.ua, r.uri.ctype, r.ref} {
				b = append(b, '\t')
				b = append(b, s...)
			}
			b = append(b, '\t')
			b = apInt(b, r.uri.port)
			b = append(b, '\t')
			b = apIP(b, r.uri.server, '.')
			b = append(b, '\t')
			b = apInt(b, u.skew(1<<20))
			b = append(b, '\t')
			b = apInt(b, 200+u.rng.IntN(1200))
			b = append(b, '\t')
			b = append(b, r.uri.full...)
			b = append(b, crlf...)
		}
		if err := u.writeSmall("edge-"+cip+"-"+r.hash+".tsv", "proxy_edge", b, 1, n, rejectSpec{delim: '\t', field: 12, how: rejNumber}); err != nil {
			return err
		}
	}
	u.noticeLines = u.noticeLines[:0]
	return nil
}
