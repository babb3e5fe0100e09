package validate

import (
	"bufio"
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

// inspect reads the header line of f and detects its layout. Problems are
// recorded on f (Error, Unreadable); the error return is for nothing else.
func inspect(f *file) {
	st, err := os.Stat(f.abs)
	if err != nil {
		f.fail(true, fmt.Sprintf("cannot read file: %v", unwrapPath(err)))
		return
	}
	f.Bytes = st.Size()
	fh, err := os.Open(f.abs)
	if err != nil {
		f.fail(true, fmt.Sprintf("cannot read file: %v", unwrapPath(err)))
		return
	}
	defer fh.Close()
	line, err := bufio.NewReaderSize(io.LimitReader(fh, maxHeader), 64<<10).ReadBytes('\n')
	if err != nil && !errors.Is(err, io.EOF) {
		f.fail(true, fmt.Sprintf("cannot read file: %v", unwrapPath(err)))
		return
	}
	line = bytes.TrimPrefix(line, utf8BOM)
	line = bytes.TrimRight(line, "\r\n")
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

// hashFile returns the sha256 of a file as hex.
func hashFile(path string) (string, error) {
	fh, err := os.Open(path)
	if err != nil {
		return "", err
	}
	defer fh.Close()
	h := sha256.New()
	if _, err := io.CopyBuffer(h, fh, make([]byte, 256<<10)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
