package oafiles

import (
	"fmt"
	"net/netip"
	"regexp"
	"time"
)

// Kinds of file units.
const (
	Storyboard = "storyboard"
	Feedback   = "feedback"
	Notebook   = "notebook"
)

// Unit is one file Spot 1.0 reads outside Impala, and where it goes.
type Unit struct {
	Pipeline string `json:"pipeline"`
	Kind     string `json:"kind"`
	// Source is the old file, slash path relative to the OA data root (e.g.
	// "flow/20161024/globe-10.0.2.88.json"); for a notebook, the template
	// file name.
	Source string `json:"source"`
	// Dest is slash-separated and relative to HUSER for storyboard and
	// feedback (e.g.
	// "flow/oa/storyboard/2016/10/24/10_0_2_88/globe-10_0_2_88.json",
	// "flow/scored_results/20161024/feedback/ml_feedback.csv"), relative to
	// the new spot-oa folder for notebooks
	// ("ipynb/flow/20161024/Threat_Investigation.ipynb").
	Dest string `json:"dest"`
	// Convert names the conversion applied: "" when the bytes are copied as
	// they are, else e.g. "F20 to F8", "D0 to D1".
	Convert string `json:"convert,omitempty"`
}

var (
	// flowStoryRE matches the flow storyboard JSON names; the IP part is
	// validated further by dottedIPv4.
	flowStoryRE = regexp.MustCompile(`^(globe|stats|threat-dendro)-([0-9.]{7,15})\.json$`)
	// proxyStoryRE matches the proxy incident-progression JSON names.
	proxyStoryRE = regexp.MustCompile(`^incident-progression-[0-9a-f]{32}\.json$`)
	// yyyymmddRE matches a day folder name.
	yyyymmddRE = regexp.MustCompile(`^[0-9]{8}$`)
)

// Match returns the unit of the old file name in the day folder y/m/d of
// pipeline pipe, or false when the name is not one of these kinds:
// globe-<ip>.json, stats-<ip>.json, threat-dendro-<ip>.json for flow;
// incident-progression-<md5>.json for proxy; <pipe>_scores_fb.csv for flow,
// dns and proxy. The IP must be a dotted IPv4 address in canonical form (no
// leading zeros) and the md5 32 lowercase hex digits. An unknown pipeline or
// an invalid date is no match. Convert is left empty: Convert sets it.
func Match(pipe string, y, m, d int, name string) (Unit, bool) {
	if !validPipe(pipe) || !validDate(y, m, d) {
		return Unit{}, false
	}
	u := Unit{Pipeline: pipe, Source: fmt.Sprintf("%s/%04d%02d%02d/%s", pipe, y, m, d, name)}
	switch {
	case name == pipe+"_scores_fb.csv":
		u.Kind, u.Dest = Feedback, feedbackDest(pipe, y, m, d)
	case pipe == "flow":
		dest, ok := flowStoryDest(y, m, d, name)
		if !ok {
			return Unit{}, false
		}
		u.Kind, u.Dest = Storyboard, dest
	case pipe == "proxy" && proxyStoryRE.MatchString(name):
		u.Kind, u.Dest = Storyboard, storyDir(pipe, y, m, d)+"/"+name
	default:
		return Unit{}, false
	}
	return u, true
}

// Notebooks returns the two notebook units of a migrated date (YYYYMMDD) of
// pipe: Threat_Investigation.ipynb from Threat_Investigation_master.ipynb
// and Advanced_Mode.ipynb from Advanced_Mode_master.ipynb (7.6.3). It
// returns nil for an unknown pipeline or a date that is not a valid
// YYYYMMDD.
func Notebooks(pipe, yyyymmdd string) []Unit {
	if !validPipe(pipe) || !validDay(yyyymmdd) {
		return nil
	}
	dir := "ipynb/" + pipe + "/" + yyyymmdd + "/"
	return []Unit{
		{Pipeline: pipe, Kind: Notebook, Source: "Threat_Investigation_master.ipynb",
			Dest: dir + "Threat_Investigation.ipynb"},
		{Pipeline: pipe, Kind: Notebook, Source: "Advanced_Mode_master.ipynb",
			Dest: dir + "Advanced_Mode.ipynb"},
	}
}

// flowStoryDest returns the 1.0 path of a flow storyboard JSON name, or
// false when name is not one.
func flowStoryDest(y, m, d int, name string) (string, bool) {
	g := flowStoryRE.FindStringSubmatch(name)
	if g == nil || !dottedIPv4(g[2]) {
		return "", false
	}
	ip := underscored(g[2])
	return fmt.Sprintf("%s/%s/%s-%s.json", storyDir("flow", y, m, d), ip, g[1], ip), true
}

// storyDir returns <pipe>/oa/storyboard/<Y>/<M>/<D>, unpadded.
func storyDir(pipe string, y, m, d int) string {
	return fmt.Sprintf("%s/oa/storyboard/%d/%d/%d", pipe, y, m, d)
}

// feedbackDest returns <pipe>/scored_results/<YYYYMMDD>/feedback/ml_feedback.csv.
func feedbackDest(pipe string, y, m, d int) string {
	return fmt.Sprintf("%s/scored_results/%04d%02d%02d/feedback/ml_feedback.csv", pipe, y, m, d)
}

// dottedIPv4 reports whether s is an IPv4 address in canonical dotted form.
func dottedIPv4(s string) bool {
	a, err := netip.ParseAddr(s)
	return err == nil && a.Is4() && a.String() == s
}

// underscored returns the IP with every '.' replaced by '_'.
func underscored(ip string) string {
	b := []byte(ip)
	for i := range b {
		if b[i] == '.' {
			b[i] = '_'
		}
	}
	return string(b)
}

// validPipe reports whether pipe is one of the three OA pipelines.
func validPipe(pipe string) bool {
	return pipe == "flow" || pipe == "dns" || pipe == "proxy"
}

// validDate reports whether y-m-d is a real calendar date with a four-digit
// year.
func validDate(y, m, d int) bool {
	if y < 1 || y > 9999 {
		return false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, time.UTC)
	return t.Year() == y && int(t.Month()) == m && t.Day() == d
}

// validDay reports whether s is a real calendar date written YYYYMMDD.
func validDay(s string) bool {
	if !yyyymmddRE.MatchString(s) {
		return false
	}
	t, err := time.Parse("20060102", s)
	return err == nil && t.Year() >= 1
}
