package oagen

import (
	"crypto/md5"
	"encoding/hex"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Pipelines lists the supported pipelines in their fixed order. The order
// decides each unit's random stream, not the order given in Options.
var Pipelines = []string{"flow", "dns", "proxy"}

// DefaultStart is the first generated day when Options.Start is zero. It lies
// in the period when the newest CSV layouts (L2, D1) were in use.
var DefaultStart = time.Date(2017, time.January, 9, 0, 0, 0, 0, time.UTC)

// Headers of the generated files, exactly as the old OA wrote them.
const (
	FlowScoresHeader     = "sev,tstart,srcIP,dstIP,sport,dport,proto,ipkt,ibyt,opkt,obyt,score,rank,srcIpInternal,destIpInternal,srcGeo,dstGeo,srcDomain,dstDomain,srcIP_rep,dstIP_rep"
	FlowEdgeHeader       = "tstart\tsrcip\tdstip\tsport\tdport\tproto\tflags\ttos\tibytes\tipkts\tinput\toutput\trip\tobytes\topkts"
	FlowChordHeader      = "srcip\tdstip\tibytes\tipkts"
	FlowThreatsHeader    = "ip|title|summary"
	FlowTimelineHeader   = "tstart\ttend\tsrcip\tdstip\tproto\tsport\tdport\tpkts\tbytes"
	DNSScoresHeader      = "frame_time,frame_len,ip_dst,dns_qry_name,dns_qry_class,dns_qry_type,dns_qry_rcode,score,tld,query_rep,hh,ip_sev,dns_sev,dns_qry_class_name,dns_qry_type_name,dns_qry_rcode_name,network_context,unix_tstamp"
	DNSEdgeHeader        = `"frame_time","frame_len","ip_dst","ip_src","dns_qry_name","dns_qry_class_name","dns_qry_type_name","dns_qry_rcode_name","dns_a"`
	DNSDendroHeader      = "dns_a,dns_qry_name,ip_dst"
	DNSThreatDendroHdr   = "total,dns_qry_name,ip_dst,sev"
	DNSThreatsHeader     = "ip_dst|dns_qry_name|title|summary"
	ProxyScoresHeader    = "p_date\tp_time\tclientip\thost\treqmethod\tuseragent\tresconttype\tduration\tusername\twebcat\treferer\trespcode\turiport\turipath\turiquery\tserverip\tscbytes\tcsbytes\tfulluri\tword\tscore\turi_rep\turi_sev\trespcode_name\tnetwork_context\thash"
	ProxyEdgeHeader      = "p_date\tp_time\tclientip\thost\twebcat\trespcode\treqmethod\tuseragent\tresconttype\treferer\turiport\tserverip\tscbytes\tcsbytes\tfulluri"
	ProxyThreatsHeader   = "hash|title|summary"
	ProxyTimelineHeader  = "tstart\ttend\tduration\tclientip\trespcode"
	ProxyESHeader        = "p_time\tclientip\tusername\tduration\tfulluri\twebcat\trespcode\treqmethod\tuseragent\tresconttype\treferer\turiport\tserverip\tscbytes\tcsbytes"
	IngestSummaryHeader  = "date,total"
	flowEdgeMaxRows      = 100
	dnsEdgeMaxRows       = 250
	proxyEdgeMaxRows     = 250
	scoresShare          = 0.14 // of a unit's budget, for the scores file (the *_bu copy doubles it)
	maxScoresBytes       = 8 << 20
	minUnitBudget        = 16 << 10
	maxStoryboardThreats = 5
)

// Options says what to generate.
type Options struct {
	// Size is the target total number of bytes. The result lands within a
	// few percent of it, except for very small sizes, where the fixed
	// per-day files (headers, ingest summaries) dominate.
	Size int64
	// Days is the number of consecutive day folders per pipeline.
	Days int
	// Seed selects the random stream; the same Options give the same tree.
	Seed int64
	// Pipelines to write: any of "flow", "dns", "proxy". Empty means all.
	Pipelines []string
	// Start is the first day. Zero means DefaultStart.
	Start time.Time
	// Workers is the number of units generated in parallel. Zero means
	// runtime.GOMAXPROCS(0).
	Workers int
}

// Stats counts what Generate wrote.
type Stats struct {
	Files int
	Bytes int64
}

func (o Options) validate() error {
	if o.Size <= 0 {
		return fmt.Errorf("invalid size %d: must be a positive number of bytes", o.Size)
	}
	if o.Days < 1 {
		return fmt.Errorf("invalid days %d: must be at least 1", o.Days)
	}
	if o.Workers < 0 {
		return fmt.Errorf("invalid workers %d: must be 0 (automatic) or more", o.Workers)
	}
	for _, p := range o.Pipelines {
		if pipeIndex(p) < 0 {
			return fmt.Errorf("unknown pipeline %q: use flow, dns or proxy", p)
		}
	}
	return nil
}

func pipeIndex(p string) int {
	for i, q := range Pipelines {
		if p == q {
			return i
		}
	}
	return -1
}

// ParseSize reads sizes such as "2MB", "100MB", "1.5GB", "512KiB" or "4096".
// KB, MB, GB and TB are binary multiples (1 KB = 1024 bytes), the same as
// KiB, MiB, GiB and TiB.
func ParseSize(s string) (int64, error) {
	t := strings.ToUpper(strings.TrimSpace(s))
	mult := int64(1)
	for _, u := range []struct {
		suffix string
		mult   int64
	}{{"TIB", 1 << 40}, {"GIB", 1 << 30}, {"MIB", 1 << 20}, {"KIB", 1 << 10},
		{"TB", 1 << 40}, {"GB", 1 << 30}, {"MB", 1 << 20}, {"KB", 1 << 10},
		{"T", 1 << 40}, {"G", 1 << 30}, {"M", 1 << 20}, {"K", 1 << 10}, {"B", 1}} {
		if strings.HasSuffix(t, u.suffix) {
			t, mult = strings.TrimSpace(strings.TrimSuffix(t, u.suffix)), u.mult
			break
		}
	}
	v, err := strconv.ParseFloat(t, 64)
	if err != nil || v <= 0 {
		return 0, fmt.Errorf("failed to parse size %q: want a positive number with an optional unit such as 100MB or 1GB", s)
	}
	return int64(v * float64(mult)), nil
}

// Generate writes a synthetic OA tree under root/spot-oa/data. Existing files
// with the same names are overwritten; other files are left alone.
func Generate(root string, opt Options) (Stats, error) {
	if err := opt.validate(); err != nil {
		return Stats{}, fmt.Errorf("failed to validate options: %w", err)
	}
	pipes := opt.Pipelines
	if len(pipes) == 0 {
		pipes = Pipelines
	}
	sel := make([]bool, len(Pipelines))
	for _, p := range pipes {
		sel[pipeIndex(p)] = true
	}
	start := opt.Start
	if start.IsZero() {
		start = DefaultStart
	}
	start = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, time.UTC)
	nsel := 0
	for _, s := range sel {
		if s {
			nsel++
		}
	}
	budget := opt.Size / int64(nsel*opt.Days)
	data := filepath.Join(root, "spot-oa", "data")

	var units []*unit
	for pi, p := range Pipelines {
		if !sel[pi] {
			continue
		}
		for di := 0; di < opt.Days; di++ {
			day := start.AddDate(0, 0, di)
			units = append(units, &unit{
				pipe:   p,
				day:    day,
				budget: budget,
				dir:    filepath.Join(data, p, day.Format("20060102")),
				rng:    rand.New(rand.NewPCG(uint64(opt.Seed), uint64(pi)<<32|uint64(di))),
			})
		}
	}
	workers := opt.Workers
	if workers == 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if err := runUnits(units, workers); err != nil {
		return Stats{}, err
	}
	var st Stats
	for _, u := range units {
		st.Files += u.files
		st.Bytes += u.bytes
	}
	// Monthly ingest summaries, days in order.
	for pi, p := range Pipelines {
		if !sel[pi] {
			continue
		}
		dir := filepath.Join(data, p, "ingest_summary")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return st, fmt.Errorf("failed to create folder %s: %w", dir, err)
		}
		months := map[string][]byte{}
		var order []string
		for _, u := range units {
			if u.pipe != p {
				continue
			}
			m := u.day.Format("200601")
			if _, ok := months[m]; !ok {
				order = append(order, m)
				months[m] = append([]byte(IngestSummaryHeader), '\n')
			}
			months[m] = append(months[m], u.ingest...)
		}
		sort.Strings(order)
		for _, m := range order {
			name := filepath.Join(dir, "is_"+m+".csv")
			if err := os.WriteFile(name, months[m], 0o644); err != nil {
				return st, fmt.Errorf("failed to write file %s: %w", name, err)
			}
			st.Files++
			st.Bytes += int64(len(months[m]))
		}
	}
	return st, nil
}

