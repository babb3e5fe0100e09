package oagen

import (
	"strconv"
)

// ---------------------------------------------------------------- flow

type flowRow struct {
	sec          int // second of the folder's day; negative for 23:59 of the day before
	src, dst     uint32
	sport, dport int
	proto, flag  string
	ipkt, opkt   int
	ibyt, obyt   int64
	sev          int
}

var (
	flowServices = []struct {
		port  int
		proto string
	}{{443, "TCP"}, {443, "TCP"}, {80, "TCP"}, {53, "UDP"}, {53, "UDP"}, {22, "TCP"}, {445, "TCP"}, {3389, "TCP"},
		{123, "UDP"}, {137, "UDP"}, {25, "TCP"}, {4444, "TCP"}, {6667, "TCP"}, {8080, "TCP"}, {771, "ICMP"}, {2048, "ICMP"}}
	flowFlags   = []string{".AP.SF", ".A....", ".AP...", "....S.", ".A..SF", ".A.R..", "......"}
	geoInternal = []string{"United States;California San Jose", "United States;Oregon Hillsboro", "United States;Texas Austin"}
	geoExternal = []string{"United States;Virginia Ashburn", "Germany;Hesse Frankfurt am Main", "Netherlands;Noord-Holland Amsterdam",
		"Japan;Tokyo Chiyoda", "Brazil;Sao Paulo Sao Paulo", "Russian Federation;Moskva Moscow", "", "Ireland;Dublin Dublin", "China;Beijing Beijing"}
	domExternal = []string{"amazonaws.com", "akamaitechnologies.com", "google.com", "microsoft.com", "cloudflare.com", "ovh.net", "hetzner.de", "", "digitalocean.com"}
	repExternal = []string{"gti:Minimal:1", "gti:Unverified:-1", "gti:Medium:30", "gti:High:70", "", "gti:Minimal:1", "gti:Minimal:1"}
)

const maxInt32 = 1<<31 - 1

func ipHash(ip uint32) int { return int((ip * 2654435761) >> 24) }

func apFlowContext(b []byte, ip uint32, which int) []byte {
	h := ipHash(ip)
	in := isInternal(ip)
	switch which {
	case 0:
		if in {
			return append(b, '1')
		}
		return append(b, '0')
	case 1:
		if in {
			return append(b, geoInternal[h%len(geoInternal)]...)
		}
		return append(b, geoExternal[h%len(geoExternal)]...)
	case 2:
		if in {
			return append(b, "corp.example.com"...)
		}
		return append(b, domExternal[h%len(domExternal)]...)
	default:
		if in {
			return append(b, "gti:Minimal:1"...)
		}
		return append(b, repExternal[h%len(repExternal)]...)
	}
}

func (u *unit) flowRow(internal, external []uint32) flowRow {
	svc := pick(u.rng, flowServices)
	r := flowRow{sec: u.rng.IntN(86400), proto: svc.proto, flag: "......"}
	client := internal[u.skew(len(internal))]
	var server uint32
	if u.rng.IntN(3) == 0 {
		server = internal[u.skew(len(internal))]
	} else {
		server = external[u.skew(len(external))]
	}
	if server == client {
		server = external[u.rng.IntN(len(external))]
	}
	eph := 1024 + u.rng.IntN(64511)
	if svc.proto == "ICMP" {
		r.src, r.dst, r.sport, r.dport = client, server, 0, svc.port
	} else if u.rng.IntN(4) == 0 { // reply direction
		r.src, r.dst, r.sport, r.dport = server, client, svc.port, eph
	} else {
		r.src, r.dst, r.sport, r.dport = client, server, eph, svc.port
	}
	if svc.proto == "TCP" {
		r.flag = pick(u.rng, flowFlags)
	}
	r.ipkt = 1 + u.skew(400)
	r.ibyt = int64(r.ipkt * (40 + u.rng.IntN(1400)))
	r.opkt = u.skew(400)
	r.obyt = int64(r.opkt * (40 + u.rng.IntN(1400)))
	if u.rng.IntN(100) < 3 {
		r.sev = 1 + u.rng.IntN(3)
	}
	return r
}

// apTstart appends "YYYY-MM-DD HH:MM:SS" for a second of the folder's day.
func (u *unit) apTstart(b []byte, sec int) []byte {
	b = append(b, u.date...)
	b = append(b, ' ')
	return apClock(b, sec)
}

