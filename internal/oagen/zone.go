package oagen

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	_ "time/tzdata" // zone names work on a machine without a tz database
)

// Zone tokens oagen knows with their UTC offsets, and the token the same
// clock shows on the other side of a DST change.
var zoneTokens = map[string]struct {
	off  time.Duration
	pair string
}{
	"UTC": {0, ""}, "GMT": {0, "BST"}, "BST": {time.Hour, "GMT"}, "WET": {0, "WEST"}, "WEST": {time.Hour, "WET"},
	"CET": {time.Hour, "CEST"}, "CEST": {2 * time.Hour, "CET"}, "EET": {2 * time.Hour, "EEST"}, "EEST": {3 * time.Hour, "EET"},
	"EST": {-5 * time.Hour, "EDT"}, "EDT": {-4 * time.Hour, "EST"}, "CST": {-6 * time.Hour, "CDT"}, "CDT": {-5 * time.Hour, "CST"},
	"MST": {-7 * time.Hour, "MDT"}, "MDT": {-6 * time.Hour, "MST"}, "PST": {-8 * time.Hour, "PDT"}, "PDT": {-7 * time.Hour, "PST"},
	"AKST": {-9 * time.Hour, "AKDT"}, "AKDT": {-8 * time.Hour, "AKST"}, "HST": {-10 * time.Hour, ""},
	"IST": {5*time.Hour + 30*time.Minute, ""}, "JST": {9 * time.Hour, ""}, "KST": {9 * time.Hour, ""},
	"AEST": {10 * time.Hour, "AEDT"}, "AEDT": {11 * time.Hour, "AEST"},
}

// zone is the DNS collector's clock: a fixed token, a token that changes
// on one day (DST), or a tz database location.
type zone struct {
	tok       [2]string
	off       [2]int64 // seconds east of UTC
	switchDay int64    // Unix day of the change from tok[0] to tok[1]; -1 for none
	loc       *time.Location
}

// seg is a stretch of one local day with one zone token: UTC epoch seconds
// [from, to).
type seg struct {
	from, to int64
	tok      string
	off      int64
}

// parseZone reads Options.DNSZone: "" (UTC), a token oagen knows ("PDT"),
// TOKEN=±HH:MM ("PDT=-07:00"), or a tz database name ("America/Los_Angeles").
// switchDay is the Unix day of a DST change for a known token with a pair,
// or -1.
func parseZone(s string, switchDay int64) (*zone, error) {
	z := &zone{switchDay: -1}
	switch {
	case s == "":
		z.tok, z.off = [2]string{"UTC", "UTC"}, [2]int64{0, 0}
	case strings.Contains(s, "="):
		tok, v, _ := strings.Cut(s, "=")
		off, err := parseOffset(v)
		if err != nil || !validToken(tok) {
			return nil, fmt.Errorf("invalid DNS zone %q: want TOKEN=±HH:MM such as PDT=-07:00", s)
		}
		z.tok, z.off = [2]string{tok, tok}, [2]int64{off, off}
	case strings.Contains(s, "/"):
		loc, err := time.LoadLocation(s)
		if err != nil {
			return nil, fmt.Errorf("invalid DNS zone %q: %w", s, err)
		}
		z.loc = loc
	default:
		k, ok := zoneTokens[s]
		if !ok {
			return nil, fmt.Errorf("unknown DNS zone token %q: give its offset as %s=±HH:MM, or a tz database name such as America/Los_Angeles", s, s)
		}
		o := int64(k.off / time.Second)
		z.tok, z.off = [2]string{s, s}, [2]int64{o, o}
	}
	if switchDay >= 0 {
		k, ok := zoneTokens[z.tok[0]]
		if z.loc != nil || !ok || k.pair == "" || strings.Contains(s, "=") {
			return nil, fmt.Errorf("invalid DNS switch day with zone %q: a DST change needs a token with a summer/winter pair such as PDT or CET (a tz database name brings its own changes)", s)
		}
		z.tok[1], z.off[1] = k.pair, int64(zoneTokens[k.pair].off/time.Second)
		z.switchDay = switchDay
	}
	return z, nil
}

func validToken(t string) bool {
	if t == "" {
		return false
	}
	for i := 0; i < len(t); i++ {
		if !zoneNameByte(t[i]) {
			return false
		}
	}
	return true
}

// parseOffset reads ±HH:MM or ±HH as seconds east of UTC.
func parseOffset(v string) (int64, error) {
	if len(v) < 2 || v[0] != '+' && v[0] != '-' {
		return 0, fmt.Errorf("bad offset %q", v)
	}
	hs, ms, _ := strings.Cut(v[1:], ":")
	h, err := strconv.Atoi(hs)
	if err != nil || h > 14 {
		return 0, fmt.Errorf("bad offset %q", v)
	}
	m := 0
	if ms != "" {
		if m, err = strconv.Atoi(ms); err != nil || m > 59 {
			return 0, fmt.Errorf("bad offset %q", v)
		}
	}
	o := int64(h*3600 + m*60)
	if v[0] == '-' {
		o = -o
	}
	return o, nil
}

// segments splits the local day that starts at dayEpoch (its date at 00:00
// UTC) into stretches of one token each, in order.
func (z *zone) segments(dayEpoch int64) []seg {
	if z.loc != nil {
		d := time.Unix(dayEpoch, 0).UTC()
		from := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, z.loc).Unix()
		to := time.Date(d.Year(), d.Month(), d.Day()+1, 0, 0, 0, 0, z.loc).Unix()
		var out []seg
		for t := from; t < to; {
			tt := time.Unix(t, 0).In(z.loc)
			name, off := tt.Zone()
			_, end := tt.ZoneBounds()
			e := to
			if !end.IsZero() && end.Unix() < to {
				e = end.Unix()
			}
			out = append(out, seg{t, e, name, int64(off)})
			t = e
		}
		return out
	}
	day := dayEpoch / 86400
	switch {
	case z.switchDay < 0 || day < z.switchDay:
		return []seg{{dayEpoch - z.off[0], dayEpoch + 86400 - z.off[0], z.tok[0], z.off[0]}}
	case day > z.switchDay:
		return []seg{{dayEpoch - z.off[1], dayEpoch + 86400 - z.off[1], z.tok[1], z.off[1]}}
	}
	// The clock changes at 02:00 local time of the old offset.
	at := dayEpoch + 2*3600 - z.off[0]
	return []seg{
		{dayEpoch - z.off[0], at, z.tok[0], z.off[0]},
		{at, dayEpoch + 86400 - z.off[1], z.tok[1], z.off[1]},
	}
}

// zoneNameByte reports whether c may appear in a tz database name part.
func zoneNameByte(c byte) bool {
	return c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '+' || c == '-'
}