func runUnits(units []*unit, workers int) error {
	if workers > len(units) {
		workers = len(units)
	}
	var (
		wg   sync.WaitGroup
		mu   sync.Mutex
		errs []error
		next = make(chan *unit)
	)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for u := range next {
				if err := u.run(); err != nil {
					mu.Lock()
					errs = append(errs, fmt.Errorf("failed to generate %s/%s: %w", u.pipe, u.day.Format("20060102"), err))
					mu.Unlock()
				}
			}
		}()
	}
	for _, u := range units {
		next <- u
	}
	close(next)
	wg.Wait()
	return errors.Join(errs...)
}

// unit is one pipeline on one day.
type unit struct {
	pipe   string
	day    time.Time
	budget int64
	dir    string
	rng    *rand.Rand

	files  int
	bytes  int64
	ingest []byte // is_YYYYMM.csv rows of this day
	buf    []byte // scratch for small files

	date     string // 2017-01-09
	ftPrefix string // "Jan  9 2017 "
	dayEpoch int64
}

func (u *unit) run() error {
	if err := os.MkdirAll(u.dir, 0o755); err != nil {
		return fmt.Errorf("failed to create folder %s: %w", u.dir, err)
	}
	u.date = u.day.Format("2006-01-02")
	u.ftPrefix = u.day.Format("Jan _2 2006 ")
	u.dayEpoch = u.day.Unix()
	u.makeIngest()
	u.budget -= int64(len(u.ingest))
	if u.budget < minUnitBudget {
		u.budget = minUnitBudget
	}
	switch u.pipe {
	case "flow":
		return u.flow()
	case "dns":
		return u.dns()
	default:
		return u.proxy()
	}
}

