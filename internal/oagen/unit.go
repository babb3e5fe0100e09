package oagen

import (
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"time"
)

// Sizes and shares of what a unit writes.
const (
	flowEdgeMaxRows      = 100
	dnsEdgeMaxRows       = 250
	proxyEdgeMaxRows     = 250
	scoresShare          = 0.14 // of a unit's budget, for the scores file (the *_bu copy doubles it)
	maxScoresBytes       = 8 << 20
	minUnitBudget        = 16 << 10
	maxStoryboardThreats = 5
)

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
