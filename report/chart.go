package report

import "strconv"

// Bar is one day of a chart: its label, one value per series (in the
// chart's series order) and Flag to mark the day in red.
type Bar struct {
	Label  string
	Values []int64
	Flag   bool
}

// Chart is a stacked bar chart laid out for inline SVG: every shape has
// integer coordinates, so the document is the same from run to run.
type Chart struct {
	Title string
	// FlagNote says what a red day means ("" when no day is flagged).
	FlagNote      string
	Width, Height int
	// Plot is the plotting area: Left, Top, Right and Bottom (the axis).
	Left, Top, Right, Bottom int
	Legend                   []LegendItem
	Bands                    []Rect
	Rects                    []Rect
	Labels                   []Label
	Ticks                    []Tick
}

// LegendItem names the colour class of a series.
type LegendItem struct{ Class, Name string }

// Rect is a bar segment or a flagged day's band, with its tooltip.
type Rect struct {
	X, Y, W, H   int
	Class, Title string
}

// Label is a day's label under the axis (rotated about X, Y).
type Label struct {
	X, Y        int
	Text, Class string
}

// Tick is a line of the value axis at height Y.
type Tick struct {
	Y    int
	Text string
}

// Chart geometry, in pixels.
const (
	chartLeft   = 56
	chartTop    = 12
	chartPlotH  = 180
	chartBottom = 84
	chartRight  = 16
	seriesKinds = 6 // colour classes s0 … s5
)

// StackedBars lays out one bar per day, its values stacked by series.
// flagNote explains the flagged days.
func StackedBars(title, flagNote string, series []string, bars []Bar) *Chart {
	c := &Chart{Title: title}
	for i, s := range series {
		c.Legend = append(c.Legend, LegendItem{Class: seriesClass(i), Name: s})
	}
	step := barStep(len(bars))
	c.Left, c.Top = chartLeft, chartTop
	c.Right = chartLeft + len(bars)*step
	c.Bottom = chartTop + chartPlotH
	c.Width, c.Height = c.Right+chartRight, c.Bottom+chartBottom
	top := niceCeil(maxTotal(bars))
	c.Ticks = ticks(top, c.Bottom)
	every := (16 + step - 1) / step // at most one label every 16 px
	for i, b := range bars {
		x := c.Left + i*step
		c.addBar(b, series, x, step, top)
		labelClass := ""
		if b.Flag {
			labelClass = "label-fail"
			c.FlagNote = flagNote
			c.Bands = append(c.Bands, Rect{X: x, Y: c.Top, W: step, H: chartPlotH, Class: "day-fail",
				Title: b.Label + ": " + flagNote})
		}
		if i%every == 0 || b.Flag {
			c.Labels = append(c.Labels, Label{X: x + step/2, Y: c.Bottom + 10, Text: b.Label, Class: labelClass})
		}
	}
	return c
}

// addBar stacks the segments of one bar from the axis up.
func (c *Chart) addBar(b Bar, series []string, x, step int, top int64) {
	w := max(2, step*3/4)
	var cum int64
	for j, v := range b.Values {
		if v <= 0 {
			continue
		}
		y0 := c.Bottom - int(cum*chartPlotH/top)
		cum += v
		y1 := c.Bottom - int(cum*chartPlotH/top)
		name := ""
		if j < len(series) {
			name = series[j]
		}
		c.Rects = append(c.Rects, Rect{X: x + (step-w)/2, Y: y1, W: w, H: y0 - y1, Class: seriesClass(j),
			Title: b.Label + " " + name + ": " + strconv.FormatInt(v, 10) + " rows"})
	}
}

func seriesClass(i int) string { return "s" + strconv.Itoa(i%seriesKinds) }

// barStep is the width a day takes: roomy for a few days, at least 3 px
// for a long run of them.
func barStep(n int) int {
	if n <= 32 {
		return 28
	}
	return max(3, 900/n)
}

func maxTotal(bars []Bar) int64 {
	var m int64
	for _, b := range bars {
		var t int64
		for _, v := range b.Values {
			t += max(v, 0)
		}
		m = max(m, t)
	}
	return m
}

// niceCeil is the least 1, 2 or 5 × 10^k not below n (1 for n < 1).
func niceCeil(n int64) int64 {
	for p := int64(1); ; p *= 10 {
		for _, f := range []int64{1, 2, 5} {
			if f*p >= n {
				return f * p
			}
		}
	}
}

// ticks are the lines at 0, half way (when it is a whole number) and top.
func ticks(top int64, bottom int) []Tick {
	out := []Tick{{Y: bottom, Text: "0"}}
	if top%2 == 0 {
		out = append(out, Tick{Y: bottom - chartPlotH/2, Text: strconv.FormatInt(top/2, 10)})
	}
	return append(out, Tick{Y: bottom - chartPlotH, Text: strconv.FormatInt(top, 10)})
}
