package oagen

import "time"

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
