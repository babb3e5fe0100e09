package oagen

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"runtime"
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
