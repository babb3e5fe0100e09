package oagen

import (
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
