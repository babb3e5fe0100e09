package validate

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"syscall"
	"time"
	"unicode/utf8"

	"spotmigrate/catalog"
	"spotmigrate/manifest"
	"spotmigrate/oafiles"
	"spotmigrate/workdb"
)

// file is a discovered file with what the work needs beyond the manifest.
type file struct {
	manifest.File
	id      int
	abs     string
	src     *catalog.Source
	layout  *catalog.Layout
	y, m, d int
	day     string // YYYY-MM-DD, empty for ingest summaries
	fields  map[string]string
	size    int64 // from the folder listing, for progress before inspection
	// header is the header line as read (fields already split).
	header []string
	// skip is the number of blank lines before the header.
	skip int
	// lines and blank are the physical and the blank lines of the file,
	// counted while hashing it (when counted).
	lines, blank int64
	counted      bool
	// long are the lines longer than the reader takes, found while
	// counting: whatever DuckDB says of them, they are rejected as such.
	long []int64
	// mixedEnds is set when some lines end in CRLF and others in LF.
	mixedEnds bool
	// in is the file as the work database reads it (set when registered).
	in *workdb.Input
	// link is the resolved target when the file was reached through a
	// followed symbolic link (its own or one of its folders'): the archive
	// moves the link, not this.
	link string
}

// FindRoot returns the folder holding the pipeline folders: oaPath/data for
// a spot-oa folder, or oaPath itself.
func FindRoot(oaPath string) (string, error) {
	abs, err := filepath.Abs(oaPath)
	if err != nil {
		return "", fmt.Errorf("failed to resolve %s: %w", oaPath, err)
	}
	if st, err := os.Stat(abs); err != nil {
		return "", fmt.Errorf("failed to open OA path: %w", err)
	} else if !st.IsDir() {
		return "", fmt.Errorf("failed to open OA path %s: %w: it is not a folder", oaPath, ErrNoTree)
	}
	for _, cand := range []string{filepath.Join(abs, "data"), abs} {
		for _, p := range append([]string{"backup"}, catalog.Pipelines...) {
			if st, err := os.Stat(filepath.Join(cand, p)); err == nil && st.IsDir() {
				return cand, nil
			}
		}
	}
	return "", fmt.Errorf("failed to find a pipeline folder (flow, dns or proxy) in %s or %s: %w", oaPath, filepath.Join(oaPath, "data"), ErrNoTree)
}

var dayName = regexp.MustCompile(`^[0-9]{8}$`)

// Symbolic links. The archive moves a pipeline folder as it is: a link in
// it stays a link, so what it points to would not be kept with the rows
// it gave, an absolute link breaks once the folder is moved, and a link to
// another day or file of the tree reads the same rows twice. By default
// every symbolic link under a selected pipeline folder (the folder itself
// included), inside the tree or outside, is therefore a file error naming
// it and its target, never followed nor opened: the pipeline is not
// archived until the link is replaced or --follow-symlinks is given. With
// FollowSymlinks a link is read as what it points to; one that cannot be
// followed (dangling, a loop) is a file error. Only the lstat type of an
// entry is trusted before a link is followed, and only regular files are
// ever opened.

// tree is a discovered OA tree.
type tree struct {
	root string
	// real is root with its links resolved: where "inside the tree" is.
	real    string
	follow  bool
	files   []*file
	skipped []manifest.Skipped
	// candidates are the files Spot 1.0 reads outside Impala (storyboard
	// JSON, feedback), copied rather than loaded.
	candidates []copyCandidate
	// broken are the file errors found while walking (links, names): they
	// are listed in the manifest and never read.
	broken []*file
}

// walk is the walk of one pipeline folder.
type walk struct {
	*tree
	pipe string
	// pipeReal is the pipeline folder's place, the links of the root
	// resolved: where "inside the pipeline folder" is.
	pipeReal string
}

