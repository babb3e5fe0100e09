package archive

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"syscall"
	"time"
)

// MetaDir is the folder inside an archive that describes it.
const MetaDir = ".spotmigrate-archive"

// Entry is one archived file. Path is relative to the archived folder,
// slash-separated, and may hold any bytes (see MarshalJSON).
type Entry struct {
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
	// ModTime, when set (by the caller, for the files it validated), is
	// the modification time the file had when it was hashed: a file whose
	// time differs changed since, even at the same size. Not written.
	ModTime time.Time `json:"-"`
}

// Options change how Move archives a folder.
type Options struct {
	// FollowSymlinks archives the content of every symbolic link in the
	// folder (a file or a whole folder) instead of the link; what the link
	// points to is left untouched. Without it a symbolic link is an error.
	FollowSymlinks bool
}

// Inventory lists every regular file under dir (except dir/MetaDir) with
// its size and sha256. A symbolic link or any other kind of file (FIFO,
// socket, device) is an error naming it; only regular files are opened.
func Inventory(dir string) ([]Entry, error) {
	items, err := scan(dir, false)
	if err != nil {
		return nil, fmt.Errorf("failed to list %s: %w", show(dir), err)
	}
	var out []Entry
	for _, it := range items {
		if it.dir {
			continue
		}
		sum, n, err := hashFile(it.path, false)
		if err != nil {
			return nil, fmt.Errorf("failed to list %s: %w", show(dir), err)
		}
		out = append(out, Entry{Path: it.rel, Bytes: n, SHA256: sum})
	}
	return sorted(out), nil
}

func sorted(inv []Entry) []Entry {
	sort.Slice(inv, func(i, j int) bool { return inv[i].Path < inv[j].Path })
	return inv
}

// Verify checks that dir holds exactly the files of want.
func Verify(dir string, want []Entry) error {
	got, err := Inventory(dir)
	if err != nil {
		return err
	}
	have := map[string]Entry{}
	for _, e := range got {
		have[e.Path] = e
	}
	for _, e := range want {
		g, ok := have[e.Path]
		switch {
		case !ok:
			return fmt.Errorf("failed to verify %s: %s is missing: %w", show(dir), show(e.Path), ErrChanged)
		case g.SHA256 != e.SHA256 || g.Bytes != e.Bytes:
			return fmt.Errorf("failed to verify %s: %s differs (sha256 %s, want %s): %w", show(dir), show(e.Path), g.SHA256, e.SHA256, ErrChanged)
		}
		delete(have, e.Path)
	}
	for _, e := range got {
		if _, ok := have[e.Path]; ok {
			return fmt.Errorf("failed to verify %s: unexpected file %s", show(dir), show(e.Path))
		}
	}
	return nil
}

// rename is os.Rename; tests replace it to force the cross-device path.
var rename = os.Rename

// Move is MoveWith without options.
func Move(src, dst string, known []Entry, meta map[string][]byte) error {
	return MoveWith(src, dst, known, meta, Options{})
}

