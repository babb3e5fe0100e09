package oagen

import (
	"math"
	"strconv"
	"strings"
)

// ---------------------------------------------------------------- dns

type dnsRow struct {
	ut                  int64 // unix_tstamp
	wall                int   // local second of the folder's day
	tok                 string
	nanos, flen         int
	ipDst               uint32
	q                   *dnsQName
	class, qtype, rcode coded
	ipSev, dnsSev       int
}

// dnsQName is one suspicious query name with what the scores files derive
// from it.
type dnsQName struct {
	name, tld string
	d0        string // D0 columns 8-13: domain,subdomain,subdomain_length,num_periods,subdomain_entropy,top_domain
}

// hasUnknown reports whether one of the row's values is one the registry
// does not know (a notice when migrated).
func (r *dnsRow) hasUnknown() bool {
	return r.class.unknown() || r.qtype.unknown() || r.rcode.unknown()
}

var (
	dgaTLDs       = []string{"biz", "info", "net", "ru", "top", "xyz", "cc", "com"}
	tunnelDomains = []string{"tunnelbox.io", "evil-example.net", "dnsexfil.org", "c2-updates.com"}
	cdnDomains    = []string{"akamaized.net", "cloudfront.net", "fastly.net", "azureedge.net", "googleusercontent.com"}
	dnsReps       = []string{"", "", "", "gti:High:70", "gti:Unverified:-1", "gti:Minimal:1", "gti:Medium:30"}
	dnsServers    = []string{"10.0.0.53", "10.0.0.54"}
	d0GTLDs       = map[string]bool{"com": true, "org": true, "net": true, "int": true, "edu": true, "gov": true, "mil": true}
)

const (
	lower  = "abcdefghijklmnopqrstuvwxyz"
	alnum  = "abcdefghijklmnopqrstuvwxyz0123456789"
	base32 = "abcdefghijklmnopqrstuvwxyz234567"
)

func (u *unit) randLabel(b []byte, alphabet string, n int) []byte {
	for i := 0; i < n; i++ {
		b = append(b, alphabet[u.rng.IntN(len(alphabet))])
	}
	return b
}

// dnsName returns a suspicious-looking query name and its registered domain.
func (u *unit) dnsName() (string, string) {
	var b []byte
	var tld string
	switch u.rng.IntN(3) {
	case 0: // DGA
		b = u.randLabel(nil, lower, 8+u.rng.IntN(9))
		b = append(b, '.')
		b = append(b, pick(u.rng, dgaTLDs)...)
		tld = string(b)
	case 1: // tunnelling
		b = u.randLabel(nil, base32, 20+u.rng.IntN(30))
		b = append(b, pick(u.rng, []string{".t.", ".ns.", ".d."})...)
		tld = pick(u.rng, tunnelDomains)
		b = append(b, tld...)
	default: // rare CDN host
		b = append(b, pick(u.rng, []string{"cdn-", "edge-", "static-", "img"})...)
		b = u.randLabel(b, alnum, 4+u.rng.IntN(6))
		b = append(b, '.')
		tld = pick(u.rng, cdnDomains)
		b = append(b, tld...)
	}
	return string(b), tld
}

