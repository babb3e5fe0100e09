package oagen

// The small per-day flow files: chord-<ip>.tsv, the storyboard (threats.csv,
// sbdet-<ip>.tsv and its JSON) and the edge-<sip>-<dip>-<HH>-<MM>.tsv files.

import (
	"fmt"
	"sort"
	"strconv"
)

func (u *unit) flowChords(rows []flowRow) error {
	type agg struct {
		ibyt, maxByt int64
		ipkt, maxPkt int
		n            int
	}
	peers := map[uint32]map[[2]uint32]*agg{}
	var order []uint32
	for _, r := range rows[:min(len(rows), 5000)] {
		for _, ip := range [2]uint32{r.src, r.dst} {
			m := peers[ip]
			if m == nil {
				m = map[[2]uint32]*agg{}
				peers[ip] = m
				order = append(order, ip)
			}
			k := [2]uint32{r.src, r.dst}
			a := m[k]
			if a == nil {
				a = &agg{}
				m[k] = a
			}
			a.ibyt += r.ibyt
			a.ipkt += r.ipkt
			a.maxByt = max(a.maxByt, r.ibyt)
			a.maxPkt = max(a.maxPkt, r.ipkt)
			a.n++
		}
	}
	c6 := u.lay.FlowChord == "C6"
	header, spec := FlowChordHeader, rejectSpec{delim: '\t', field: 3, how: rejNumber}
	if c6 {
		header, spec = FlowChordC6Header, rejectSpec{delim: '\t', how: rejDrop}
	}
	written := 0
	for _, ip := range order {
		m := peers[ip]
		if len(m) < 2 || written >= u.scale(300) {
			continue
		}
		keys := make([][2]uint32, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Slice(keys, func(i, j int) bool {
			return keys[i][0] < keys[j][0] || keys[i][0] == keys[j][0] && keys[i][1] < keys[j][1]
		})
		keys = keys[:min(len(keys), 100)]
		b := append(u.buf[:0], header+lf...)
		for _, k := range keys {
			a := m[k]
			b = apIP(b, k[0], '.')
			b = append(b, '\t')
			b = apIP(b, k[1], '.')
			b = append(b, '\t')
			if c6 { // MAX and AVG over the day
				b = strconv.AppendInt(b, a.maxByt, 10)
				b = append(b, '\t')
				b = strconv.AppendFloat(b, float64(a.ibyt)/float64(a.n), 'f', -1, 64)
				b = append(b, '\t')
				b = apInt(b, a.maxPkt)
				b = append(b, '\t')
				b = strconv.AppendFloat(b, float64(a.ipkt)/float64(a.n), 'f', -1, 64)
			} else {
				b = strconv.AppendInt(b, a.ibyt, 10)
				b = append(b, '\t')
				b = apInt(b, a.ipkt)
			}
			b = append(b, '\n')
		}
		if err := u.writeSmall("chord-"+string(apIP(nil, ip, '_'))+".tsv", "flow_chords", b, 1, len(keys), spec); err != nil {
			return err
		}
		if c6 {
			u.notices++ // sums not available in this layout
		}
		written++
	}
	return nil
}

func (u *unit) flowStoryboard(rows []flowRow, internal, external []uint32) error {
	var threats []uint32
	seen := map[uint32]bool{}
	for _, r := range rows {
		if r.sev == 1 && !seen[r.src] && len(threats) < maxStoryboardThreats {
			seen[r.src] = true
			threats = append(threats, r.src)
		}
	}
	b := append(u.buf[:0], FlowThreatsHeader+lf...)
	for _, ip := range threats {
		b = apIP(b, ip, '.')
		b = append(b, '|')
		b = u.threatText(b)
		b = append(b, '\n')
	}
	if err := u.writeSmall("threats.csv", "flow_storyboard", b, 1, len(threats), rejectSpec{delim: '|', field: 1, how: rejPipe}); err != nil {
		return err
	}
	skip := u.notebookHeaderLines()
	for _, ip := range threats {
		ips := ipString(ip)
		b := u.buf[:0]
		if u.lay.BlankLines { // impala-shell -r (addendum §7.4)
			b = append(b, "\n\n"...)
		}
		b = append(b, FlowTimelineHeader+lf...)
		n := u.scale(20 + u.rng.IntN(380))
		for i := 0; i < n; i++ {
			peer := external[u.skew(len(external))]
			if u.rng.IntN(3) == 0 {
				peer = internal[u.rng.IntN(len(internal))]
			}
			svc := pick(u.rng, flowServices)
			sec := u.rng.IntN(86000)
			src, dst, sport, dport := ip, peer, 1024+u.rng.IntN(64511), svc.port
			if u.rng.IntN(2) == 0 {
				src, dst, sport, dport = peer, ip, svc.port, sport
			}
			if svc.proto == "ICMP" {
				sport = 0
			}
			pkts := 1 + u.skew(200)
			b = u.apTstart(b, sec)
			b = append(b, '\t')
			b = u.apTstart(b, sec+u.rng.IntN(300))
			b = append(b, '\t')
			b = apIP(b, src, '.')
			b = append(b, '\t')
			b = apIP(b, dst, '.')
			b = append(b, '\t')
			b = append(b, svc.proto...)
			for _, v := range [...]int{sport, dport, pkts, pkts * (40 + u.rng.IntN(1400))} {
				b = append(b, '\t')
				b = apInt(b, v)
			}
			b = append(b, '\n')
		}
		if err := u.writeSmall("sbdet-"+ips+".tsv", "flow_timeline", b, skip, n, rejectSpec{delim: '\t', field: 6, how: rejNumber}); err != nil {
			return err
		}
		// Storyboard JSON: not migrated, but present in real trees.
		globe := fmt.Sprintf(`{"type":"FeatureCollection","sourceips":[{"type":"Feature","properties":{"ip":%q,"type":1,"location":"%s"},"geometry":{"type":"Point","coordinates":[-121.89,37.33]}}],"destips":[]}`, ips, geoInternal[ipHash(ip)%len(geoInternal)])
		stats := fmt.Sprintf(`{"name":"Threat Investigation - %s","children":[{"name":"Inbound Only","size":%d},{"name":"Outbound Only","size":%d},{"name":"Two way","size":%d}]}`, ips, u.rng.IntN(50), u.rng.IntN(50), u.rng.IntN(20))
		dendro := fmt.Sprintf(`{"name":%q,"children":[{"name":"Inbound Only","children":[]},{"name":"Outbound Only","children":[]},{"name":"Two way","children":[]}]}`, ips)
		for _, f := range [...][2]string{{"globe-", globe}, {"stats-", stats}, {"threat-dendro-", dendro}} {
			if err := u.write(f[0]+ips+".json", []byte(f[1])); err != nil {
				return err
			}
		}
	}
	return nil
}

func (u *unit) flowEdges(rows []flowRow) error {
	type key struct {
		src, dst uint32
		hm       int
	}
	e13 := u.lay.FlowEdge == "E13"
	header := FlowEdgeHeader
	if e13 {
		header = FlowEdgeE13Header
	}
	seen := map[key]bool{}
	name := make([]byte, 0, 64)
	secs := make([]int, 0, flowEdgeMaxRows)
	for _, r := range rows {
		if u.left() <= 0 {
			break
		}
		minute := floorDiv(r.sec, 60)
		k := key{r.src, r.dst, minute}
		if seen[k] {
			continue
		}
		seen[k] = true
		n := u.fit(u.edgeRows(flowEdgeMaxRows), 105)
		secs = secs[:0]
		for i := 0; i < n; i++ {
			secs = append(secs, minute*60+u.rng.IntN(60))
		}
		sort.Ints(secs)
		b := append(u.buf[:0], header+lf...)
		for _, sec := range secs {
			src, dst, sport, dport := r.src, r.dst, r.sport, r.dport
			if u.rng.IntN(3) == 0 {
				src, dst, sport, dport = dst, src, dport, sport
			}
			pk := 1 + u.skew(60)
			opk := u.skew(60)
			b = u.apFlowTime(b, sec)
			b = append(b, '\t')
			b = apIP(b, src, '.')
			b = append(b, '\t')
			b = apIP(b, dst, '.')
			b = append(b, '\t')
			b = apInt(b, sport)
			b = append(b, '\t')
			b = apInt(b, dport)
			b = append(b, '\t')
			b = append(b, r.proto...)
			b = append(b, '\t')
			if r.proto == "TCP" {
				b = append(b, pick(u.rng, flowFlags)...)
			} else {
				b = append(b, "......"...)
			}
			b = append(b, "\t0\t"...)
			b = apInt(b, pk*(40+u.rng.IntN(1400)))
			b = append(b, '\t')
			b = apInt(b, pk)
			b = append(b, '\t')
			b = apInt(b, u.rng.IntN(12))
			b = append(b, '\t')
			b = apInt(b, u.rng.IntN(12))
			b = append(b, "\t10.219.32.250"...)
			if !e13 {
				b = append(b, '\t')
				b = apInt(b, opk*(40+u.rng.IntN(1400)))
				b = append(b, '\t')
				b = apInt(b, opk)
			}
			b = append(b, '\n')
		}
		b, rej := u.small(b, 1, n, rejectSpec{delim: '\t', field: 3, how: rejNumber})
		u.buf = b
		wall := r.sec
		day := u.dayNum
		if wall < 0 { // the scored row's tstart is on the day before
			wall += 86400
			day--
		}
		name = append(name[:0], "edge-"...)
		name = apIP(name, r.src, '_')
		name = append(name, '-')
		name = apIP(name, r.dst, '_')
		name = append(name, '-')
		name = ap2(name, wall/3600)
		name = append(name, '-')
		name = ap2(name, wall/60%60)
		name = append(name, ".tsv"...)
		if err := u.write(string(name), b); err != nil {
			return err
		}
		u.landed("flow_edge", day, n-rej)
	}
	return nil
}