// MoveWith archives src as dst, with meta (name → content) and files.json
// in dst/MetaDir. dst must not exist. known holds the entries the caller
// hashed during validation (Path relative to src, slash-separated): their
// sha256 is reused after checking that the size is unchanged, and every
// other file under src is hashed here. On one file system the metadata is
// written into src and src is renamed; across file systems (or when
// opt.FollowSymlinks meets a link) src is copied, verified and only then
// removed. A crash at any point leaves a state Recover(src, dst) finishes
// or rolls back; an error other than one from Step leaves src as it was.
func MoveWith(src, dst string, known []Entry, meta map[string][]byte, opt Options) error {
	for _, p := range []string{dst, dst + restoringSuffix} {
		if err := mustNotExist(p); err != nil {
			return fmt.Errorf("failed to archive %s: %w (choose another --archive-dir, or restore it first)", show(src), err)
		}
	}
	items, inv, err := inventoryKnown(src, known, opt.FollowSymlinks)
	if err != nil {
		return fmt.Errorf("failed to archive %s: %w", show(src), err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("failed to create archive folder: %w", err)
	}
	if err := syncParents(filepath.Dir(dst)); err != nil {
		return err
	}
	m := &mover{transfer: transfer{run: &run{}, from: src, to: dst, items: items, inv: inv, follow: opt.FollowSymlinks}}
	m.meta = func(dir string) error { return writeMeta(dir, inv, meta) }
	err = m.do()
	if err != nil && !m.crashed && !m.placed {
		m.undo()
	}
	return err
}

// mover is one Move.
type mover struct {
	transfer
}

func (m *mover) do() error {
	if err := m.meta(m.from); err != nil {
		return err
	}
	if err := m.step("meta-written"); err != nil {
		return err
	}
	if m.follow && (hasLinks(m.items) || isLink(m.from)) {
		return m.transfer.do()
	}
	err := rename(m.from, m.to)
	if errors.Is(err, syscall.EXDEV) {
		return m.transfer.do()
	}
	if err != nil {
		return fmt.Errorf("failed to move %s to %s: %w", show(m.from), show(m.to), err)
	}
	m.placed = true
	if err := syncParents(m.from, m.to); err != nil {
		return err
	}
	return m.step("renamed")
}

// undo puts src back as it was after a failed Move.
func (m *mover) undo() {
	_ = os.RemoveAll(m.part())
	_ = removeMeta(m.from)
}

// hasLinks reports whether a symbolic link was followed: a rename would
// move the link, not its content.
func hasLinks(items []item) bool {
	for _, it := range items {
		if it.link {
			return true
		}
	}
	return false
}

func isLink(p string) bool {
	info, err := os.Lstat(p)
	return err == nil && info.Mode()&fs.ModeSymlink != 0
}

// inventoryKnown scans src and returns its items and inventory, taking the
// sha256 of the files in known from known instead of reading them; their
// size must be unchanged.
func inventoryKnown(src string, known []Entry, follow bool) ([]item, []Entry, error) {
	want := make(map[string]Entry, len(known))
	for _, e := range known {
		want[e.Path] = e
	}
	items, err := scan(src, follow)
	if err != nil {
		return nil, nil, err
	}
	var out []Entry
	for _, it := range items {
		if it.dir {
			continue
		}
		e, err := entryOf(it, want, follow)
		if err != nil {
			return nil, nil, err
		}
		delete(want, it.rel)
		out = append(out, e)
	}
	if err := firstGone(want); err != nil {
		return nil, nil, err
	}
	return items, sorted(out), nil
}

// ErrChanged marks a file that differs from its record (validation's, or
// an archive's files.json): the folder is not moved.
var ErrChanged = errors.New("a file differs from its record")

// entryOf returns the entry of the file it: from want when it is listed
// there (after checking its size), else by hashing it.
func entryOf(it item, want map[string]Entry, follow bool) (Entry, error) {
	k, ok := want[it.rel]
	if !ok {
		sum, n, err := hashFile(it.path, follow)
		return Entry{Path: it.rel, Bytes: n, SHA256: sum}, err
	}
	if it.size != k.Bytes {
		return Entry{}, fmt.Errorf("%s changed since it was validated (%d bytes, validated %d): %w", show(it.rel), it.size, k.Bytes, ErrChanged)
	}
	if !k.ModTime.IsZero() && !it.mtime.Equal(k.ModTime) {
		return Entry{}, fmt.Errorf("%s changed since it was validated (modified %s, validated as of %s): %w", show(it.rel),
			it.mtime.UTC().Format(time.RFC3339Nano), k.ModTime.UTC().Format(time.RFC3339Nano), ErrChanged)
	}
	k.ModTime = time.Time{}
	return k, nil
}

// firstGone reports the first (by path) of the known files left unseen.
func firstGone(left map[string]Entry) error {
	if len(left) == 0 {
		return nil
	}
	paths := make([]string, 0, len(left))
	for p := range left {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return fmt.Errorf("%s is gone since it was validated: %w", show(paths[0]), ErrChanged)
}

// FreeName returns dir/name, or dir/name.N with the smallest N ≥ 2 that
// does not exist yet (nor is being restored): an earlier archive is never
// overwritten.
func FreeName(dir, name string) string {
	p := filepath.Join(dir, name)
	for n := 2; ; n++ {
		if !exists(p) && !exists(p+restoringSuffix) {
			return p
		}
		p = filepath.Join(dir, fmt.Sprintf("%s.%d", name, n))
	}
}

// Latest returns the newest archive of name in dir (the one FreeName gave
// last), or "" if there is none. An archive whose restore was interrupted
// counts, so that Restore can finish it.
func Latest(dir, name string) string {
	latest := ""
	p := filepath.Join(dir, name)
	for n := 2; ; n++ {
		marked := exists(p + restoringSuffix)
		if _, err := os.Stat(filepath.Join(p, MetaDir)); err == nil || marked {
			latest = p
		} else if !exists(p) {
			return latest
		}
		p = filepath.Join(dir, fmt.Sprintf("%s.%d", name, n))
	}
}
