package provenance

import (
	"fmt"
	"io"
	"os"
	"os/user"
	"runtime"
	"runtime/debug"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode"

	"spotmigrate/report"
)

// Tool is the name a provenance gives the program.
const Tool = "spotmigrate"

// TimeLayout is the layout of Started and Ended: RFC 3339 in UTC, to the
// millisecond.
const TimeLayout = "2006-01-02T15:04:05.000Z07:00"

// Masked replaces the value of a secret flag.
const Masked = "***"

// Provenance is where a report comes from.
type Provenance struct {
	// Tool is the program that wrote the report (spotmigrate).
	Tool string `json:"tool"`
	// Version is the main module version the binary was built as ("devel"
	// when it has none).
	Version string `json:"version"`
	// Commit is the VCS revision the binary was built from ("unknown" when
	// not recorded).
	Commit string `json:"commit"`
	// Modified says whether the working tree had uncommitted changes when
	// the binary was built: "true", "false" or "unknown".
	Modified string `json:"modified"`
	// GoVersion is the Go release the binary was built with.
	GoVersion string `json:"go_version"`
	// DuckDBVersion is the version of the embedded DuckDB library ("unknown"
	// when it could not be asked).
	DuckDBVersion string `json:"duckdb_version"`
	// Args are the command-line arguments after the program name, the
	// value of every flag whose name holds password, secret, token or
	// keytab replaced with ***.
	Args []string `json:"args"`
	// Started is when the command started (RFC 3339, UTC, milliseconds).
	Started string `json:"started"`
	// Ended is when the document's content was complete: the tree read
	// (manifest), the target compared (reconcile report).
	Ended string `json:"ended"`
	// Duration is Ended minus Started, as a Go duration (1m2.345s).
	Duration string `json:"duration"`
	// Host is the host name of the machine the command ran on.
	Host string `json:"host"`
	// User is the OS user the command ran as.
	User string `json:"user"`
	// ManifestSHA256 identifies the manifest: in a manifest, the hex sha256
	// of the manifest without its provenance member, encoded as compact
	// JSON; in a reconcile report, the hex sha256 of the manifest file the
	// target was compared with.
	ManifestSHA256 string `json:"manifest_sha256"`
	// OAPath is the OA tree read (--oa-path, made absolute); in a
	// reconcile report, the manifest's.
	OAPath string `json:"oa_path,omitempty"`
	// Target names the target: duckdb:FILE or dialect://host:port (empty
	// for validate, which has none).
	Target string `json:"target,omitempty"`
}

// New begins the provenance of a run that started at started with args
// (the command line after the program name): the build, host, user and
// masked arguments. The caller adds the DuckDB version, OA path, target,
// and, with Finish, the end.
func New(args []string, started time.Time) *Provenance {
	bi, ok := debug.ReadBuildInfo()
	p := &Provenance{Tool: Tool, Args: MaskArgs(args), Started: Format(started),
		Host: hostName(), User: userName(), DuckDBVersion: "unknown"}
	p.setBuild(bi, ok)
	return p
}

// setBuild takes the version, commit and Go release from the build info.
func (p *Provenance) setBuild(bi *debug.BuildInfo, ok bool) {
	p.Version, p.Commit, p.Modified, p.GoVersion = "devel", "unknown", "unknown", runtime.Version()
	if !ok || bi == nil {
		return
	}
	if v := bi.Main.Version; v != "" && v != "(devel)" {
		p.Version = v
	}
	if bi.GoVersion != "" {
		p.GoVersion = bi.GoVersion
	}
	for _, s := range bi.Settings {
		switch {
		case s.Key == "vcs.revision" && s.Value != "":
			p.Commit = s.Value
		case s.Key == "vcs.modified" && (s.Value == "true" || s.Value == "false"):
			p.Modified = s.Value
		}
	}
}

func hostName() string {
	if h, err := os.Hostname(); err == nil && h != "" {
		return h
	}
	return "unknown"
}

func userName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	if u := os.Getenv("USER"); u != "" {
		return u
	}
	return "unknown"
}

// Format is a time as provenance gives it (TimeLayout, UTC).
func Format(t time.Time) string { return t.UTC().Format(TimeLayout) }

// Finish returns a copy of p ended at ended, with its duration.
func (p *Provenance) Finish(ended time.Time) *Provenance {
	c := *p
	c.Args = slices.Clone(p.Args)
	c.Ended = Format(ended)
	start, err := time.Parse(TimeLayout, p.Started)
	end, _ := time.Parse(TimeLayout, c.Ended)
	if err == nil {
		c.Duration = end.Sub(start).String()
	}
	return &c
}

// secretWords mark a flag whose value is masked.
var secretWords = []string{"password", "secret", "token", "keytab"}

// MaskArgs returns args with the value of every flag whose name holds
// password, secret, token or keytab (any case) replaced with Masked:
// --name=value becomes --name=***, and in --name value the next argument
// is masked. Nothing after a "--" is a flag.
func MaskArgs(args []string) []string {
	out := make([]string, len(args))
	maskNext := false
	flags := true
	for i, a := range args {
		switch {
		case maskNext:
			out[i], maskNext = Masked, false
			continue
		case !flags || !strings.HasPrefix(a, "-") || a == "-":
			out[i] = a
			continue
		case a == "--":
			out[i], flags = a, false
			continue
		}
		name, _, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		switch {
		case !secret(name):
			out[i] = a
		case hasValue:
			out[i] = a[:strings.Index(a, "=")+1] + Masked
		default:
			out[i], maskNext = a, true
		}
	}
	return out
}

