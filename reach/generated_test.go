package reach

import (
	"path/filepath"
	"testing"
	"time"

	"spotmigrate/internal/oagen"
)

// TestReachGenerated replays Spot 1.0's reads on a migrated oagen tree. The
// nine days 2016-10-31 … 2016-11-08 hold every layout change of that autumn
// (sbdet and proxy timeline with leading blank lines, flow_scores L1 → L2,
// flow edge E13 → E15, chords C6), and the DNS collector runs on
// America/Los_Angeles time, so frame_time says PDT, then PST after the
// fall-back of 2016-11-06: dns_edge must land in UTC dates and hours. Every
// flow day also has a 23:59 connection of the day before (oagen).
func TestReachGenerated(t *testing.T) {
	dir := t.TempDir()
	gen := filepath.Join(dir, "gen")
	opt := oagen.Options{
		Size:    6 << 20,
		Days:    9,
		Seed:    9,
		Start:   time.Date(2016, time.October, 31, 0, 0, 0, 0, time.UTC),
		DNSZone: "America/Los_Angeles",
		Workers: 1,
	}
	if _, err := oagen.Generate(gen, opt); err != nil {
		t.Fatalf("failed to generate a tree: %v", err)
	}
	reach(t, "oagen", dir, filepath.Join(gen, "spot-oa"))
}