// d0Columns builds the D0 columns domain..top_domain of a name by the
// spot-ml rule (addendum §7.5): drop one trailing country code (any
// two-letter label here), then one trailing gTLD of com org net int edu gov
// mil, and take the last label left; `None` where the rule does not apply.
func d0Columns(name string) string {
	labels := strings.Split(name, ".")
	domain, sub := "None", "None"
	last := labels[len(labels)-1]
	if len(labels) >= 2 && (len(last) == 2 || d0GTLDs[last]) && !strings.HasSuffix(name, ".in-addr.arpa") {
		rest := labels
		if len(last) == 2 {
			rest = rest[:len(rest)-1]
		}
		if len(rest) > 0 && d0GTLDs[rest[len(rest)-1]] {
			rest = rest[:len(rest)-1]
		}
		if len(rest) > 0 {
			domain = rest[len(rest)-1]
			if len(rest) > 1 {
				sub = strings.Join(rest[:len(rest)-1], ".")
			}
		}
	}
	subLen, entropy := 0, 0.0
	if sub != "None" {
		subLen = len(sub)
		var counts [256]int
		for i := 0; i < len(sub); i++ {
			counts[sub[i]]++
		}
		for _, c := range counts {
			if c > 0 {
				p := float64(c) / float64(len(sub))
				entropy -= p * math.Log2(p)
			}
		}
	}
	b := make([]byte, 0, 64+len(sub))
	b = append(b, domain...)
	b = append(b, ',')
	b = append(b, sub...)
	b = append(b, ',')
	b = apInt(b, subLen)
	b = append(b, ',')
	b = apInt(b, strings.Count(name, "."))
	b = append(b, ',')
	b = strconv.AppendFloat(b, entropy, 'f', 4, 64)
	b = append(b, ",0"...)
	return string(b)
}

func (u *unit) apFrameTime(b []byte, wall, nanos int, tok string) []byte {
	b = append(b, u.ftPrefix...)
	b = apClock(b, wall)
	b = append(b, '.')
	s := strconv.Itoa(nanos)
	for i := len(s); i < 9; i++ {
		b = append(b, '0')
	}
	b = append(b, s...)
	b = append(b, ' ')
	return append(b, tok...)
}

func (u *unit) apDNSAnswer(b []byte, qtype, rcode coded) []byte {
	if rcode.code != "0" {
		return b
	}
	switch qtype.code {
	case "1":
		return apIP(b, pick(u.rng, publicFirstOctets)<<24|uint32(u.rng.Uint32()&0xffffff), '.')
	case "28":
		b = append(b, "2606:4700:"...)
		b = strconv.AppendUint(b, uint64(u.rng.IntN(65536)), 16)
		b = append(b, "::"...)
		return strconv.AppendUint(b, uint64(u.rng.IntN(65536)), 16)
	}
	return b
}

// dnsValues draws class, type and rcode of one scored row: mostly known
// codes, rarely one value the registry does not know, and (from 2016-12-22)
// rarely the ML's fill values.
func (u *unit) dnsValues() (coded, coded, coded) {
	cls, typ, rc := dnsClasses[0], pick(u.rng, dnsTypes), pick(u.rng, dnsRcodes)
	switch x := u.rng.IntN(1000); {
	case x < unknownPerMille/2:
		cls = unknownClass
	case x < unknownPerMille:
		typ = unknownType
	case x < unknownPerMille+mlFillPerMille && u.lay.MLFill:
		cls, typ, rc = mlFillClass, mlFillType, mlFillRcode
	}
	return cls, typ, rc
}

// at places a UTC epoch second in the day's zone segments.
func atSeg(segs []seg, ut int64) *seg {
	for i := range segs {
		if ut < segs[i].to {
			return &segs[i]
		}
	}
	return &segs[len(segs)-1]
}

