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
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == MetaDir {
			return filepath.SkipDir
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(dir, p)
		sum, n, err := hashFile(p)
		if err != nil {
			return err
		}
		out = append(out, Entry{Path: filepath.ToSlash(rel), Bytes: n, SHA256: sum})
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("failed to list %s: %w", dir, err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Path < out[j].Path })
	return out, nil
}

func hashFile(p string) (string, int64, error) {
	f, err := os.Open(p)
	if err != nil {
		return "", 0, err
	}
	defer f.Close()
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

// Move archives src as dst, writing meta files (name → content) into
// dst/MetaDir. dst must not exist.
func Move(src, dst string, meta map[string][]byte) error {
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("failed to archive %s: %s already exists (choose another --archive-dir, or restore it first)", src, dst)
	}
	inv, err := Inventory(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return fmt.Errorf("failed to create archive folder: %w", err)
	}
	if err := move(src, dst, inv); err != nil {
		return err
	}
	if err := Verify(dst, inv); err != nil {
		return err
	}
	return writeMeta(dst, inv, meta)
}

// move renames src to dst, or copies, verifies and then removes src when
// they are on different file systems.
func move(src, dst string, inv []Entry) error {
	err := os.Rename(src, dst)
	if err == nil {
		return nil
	}
	if !errors.Is(err, syscall.EXDEV) {
		return fmt.Errorf("failed to move %s to %s: %w", src, dst, err)
	}
	part := dst + ".partial"
	os.RemoveAll(part)
	if err := os.CopyFS(part, os.DirFS(src)); err != nil {
		return fmt.Errorf("failed to copy %s to %s: %w", src, part, err)
	}
	if err := Verify(part, inv); err != nil {
		return err
	}
	if err := os.Rename(part, dst); err != nil {
		return fmt.Errorf("failed to move %s to %s: %w", part, dst, err)
	}
	if err := os.RemoveAll(src); err != nil {
		return fmt.Errorf("failed to remove %s after archiving it: %w", src, err)
	}
	return nil
}

func writeMeta(dst string, inv []Entry, meta map[string][]byte) error {
	dir := filepath.Join(dst, MetaDir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("failed to write archive manifest: %w", err)
	}
	b, err := json.MarshalIndent(inv, "", "  ")
	if err != nil {
		return fmt.Errorf("failed to write archive manifest: %w", err)
	}
	meta["files.json"] = b
	for name, content := range meta {
		if err := os.WriteFile(filepath.Join(dir, name), content, 0o644); err != nil {
			return fmt.Errorf("failed to write archive manifest: %w", err)
		}
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
	if _, err := os.Stat(dst); err == nil {
		return fmt.Errorf("failed to restore %s: %s already exists", src, dst)
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
		os.Rename(keep, meta)
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
