package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"syscall"
)

// MetaDir is the folder inside an archive that describes it.
const MetaDir = ".spotmigrate-archive"

// Entry is one archived file.
type Entry struct {
	Path   string `json:"path"`
	Bytes  int64  `json:"bytes"`
	SHA256 string `json:"sha256"`
}

// Inventory lists every regular file under dir (except MetaDir) with its
// size and sha256.
func Inventory(dir string) ([]Entry, error) {
	var out []Entry
	err := walkFiles(dir, func(p, rel string, _ fs.DirEntry) error {
		sum, n, err := hashFile(p)
		if err != nil {
			return err
		}
		out = append(out, Entry{Path: rel, Bytes: n, SHA256: sum})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("failed to list %s: %w", dir, err)
	}
	return sorted(out), nil
}

// walkFiles calls fn for every regular file under dir outside MetaDir, with
// its path and its slash-separated path relative to dir.
func walkFiles(dir string, fn func(p, rel string, d fs.DirEntry) error) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == MetaDir {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, err := filepath.Rel(dir, p)
		if err != nil {
			return err
		}
		return fn(p, filepath.ToSlash(rel), d)
	})
}

func sorted(inv []Entry) []Entry {
	sort.Slice(inv, func(i, j int) bool { return inv[i].Path < inv[j].Path })
	return inv
}

func hashFile(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer func() { _ = f.Close() }()
	h := sha256.New()
	n, err := io.Copy(h, f)
	if err != nil {
		return "", 0, err
	}
	return hex.EncodeToString(h.Sum(nil)), n, nil
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
			return fmt.Errorf("failed to verify %s: %s is missing", dir, e.Path)
		case g.SHA256 != e.SHA256 || g.Bytes != e.Bytes:
			return fmt.Errorf("failed to verify %s: %s differs (sha256 %s, want %s)", dir, e.Path, g.SHA256, e.SHA256)
		}
		delete(have, e.Path)
	}
	for p := range have {
		return fmt.Errorf("failed to verify %s: unexpected file %s", dir, p)
	}
	return nil
}

// rename is os.Rename; tests replace it to force the cross-device path.
var rename = os.Rename

// Move archives src as dst, writing meta files (name → content) and
// files.json into dst/MetaDir. dst must not exist. known holds the entries
// the caller hashed during validation (Path relative to src, slash-separated):
// their sha256 is reused after checking that the size is unchanged, and every
// other file under src is hashed here.
func Move(src, dst string, known []Entry, meta map[string][]byte) error {
	if err := mustNotExist(dst); err != nil {
		return fmt.Errorf("failed to archive %s: %w (choose another --archive-dir, or restore it first)", src, err)
	}
	inv, err := inventoryKnown(src, known)
	if err != nil {
		return fmt.Errorf("failed to archive %s: %w", src, err)
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("failed to create archive folder: %w", err)
	}
	if err := move(src, dst, inv); err != nil {
		return err
	}
	return writeMeta(dst, inv, meta)
}