// apFlowTime is apTstart that also takes the seconds of the day before
// (negative).
func (u *unit) apFlowTime(b []byte, sec int) []byte {
	if sec < 0 {
		b = append(b, u.prevDate...)
		b = append(b, ' ')
		return apClock(b, sec+86400)
	}
	return u.apTstart(b, sec)
}

func floorDiv(a, b int) int {
	q := a / b
	if a%b != 0 && (a < 0) != (b < 0) {
		q--
	}
	return q
}

func (u *unit) flow() error {
	const rowBytes, edgeFileBytes = 190, 7000
	target := u.scoresTarget(rowBytes, edgeFileBytes)
	nHosts := min(max(int(target/rowBytes/30), 30), 3000)
	internal, external := u.internalIPs(nHosts), u.externalIPs(2*nHosts)

	header := FlowScoresHeader
	switch u.lay.FlowScores {
	case "L1":
		header = FlowScoresL1Header
	case "L0":
		// The OA wrote srcIp_rep; an Edge-notebook save rewrote the file with
		// srcIP_rep (until 2016-10-27).
		header = FlowScoresL0Header
		if u.day.Before(flowL0Notebook) && u.rng.IntN(2) == 0 {
			header = FlowScoresL0NotebookHeader
		}
	}
	scores := make([]byte, 0, target+1024)
	bu := make([]byte, 0, target+1024)
	scores = append(scores, header+crlf...)
	bu = append(bu, header+crlf...)
	var rows []flowRow
	tail := make([]byte, 0, 512)
	score := 1e-7 * (1 + u.rng.Float64())
	// Rank 1 is a connection of 23:59 the day before (its edge file lands in
	// that day's partition); one early rank has an ibyt above 2^31-1.
	var xm [2]uint32
	overflow := 2 + u.rng.IntN(40)
	scored := 0
	for rank := 0; int64(len(scores)) < target; rank++ {
		r := u.flowRow(internal, external)
		switch rank {
		case 0:
			r.sev = 1 // every analysed day has at least one high-risk connection
		case 1:
			r.sec = -60 + u.rng.IntN(60)
			xm = [2]uint32{r.src, r.dst}
		case overflow:
			r.ibyt = maxInt32 + 1 + u.rng.Int64N(6e9)
			r.ipkt = int(r.ibyt / 1400)
			u.notices++
		}
		if rank > 1 && r.sec >= 86340 && r.src == xm[0] && r.dst == xm[1] {
			r.sec -= 60 // one scored row per edge file name
		}
		if r.sev > 0 {
			scored++
		}
		rows = append(rows, r)
		score += u.rng.ExpFloat64() * 2.5e-9
		t := tail[:0]
		t = append(t, ',')
		t = u.apFlowTime(t, r.sec)
		t = append(t, ',')
		t = apIP(t, r.src, '.')
		t = append(t, ',')
		t = apIP(t, r.dst, '.')
		for _, v := range [...]int{r.sport, r.dport} {
			t = append(t, ',')
			t = apInt(t, v)
		}
		t = append(t, ',')
		t = append(t, r.proto...)
		if u.lay.FlowScores == "L0" {
			t = append(t, ',')
			t = append(t, r.flag...)
		}
		t = append(t, ',')
		t = apInt(t, r.ipkt)
		t = append(t, ',')
		t = strconv.AppendInt(t, r.ibyt, 10)
		if u.lay.FlowScores == "L2" {
			t = append(t, ',')
			t = apInt(t, r.opkt)
			t = append(t, ',')
			t = strconv.AppendInt(t, r.obyt, 10)
		}
		t = append(t, ',')
		t = apScore(t, score)
		t = append(t, ',')
		t = apInt(t, rank)
		for which := 0; which < 4; which++ {
			t = append(t, ',')
			t = apFlowContext(t, r.src, which)
			t = append(t, ',')
			t = apFlowContext(t, r.dst, which)
		}
		t = append(t, crlf...)
		scores = apInt(scores, r.sev)
		scores = append(scores, t...)
		bu = append(bu, '0')
		bu = append(bu, t...)
		tail = t
	}
	if err := u.write("flow_scores.csv", scores); err != nil {
		return err
	}
	if err := u.write("flow_scores_bu.csv", bu); err != nil {
		return err
	}
	u.landed("flow_scores", u.dayNum, len(rows))
	u.landed("flow_threat_investigation", u.dayNum, scored)
	if err := u.flowChords(rows); err != nil {
		return err
	}
	if err := u.flowStoryboard(rows, internal, external); err != nil {
		return err
	}
	return u.flowEdges(rows)
}
