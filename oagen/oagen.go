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

// Headers of the generated files, exactly as the old OA wrote them (without
// the line end). The unqualified names are the newest layouts.
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

// Headers of the older layouts (reference §1.4, addendum §7.3).
const (
	// FlowScoresL0Header is L0 as the OA wrote it; FlowScoresL0NotebookHeader
	// is L0 after an Edge-notebook save (until 2016-10-27).
	FlowScoresL0Header         = "sev,tstart,srcIP,dstIP,sport,dport,proto,flag,ipkt,ibyt,lda_score,rank,srcIpInternal,destIpInternal,srcGeo,dstGeo,srcDomain,dstDomain,srcIp_rep,dstIp_rep"
	FlowScoresL0NotebookHeader = "sev,tstart,srcIP,dstIP,sport,dport,proto,flag,ipkt,ibyt,lda_score,rank,srcIpInternal,destIpInternal,srcGeo,dstGeo,srcDomain,dstDomain,srcIP_rep,dstIP_rep"
	FlowScoresL1Header         = "sev,tstart,srcIP,dstIP,sport,dport,proto,ipkt,ibyt,score,rank,srcIpInternal,destIpInternal,srcGeo,dstGeo,srcDomain,dstDomain,srcIP_rep,dstIP_rep"
	FlowEdgeE13Header          = "tstart\tsrcip\tdstip\tsport\tdport\tproto\tflags\ttos\tbytes\tpkts\tinput\toutput\trip"
	FlowChordC6Header          = "srcip\tdstip\tmaxbyte\tavgbyte\tmaxpkt\tavgpkt"
	DNSScoresD0Header          = "frame_time,frame_len,ip_dst,dns_qry_name,dns_qry_class,dns_qry_type,dns_qry_rcode,domain,subdomain,subdomain_length,num_periods,subdomain_entropy,top_domain,word,score,query_rep,hh,ip_sev,dns_sev,dns_qry_class_name,dns_qry_type_name,dns_qry_rcode_name,network_context,unix_tstamp"
	// FlowIngestFlowsHeader heads the flow ingest summaries of 2016-11-30 to
	// 2016-12-11 (daily is_YYYYMMDD.csv, then monthly with the header
	// repeated before each day).
	FlowIngestFlowsHeader = "date,flows"
)

// Line ends (addendum §7.4): Python csv writers end lines with CRLF
// (scores files and their backups, DNS and proxy edge files); impala-shell
// outputs, threats.csv, is_*.csv and the registries use LF.
const (
	crlf = "\r\n"
	lf   = "\n"
)

func date(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// First day folders of the newer layouts, as they reached mainline
// (reference §1.4, addendum §7.1.5, §7.3, §7.4).
var (
	flowL1From       = date(2016, 10, 26) // L0 before
	flowL0Notebook   = date(2016, 10, 27) // L0 days may carry the notebook header before
	flowL2From       = date(2016, 11, 7)
	flowE15From      = date(2016, 11, 8)  // E13 before
	flowC4From       = date(2016, 11, 18) // C6 before
	dnsD1From        = date(2016, 10, 11) // D0 before
	noBlankLinesFrom = date(2016, 11, 1)  // sbdet and proxy timeline files start with 2 blank lines before
	mlFillFrom       = date(2016, 12, 22) // ML fill values (unknown, -1, -1) from
	flowDailyIS      = date(2016, 11, 30) // daily flow is_YYYYMMDD.csv (date,flows) from
	flowMonthlyFlows = date(2016, 12, 2)  // monthly date,flows from
	summaryTotalFrom = date(2016, 12, 12) // monthly date,total from
)

// Layouts names the layouts a day folder of that date gets.
type Layouts struct {
	FlowScores  string // L0, L1 or L2
	FlowEdge    string // E13 or E15
	FlowChord   string // C6 or C4
	DNSScores   string // D0 or D1
	BlankLines  bool   // sbdet-*.tsv and proxy timeline-*.tsv start with two blank lines
	FlowSummary string // "daily" (is_YYYYMMDD.csv), "flows" (monthly, date,flows) or "total"
	MLFill      bool   // dns_scores may hold the ML fill values unknown, -1, -1
}

// LayoutsOn returns the layouts oagen writes for the day folder of day.
func LayoutsOn(day time.Time) Layouts {
	d := date(day.Year(), day.Month(), day.Day())
	l := Layouts{FlowScores: "L2", FlowEdge: "E15", FlowChord: "C4", DNSScores: "D1", FlowSummary: "total"}
	switch {
	case d.Before(flowL1From):
		l.FlowScores = "L0"
	case d.Before(flowL2From):
		l.FlowScores = "L1"
	}
	if d.Before(flowE15From) {
		l.FlowEdge = "E13"
	}
	if d.Before(flowC4From) {
		l.FlowChord = "C6"
	}
	if d.Before(dnsD1From) {
		l.DNSScores = "D0"
	}
	l.BlankLines = d.Before(noBlankLinesFrom)
	l.MLFill = !d.Before(mlFillFrom)
	switch {
	case !d.Before(flowDailyIS) && d.Before(flowMonthlyFlows):
		l.FlowSummary = "daily"
	case !d.Before(flowMonthlyFlows) && d.Before(summaryTotalFrom):
		l.FlowSummary = "flows"
	}
	return l
}

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

	// DNSZone is the DNS collector's time zone, the token that ends every
	// frame_time: "" means UTC; a token oagen knows ("PDT" is -07:00, "PST",
	// "CEST", "CET", "EST", "JST", ...); TOKEN=±HH:MM for any other token
	// ("NZDT=+13:00"); or a tz database name ("America/Los_Angeles"), whose
	// own tokens and DST changes apply. dns_scores unix_tstamp is the UTC
	// epoch of frame_time's wall clock in that zone, hh its local hour.
	DNSZone string
	// DNSSwitchDay, when 1..Days, makes that day folder (1 = the first) a
	// DST switch day: at 02:00 local time the collector's clock changes to
	// the other token of DNSZone's pair (PDT → PST, PST → PDT, CEST → CET,
	// ...), which the later days keep. 0 means no switch. It needs a known
	// token with a pair.
	DNSSwitchDay int
	// NoRegistry leaves out <root>/spot-oa/oa/components/iana (iana_config.json
	// and the four registry CSVs), as in a tree copied without the install.
	NoRegistry bool
	// Unconfigured writes the raw codes in every IANA name column
	// (0x00000001, 1, 0, 200), as an install whose lookups missed wrote them
	// (addendum §7.1.1). The registry files are still written.
	Unconfigured bool
	// RejectShare (0..1) is the share of the small per-day files (flow edge,
	// chord, sbdet and threats; dns edge, dendro, threat-dendro and threats;
	// proxy edge, timeline and threats) that get one row the migration
	// rejects: a port or count "x80", a frame_time in the wrong form, a
	// '|' inside a storyboard title, one field too many or too few.
	// Default 0: no rejected rows.
	RejectShare float64
}

