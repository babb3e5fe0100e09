package oagen

// The small per-day proxy files: the storyboard (threats.csv, timeline-<md5>.tsv,
// es-<md5>.csv and its JSON) and the edge-<clientip>-<hash>.tsv files.

import (
	"fmt"
	"sort"
)

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
