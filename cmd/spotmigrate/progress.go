package main

import (
	"fmt"
	"io"
	"os"
	"time"

	"github.com/mattn/go-isatty"
)

// progress draws files and bytes done with an ETA on a terminal; it is
// silent when stderr is not a terminal.
type progress struct {
	w                io.Writer
	label            string
	files, doneFiles int
	bytes, doneBytes int64
	start, lastDrawn time.Time
}

// silent is a progress that draws nothing.
type silent struct{}

func (silent) Start(int, int64)   {}
func (silent) Advance(int, int64) {}
func (silent) Finish()            {}

func newProgress(w io.Writer, label string) interface {
	Start(int, int64)
	Advance(int, int64)
	Finish()
} {
	f, ok := w.(*os.File)
	if !ok || !isatty.IsTerminal(f.Fd()) {
		return silent{}
	}
	return &progress{w: w, label: label}
}

func (p *progress) Start(files int, bytes int64) {
	p.files, p.bytes, p.start = files, bytes, time.Now()
	p.draw()
}

func (p *progress) Advance(files int, bytes int64) {
	p.doneFiles += files
	p.doneBytes += bytes
	if time.Since(p.lastDrawn) > 200*time.Millisecond {
		p.draw()
	}
}

func (p *progress) Finish() {
	p.draw()
	fmt.Fprintln(p.w)
}

func (p *progress) draw() {
	p.lastDrawn = time.Now()
	eta := "--:--"
	if el := time.Since(p.start); p.doneBytes > 0 && p.bytes > p.doneBytes {
		left := time.Duration(float64(el) * float64(p.bytes-p.doneBytes) / float64(p.doneBytes))
		eta = fmt.Sprintf("%02d:%02d", int(left.Minutes()), int(left.Seconds())%60)
	} else if p.bytes == p.doneBytes {
		eta = "00:00"
	}
	fmt.Fprintf(p.w, "\r%s: %d/%d files, %.1f/%.1f MiB, ETA %s ", p.label, p.doneFiles, p.files,
		float64(p.doneBytes)/(1<<20), float64(p.bytes)/(1<<20), eta)
}
