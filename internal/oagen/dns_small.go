package oagen

// The small per-day DNS files: dendro-<ip>.csv, the storyboard (threats.csv
// and threat-dendro-<anchor>.csv) and the QUOTE_ALL edge-<name>_<HH>_00.csv.

import "slices"

func (u *unit) dnsDendro(rows []dnsRow, names []dnsQName) error {
	seen := map[uint32]bool{}
	for _, r := range rows {
		if seen[r.ipDst] || len(seen) >= u.scale(1000) {
			continue
		}
		seen[r.ipDst] = true
		ip := ipString(r.ipDst)
		b := append(u.buf[:0], DNSDendroHeader+lf...)
		n := u.scale(1 + u.skew(60))
		for i := 0; i < n; i++ {
			name, qtype, rcode := r.q.name, r.qtype, r.rcode
			if i > 0 {
				name = names[u.rng.IntN(len(names))].name
				qtype, rcode = pick(u.rng, dnsTypes), pick(u.rng, dnsRcodes)
			}
			b = u.apDNSAnswer(b, qtype, rcode)
			b = append(b, ',')
			b = append(b, name...)
			b = append(b, ',')
			b = append(b, ip...)
			b = append(b, '\n')
		}
		if err := u.writeSmall("dendro-"+ip+".csv", "dns_dendro", b, 1, n, rejectSpec{delim: ',', field: 0, how: rejComma}); err != nil {
			return err
		}
	}
	return nil
}

func (u *unit) dnsStoryboard(rows []dnsRow, clients []uint32) error {
	b := append(u.buf[:0], DNSThreatsHeader+lf...)
	var anchors []string
	seen := map[string]bool{}
	for _, r := range rows {
		if len(anchors) >= maxStoryboardThreats {
			break
		}
		var anchor string
		switch {
		case r.ipSev == 1:
			anchor = ipString(r.ipDst)
			b = append(b, anchor...)
			b = append(b, '|')
		case r.dnsSev == 1:
			anchor = r.q.name
			b = append(b, '|')
			b = append(b, anchor...)
		default:
			continue
		}
		if seen[anchor] {
			b = b[:len(b)-len(anchor)-1]
			continue
		}
		seen[anchor] = true
		anchors = append(anchors, anchor)
		b = append(b, '|')
		b = u.threatText(b)
		b = append(b, '\n')
	}
	if err := u.writeSmall("threats.csv", "dns_storyboard", b, 1, len(anchors), rejectSpec{delim: '|', field: 2, how: rejPipe}); err != nil {
		return err
	}
	for _, a := range anchors {
		b := append(u.buf[:0], DNSThreatDendroHdr+lf...)
		isIP := a[0] >= '0' && a[0] <= '9'
		n := u.scale(1 + u.skew(200))
		for i := 0; i < n; i++ {
			b = apInt(b, 1+u.skew(500))
			b = append(b, ',')
			if isIP {
				nm, _ := u.dnsName()
				b = append(b, nm...)
				b = append(b, ',')
				b = append(b, a...)
			} else {
				b = append(b, a...)
				b = append(b, ',')
				b = apIP(b, clients[u.rng.IntN(len(clients))], '.')
			}
			b = append(b, ",0\n"...)
		}
		if err := u.writeSmall("threat-dendro-"+a+".csv", "dns_threat_dendro", b, 1, n, rejectSpec{delim: ',', field: 0, how: rejNumber}); err != nil {
			return err
		}
	}
	return nil
}

