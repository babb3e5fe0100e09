package manifest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"time"

	"spotmigrate/provenance"
)

// Version is the version of the manifest format.
const Version = 1

// SchemaID is the $id of the JSON Schema of the manifest
// (docs/schema/manifest.schema.json), which every manifest names in its
// "$schema" member.
const SchemaID = "https://spotmigrate.invalid/schema/manifest.schema.json"

// Manifest is the result of a validation: what the old tree holds and what
// will land in each table partition.
type Manifest struct {
	// Schema is the $id of the manifest's JSON Schema (SchemaID).
	Schema string `json:"$schema"`
	// Version is the version of the manifest format (1).
	Version int `json:"version"`
	// Root is the folder holding the pipeline folders (spot-oa/data).
	Root string `json:"root"`
	// Pipelines are the pipelines read.
	Pipelines []string `json:"pipelines"`
	// Registries are the IANA registry files coded fields were resolved with.
	Registries []Registry `json:"registries,omitempty"`
	// Summary holds the totals.
	Summary Summary `json:"summary"`
	// Files holds one entry per classified file.
	Files []File `json:"files"`
	// Skipped lists every file or folder that is not migrated, and why.
	Skipped []Skipped `json:"skipped"`
	// Partitions holds the expected rows and checksum of every table
	// partition.
	Partitions []Partition `json:"partitions"`
	// Copies are the files Spot 1.0 reads outside Impala (storyboard JSON,
	// analyst feedback, per-date notebooks), copied to their 1.0 place.
	Copies []Copy `json:"copies,omitempty"`
	// NotebookRoot is the new spot-oa folder the notebook copies are below.
	NotebookRoot string `json:"notebook_root,omitempty"`
	// Provenance says which build wrote the manifest, when, where, with
	// which arguments, and from which tree; its manifest_sha256 is the
	// sha256 of the manifest's compact JSON without this member.
	Provenance *provenance.Provenance `json:"provenance,omitempty"`
}

// Copy is one file unit: an old file (or a notebook template) and the file
// that must stand at its Spot 1.0 place, with the bytes it must hold.
type Copy struct {
	// Pipeline is the pipeline the file belongs to.
	Pipeline string `json:"pipeline"`
	// Kind is storyboard, feedback or notebook.
	Kind string `json:"kind"`
	// Source is the old file (slash path from the data root), or the
	// notebook template's path.
	Source string `json:"source"`
	// SourceBytes is the size of the old file.
	SourceBytes int64 `json:"source_bytes"`
	// SourceSHA256 is the hex sha256 of the old file.
	SourceSHA256 string `json:"source_sha256"`
	// Dest is the place in Spot 1.0: below HUSER (storyboard, feedback),
	// or below the new spot-oa folder (notebooks).
	Dest string `json:"dest"`
	// Convert names the conversion of the content ("" when it is copied
	// byte for byte).
	Convert string `json:"convert,omitempty"`
	// Bytes is the size the file at Dest must have.
	Bytes int64 `json:"bytes"`
	// SHA256 is the hex sha256 the file at Dest must have.
	SHA256 string `json:"sha256"`
	// Kept is set on a notebook that already stood at Dest: it is never
	// overwritten, and only its presence is checked.
	Kept bool `json:"kept,omitempty"`
}

// Summary holds the totals of a manifest.
type Summary struct {
	// Files counts the classified files.
	Files int `json:"files"`
	// Bytes is the size of those files.
	Bytes int64 `json:"bytes"`
	// Rows counts their data rows.
	Rows int64 `json:"rows"`
	// Rejected counts the rows that cannot be migrated.
	Rejected int64 `json:"rejected"`
	// Notices counts the rows that land with something Spot 1.0 cannot hold.
	Notices int64 `json:"notices"`
	// FilesNoticed counts the files with notices.
	FilesNoticed int `json:"files_with_notices"`
	// Filtered counts the rows a mapping leaves out by design.
	Filtered int64 `json:"filtered"`
	// FileErrors counts the files with a file error.
	FileErrors int `json:"file_errors"`
	// FilesRejected counts the files with rejected rows.
	FilesRejected int `json:"files_with_rejects"`
	// Skipped counts the entries of skipped.
	Skipped int `json:"skipped"`
	// Landing counts the table rows that will land, all tables together.
	Landing int64 `json:"landing"`
	// Unreadable counts the files that could not be read (I/O failures).
	Unreadable int `json:"unreadable"`
}

