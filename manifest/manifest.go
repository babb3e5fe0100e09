package manifest

import (
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"
)

// Version is the version of the manifest format.
const Version = 1

// Manifest is the result of a validation: what the old tree holds and what
// will land in each table partition.
type Manifest struct {
	Version    int         `json:"version"`
	Root       string      `json:"root"`
	Pipelines  []string    `json:"pipelines"`
	Registries []Registry  `json:"registries,omitempty"`
	Summary    Summary     `json:"summary"`
	Files      []File      `json:"files"`
	Skipped    []Skipped   `json:"skipped"`
	Partitions []Partition `json:"partitions"`
	// Copies are the files Spot 1.0 reads outside Impala (storyboard JSON,
	// analyst feedback, per-date notebooks), copied to their 1.0 place.
	Copies []Copy `json:"copies,omitempty"`
	// NotebookRoot is the new spot-oa folder the notebook copies are below.
	NotebookRoot string `json:"notebook_root,omitempty"`
}

// Copy is one file unit: an old file (or a notebook template) and the file
// that must stand at its Spot 1.0 place, with the bytes it must hold.
type Copy struct {
	Pipeline string `json:"pipeline"`
	Kind     string `json:"kind"`
	// Source is the old file (slash path from the data root), or the
	// notebook template's path.
	Source       string `json:"source"`
	SourceBytes  int64  `json:"source_bytes"`
	SourceSHA256 string `json:"source_sha256"`
	// Dest is the place in Spot 1.0: below HUSER (storyboard, feedback),
	// or below the new spot-oa folder (notebooks).
	Dest string `json:"dest"`
	// Convert names the conversion of the content ("" when it is copied
	// byte for byte).
	Convert string `json:"convert,omitempty"`
	Bytes   int64  `json:"bytes"`
	SHA256  string `json:"sha256"`
	// Kept is set on a notebook that already stood at Dest: it is never
	// overwritten, and only its presence is checked.
	Kept bool `json:"kept,omitempty"`
}

// Summary holds the totals of a manifest.
type Summary struct {
	Files         int   `json:"files"`
	Bytes         int64 `json:"bytes"`
	Rows          int64 `json:"rows"`
	Rejected      int64 `json:"rejected"`
	Notices       int64 `json:"notices"`
	FilesNoticed  int   `json:"files_with_notices"`
	Filtered      int64 `json:"filtered"`
	FileErrors    int   `json:"file_errors"`
	FilesRejected int   `json:"files_with_rejects"`
	Skipped       int   `json:"skipped"`
	Landing       int64 `json:"landing"`
	Unreadable    int   `json:"unreadable"`
}

// File describes one old file.
type File struct {
	Path     string           `json:"path"`
	Pipeline string           `json:"pipeline"`
	Source   string           `json:"source"`
	Tables   []string         `json:"tables"`
	Layout   string           `json:"layout,omitempty"`
	Bytes    int64            `json:"bytes"`
	SHA256   string           `json:"sha256,omitempty"`
	Rows     int64            `json:"rows"`
	Rejected int64            `json:"rejected"`
	Filtered map[string]int64 `json:"filtered,omitempty"`
	Landing  map[string]int64 `json:"landing,omitempty"`
	Error    string           `json:"error,omitempty"`
	// ModTime is the file's modification time when it was hashed (in
	// memory only: the archive checks it, the manifest does not hold it).
	ModTime time.Time `json:"-"`
	// Unreadable marks an I/O failure (as opposed to bad content).
	Unreadable bool     `json:"unreadable,omitempty"`
	Rejects    []Reject `json:"rejects,omitempty"`
	// RejectsListed < Rejected when the list was capped.
	RejectsListed int `json:"rejects_listed,omitempty"`
	// NoticeCount rows (or the file, for a layout notice) land with
	// something Spot 1.0 cannot hold; Notices lists them (capped like
	// Rejects: NoticesListed < NoticeCount when capped).
	NoticeCount   int64    `json:"notice_count,omitempty"`
	Notices       []Reject `json:"notices,omitempty"`
	NoticesListed int      `json:"notices_listed,omitempty"`
}

// Registry is one IANA registry file coded fields were resolved with.
type Registry struct {
	Kind   string `json:"kind"`
	Path   string `json:"path"`
	SHA256 string `json:"sha256"`
}

// Reject is one rejected row, or one notice.
type Reject struct {
	Line   int64  `json:"line"`
	Column int    `json:"column"`
	Field  string `json:"field,omitempty"`
	Reason string `json:"reason"`
	Raw    string `json:"raw,omitempty"`
}

// Skipped is a file or folder that is not migrated.
type Skipped struct {
	Path   string `json:"path"`
	Reason string `json:"reason"`
}

// PartitionKey names one (table, y, m, d) unit: the one spelling of a
// partition every package uses.
type PartitionKey struct {
	Table string `json:"table"`
	Y     int    `json:"y"`
	M     int    `json:"m"`
	D     int    `json:"d"`
}

// Name is table/y=Y/m=M/d=D, the name a unit has in the ledger and reports.
func (k PartitionKey) Name() string { return k.Table + "/" + k.Dir() }

// Dir is y=Y/m=M/d=D, the partition's folder under its table.
func (k PartitionKey) Dir() string { return fmt.Sprintf("y=%d/m=%d/d=%d", k.Y, k.M, k.D) }

// Compare orders keys by table name, then date.
func (k PartitionKey) Compare(o PartitionKey) int {
	if c := strings.Compare(k.Table, o.Table); c != 0 {
		return c
	}
	return (k.Y*10000 + k.M*100 + k.D) - (o.Y*10000 + o.M*100 + o.D)
}

// Partition is one unit with the rows that land there.
type Partition struct {
	PartitionKey
	Rows     int64    `json:"rows"`
	Checksum string   `json:"checksum"`
	Files    []string `json:"files"`
}

// Read reads a manifest written by validate.
func Read(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("failed to read manifest: %w", err)
	}
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("failed to parse manifest %s: %w", path, err)
	}
	if m.Version != Version {
		return nil, fmt.Errorf("failed to read manifest %s: version %d, this spotmigrate reads version %d", path, m.Version, Version)
	}
	return &m, nil
}

// Clean reports whether the manifest has no rejected rows and no file errors.
func (m *Manifest) Clean() bool {
	return m.Summary.Rejected == 0 && m.Summary.FileErrors == 0
}