func (u *unit) write(name string, b []byte) error {
	p := filepath.Join(u.dir, name)
	if err := os.WriteFile(p, b, 0o644); err != nil {
		return fmt.Errorf("failed to write file %s: %w", p, err)
	}
	u.files++
	u.bytes += int64(len(b))
	return nil
}

// left is the part of the budget not written yet.
func (u *unit) left() int64 { return u.budget - u.bytes }

func (u *unit) makeIngest() {
	b := make([]byte, 0, 1440*22)
	base := 800 + u.rng.IntN(20000)
	for m := 0; m < 1440; m++ {
		// Diurnal shape: busier in working hours.
		h := m / 60
		load := base
		if h >= 8 && h < 19 {
			load *= 3
		}
		b = append(b, u.date...)
		b = append(b, ' ')
		b = ap2(b, h)
		b = append(b, ':')
		b = ap2(b, m%60)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(load+u.rng.IntN(load/4+1)), 10)
		b = append(b, '\n')
	}
	u.ingest = b
}

// edgeRows draws the row count of one edge file: mostly large, some tiny.
func (u *unit) edgeRows(max int) int {
	r := u.rng.Float64()
	return 1 + int(float64(max-1)*(1-r*r))
}

// skew picks an index in [0,n) favouring low indexes, so a few hosts recur.
func (u *unit) skew(n int) int {
	r := u.rng.Float64()
	return int(float64(n) * r * r * r)
}

// scoresTarget is the size of the scores file: a share of the budget, but
// large enough that the edge files (one per distinct suspicious connection)
// can fill the rest of the budget.
func (u *unit) scoresTarget(rowBytes, edgeFileBytes int) int64 {
	t := min(int64(float64(u.budget)*scoresShare), maxScoresBytes)
	need := (u.budget - 2*t) / int64(edgeFileBytes) * 3 / 2 * int64(rowBytes)
	return max(t, min(need, u.budget/3))
}

// scale shrinks the side files (chords, dendros, timelines) of small units so
// that they do not crowd out the edge files; units of 8 MiB or more use n.
func (u *unit) scale(n int) int {
	return max(1, int(float64(n)*min(1, float64(u.budget)/(8<<20))))
}

// fit caps an edge file's row count so the last file does not overshoot the
// budget by much.
func (u *unit) fit(n, rowBytes int) int {
	return max(1, min(n, int(u.left()/int64(rowBytes))+1))
}

// ---------------------------------------------------------------- helpers

func ap2(b []byte, v int) []byte { return append(b, byte('0'+v/10), byte('0'+v%10)) }

func apInt(b []byte, v int) []byte { return strconv.AppendInt(b, int64(v), 10) }

