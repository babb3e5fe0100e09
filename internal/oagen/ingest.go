package oagen

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strconv"
)

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
				b = append(b, ingestSummaryHeaders[p]+lf...)
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
