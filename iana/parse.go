package iana

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
)

// readRegistry reads and parses the registry file of layout l at path.
func readRegistry(l layout, path string) (*Registry, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("failed to read %s registry: %w", l.kind, err)
	}
	return parse(l, path, data)
}

// parse builds a Registry from the bytes of one registry file.
func parse(l layout, path string, data []byte) (*Registry, error) {
	rows, err := readRows(l, path, data)
	if err != nil {
		return nil, err
	}
	sum := sha256.Sum256(data)
	r := &Registry{
		Kind:   l.kind,
		Path:   path,
		SHA256: hex.EncodeToString(sum[:]),
		Names:  make(map[string]string),
		Codes:  make(map[string]string),
	}
	for _, c := range l.keyCols {
		for _, row := range rows {
			r.Names[row[c]] = row[l.nameCol]
		}
	}
	for _, row := range rows {
		r.Codes[row[l.nameCol]] = row[l.codeCol]
	}
	return r, nil
}

// readRows checks the header and returns the data rows, each long enough
// for the columns layout l uses.
func readRows(l layout, path string, data []byte) ([][]string, error) {
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	if err := checkHeader(cr, l, path); err != nil {
		return nil, err
	}
	need := l.minFields()
	var rows [][]string
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return rows, nil
		}
		if err != nil {
			return nil, fmt.Errorf("failed to parse %s: %w", path, err)
		}
		if len(rec) < need {
			line, _ := cr.FieldPos(0)
			return nil, parseError(path, "line %d: %d fields, want at least %d", line, len(rec), need)
		}
		rows = append(rows, rec)
	}
}

// checkHeader reads the first row and compares it with the layout's header.
func checkHeader(cr *csv.Reader, l layout, path string) error {
	want := strings.Join(l.header, ",")
	rec, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return parseError(path, "no header, want %q", want)
	}
	if err != nil {
		return fmt.Errorf("failed to parse %s: %w", path, err)
	}
	if !slices.Equal(rec, l.header) {
		line, _ := cr.FieldPos(0)
		return parseError(path, "line %d: header %q, want %q", line, strings.Join(rec, ","), want)
	}
	return nil
}

// minFields is the number of fields a data row needs.
func (l layout) minFields() int {
	return max(slices.Max(l.keyCols), l.nameCol, l.codeCol) + 1
}

func parseError(path, format string, args ...any) error {
	return fmt.Errorf("failed to parse %s: %w", path, fmt.Errorf(format, args...))
}
