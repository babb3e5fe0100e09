package oagen

import "bytes"

// How a small file's chosen row is made a row the migration rejects.
type rejectHow uint8

const (
	rejNumber    rejectHow = iota // the field becomes "x80" (an INT or BIGINT column)
	rejFrameTime                  // the frame_time becomes a YYYY-MM-DD HH:MM:SS text
	rejPipe                       // a '|' inside the storyboard title: one field too many
	rejComma                      // a ',' inside an unquoted value: one field too many
	rejDrop                       // the last field is missing
)

// rejectSpec says where a file kind gets its rejected row.
type rejectSpec struct {
	delim  byte
	quoted bool // QUOTE_ALL: every field is wrapped in '"'
	field  int  // 0-based
	how    rejectHow
}

// small registers one small per-day file b whose first data line follows
// skip lines (blank lines and the header) and which holds n data lines.
// With Options.RejectShare it may turn one data line, never one listed in
// u.noticeLines, into a rejected row. It returns the bytes to write and the
// number of rejected rows (0 or 1).
//
// The choice uses an error-diffusion accumulator on a random stream of its
// own, so the share is exact per unit up to one file, and RejectShare
// changes nothing but the chosen rows (the budget counts the bytes of the
// row as it was). A file without a data line that may be rejected is passed
// over; the next file takes its turn.
func (u *unit) small(b []byte, skip, n int, spec rejectSpec) ([]byte, int) {
	u.smallFiles++
	share := u.opt.RejectShare
	if share <= 0 {
		return b, 0
	}
	u.rejAcc += share
	if u.rejAcc < 1 || n < 1 {
		return b, 0
	}
	k := u.rej.IntN(n)
	for tries := 0; isNoticeLine(u.noticeLines, k); tries++ {
		if tries == n {
			return b, 0
		}
		k = (k + 1) % n
	}
	// Find data line k.
	start := 0
	for i := 0; i < skip+k; i++ {
		start += bytes.IndexByte(b[start:], '\n') + 1
	}
	end := start + bytes.IndexByte(b[start:], '\n')
	if end > start && b[end-1] == '\r' {
		end--
	}
	line := corruptLine(b[start:end], spec)
	out := make([]byte, 0, len(b)+16)
	out = append(out, b[:start]...)
	out = append(out, line...)
	out = append(out, b[end:]...)
	u.rejDelta += int64(len(out) - len(b))
	u.rejAcc--
	u.rejFiles++
	u.rejRows++
	return out, 1
}

func isNoticeLine(lines []int, k int) bool {
	for _, l := range lines {
		if l == k {
			return true
		}
	}
	return false
}

// corruptLine rewrites one field of line as spec says.
func corruptLine(line []byte, spec rejectSpec) []byte {
	fields := bytes.Split(line, []byte{spec.delim})
	f := spec.field
	if spec.how == rejDrop {
		fields = fields[:len(fields)-1]
		return bytes.Join(fields, []byte{spec.delim})
	}
	old := fields[f]
	if spec.quoted && len(old) >= 2 {
		old = old[1 : len(old)-1]
	}
	var v []byte
	switch spec.how {
	case rejNumber:
		v = []byte("x80")
	case rejFrameTime:
		v = []byte("2016-07-08 10:04:41")
	case rejPipe:
		v = append(append([]byte{}, old...), " to a|b"...)
	case rejComma:
		v = []byte("v=spf1 mx,~all")
	}
	if spec.quoted {
		v = append(append([]byte{'"'}, v...), '"')
	}
	fields[f] = v
	return bytes.Join(fields, []byte{spec.delim})
}

// writeSmall writes a small per-day file, after giving it its rejected row
// if it draws one, and counts the rows of it that land in table.
func (u *unit) writeSmall(name, table string, b []byte, skip, n int, spec rejectSpec) error {
	b, rej := u.small(b, skip, n, spec)
	u.buf = b
	if err := u.write(name, b); err != nil {
		return err
	}
	u.landed(table, u.dayNum, n-rej)
	return nil
}

// notebookHeaderLines is how many lines start a notebook's impala-shell
// file: the header, after the two blank lines `-r` wrote before Nov 2016.
func (u *unit) notebookHeaderLines() int {
	if u.lay.BlankLines {
		return 3
	}
	return 1
}