// mustNotExist fails unless p is absent (a dangling symlink counts as
// present).
func mustNotExist(p string) error {
	_, err := os.Lstat(p)
	switch {
	case err == nil:
		return fmt.Errorf("%s already exists", p)
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	return nil
}

// inventoryKnown is Inventory(src), taking the sha256 of the files in known
// from known instead of reading them; their size must be unchanged.
func inventoryKnown(src string, known []Entry) ([]Entry, error) {
	want := make(map[string]Entry, len(known))
	for _, e := range known {
		want[e.Path] = e
	}
	var out []Entry
	err := walkFiles(src, func(p, rel string, d fs.DirEntry) error {
		e, err := entryOf(p, rel, d, want)
		if err != nil {
			return err
		}
		delete(want, rel)
		out = append(out, e)
		return nil
	})
	if err != nil {
		return nil, err
	}
	if err := firstGone(want); err != nil {
		return nil, err
	}
	return sorted(out), nil
}

// entryOf returns the entry of the file p: from want when it is listed there
// (after checking its size), else by hashing it.
func entryOf(p, rel string, d fs.DirEntry, want map[string]Entry) (Entry, error) {
	k, ok := want[rel]
	if !ok {
		sum, n, err := hashFile(p)
		return Entry{Path: rel, Bytes: n, SHA256: sum}, err
	}
	info, err := d.Info()
	if err != nil {
		return Entry{}, err
	}
	if info.Size() != k.Bytes {
		return Entry{}, fmt.Errorf("%s changed since it was validated (%d bytes, validated %d)", rel, info.Size(), k.Bytes)
	}
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
	return fmt.Errorf("%s is gone since it was validated", paths[0])
}

// move renames src to dst without verifying again (the rename moves the
// files themselves). When they are on different file systems it copies src
// to dst.partial, verifies the copy against inv, renames it to dst and only
// then removes src.
func move(src, dst string, inv []Entry) error {
	err := rename(src, dst)
	if err == nil {
		return nil
	}
	if !errors.Is(err, syscall.EXDEV) {
		return fmt.Errorf("failed to move %s to %s: %w", src, dst, err)
	}
	part := dst + ".partial"
	if err := copyVerified(src, part, inv); err != nil {
		_ = os.RemoveAll(part)
		return fmt.Errorf("failed to move %s to %s: %w", src, dst, err)
	}
	if err := os.Rename(part, dst); err != nil {
		return fmt.Errorf("failed to move %s to %s: %w", part, dst, err)
	}
	if err := os.RemoveAll(src); err != nil {
		return fmt.Errorf("failed to remove %s after archiving it: %w", src, err)
	}
	return nil
}

// copyVerified copies src to part (replacing a leftover part) and checks
// that the copy holds exactly the files of inv.
func copyVerified(src, part string, inv []Entry) error {
	if err := os.RemoveAll(part); err != nil {
		return err
	}
	if err := os.CopyFS(part, os.DirFS(src)); err != nil {
		return fmt.Errorf("failed to copy %s to %s: %w", src, part, err)
	}
	return Verify(part, inv)
}

// writeMeta writes meta (name → content) and files.json (inv) into
// dst/MetaDir; files.json always holds inv.
func writeMeta(dst string, inv []Entry, meta map[string][]byte) error {
	dir := filepath.Join(dst, MetaDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("failed to write archive manifest: %w", err)
	}
	b, err := json.MarshalIndent(inv, "", "  ")
	if err != nil {
		return fmt.Errorf("failed to write archive manifest: %w", err)
	}
	for name, content := range meta {
		if err := writeMetaFile(dir, name, content); err != nil {
			return err
		}
	}
	return writeMetaFile(dir, "files.json", b)
}

func writeMetaFile(dir, name string, content []byte) error {
	if !filepath.IsLocal(name) || filepath.Base(name) != name {
		return fmt.Errorf("failed to write archive manifest: bad file name %q", name)
	}
	if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
		return fmt.Errorf("failed to write archive manifest: %w", err)
	}
	return nil
}

// Restore verifies the archive at src and moves it back to dst.
func Restore(src, dst string) error {
	b, err := os.ReadFile(filepath.Join(src, MetaDir, "files.json"))
	if err != nil {
		return fmt.Errorf("failed to read archive manifest of %s: %w", src, err)
	}
	var inv []Entry
	if err := json.Unmarshal(b, &inv); err != nil {
		return fmt.Errorf("failed to parse archive manifest of %s: %w", src, err)
	}
	if err := mustNotExist(dst); err != nil {
		return fmt.Errorf("failed to restore %s: %w", src, err)
	}
	if err := Verify(src, inv); err != nil {
		return err
	}
	meta := filepath.Join(src, MetaDir)
	keep := src + MetaDir
	if err := os.Rename(meta, keep); err != nil {
		return fmt.Errorf("failed to restore %s: %w", src, err)
	}
	if err := move(src, dst, inv); err != nil {
		if rerr := os.Rename(keep, meta); rerr != nil {
			return errors.Join(err, fmt.Errorf("failed to put back %s (it is at %s): %w", meta, keep, rerr))
		}
		return err
	}
	return os.RemoveAll(keep)
}

// FreeName returns dir/name, or dir/name.N with the smallest N ≥ 2 that
// does not exist yet: an earlier archive is never overwritten.
func FreeName(dir, name string) string {
	p := filepath.Join(dir, name)
	for n := 2; ; n++ {
		if _, err := os.Lstat(p); errors.Is(err, fs.ErrNotExist) {
			return p
		}
		p = filepath.Join(dir, fmt.Sprintf("%s.%d", name, n))
	}
}

// Latest returns the newest archive of name in dir (the one FreeName gave
// last), or "" if there is none.
func Latest(dir, name string) string {
	latest := ""
	p := filepath.Join(dir, name)
	for n := 2; ; n++ {
		if _, err := os.Stat(filepath.Join(p, MetaDir)); err == nil {
			latest = p
		} else if _, err := os.Lstat(p); err != nil {
			return latest
		}
		p = filepath.Join(dir, fmt.Sprintf("%s.%d", name, n))
	}
}