// entry is a folder entry as the walk treats it.
type entry struct {
	// name is the real name; rel the path from the root for reports, with
	// the bytes of a name that is not UTF-8 escaped; abs the path to read.
	name, rel, abs string
	// mode holds the type bits of the entry, or of its target when it is
	// a followed link.
	mode fs.FileMode
	size int64
	// link is the resolved target when the entry was reached through a
	// followed link (the entry's own or one of its folders').
	link string
	// broken is set on a link that cannot be followed (dangling, a loop):
	// its file error counts as a file that cannot be read.
	broken bool
}

func (e entry) isDir() bool { return e.mode.IsDir() }

// folder is a day folder or an ingest_summary folder being walked.
type folder struct {
	entry
	scope   catalog.Scope
	y, m, d int
}

// discover walks the pipeline folders of root and classifies every entry,
// following no symbolic link.
func discover(root string, pipelines []string) (*tree, error) {
	return discoverLinks(root, pipelines, false)
}

// discoverLinks is discover; follow says whether symbolic links are
// followed.
func discoverLinks(root string, pipelines []string, follow bool) (*tree, error) {
	if !utf8.ValidString(root) {
		return nil, fmt.Errorf("failed to read %s: the path is not valid UTF-8; rename it to migrate it", displayName(root))
	}
	resolved, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, fmt.Errorf("failed to resolve %s: %w", root, err)
	}
	t := &tree{root: root, real: resolved, follow: follow}
	top, err := os.ReadDir(root)
	if err != nil {
		return nil, fmt.Errorf("failed to list %s: %w", root, err)
	}
	for _, e := range top {
		name := e.Name()
		switch {
		case slices.Contains(pipelines, name) && !e.IsDir() && e.Type()&fs.ModeSymlink == 0:
			t.skip(name, "named like a pipeline folder but not a folder, not read")
		case slices.Contains(pipelines, name):
			if err := t.pipeline(e); err != nil {
				return nil, err
			}
		case slices.Contains(catalog.Pipelines, name):
			t.skip(name+entrySuffix(e), "pipeline not selected (--pipelines)")
		case name == "backup":
			t.skip(name+entrySuffix(e), "backup folder of an earlier migration, not migrated")
		default:
			t.skip(displayName(name)+entrySuffix(e), "not a pipeline folder (flow, dns, proxy)")
		}
	}
	return t, nil
}

func entrySuffix(e fs.DirEntry) string {
	if e.IsDir() {
		return "/"
	}
	return ""
}

func (t *tree) skip(rel, reason string) {
	t.skipped = append(t.skipped, manifest.Skipped{Path: rel, Reason: reason})
}