func (u *unit) dns() error {
	const rowBytes, edgeFileBytes = 190, 22000
	target := u.scoresTarget(rowBytes, edgeFileBytes)
	nHosts := min(max(int(target/rowBytes/40), 20), 2000)
	clients := u.internalIPs(nHosts)
	d0 := u.lay.DNSScores == "D0"
	names := make([]dnsQName, max(int(target/rowBytes/3), 10))
	for i := range names {
		names[i].name, names[i].tld = u.dnsName()
		if d0 {
			names[i].d0 = d0Columns(names[i].name)
		}
	}
	segs := u.zone.segments(u.dayEpoch)
	dayFrom, dayLen := segs[0].from, segs[len(segs)-1].to-segs[0].from

	header := DNSScoresHeader
	if d0 {
		header = DNSScoresD0Header
	}
	scores := make([]byte, 0, target+1024)
	bu := make([]byte, 0, target+1024)
	scores = append(scores, header+crlf...)
	bu = append(bu, header+crlf...)
	var rows []dnsRow
	pre := make([]byte, 0, 256)
	post := make([]byte, 0, 128)
	score := 1e-7 * (1 + u.rng.Float64())
	unconf := u.opt.Unconfigured
	scored := 0
	for len(scores) < int(target) {
		q := &names[u.skew(len(names))]
		r := dnsRow{nanos: u.rng.IntN(1e9), flen: 60 + u.rng.IntN(300), ipDst: clients[u.skew(len(clients))], q: q}
		if i := len(rows); i < len(segs) && len(segs) > 1 {
			// every token of a DST switch day is in the scores file
			r.ut = segs[i].from + u.rng.Int64N(segs[i].to-segs[i].from)
		} else {
			r.ut = dayFrom + u.rng.Int64N(dayLen)
		}
		s := atSeg(segs, r.ut)
		r.tok, r.wall = s.tok, int(r.ut+s.off-u.dayEpoch)
		r.class, r.qtype, r.rcode = u.dnsValues()
		if r.hasUnknown() {
			u.notices++
		}
		if u.rng.IntN(100) < 3 || len(rows) == 0 {
			r.ipSev = u.rng.IntN(4)
			r.dnsSev = 1 + u.rng.IntN(3)
			if len(rows) == 0 {
				r.ipSev = 1
			}
		}
		if r.ipSev > 0 || r.dnsSev > 0 {
			scored++
		}
		rows = append(rows, r)
		score += u.rng.ExpFloat64() * 2.5e-9
		p := u.apFrameTime(pre[:0], r.wall, r.nanos, r.tok)
		p = append(p, ',')
		p = apInt(p, r.flen)
		p = append(p, ',')
		p = apIP(p, r.ipDst, '.')
		p = append(p, ',')
		p = append(p, q.name...)
		p = append(p, ',')
		p = append(p, r.class.code...)
		p = append(p, ',')
		p = append(p, r.qtype.code...)
		p = append(p, ',')
		p = append(p, r.rcode.code...)
		p = append(p, ',')
		rep := dnsReps[ipHash(uint32(len(q.name))*7919+uint32(q.name[0]))%len(dnsReps)]
		if d0 {
			p = append(p, q.d0...)
			p = append(p, ',')
			for i := 0; i < 4; i++ { // word
				if i > 0 {
					p = append(p, '_')
				}
				p = apInt(p, u.rng.IntN(12))
			}
			p = append(p, ',')
			p = apScore(p, score)
			p = append(p, ',')
			p = append(p, rep...)
		} else {
			p = apScore(p, score)
			p = append(p, ',')
			p = append(p, q.tld...)
			p = append(p, ',')
			p = append(p, rep...)
		}
		p = append(p, ',')
		p = ap2(p, r.wall/3600)
		p = append(p, ',')
		qq := append(post[:0], ',')
		qq = append(qq, r.class.text(unconf)...)
		qq = append(qq, ',')
		qq = append(qq, r.qtype.text(unconf)...)
		qq = append(qq, ',')
		qq = append(qq, r.rcode.text(unconf)...)
		qq = append(qq, ",,"...)
		qq = strconv.AppendInt(qq, r.ut, 10)
		qq = append(qq, crlf...)
		scores = append(scores, p...)
		scores = apInt(scores, r.ipSev)
		scores = append(scores, ',')
		scores = apInt(scores, r.dnsSev)
		scores = append(scores, qq...)
		bu = append(bu, p...)
		bu = append(bu, "0,0"...)
		bu = append(bu, qq...)
		pre, post = p, qq
	}
	if err := u.write("dns_scores.csv", scores); err != nil {
		return err
	}
	if err := u.write("dns_scores_bu.csv", bu); err != nil {
		return err
	}
	u.landed("dns_scores", u.dayNum, len(rows))
	u.landed("dns_threat_investigation", u.dayNum, scored)
	if err := u.dnsDendro(rows, names); err != nil {
		return err
	}
	if err := u.dnsStoryboard(rows, clients); err != nil {
		return err
	}
	return u.dnsEdges(rows, clients, segs)
}
