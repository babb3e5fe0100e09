package validate

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"sync"

	"spotmigrate/catalog"
	"spotmigrate/workdb"
)

// maxHeader bounds how much of a file is read to find its header line.
const maxHeader = 1 << 20

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// inspect reads f once: its header line, to detect the layout, and, when
// full, all of it, for its size and sha256 (otherwise the size is taken from
// the file system). Problems are recorded on f (Error, Unreadable). buf is
// the caller's reusable read buffer.
func inspect(f *file, buf []byte, full bool) {
	fh, err := os.Open(f.abs)
	if err != nil {
		f.fail(true, fmt.Sprintf("cannot read file: %v", unwrapPath(err)))
		return
	}
	defer func() { _ = fh.Close() }()
	if st, err := fh.Stat(); err == nil && full {
		f.ModTime = st.ModTime() // before the read: a write during it shows
	}
	h := sha256.New()
	var header []byte
	var read int64
	var lc lineCounter
	for {
		n, err := fh.Read(buf)
		if full {
			h.Write(buf[:n])
			lc.add(buf[:n])
		}
		read += int64(n)
		if !headerRead(header) {
			header = append(header, buf[:n]...)
		}
		if errors.Is(err, io.EOF) || !full && headerRead(header) {
			break
		}
		if err != nil {
			f.fail(true, fmt.Sprintf("cannot read file: %v", unwrapPath(err)))
			return
		}
	}
	f.Bytes = read
	if full {
		f.SHA256 = hex.EncodeToString(h.Sum(nil))
		f.lines, f.blank, f.counted = lc.total(), lc.blank, true
		f.long, f.mixedEnds = lc.long, lc.crlf > 0 && lc.lf > 0
	} else if st, err := fh.Stat(); err == nil {
		f.Bytes = st.Size()
	}
	f.detect(header)
}

// lineCounter counts the physical lines of a file as it is read, and the
// blank ones (empty, or a lone CR), independently of DuckDB: every line must
// be accounted for as the header, a blank line, a row or a repeated header.
// A UTF-8 BOM starting the file is no content of its line (as for detect).
type lineCounter struct {
	lines, blank int64
	open         bool // a line has begun and not ended
	content      bool // the open line holds more than a CR
	bom          int  // bytes of a leading BOM seen so far; -1 once past it
	// width is the length of the open line; long lists the lines (from 1)
	// longer than the reader takes (workdb.MaxLineBytes), at most maxLong.
	width int64
	long  []int64
	// crlf and lf count the line ends of each kind (a mixed file confuses
	// DuckDB's reader); cr is set while the open line ends in a CR.
	crlf, lf int64
	cr       bool
}

// maxLong caps the long lines a file records.
const maxLong = 1000

func (c *lineCounter) add(b []byte) {
	for c.bom >= 0 && len(b) > 0 {
		if b[0] != utf8BOM[c.bom] {
			c.content = c.content || c.bom > 0 // part of a BOM is content
			c.bom = -1
			break
		}
		c.open, c.bom, b = true, c.bom+1, b[1:]
		if c.bom == len(utf8BOM) {
			c.bom = -1
		}
	}
	for len(b) > 0 {
		i := bytes.IndexByte(b, '\n')
		part := b
		if i >= 0 {
			part = b[:i]
		}
		if len(part) > 0 {
			c.open = true
			c.content = c.content || len(bytes.TrimRight(part, "\r")) > 0
			c.width += int64(len(part))
			c.cr = part[len(part)-1] == '\r'
		}
		if i < 0 {
			return
		}
		if c.cr {
			c.crlf++
		} else {
			c.lf++
		}
		c.cr = false
		c.end()
		b = b[i+1:]
	}
}

func (c *lineCounter) end() {
	c.lines++
	if c.width > workdb.MaxLineBytes && len(c.long) < maxLong {
		c.long = append(c.long, c.lines)
	}
	c.width = 0
	if !c.content {
		c.blank++
	}
	c.open, c.content = false, false
}