// secret reports whether a flag name holds a secret word.
func secret(name string) bool {
	name = strings.ToLower(name)
	for _, w := range secretWords {
		if strings.Contains(name, w) {
			return true
		}
	}
	return false
}

// Field is one member of a provenance as the reports show it: Key is its
// JSON name (and the JUnit property's), Label the name people read.
type Field struct {
	Key, Label, Value string
}

// fields lists the members in the order reports show them.
var fields = []struct {
	key, label string
	value      func(*Provenance) string
}{
	{"tool", "Tool", func(p *Provenance) string { return p.Tool }},
	{"version", "spotmigrate version", func(p *Provenance) string { return p.Version }},
	{"commit", "Commit", func(p *Provenance) string { return p.Commit }},
	{"modified", "Modified", func(p *Provenance) string { return p.Modified }},
	{"go_version", "Go version", func(p *Provenance) string { return p.GoVersion }},
	{"duckdb_version", "DuckDB version", func(p *Provenance) string { return p.DuckDBVersion }},
	{"args", "Arguments", func(p *Provenance) string { return ShellJoin(p.Args) }},
	{"started", "Started", func(p *Provenance) string { return p.Started }},
	{"ended", "Ended", func(p *Provenance) string { return p.Ended }},
	{"duration", "Duration", func(p *Provenance) string { return p.Duration }},
	{"host", "Host", func(p *Provenance) string { return p.Host }},
	{"user", "User", func(p *Provenance) string { return p.User }},
	{"manifest_sha256", "Manifest sha256", func(p *Provenance) string { return p.ManifestSHA256 }},
	{"oa_path", "OA path", func(p *Provenance) string { return p.OAPath }},
	{"target", "Target", func(p *Provenance) string { return p.Target }},
}

// Fields are the members that have a value, in report order; a value
// holding a control character is Go-quoted (a newline in a path would
// otherwise forge a report line).
func (p *Provenance) Fields() []Field {
	if p == nil {
		return nil
	}
	var out []Field
	for _, f := range fields {
		v := f.value(p)
		if v == "" {
			continue
		}
		if strings.IndexFunc(v, unicode.IsControl) >= 0 {
			v = strconv.Quote(v)
		}
		out = append(out, Field{Key: f.key, Label: f.label, Value: v})
	}
	return out
}

// Properties are the fields as JUnit properties, named by their JSON
// members.
func (p *Provenance) Properties() []report.Property {
	var out []report.Property
	for _, f := range p.Fields() {
		out = append(out, report.Property{Name: f.Key, Value: f.Value})
	}
	return out
}

// AppendHTML appends the fields to the provenance lines of an HTML report,
// leaving out a line the report shows already (same name and value).
func (p *Provenance) AppendHTML(lines []report.Field) []report.Field {
	for _, f := range p.Fields() {
		l := report.Field{Name: f.Label, Value: f.Value}
		if !slices.Contains(lines, l) {
			lines = append(lines, l)
		}
	}
	return lines
}

// Label is the label of the member named key ("" for none).
func Label(key string) string {
	for _, f := range fields {
		if f.key == key {
			return f.label
		}
	}
	return ""
}

// Varying are the members whose values differ from run to run, or from
// machine to machine, with the placeholders tests put in their place.
var Varying = map[string]string{
	"version":         "<version>",
	"commit":          "<commit>",
	"modified":        "<modified>",
	"go_version":      "<go>",
	"started":         "<time>",
	"ended":           "<time>",
	"duration":        "<duration>",
	"host":            "<host>",
	"user":            "<user>",
	"manifest_sha256": "<sha256>",
}

// WriteText writes the fields one a line, "Label: value", or for Markdown
// as a list with the values in code spans.
func (p *Provenance) WriteText(w io.Writer, markdown bool) error {
	for _, f := range p.Fields() {
		var err error
		if markdown {
			_, err = fmt.Fprintf(w, "- %s: `%s`\n", f.Label, strings.ReplaceAll(f.Value, "`", "'"))
		} else {
			_, err = fmt.Fprintf(w, "%s: %s\n", f.Label, f.Value)
		}
		if err != nil {
			return fmt.Errorf("failed to write provenance: %w", err)
		}
	}
	return nil
}

// ShellJoin joins args as a POSIX shell would read them back: an argument
// holding anything but letters, digits and -_=.,/:@%+ is single-quoted, and
// one holding a control character is Go-quoted (a newline would otherwise
// forge a report line).
func ShellJoin(args []string) string {
	out := make([]string, len(args))
	for i, a := range args {
		out[i] = shellQuote(a)
	}
	return strings.Join(out, " ")
}

func shellQuote(s string) string {
	if s == "" {
		return "''"
	}
	if strings.IndexFunc(s, unicode.IsControl) >= 0 {
		return strconv.Quote(s)
	}
	if strings.IndexFunc(s, unsafeInShell) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// unsafeInShell reports whether r needs quoting in a shell word: anything
// but ASCII letters, digits and -_=.,/:@%+.
func unsafeInShell(r rune) bool {
	switch {
	case r >= 'a' && r <= 'z', r >= 'A' && r <= 'Z', r >= '0' && r <= '9':
		return false
	}
	return !strings.ContainsRune("-_=.,/:@%+", r)
}
