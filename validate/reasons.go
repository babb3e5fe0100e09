package validate

import (
	"bufio"
	"encoding/csv"
	"errors"
	"fmt"
	"os"
	"regexp"
	"slices"
	"strings"

	"spotmigrate/catalog"
	"spotmigrate/workdb"
)

// ErrNoTree is returned when the OA path is not a folder holding pipeline
// folders.
var ErrNoTree = errors.New("not an OA tree")

// typeNames say what a field was expected to hold, in report language.
var typeNames = map[catalog.FieldType]string{
	catalog.Text:      "STRING",
	catalog.Integer:   "INT",
	catalog.Long:      "BIGINT",
	catalog.Real:      "FLOAT",
	catalog.Timestamp: "a timestamp (YYYY-MM-DD HH:MM:SS)",
	catalog.Date:      "a date (YYYY-MM-DD)",
	catalog.Time:      "a time (HH:MM:SS)",
}

var columnsRE = regexp.MustCompile(`Expected Number of Columns: (\d+) Found: (\d+)`)

// rejectReason words a DuckDB reject for a person.
func rejectReason(rj workdb.RawReject, f *file) string {
	if rj.ErrorType == "LINE SIZE OVER MAXIMUM" || slices.Contains(f.long, rj.Line) {
		return fmt.Sprintf("line longer than %d bytes (the most a line may hold): not read", workdb.MaxLineBytes)
	}
	if n := fieldCount(rj, f); n != len(f.layout.Fields) && n > 0 {
		return fmt.Sprintf("expected %d columns, found %d", len(f.layout.Fields), n) + pipeHint(f, n)
	}
	switch rj.ErrorType {
	case "CAST":
		field, typ := rj.Field, ""
		if rj.Column >= 1 && rj.Column <= len(f.layout.Fields) {
			fl := f.layout.Fields[rj.Column-1]
			field, typ = fl.Header, typeNames[fl.Type]
		}
		return fmt.Sprintf("column %q: %q is not %s", field, fieldValue(rj, f), typ)
	case "TOO MANY COLUMNS", "MISSING COLUMNS":
		msg := "wrong number of columns"
		if m := columnsRE.FindStringSubmatch(rj.Message); m != nil {
			msg = fmt.Sprintf("expected %s columns, found %s", m[1], m[2])
		}
		return msg + pipeHint(f, len(f.layout.Fields)+1)
	case "INVALID ENCODING", "INVALID UNICODE":
		return "invalid UTF-8 byte sequence: the file is not UTF-8"
	}
	msg, _, _ := strings.Cut(rj.Message, "\n")
	return strings.ToLower(rj.ErrorType) + ": " + msg
}

// fieldCount counts the fields of a rejected line (0 if unknown).
func fieldCount(rj workdb.RawReject, f *file) int {
	return len(splitLine(rj.CSVLine, f))
}

// splitLine splits a line of f into its fields as DuckDB read them (nil
// for an empty line or one that does not parse).
func splitLine(line string, f *file) []string {
	raw := strings.Trim(line, "\r\n")
	if raw == "" {
		return nil
	}
	if !f.src.Quoted {
		return strings.Split(raw, string(f.src.Delim))
	}
	cr := csv.NewReader(strings.NewReader(raw))
	cr.Comma, cr.FieldsPerRecord, cr.LazyQuotes = rune(f.src.Delim), -1, true
	rec, err := cr.Read()
	if err != nil {
		return nil
	}
	return rec
}

func pipeHint(f *file, found int) string {
	if f.src.Delim == '|' && found > len(f.layout.Fields) {
		return " (a '|' inside a title or summary: the old notebook did not escape it)"
	}
	return ""
}

// fieldValue is the text of the rejected field.
func fieldValue(rj workdb.RawReject, f *file) string {
	parts := splitLine(rj.CSVLine, f)
	if rj.Column < 1 || rj.Column > len(parts) {
		return ""
	}
	return parts[rj.Column-1]
}

type located struct {
	line int64
	raw  string
}

// locateRows finds the line of each accepted row ordinal (0-based, sorted)
// of f: the rows DuckDB accepted are the data lines in file order, less
// blank lines and the lines it rejected (skip).
func locateRows(f *file, ords []int64, skip map[int64]bool) ([]located, error) {
	fh, err := os.Open(f.abs)
	if err != nil {
		return nil, fmt.Errorf("failed to open %s: %w", f.Path, err)
	}
	defer func() { _ = fh.Close() }()
	sc := bufio.NewScanner(fh)
	sc.Buffer(make([]byte, 64<<10), 64<<20)
	out := make([]located, len(ords))
	var line, ord int64 = 0, -1
	next := 0
	for sc.Scan() && next < len(ords) {
		line++
		text := strings.TrimRight(sc.Text(), "\r")
		if line <= int64(f.skip)+1 || text == "" || skip[line] {
			continue
		}
		ord++
		for next < len(ords) && ords[next] == ord {
			out[next] = located{line: line, raw: text}
			next++
		}
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("failed to read %s: %w", f.Path, err)
	}
	return out, nil
}