// displayName is s with every byte that is not part of valid UTF-8
// escaped as \xNN (as strconv.Quote does), for reports; the rest is kept.
func displayName(s string) string {
	if utf8.ValidString(s) {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); {
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			fmt.Fprintf(&b, `\x%02x`, s[i])
		} else {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// pipeline walks the pipeline folder e of the root.
func (t *tree) pipeline(e fs.DirEntry) error {
	w := &walk{tree: t, pipe: e.Name(), pipeReal: filepath.Join(t.real, e.Name())}
	top, problem := w.look(t.root, "", "", e)
	if problem != "" {
		w.fail(top.rel, top.broken, problem, nil)
		return nil
	}
	entries, err := os.ReadDir(top.abs)
	if err != nil {
		return fmt.Errorf("failed to list %s: %w", top.abs, err)
	}
	for _, e := range entries {
		en, problem := w.look(top.abs, top.rel, top.link, e)
		switch {
		case problem != "":
			w.fail(en.rel, en.broken, problem, nil)
		case !en.isDir():
			t.skip(en.rel, "not in a day folder (YYYYMMDD) or ingest_summary/")
		default:
			if err := w.day(en); err != nil {
				return err
			}
		}
	}
	return nil
}

// day walks a folder of the pipeline folder when it is a day folder or
// ingest_summary/, and skips it otherwise (a name that is not UTF-8 is
// not a day folder).
func (w *walk) day(en entry) error {
	switch {
	case en.name == "ingest_summary":
		return w.folder(folder{entry: en, scope: catalog.IngestSummary})
	case dayName.MatchString(en.name):
		day, err := time.Parse("20060102", en.name)
		if err != nil {
			w.skip(en.rel+"/", "not a valid date (YYYYMMDD): "+en.name)
			return nil
		}
		return w.folder(folder{entry: en, scope: catalog.DayFolder, y: day.Year(), m: int(day.Month()), d: day.Day()})
	case en.name == ".ipynb_checkpoints":
		w.skip(en.rel+"/", "notebook checkpoint folder, not migrated")
	default:
		w.skip(en.rel+"/", "not a day folder (YYYYMMDD)")
	}
	return nil
}

// look returns the entry e of the folder dir (rel in reports, reached
// through the followed link dirLink if any) and "", or the file error that
// stops the walk there: any symbolic link when links are not followed, a
// link that cannot be followed otherwise. Nothing is opened.
func (w *walk) look(dir, rel, dirLink string, e fs.DirEntry) (entry, string) {
	en := entry{name: e.Name(), rel: path.Join(rel, displayName(e.Name())), abs: filepath.Join(dir, e.Name()), mode: e.Type()}
	if dirLink != "" {
		en.link = filepath.Join(dirLink, e.Name())
	}
	if e.Type()&fs.ModeSymlink == 0 {
		if info, err := e.Info(); err == nil && e.Type().IsRegular() {
			en.size = info.Size()
		}
		return en, ""
	}
	target, err := filepath.EvalSymlinks(en.abs)
	if err != nil {
		en.broken = true
		return en, brokenLink(en.abs, err)
	}
	if !w.follow {
		return en, w.unfollowed(target)
	}
	st, err := os.Stat(target)
	if err != nil {
		en.broken = true
		return en, brokenLink(en.abs, err)
	}
	en.mode, en.size, en.link = st.Mode().Type(), st.Size(), target
	return en, ""
}

// brokenLink says why the link at abs cannot be followed (err).
func brokenLink(abs string, err error) string {
	to, rerr := os.Readlink(abs)
	if rerr != nil {
		return fmt.Sprintf("a symbolic link that cannot be read: %v", unwrapPath(rerr))
	}
	to = displayName(to)
	_, serr := os.Stat(abs)
	switch {
	case errors.Is(serr, fs.ErrNotExist):
		return "a dangling symbolic link to " + to + ": its target does not exist"
	case errors.Is(serr, syscall.ELOOP):
		return "a symbolic link loop (it points to " + to + ")"
	default:
		return fmt.Sprintf("a symbolic link to %s that cannot be followed: %v", to, unwrapPath(err))
	}
}

// unfollowed is the file error of a link to target (resolved) when links
// are not followed.
func (w *walk) unfollowed(target string) string {
	where := "outside"
	if within(w.pipeReal, target) {
		where = "inside"
	}
	return fmt.Sprintf("a symbolic link to %s, %s the %s folder (use --follow-symlinks to read it)", w.show(target), where, w.pipe)
}

// show is p relative to the root when it is in the tree, else p.
func (w *walk) show(p string) string {
	if within(w.real, p) {
		if rel, err := filepath.Rel(w.real, p); err == nil {
			p = filepath.ToSlash(rel)
		}
	}
	return displayName(p)
}

// within reports whether p is dir or lies under it.
func within(dir, p string) bool {
	rel, err := filepath.Rel(dir, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator))
}

// fail records a file error of the pipeline at rel (unreadable for a link
// that cannot be followed); f, when not nil, is the file its name
// classifies as.
func (w *walk) fail(rel string, unreadable bool, msg string, f *file) {
	if f == nil {
		f = &file{}
		f.Tables = []string{}
	}
	f.Path, f.Pipeline, f.Error, f.Unreadable = rel, w.pipe, msg, unreadable
	w.broken = append(w.broken, f)
}

// folder classifies the entries of a day folder or ingest_summary/.
func (w *walk) folder(dir folder) error {
	entries, err := os.ReadDir(dir.abs)
	if err != nil {
		return fmt.Errorf("failed to list %s: %w", dir.abs, err)
	}
	for _, e := range entries {
		en, problem := w.look(dir.abs, dir.rel, dir.link, e)
		w.dayEntry(dir, en, problem)
	}
	return nil
}

// copyable records en when it is a file Spot 1.0 reads outside Impala.
func (w *walk) copyable(dir folder, en entry) bool {
	if !utf8.ValidString(en.name) {
		return false
	}
	u, ok := oafiles.Match(w.pipe, dir.y, dir.m, dir.d, en.name)
	if ok {
		w.candidates = append(w.candidates, copyCandidate{unit: u, rel: en.rel, abs: en.abs})
	}
	return ok
}

// dayEntry classifies one entry of a day folder or ingest_summary/.
func (w *walk) dayEntry(dir folder, en entry, problem string) {
	switch {
	case problem != "":
		f, _ := classify(w.pipe, dir.scope, en.name)
		w.fail(en.rel, en.broken, problem, f)
		return
	case en.isDir() && en.name == ".ipynb_checkpoints":
		w.skip(en.rel+"/", "notebook checkpoint folder, not migrated")
		return
	case en.isDir():
		w.skip(en.rel+"/", "folder inside a "+scopeName(dir.scope)+", not migrated")
		return
	case !en.mode.IsRegular():
		w.skip(en.rel, "not a regular file (a FIFO, socket or device), not read")
		return
	}
	f, reason := classify(w.pipe, dir.scope, en.name)
	switch {
	case f == nil && dir.scope == catalog.DayFolder && w.copyable(dir, en):
	case f == nil:
		w.skip(en.rel, reason)
	case !utf8.ValidString(en.name):
		w.fail(en.rel, false, "the file name is not valid UTF-8; rename it to migrate it", f)
	default:
		f.Path, f.abs, f.size, f.link = en.rel, en.abs, en.size, en.link
		f.y, f.m, f.d = dir.y, dir.m, dir.d
		if dir.scope == catalog.DayFolder {
			f.day = fmt.Sprintf("%04d-%02d-%02d", dir.y, dir.m, dir.d)
		}
		w.files = append(w.files, f)
	}
}

func scopeName(s catalog.Scope) string {
	if s == catalog.IngestSummary {
		return "ingest_summary folder"
	}
	return "day folder"
}

// classify returns the file for a matching source, or why it is skipped.
func classify(pipe string, scope catalog.Scope, name string) (*file, string) {
	for i := range catalog.Sources {
		s := &catalog.Sources[i]
		if s.Pipeline != pipe || s.Scope != scope {
			continue
		}
		m := s.Pattern.FindStringSubmatch(name)
		if m == nil {
			continue
		}
		f := &file{src: s, fields: map[string]string{}}
		f.Pipeline, f.Source = pipe, s.Name
		for j, g := range s.Pattern.SubexpNames() {
			if g != "" {
				f.fields[g] = m[j]
			}
		}
		for _, mp := range catalog.MappingsOf(s.Name) {
			f.Tables = append(f.Tables, mp.Table)
		}
		if f.Tables == nil {
			f.Tables = []string{}
		}
		return f, ""
	}
	reason := "matches no Spot OA file kind of the " + pipe + " pipeline, not migrated"
	for _, sk := range catalog.Skips {
		if sk.Pattern.MatchString(name) {
			reason = sk.Reason
			break
		}
	}
	return nil, reason
}

// Discover finds the files of the tree and their layouts (without hashing
// or reading their rows) and returns the readable ones grouped by layout,
// numbered from 1: what a plain read of the tree reads.
func Discover(oaPath string, pipelines []string) ([]workdb.Group, error) {
	root, err := FindRoot(oaPath)
	if err != nil {
		return nil, err
	}
	t, err := discover(root, pipelines)
	if err != nil {
		return nil, err
	}
	inspectHeaders(t.files)
	var good []*workdb.Input
	for _, f := range t.files {
		if f.Error == "" {
			good = append(good, &workdb.Input{ReadPath: f.abs, Size: f.Bytes, Source: f.src, Layout: f.layout,
				Skip: f.skip, Y: f.y, M: f.m, D: f.d, Day: f.day, Fields: f.fields})
		}
	}
	return workdb.GroupFiles(good, 0), nil
}