func (u *unit) dnsEdges(rows []dnsRow, clients []uint32, segs []seg) error {
	type key struct {
		name string
		hh   int
	}
	// The UTC stretches of each local hour (two for the repeated hour of a
	// DST fall-back, none for the skipped one).
	var hours [24][]seg
	for h := 0; h < 24; h++ {
		for _, s := range segs {
			from := max(u.dayEpoch+int64(h)*3600-s.off, s.from)
			to := min(u.dayEpoch+int64(h+1)*3600-s.off, s.to)
			if from < to {
				hours[h] = append(hours[h], seg{from, to, s.tok, s.off})
			}
		}
	}
	unconf := u.opt.Unconfigured
	written := map[key]int{} // landing rows per edge file
	uts := make([]int64, 0, dnsEdgeMaxRows)
	for _, r := range rows {
		if u.left() <= 0 {
			break
		}
		hh := r.wall / 3600
		k := key{r.q.name, hh}
		if _, ok := written[k]; ok {
			continue
		}
		inst := hours[hh]
		var total int64
		for _, s := range inst {
			total += s.to - s.from
		}
		n := u.fit(u.edgeRows(dnsEdgeMaxRows), 150)
		uts = uts[:0]
		for i := 0; i < n; i++ {
			x := u.rng.Int64N(total)
			for _, s := range inst {
				if x < s.to-s.from {
					uts = append(uts, s.from+x)
					break
				}
				x -= s.to - s.from
			}
		}
		slices.Sort(uts)
		u.noticeLines = u.noticeLines[:0]
		b := append(u.buf[:0], DNSEdgeHeader+crlf...)
		for i, ut := range uts {
			s := atSeg(inst, ut)
			ipDst := r.ipDst
			if i%4 == 3 {
				ipDst = clients[u.rng.IntN(len(clients))]
			}
			// The raw rows hold NULL where the ML later filled its values.
			cls, typ, rc := r.class, r.qtype, r.rcode
			switch x := u.rng.IntN(1000); {
			case cls == mlFillClass || x < nullPerMille:
				cls, typ, rc = nullCoded, nullCoded, nullCoded
			case x < nullPerMille+unknownPerMille && !r.hasUnknown():
				cls = unknownClass
			}
			if cls.unknown() || typ.unknown() || rc.unknown() {
				u.noticeLines = append(u.noticeLines, i)
				u.notices++
			}
			b = append(b, '"')
			b = u.apFrameTime(b, int(ut+s.off-u.dayEpoch), u.rng.IntN(1e9), s.tok)
			b = append(b, `","`...)
			b = apInt(b, 60+u.rng.IntN(300))
			b = append(b, `","`...)
			b = apIP(b, ipDst, '.')
			b = append(b, `","`...)
			b = append(b, dnsServers[i%2]...)
			b = append(b, `","`...)
			if i%7 == 5 { // LIKE '%name%' also matches longer names
				b = append(b, "www."...)
			}
			b = append(b, r.q.name...)
			b = append(b, `","`...)
			b = append(b, cls.text(unconf)...)
			b = append(b, `","`...)
			b = append(b, typ.text(unconf)...)
			b = append(b, `","`...)
			b = append(b, rc.text(unconf)...)
			b = append(b, `","`...)
			b = u.apDNSAnswer(b, typ, rc)
			b = append(b, "\""+crlf...)
		}
		b, rej := u.small(b, 1, n, rejectSpec{delim: ',', quoted: true, field: 0, how: rejFrameTime})
		u.buf = b
		name := make([]byte, 0, len(r.q.name)+20)
		name = append(name, "edge-"...)
		name = append(name, r.q.name...)
		name = append(name, '_')
		name = ap2(name, hh)
		name = append(name, "_00.csv"...)
		if err := u.write(string(name), b); err != nil {
			return err
		}
		written[k] = n - rej
	}
	u.noticeLines = u.noticeLines[:0]
	// dns_edge lands in the UTC date of its scored row: the row of that name
	// and hh with the smallest unix_tstamp (contract, DNS time).
	first := make(map[key]int64, len(written))
	for _, r := range rows {
		k := key{r.q.name, r.wall / 3600}
		if _, ok := written[k]; !ok {
			continue
		}
		if v, ok := first[k]; !ok || r.ut < v {
			first[k] = r.ut
		}
	}
	for k, n := range written {
		u.landed("dns_edge", int64(floorDiv(int(first[k]), 86400)), n)
	}
	return nil
}