func apIP(b []byte, ip uint32, sep byte) []byte {
	b = strconv.AppendUint(b, uint64(ip>>24), 10)
	b = append(b, sep)
	b = strconv.AppendUint(b, uint64(ip>>16&0xff), 10)
	b = append(b, sep)
	b = strconv.AppendUint(b, uint64(ip>>8&0xff), 10)
	b = append(b, sep)
	return strconv.AppendUint(b, uint64(ip&0xff), 10)
}

func ipString(ip uint32) string { return string(apIP(nil, ip, '.')) }

// apClock appends HH:MM:SS for a second of the day.
func apClock(b []byte, sec int) []byte {
	b = ap2(b, sec/3600)
	b = append(b, ':')
	b = ap2(b, sec/60%60)
	b = append(b, ':')
	return ap2(b, sec%60)
}

// apScore appends an ML score such as 1.23e-05.
func apScore(b []byte, v float64) []byte { return strconv.AppendFloat(b, v, 'e', 2, 64) }

func md5hex(parts ...string) string {
	h := md5.New()
	for _, p := range parts {
		h.Write([]byte(p))
	}
	var sum [md5.Size]byte
	return hex.EncodeToString(h.Sum(sum[:0]))
}

func pick[T any](r *rand.Rand, xs []T) T { return xs[r.IntN(len(xs))] }

func (u *unit) internalIPs(n int) []uint32 {
	ips := make([]uint32, n)
	seen := map[uint32]bool{}
	for i := range ips {
		for {
			var ip uint32
			switch u.rng.IntN(3) {
			case 0:
				ip = 10<<24 | uint32(u.rng.IntN(8))<<16 | uint32(u.rng.IntN(40))<<8 | uint32(2+u.rng.IntN(250))
			case 1:
				ip = 192<<24 | 168<<16 | uint32(u.rng.IntN(12))<<8 | uint32(2+u.rng.IntN(250))
			default:
				ip = 172<<24 | uint32(16+u.rng.IntN(16))<<16 | uint32(u.rng.IntN(10))<<8 | uint32(2+u.rng.IntN(250))
			}
			if !seen[ip] {
				seen[ip] = true
				ips[i] = ip
				break
			}
		}
	}
	return ips
}

var publicFirstOctets = []uint32{23, 31, 34, 45, 52, 54, 66, 69, 72, 81, 91, 104, 151, 157, 185, 198, 199, 203, 208}

func (u *unit) externalIPs(n int) []uint32 {
	ips := make([]uint32, n)
	for i := range ips {
		ips[i] = pick(u.rng, publicFirstOctets)<<24 | uint32(u.rng.IntN(256))<<16 | uint32(u.rng.IntN(256))<<8 | uint32(1+u.rng.IntN(254))
	}
	return ips
}

func isInternal(ip uint32) bool {
	return ip>>24 == 10 || ip>>16 == 192<<8|168 || ip>>20 == 172<<4|1
}

var (
	titles = []string{"Possible data exfiltration", "Beaconing pattern", "Unusual port usage", "Scan from internal host",
		"Suspicious download", "Tunnelling suspected", "Known bad reputation", "Lateral movement"}
	summaries = []string{
		`Host talked to a peer it never used before.\nVolume well above baseline; ticket opened with the desktop team.`,
		`Regular intervals, small payloads.\nChecked with owner: no scheduled job explains it.`,
		`Analyst review: likely benign but kept for trending.`,
		`Escalated to incident response.\nHost isolated; disk image taken.`,
	}
)

func (u *unit) threatText(b []byte) []byte {
	b = append(b, pick(u.rng, titles)...)
	b = append(b, '|')
	return append(b, pick(u.rng, summaries)...)
}

// ---------------------------------------------------------------- flow

type flowRow struct {
	sec                    int
	src, dst               uint32
	sport, dport           int
	proto                  string
	ipkt, ibyt, opkt, obyt int
	sev                    int
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
	r := flowRow{sec: u.rng.IntN(86400), proto: svc.proto}
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
	r.ipkt = 1 + u.skew(400)
	r.ibyt = r.ipkt * (40 + u.rng.IntN(1400))
	r.opkt = u.skew(400)
	r.obyt = r.opkt * (40 + u.rng.IntN(1400))
	if u.rng.IntN(100) < 3 {
		r.sev = 1 + u.rng.IntN(3)
	}
	return r
}