// Stats counts what Generate wrote and what should land. The expectations
// follow the migration's contract (docs/LANDING.md): notices do not remove
// rows, rejected rows do not land.
type Stats struct {
	Files int
	Bytes int64
	// SmallFiles is the number of small per-day files RejectShare draws from;
	// RejectedFiles of them got one rejected row each (Rejected rows in all).
	SmallFiles    int
	RejectedFiles int
	Rejected      int64
	// Notices is the number of values expected to land with a notice: one
	// per name the IANA registry does not know, per flow_scores count above
	// 2^31-1, and per C6 chord file.
	Notices int64
	// Rows is the number of rows expected to land per target table and
	// partition, keyed "table/y=Y/m=M/d=D" (no zero padding).
	Rows map[string]int64
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
	if !(o.RejectShare >= 0 && o.RejectShare <= 1) {
		return fmt.Errorf("invalid reject share %v: must be between 0 and 1", o.RejectShare)
	}
	if o.DNSSwitchDay < 0 || o.DNSSwitchDay > o.Days {
		return fmt.Errorf("invalid DNS switch day %d: must be 0 (none) or a day folder 1..%d", o.DNSSwitchDay, o.Days)
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

// Generate writes a synthetic OA tree under root/spot-oa/data (and the IANA
// registries under root/spot-oa/oa/components/iana). Existing files with the
// same names are overwritten; other files are left alone.
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
	switchDay := int64(-1)
	if opt.DNSSwitchDay > 0 {
		switchDay = start.Unix()/86400 + int64(opt.DNSSwitchDay-1)
	}
	z, err := parseZone(opt.DNSZone, switchDay)
	if err != nil {
		return Stats{}, fmt.Errorf("failed to validate options: %w", err)
	}
	nsel := 0
	for _, s := range sel {
		if s {
			nsel++
		}
	}
	budget := opt.Size / int64(nsel*opt.Days)
	oaRoot := filepath.Join(root, "spot-oa")
	data := filepath.Join(oaRoot, "data")

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
				rej:    rand.New(rand.NewPCG(uint64(opt.Seed)^0x9e3779b97f4a7c15, uint64(pi)<<32|uint64(di))),
				opt:    &opt,
				zone:   z,
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
	st := Stats{Rows: map[string]int64{}}
	land := map[landKey]int64{}
	for _, u := range units {
		st.Files += u.files
		st.Bytes += u.bytes
		st.SmallFiles += u.smallFiles
		st.RejectedFiles += u.rejFiles
		st.Rejected += u.rejRows
		st.Notices += u.notices
		for k, n := range u.land {
			land[k] += n
		}
	}
	for k, n := range land {
		d := time.Unix(k.day*86400, 0).UTC()
		st.Rows[fmt.Sprintf("%s/y=%d/m=%d/d=%d", k.table, d.Year(), int(d.Month()), d.Day())] += n
	}
	if err := writeSummaries(data, sel, units, &st); err != nil {
		return st, err
	}
	if !opt.NoRegistry {
		if err := writeRegistry(oaRoot, &st); err != nil {
			return st, err
		}
	}
	return st, nil
}

// writeSummaries writes the ingest summaries, days in order: monthly
// is_YYYYMM.csv files, and for flow days of 2016-11-30 and 2016-12-01 the
// daily is_YYYYMMDD.csv files of that time.
func writeSummaries(data string, sel []bool, units []*unit, st *Stats) error {
	for pi, p := range Pipelines {
		if !sel[pi] {
			continue
		}
		dir := filepath.Join(data, p, "ingest_summary")
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return fmt.Errorf("failed to create folder %s: %w", dir, err)
		}
		files := map[string][]byte{}
		var order []string
		monthly := map[string][]*unit{}
		for _, u := range units {
			if u.pipe != p {
				continue
			}
			if p == "flow" && u.lay.FlowSummary == "daily" {
				name := "is_" + u.day.Format("20060102") + ".csv"
				order = append(order, name)
				files[name] = append([]byte(FlowIngestFlowsHeader+lf), u.ingest...)
				continue
			}
			m := "is_" + u.day.Format("200601") + ".csv"
			if _, ok := monthly[m]; !ok {
				order = append(order, m)
			}
			monthly[m] = append(monthly[m], u)
		}
		for m, us := range monthly {
			flows := p == "flow"
			for _, u := range us {
				flows = flows && u.lay.FlowSummary == "flows"
			}
			var b []byte
			if !flows {
				b = append(b, IngestSummaryHeader+lf...)
			}
			for _, u := range us {
				if flows { // appended again by every run
					b = append(b, FlowIngestFlowsHeader+lf...)
				}
				b = append(b, u.ingest...)
			}
			files[m] = b
		}
		sort.Strings(order)
		for _, name := range order {
			path := filepath.Join(dir, name)
			if err := os.WriteFile(path, files[name], 0o644); err != nil {
				return fmt.Errorf("failed to write file %s: %w", path, err)
			}
			st.Files++
			st.Bytes += int64(len(files[name]))
		}
	}
	return nil
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

// landKey is one target table partition: the table and the Unix day.
type landKey struct {
	table string
	day   int64
}

// unit is one pipeline on one day.
type unit struct {
	pipe   string
	day    time.Time
	budget int64
	dir    string
	rng    *rand.Rand
	rej    *rand.Rand // reject decisions: a stream of their own, so RejectShare changes nothing else
	opt    *Options
	zone   *zone

	files  int
	bytes  int64
	ingest []byte // ingest summary rows of this day
	buf    []byte // scratch for small files

	lay      Layouts
	date     string // 2017-01-09
	prevDate string // 2017-01-08
	ftPrefix string // "Jan  9 2017 "
	dayEpoch int64
	dayNum   int64 // Unix day of the folder

	land        map[landKey]int64
	notices     int64
	smallFiles  int
	rejFiles    int
	rejRows     int64
	rejAcc      float64
	rejDelta    int64 // bytes the rejected rows added (or removed)
	noticeLines []int // data lines (0-based) of the file being built that carry a notice
}

func (u *unit) run() error {
	if err := os.MkdirAll(u.dir, 0o755); err != nil {
		return fmt.Errorf("failed to create folder %s: %w", u.dir, err)
	}
	u.lay = LayoutsOn(u.day)
	u.date = u.day.Format("2006-01-02")
	u.prevDate = u.day.AddDate(0, 0, -1).Format("2006-01-02")
	u.ftPrefix = u.day.Format("Jan _2 2006 ")
	u.dayEpoch = u.day.Unix()
	u.dayNum = u.dayEpoch / 86400
	u.land = map[landKey]int64{}
	u.rejAcc = u.rej.Float64()
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

// landed counts n rows landing in table's partition of the Unix day.
func (u *unit) landed(table string, day int64, n int) {
	if n > 0 {
		u.land[landKey{table, day}] += int64(n)
	}
}

// left is the part of the budget not written yet. The rejected rows do not
// count, so that RejectShare changes nothing else.
func (u *unit) left() int64 { return u.budget - (u.bytes - u.rejDelta) }

// makeIngest builds the day's ingest-summary rows: one per minute, `date`
// as YYYY-MM-DD HH:MM (MM/DD/YYYY HH:MM in the daily flow files).
func (u *unit) makeIngest() {
	b := make([]byte, 0, 1440*22)
	base := 800 + u.rng.IntN(20000)
	daily := u.pipe == "flow" && u.lay.FlowSummary == "daily"
	slash := u.day.Format("01/02/2006")
	for m := 0; m < 1440; m++ {
		// Diurnal shape: busier in working hours.
		h := m / 60
		load := base
		if h >= 8 && h < 19 {
			load *= 3
		}
		if daily {
			b = append(b, slash...)
		} else {
			b = append(b, u.date...)
		}
		b = append(b, ' ')
		b = ap2(b, h)
		b = append(b, ':')
		b = ap2(b, m%60)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(load+u.rng.IntN(load/4+1)), 10)
		b = append(b, '\n')
	}
	u.ingest = b
	u.landed(u.pipe+"_ingest_summary", u.dayNum, 1440)
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

// perMille is true with probability n/1000.
func (u *unit) perMille(n int) bool { return u.rng.IntN(1000) < n }

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
