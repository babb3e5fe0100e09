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
)

// maxHeader bounds how much of a file is read to find its header line.
const maxHeader = 1 << 20

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// inspect reads f once: its header line, to detect the layout, and all of
// it, for its sha256. Problems are recorded on f (Error, Unreadable). buf is
// the caller's reusable read buffer.
func inspect(f *file, buf []byte) {
	fh, err := os.Open(f.abs)
	if err != nil {
		f.fail(true, fmt.Sprintf("cannot read file: %v", unwrapPath(err)))
		return
	}
	defer fh.Close()
	h := sha256.New()
	var header []byte
	for {
		n, err := fh.Read(buf)
		h.Write(buf[:n])
		f.Bytes += int64(n)
		if header == nil || (len(header) < maxHeader && !bytes.Contains(header, []byte{'\n'})) {
			header = append(header, buf[:n]...)
		}
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			f.fail(true, fmt.Sprintf("cannot read file: %v", unwrapPath(err)))
			return
		}
	}
	f.SHA256 = hex.EncodeToString(h.Sum(nil))
	f.detect(header)
}

// detect finds the layout from the start of the file.
func (f *file) detect(head []byte) {
	line, _, _ := bytes.Cut(head, []byte{'\n'})
	line = bytes.TrimPrefix(line, utf8BOM)
	line = bytes.TrimRight(line, "\r")
	if len(line) == 0 {
		if f.Bytes == 0 {
			f.fail(false, "empty file: no header line")
		} else {
			f.fail(false, "no header line: the first line is empty")
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