func (u *unit) apTstart(b []byte, sec int) []byte {
	b = append(b, u.date...)
	b = append(b, ' ')
	return apClock(b, sec)
}

func (u *unit) flow() error {
	const rowBytes, edgeFileBytes = 190, 7000
	target := u.scoresTarget(rowBytes, edgeFileBytes)
	nHosts := min(max(int(target/rowBytes/30), 30), 3000)
	internal, external := u.internalIPs(nHosts), u.externalIPs(2*nHosts)

	scores := make([]byte, 0, target+1024)
	bu := make([]byte, 0, target+1024)
	scores = append(scores, FlowScoresHeader+"\n"...)
	bu = append(bu, FlowScoresHeader+"\n"...)
	var rows []flowRow
	tail := make([]byte, 0, 512)
	score := 1e-7 * (1 + u.rng.Float64())
	for rank := 0; int64(len(scores)) < target; rank++ {
		r := u.flowRow(internal, external)
		if rank == 0 {
			r.sev = 1 // every analysed day has at least one high-risk connection
		}
		rows = append(rows, r)
		score += u.rng.ExpFloat64() * 2.5e-9
		t := tail[:0]
		t = append(t, ',')
		t = u.apTstart(t, r.sec)
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
		for _, v := range [...]int{r.ipkt, r.ibyt, r.opkt, r.obyt} {
			t = append(t, ',')
			t = apInt(t, v)
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
		t = append(t, '\n')
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
	if err := u.flowChords(rows); err != nil {
		return err
	}
	if err := u.flowStoryboard(rows, internal, external); err != nil {
		return err
	}
	return u.flowEdges(rows)
}

func (u *unit) flowChords(rows []flowRow) error {
	type agg struct{ ibyt, ipkt int }
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
		}
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
		b := append(u.buf[:0], FlowChordHeader+"\n"...)
		for _, k := range keys[:min(len(keys), 100)] {
			b = apIP(b, k[0], '.')
			b = append(b, '\t')
			b = apIP(b, k[1], '.')
			b = append(b, '\t')
			b = apInt(b, m[k].ibyt)
			b = append(b, '\t')
			b = apInt(b, m[k].ipkt)
			b = append(b, '\n')
		}
		u.buf = b
		if err := u.write("chord-"+string(apIP(nil, ip, '_'))+".tsv", b); err != nil {
			return err
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
	b := append(u.buf[:0], FlowThreatsHeader+"\n"...)
	for _, ip := range threats {
		b = apIP(b, ip, '.')
		b = append(b, '|')
		b = u.threatText(b)
		b = append(b, '\n')
	}
	u.buf = b
	if err := u.write("threats.csv", b); err != nil {
		return err
	}
	for _, ip := range threats {
		ips := ipString(ip)
		b := append(u.buf[:0], FlowTimelineHeader+"\n"...)
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
		u.buf = b
		if err := u.write("sbdet-"+ips+".tsv", b); err != nil {
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
	seen := map[key]bool{}
	name := make([]byte, 0, 64)
	secs := make([]int, 0, flowEdgeMaxRows)
	for _, r := range rows {
		if u.left() <= 0 {
			break
		}
		k := key{r.src, r.dst, r.sec / 60}
		if seen[k] {
			continue
		}
		seen[k] = true
		n := u.fit(u.edgeRows(flowEdgeMaxRows), 105)
		secs = secs[:0]
		for i := 0; i < n; i++ {
			secs = append(secs, r.sec/60*60+u.rng.IntN(60))
		}
		sort.Ints(secs)
		b := append(u.buf[:0], FlowEdgeHeader+"\n"...)
		for _, sec := range secs {
			src, dst, sport, dport := r.src, r.dst, r.sport, r.dport
			if u.rng.IntN(3) == 0 {
				src, dst, sport, dport = dst, src, dport, sport
			}
			pk := 1 + u.skew(60)
			opk := u.skew(60)
			b = u.apTstart(b, sec)
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
			b = append(b, "\t10.219.32.250\t"...)
			b = apInt(b, opk*(40+u.rng.IntN(1400)))
			b = append(b, '\t')
			b = apInt(b, opk)
			b = append(b, '\n')
		}
		u.buf = b
		name = append(name[:0], "edge-"...)
		name = apIP(name, r.src, '_')
		name = append(name, '-')
		name = apIP(name, r.dst, '_')
		name = append(name, '-')
		name = ap2(name, r.sec/3600)
		name = append(name, '-')
		name = ap2(name, r.sec/60%60)
		name = append(name, ".tsv"...)
		if err := u.write(string(name), b); err != nil {
			return err
		}
	}
	return nil
}

// ---------------------------------------------------------------- dns

type dnsRow struct {
	sec, nanos, flen int
	ipDst            uint32
	name, tld        string
	qtype            int // index into dnsTypes
	rcode            int // index into dnsRcodes
	ipSev, dnsSev    int
}

var (
	dnsTypes = []struct {
		code int
		name string
	}{{1, "A"}, {1, "A"}, {1, "A"}, {28, "AAAA"}, {16, "TXT"}, {15, "MX"}, {12, "PTR"}, {5, "CNAME"}, {33, "SRV"}}
	dnsRcodes = []struct {
		code int
		name string
	}{{0, "NOERROR"}, {0, "NOERROR"}, {0, "NOERROR"}, {0, "NOERROR"}, {3, "NXDOMAIN"}, {3, "NXDOMAIN"}, {2, "SERVFAIL"}, {5, "REFUSED"}}
	dgaTLDs       = []string{"biz", "info", "net", "ru", "top", "xyz", "cc", "com"}
	tunnelDomains = []string{"tunnelbox.io", "evil-example.net", "dnsexfil.org", "c2-updates.com"}
	cdnDomains    = []string{"akamaized.net", "cloudfront.net", "fastly.net", "azureedge.net", "googleusercontent.com"}
	dnsReps       = []string{"", "", "", "gti:High:70", "gti:Unverified:-1", "gti:Minimal:1", "gti:Medium:30"}
	dnsServers    = []string{"10.0.0.53", "10.0.0.54"}
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

func (u *unit) apFrameTime(b []byte, sec, nanos int) []byte {
	b = append(b, u.ftPrefix...)
	b = apClock(b, sec)
	b = append(b, '.')
	s := strconv.Itoa(nanos)
	for i := len(s); i < 9; i++ {
		b = append(b, '0')
	}
	b = append(b, s...)
	return append(b, " UTC"...)
}

func (u *unit) apDNSAnswer(b []byte, r dnsRow) []byte {
	if dnsRcodes[r.rcode].code != 0 {
		return b
	}
	switch dnsTypes[r.qtype].code {
	case 1:
		return apIP(b, pick(u.rng, publicFirstOctets)<<24|uint32(u.rng.Uint32()&0xffffff), '.')
	case 28:
		b = append(b, "2606:4700:"...)
		b = strconv.AppendUint(b, uint64(u.rng.IntN(65536)), 16)
		b = append(b, "::"...)
		return strconv.AppendUint(b, uint64(u.rng.IntN(65536)), 16)
	}
	return b
}

func (u *unit) dns() error {
	const rowBytes, edgeFileBytes = 190, 22000
	target := u.scoresTarget(rowBytes, edgeFileBytes)
	nHosts := min(max(int(target/rowBytes/40), 20), 2000)
	clients := u.internalIPs(nHosts)
	names := make([][2]string, max(int(target/rowBytes/3), 10))
	for i := range names {
		names[i][0], names[i][1] = u.dnsName()
	}

	scores := make([]byte, 0, target+1024)
	bu := make([]byte, 0, target+1024)
	scores = append(scores, DNSScoresHeader+"\n"...)
	bu = append(bu, DNSScoresHeader+"\n"...)
	var rows []dnsRow
	pre := make([]byte, 0, 256)
	post := make([]byte, 0, 128)
	score := 1e-7 * (1 + u.rng.Float64())
	for len(scores) < int(target) {
		nm := names[u.skew(len(names))]
		r := dnsRow{sec: u.rng.IntN(86400), nanos: u.rng.IntN(1e9), flen: 60 + u.rng.IntN(300),
			ipDst: clients[u.skew(len(clients))], name: nm[0], tld: nm[1],
			qtype: u.rng.IntN(len(dnsTypes)), rcode: u.rng.IntN(len(dnsRcodes))}
		if u.rng.IntN(100) < 3 || len(rows) == 0 {
			r.ipSev = u.rng.IntN(4)
			r.dnsSev = 1 + u.rng.IntN(3)
			if len(rows) == 0 {
				r.ipSev = 1
			}
		}
		rows = append(rows, r)
		score += u.rng.ExpFloat64() * 2.5e-9
		p := u.apFrameTime(pre[:0], r.sec, r.nanos)
		p = append(p, ',')
		p = apInt(p, r.flen)
		p = append(p, ',')
		p = apIP(p, r.ipDst, '.')
		p = append(p, ',')
		p = append(p, r.name...)
		p = append(p, ",0x00000001,"...)
		p = apInt(p, dnsTypes[r.qtype].code)
		p = append(p, ',')
		p = apInt(p, dnsRcodes[r.rcode].code)
		p = append(p, ',')
		p = apScore(p, score)
		p = append(p, ',')
		p = append(p, r.tld...)
		p = append(p, ',')
		p = append(p, dnsReps[ipHash(uint32(len(r.name))*7919+uint32(r.name[0]))%len(dnsReps)]...)
		p = append(p, ',')
		p = ap2(p, r.sec/3600)
		p = append(p, ',')
		q := append(post[:0], ",IN,"...)
		q = append(q, dnsTypes[r.qtype].name...)
		q = append(q, ',')
		q = append(q, dnsRcodes[r.rcode].name...)
		q = append(q, ",,"...)
		q = strconv.AppendInt(q, u.dayEpoch+int64(r.sec), 10)
		q = append(q, '\n')
		scores = append(scores, p...)
		scores = apInt(scores, r.ipSev)
		scores = append(scores, ',')
		scores = apInt(scores, r.dnsSev)
		scores = append(scores, q...)
		bu = append(bu, p...)
		bu = append(bu, "0,0"...)
		bu = append(bu, q...)
		pre, post = p, q
	}
	if err := u.write("dns_scores.csv", scores); err != nil {
		return err
	}
	if err := u.write("dns_scores_bu.csv", bu); err != nil {
		return err
	}
	if err := u.dnsDendro(rows, names); err != nil {
		return err
	}
	if err := u.dnsStoryboard(rows, clients); err != nil {
		return err
	}
	return u.dnsEdges(rows, clients)
}

func (u *unit) dnsDendro(rows []dnsRow, names [][2]string) error {
	seen := map[uint32]bool{}
	for _, r := range rows {
		if seen[r.ipDst] || len(seen) >= u.scale(1000) {
			continue
		}
		seen[r.ipDst] = true
		ip := ipString(r.ipDst)
		b := append(u.buf[:0], DNSDendroHeader+"\n"...)
		n := u.scale(1 + u.skew(60))
		for i := 0; i < n; i++ {
			x := r
			if i > 0 {
				x.name = names[u.rng.IntN(len(names))][0]
				x.qtype, x.rcode = u.rng.IntN(len(dnsTypes)), u.rng.IntN(len(dnsRcodes))
			}
			b = u.apDNSAnswer(b, x)
			b = append(b, ',')
			b = append(b, x.name...)
			b = append(b, ',')
			b = append(b, ip...)
			b = append(b, '\n')
		}
		u.buf = b
		if err := u.write("dendro-"+ip+".csv", b); err != nil {
			return err
		}
	}
	return nil
}

func (u *unit) dnsStoryboard(rows []dnsRow, clients []uint32) error {
	b := append(u.buf[:0], DNSThreatsHeader+"\n"...)
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
			anchor = r.name
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
	u.buf = b
	if err := u.write("threats.csv", b); err != nil {
		return err
	}
	for _, a := range anchors {
		b := append(u.buf[:0], DNSThreatDendroHdr+"\n"...)
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
		u.buf = b
		if err := u.write("threat-dendro-"+a+".csv", b); err != nil {
			return err
		}
	}
	return nil
}

func (u *unit) dnsEdges(rows []dnsRow, clients []uint32) error {
	type key struct {
		name string
		hh   int
	}
	seen := map[key]bool{}
	secs := make([]int, 0, dnsEdgeMaxRows)
	for _, r := range rows {
		if u.left() <= 0 {
			break
		}
		hh := r.sec / 3600
		if seen[key{r.name, hh}] {
			continue
		}
		seen[key{r.name, hh}] = true
		n := u.fit(u.edgeRows(dnsEdgeMaxRows), 150)
		secs = secs[:0]
		for i := 0; i < n; i++ {
			secs = append(secs, hh*3600+u.rng.IntN(3600))
		}
		sort.Ints(secs)
		b := append(u.buf[:0], DNSEdgeHeader+"\n"...)
		for i, sec := range secs {
			ipDst := r.ipDst
			if i%4 == 3 {
				ipDst = clients[u.rng.IntN(len(clients))]
			}
			b = append(b, '"')
			b = u.apFrameTime(b, sec, u.rng.IntN(1e9))
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
			b = append(b, r.name...)
			b = append(b, `","IN","`...)
			b = append(b, dnsTypes[r.qtype].name...)
			b = append(b, `","`...)
			b = append(b, dnsRcodes[r.rcode].name...)
			b = append(b, `","`...)
			b = u.apDNSAnswer(b, r)
			b = append(b, "\"\n"...)
		}
		u.buf = b
		name := make([]byte, 0, len(r.name)+20)
		name = append(name, "edge-"...)
		name = append(name, r.name...)
		name = append(name, '_')
		name = ap2(name, hh)
		name = append(name, "_00.csv"...)
		if err := u.write(string(name), b); err != nil {
			return err
		}
	}
	return nil
}

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
	code   int // index into httpCodes
	dur    int
	sc, cs int
	sev    int
	hash   string
}

var (
	httpCodes = []struct {
		code int
		name string
	}{{200, "OK"}, {200, "OK"}, {200, "OK"}, {200, "OK"}, {304, "Not Modified"}, {302, "Found"},
		{301, "Moved Permanently"}, {404, "Not Found"}, {403, "Forbidden"}, {500, "Internal Server Error"}, {407, "Proxy Authentication Required"}}
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
	scores = append(scores, ProxyScoresHeader+"\n"...)
	bu = append(bu, ProxyScoresHeader+"\n"...)
	var rows []proxyRow
	pre := make([]byte, 0, 1024)
	post := make([]byte, 0, 128)
	score := 1e-7 * (1 + u.rng.Float64())
	for len(scores) < int(target) {
		r := proxyRow{sec: u.rng.IntN(86400), client: clients[u.skew(len(clients))], uri: uris[u.skew(len(uris))],
			method: pick(u.rng, methods), ua: pick(u.rng, userAgents), user: pick(u.rng, proxyUsers), ref: "-",
			code: u.rng.IntN(len(httpCodes)), dur: u.skew(5000), sc: u.skew(1 << 20), cs: 200 + u.rng.IntN(1200)}
		if u.rng.IntN(3) == 0 {
			r.ref = uris[u.rng.IntN(len(uris))].full
		}
		if u.rng.IntN(100) < 3 || len(rows) == 0 {
			r.sev = 1 + u.rng.IntN(3)
			if len(rows) == 0 {
				r.sev = 1
			}
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
		p = apInt(p, httpCodes[r.code].code)
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
		q = append(q, httpCodes[r.code].name...)
		q = append(q, "\t\t"...)
		q = append(q, r.hash...)
		q = append(q, '\n')
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
	b := append(u.buf[:0], ProxyThreatsHeader+"\n"...)
	for _, t := range threats {
		b = append(b, md5hex(t.full)...)
		b = append(b, '|')
		b = u.threatText(b)
		b = append(b, '\n')
	}
	u.buf = b
	if err := u.write("threats.csv", b); err != nil {
		return err
	}
	for ti, t := range threats {
		h := md5hex(t.full)
		// Timeline: per client and time, at most 1000 rows.
		b := append(u.buf[:0], ProxyTimelineHeader+"\n"...)
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
			b = apInt(b, httpCodes[u.rng.IntN(len(httpCodes))].code)
			b = append(b, '\n')
		}
		u.buf = b
		if err := u.write("timeline-"+h+".tsv", b); err != nil {
			return err
		}
		// Expanded search: rows with fulluri = URI or referer = URI. Every
		// other threat starts with a referer match for a different URI; row 2
		// always matches the URI itself.
		b = append(u.buf[:0], ProxyESHeader+"\n"...)
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
			b = apInt(b, httpCodes[u.rng.IntN(len(httpCodes))].code)
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
		b := append(u.buf[:0], ProxyEdgeHeader+"\n"...)
		for _, sec := range secs {
			b = append(b, u.date...)
			b = append(b, '\t')
			b = apClock(b, sec)
			code := r.code
			if u.rng.IntN(5) == 0 {
				code = u.rng.IntN(len(httpCodes))
			}
			for _, s := range [...]string{cip, r.uri.host, r.uri.webcat, httpCodes[code].name, r.method, r.ua, r.uri.ctype, r.ref} {
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
			b = append(b, '\n')
		}
		u.buf = b
		if err := u.write("edge-"+cip+"-"+r.hash+".tsv", b); err != nil {
			return err
		}
	}
	return nil
}