// File describes one old file.
type File struct {
	// Path is the file's slash path relative to root
	// (flow/20160708/flow_scores.csv).
	Path string `json:"path"`
	// Pipeline is flow, dns or proxy.
	Pipeline string `json:"pipeline"`
	// Source is the catalog source the file was matched to.
	Source string `json:"source"`
	// Tables are the Spot 1.0 tables the file feeds.
	Tables []string `json:"tables"`
	// Layout is the header layout recognised (flow_scores L0/L1/L2, ...).
	Layout string `json:"layout,omitempty"`
	// Bytes is the file's size.
	Bytes int64 `json:"bytes"`
	// SHA256 is the hex sha256 of the file's bytes.
	SHA256 string `json:"sha256,omitempty"`
	// Rows counts the data rows (header, blank and repeated-header lines
	// excluded).
	Rows int64 `json:"rows"`
	// Rejected counts the rejected rows (always exact).
	Rejected int64 `json:"rejected"`
	// Filtered counts the rows left out by design, per rule.
	Filtered map[string]int64 `json:"filtered,omitempty"`
	// Landing counts the rows that land, per table.
	Landing map[string]int64 `json:"landing,omitempty"`
	// Error is the file error: empty, unknown header, unreadable, or lines
	// not accounted for.
	Error string `json:"error,omitempty"`
	// ModTime is the file's modification time when it was hashed (in
	// memory only: the archive checks it, the manifest does not hold it).
	ModTime time.Time `json:"-"`
	// Unreadable marks an I/O failure (as opposed to bad content).
	Unreadable bool `json:"unreadable,omitempty"`
	// Rejects lists the rejected rows, at most 100.
	Rejects []Reject `json:"rejects,omitempty"`
	// RejectsListed < Rejected when the list was capped.
	RejectsListed int `json:"rejects_listed,omitempty"`
	// NoticeCount rows (or the file, for a layout notice) land with
	// something Spot 1.0 cannot hold; Notices lists them (capped like
	// Rejects: NoticesListed < NoticeCount when capped).
	NoticeCount int64 `json:"notice_count,omitempty"`
	// Notices lists the notices, in the form of rejects.
	Notices []Reject `json:"notices,omitempty"`
	// NoticesListed < NoticeCount when the list was capped.
	NoticesListed int `json:"notices_listed,omitempty"`
}

// Registry is one IANA registry file coded fields were resolved with.
type Registry struct {
	// Kind is dns_qclass, dns_qtype, dns_rcode or http.
	Kind string `json:"kind"`
	// Path is the install's file, or embedded:<name> for a built-in copy.
	Path string `json:"path"`
	// SHA256 is the hex sha256 of the registry file.
	SHA256 string `json:"sha256"`
}

// Reject is one rejected row, or one notice.
type Reject struct {
	// Line is the 1-based physical line (blank lines before the header
	// counted).
	Line int64 `json:"line"`
	// Column is the 1-based column (0 for a file-wide notice).
	Column int `json:"column"`
	// Field is the header name of the column.
	Field string `json:"field,omitempty"`
	// Reason says why.
	Reason string `json:"reason"`
	// Raw is the line as read.
	Raw string `json:"raw,omitempty"`
}

// Skipped is a file or folder that is not migrated.
type Skipped struct {
	// Path is the slash path relative to root.
	Path string `json:"path"`
	// Reason says why it is not migrated.
	Reason string `json:"reason"`
}

// PartitionKey names one (table, y, m, d) unit: the one spelling of a
// partition every package uses.
type PartitionKey struct {
	// Table is the Spot 1.0 table.
	Table string `json:"table"`
	// Y is the partition's year.
	Y int `json:"y"`
	// M is the partition's month (1-12).
	M int `json:"m"`
	// D is the partition's day of the month.
	D int `json:"d"`
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
	// Rows counts the rows that land in the partition.
	Rows int64 `json:"rows"`
	// Checksum is the order-independent checksum of those rows
	// (docs/CHECKSUM.md).
	Checksum string `json:"checksum"`
	// Files are the source files of its rows.
	Files []string `json:"files"`
}

// Read reads a manifest written by validate.
func Read(path string) (*Manifest, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, fmt.Errorf("failed to read manifest: %w", err)
	}
	return Decode(b, path)
}

// Decode parses b, the manifest file at path.
func Decode(b []byte, path string) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("failed to parse manifest %s: %w", path, err)
	}
	if m.Version != Version {
		return nil, fmt.Errorf("failed to read manifest %s: version %d, this spotmigrate reads version %d", path, m.Version, Version)
	}
	if m.Schema == "" {
		// written before manifests named their schema; otherwise the same
		m.Schema = SchemaID
	}
	return &m, nil
}

// Clean reports whether the manifest has no rejected rows and no file errors.
func (m *Manifest) Clean() bool {
	return m.Summary.Rejected == 0 && m.Summary.FileErrors == 0
}

// ContentSHA256 is the hex sha256 that identifies the manifest: of its
// compact JSON encoding (members in document order, no insignificant
// space, HTML characters not escaped, no final newline) without the
// provenance member. Two runs on the same tree, named the same way, give
// the same one; the provenance's manifest_sha256 of a manifest holds it.
func ContentSHA256(m *Manifest) (string, error) {
	c := *m
	c.Provenance = nil
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(&c); err != nil {
		return "", fmt.Errorf("failed to encode manifest: %w", err)
	}
	sum := sha256.Sum256(bytes.TrimSuffix(b.Bytes(), []byte("\n")))
	return hex.EncodeToString(sum[:]), nil
}

// SetProvenance gives m the provenance p, its manifest_sha256 set to the
// manifest's ContentSHA256.
func (m *Manifest) SetProvenance(p *provenance.Provenance) error {
	sum, err := ContentSHA256(m)
	if err != nil {
		return err
	}
	c := *p
	c.ManifestSHA256 = sum
	m.Provenance = &c
	return nil
}
