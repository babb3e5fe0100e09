package archive

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"
)

// entryJSON is the form of an Entry in files.json. PathBytes holds the raw
// bytes of a path that is not valid UTF-8 (base64 in JSON); Path then holds
// a readable form with U+FFFD in place of the invalid bytes.
type entryJSON struct {
	Path      string `json:"path"`
	PathBytes []byte `json:"path_bytes,omitempty"`
	Bytes     int64  `json:"bytes"`
	SHA256    string `json:"sha256"`
}

// MarshalJSON writes e so that any byte sequence in Path survives: a path
// that is not valid UTF-8 also goes into path_bytes.
func (e Entry) MarshalJSON() ([]byte, error) {
	path, raw := encodeName(e.Path)
	return json.Marshal(entryJSON{Path: path, PathBytes: raw, Bytes: e.Bytes, SHA256: e.SHA256})
}

// UnmarshalJSON reads an entry written by MarshalJSON; path_bytes, when
// present, gives Path.
func (e *Entry) UnmarshalJSON(b []byte) error {
	var j entryJSON
	if err := json.Unmarshal(b, &j); err != nil {
		return fmt.Errorf("failed to parse archive entry: %w", err)
	}
	*e = Entry{Path: decodeName(j.Path, j.PathBytes), Bytes: j.Bytes, SHA256: j.SHA256}
	return nil
}

// encodeName returns s as JSON can carry it: s itself when it is valid
// UTF-8, else a readable form and the raw bytes.
func encodeName(s string) (string, []byte) {
	if utf8.ValidString(s) {
		return s, nil
	}
	return strings.ToValidUTF8(s, "\uFFFD"), []byte(s)
}

// decodeName reverses encodeName.
func decodeName(s string, raw []byte) string {
	if raw != nil {
		return string(raw)
	}
	return s
}

// show returns p for an error message: as it is when it is valid UTF-8,
// quoted otherwise.
func show(p string) string {
	if utf8.ValidString(p) {
		return p
	}
	return strconv.Quote(p)
}