// total is the number of lines, a last one without a newline included.
func (c *lineCounter) total() int64 {
	if c.bom > 0 {
		c.content, c.bom = true, -1 // the file ends inside a BOM's bytes
	}
	if c.open {
		c.end()
	}
	return c.lines
}

// headerRead is true once head holds the header line (or as much as is read
// of a header), after a BOM and any blank lines.
func headerRead(head []byte) bool {
	if len(head) >= maxHeader {
		return true
	}
	rest := bytes.TrimLeft(bytes.TrimPrefix(head, utf8BOM), "\r\n")
	return bytes.IndexByte(rest, '\n') >= 0
}

// inspector inspects files (header and sha256) in the background, in the
// order given, so that DuckDB reads the files of the sources already
// inspected meanwhile.
type inspector struct {
	pending map[*catalog.Source]*sync.WaitGroup
	stop    chan struct{}
	workers sync.WaitGroup
}

// full says whether files are read whole, for their sha256, or only to
// their header.
func startInspector(files []*file, workers int, full bool) *inspector {
	in := &inspector{pending: map[*catalog.Source]*sync.WaitGroup{}, stop: make(chan struct{})}
	for _, f := range files {
		if in.pending[f.src] == nil {
			in.pending[f.src] = &sync.WaitGroup{}
		}
		in.pending[f.src].Add(1)
	}
	ch := make(chan *file)
	for range workers {
		in.workers.Go(func() {
			buf := make([]byte, 256<<10)
			for f := range ch {
				inspect(f, buf, full)
				in.pending[f.src].Done()
			}
		})
	}
	in.workers.Go(func() {
		defer close(ch)
		for _, f := range files {
			select {
			case ch <- f:
			case <-in.stop:
				return
			}
		}
	})
	return in
}

// wait returns once every file of s is inspected.
func (in *inspector) wait(s *catalog.Source) {
	if wg := in.pending[s]; wg != nil {
		wg.Wait()
	}
}

// close stops the inspection and waits for the files being read.
func (in *inspector) close() {
	close(in.stop)
	in.workers.Wait()
}

// inspectHeaders reads the header of every file (not its sha256).
func inspectHeaders(files []*file) {
	in := startInspector(files, 4, false)
	for s := range in.pending {
		in.wait(s)
	}
	in.close()
}

// detect finds the layout from the start of the file. Blank lines before
// the header (impala-shell -r wrote two, §7.4) are counted in f.skip.
func (f *file) detect(head []byte) {
	head = bytes.TrimPrefix(head, utf8BOM)
	var line []byte
	for len(head) > 0 {
		line, head, _ = bytes.Cut(head, []byte{'\n'})
		line = bytes.TrimRight(line, "\r")
		if len(line) > 0 {
			break
		}
		f.skip++
	}
	if len(line) == 0 {
		if f.Bytes == 0 {
			f.fail(false, "empty file: no header line")
		} else {
			f.fail(false, "no header line: the file holds only blank lines")
		}
		return
	}
	f.header = splitHeader(string(line), f.src.Delim, f.src.Quoted)
	l, err := f.src.DetectLayout(f.header)
	if err != nil {
		f.fail(false, err.Error())
		return
	}
	f.layout, f.Layout = l, l.Name
}

func (f *file) fail(unreadable bool, msg string) {
	f.Error, f.Unreadable = msg, unreadable
}

func splitHeader(line string, delim byte, quoted bool) []string {
	parts := strings.Split(line, string(delim))
	if quoted {
		for i, p := range parts {
			parts[i] = strings.Trim(p, `"`)
		}
	}
	return parts
}

// unwrapPath drops the path from an *os.PathError: reports already name it.
func unwrapPath(err error) error {
	var pe *os.PathError
	if errors.As(err, &pe) {
		return fmt.Errorf("%s: %w", pe.Op, pe.Err)
	}
	return err
}
