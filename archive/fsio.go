package archive

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
)

// syncDir makes the entries of the folder dir durable.
func syncDir(dir string) error {
	f, err := os.Open(dir)
	if err != nil {
		return fmt.Errorf("failed to sync folder %s: %w", show(dir), err)
	}
	defer func() { _ = f.Close() }()
	if err := f.Sync(); err != nil {
		return fmt.Errorf("failed to sync folder %s: %w", show(dir), err)
	}
	return nil
}

// syncParents syncs the folders holding each path.
func syncParents(paths ...string) error {
	for _, p := range paths {
		if err := syncDir(filepath.Dir(p)); err != nil {
			return err
		}
	}
	return nil
}

// writeFileSync writes a new file p and makes its content durable (not its
// name: sync its folder for that).
func writeFileSync(p string, content []byte, perm fs.FileMode) error {
	f, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	if err != nil {
		return err
	}
	_, err = f.Write(content)
	if err == nil {
		err = f.Sync()
	}
	return errors.Join(err, f.Close())
}

// writeAtomic replaces p with content durably: a reader (or a crash) sees
// the old file or the whole new one.
func writeAtomic(p string, content []byte) error {
	tmp := p + ".tmp"
	if err := writeFileSync(tmp, content, 0o644); err != nil {
		return fmt.Errorf("failed to write %s: %w", show(tmp), err)
	}
	if err := os.Rename(tmp, p); err != nil {
		return fmt.Errorf("failed to rename %s: %w", show(tmp), err)
	}
	return syncDir(filepath.Dir(p))
}

// copyTree copies the folders and files of items (scanned below src) to
// the new folder to, syncing every file; folders are synced by syncTree.
func copyTree(src, to string, items []item, follow bool) error {
	info, err := os.Stat(src)
	if err != nil {
		return err
	}
	if err := os.Mkdir(to, info.Mode().Perm()|0o700); err != nil {
		return err
	}
	for _, it := range items {
		if err := Canceled(); err != nil {
			return err
		}
		p := filepath.Join(to, filepath.FromSlash(it.rel))
		if it.dir {
			err = os.Mkdir(p, it.perm|0o700)
		} else {
			err = copyFile(it, p, follow)
		}
		if err != nil {
			return fmt.Errorf("failed to copy %s: %w", show(it.rel), err)
		}
	}
	return nil
}

// copyFile copies the regular file of it to the new file p, durably, with
// its permissions and modification time.
func copyFile(it item, p string, follow bool) error {
	in, err := openRegular(it.path, follow)
	if err != nil {
		return err
	}
	defer func() { _ = in.Close() }()
	out, err := os.OpenFile(p, os.O_WRONLY|os.O_CREATE|os.O_EXCL, it.perm)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if err == nil {
		err = out.Sync()
	}
	if err = errors.Join(err, out.Close()); err != nil {
		return err
	}
	return os.Chtimes(p, it.mtime, it.mtime)
}

// syncTree syncs every folder of a tree copied by copyTree to dir, deepest
// first, then dir and its parent.
func syncTree(dir string, items []item) error {
	for i := len(items) - 1; i >= 0; i-- {
		if items[i].dir {
			if err := syncDir(filepath.Join(dir, filepath.FromSlash(items[i].rel))); err != nil {
				return err
			}
		}
	}
	if err := syncDir(dir); err != nil {
		return err
	}
	return syncParents(dir)
}

// writeMeta writes meta (name → content) and files.json (inv) durably into
// a fresh dir/MetaDir, replacing an old one.
func writeMeta(dir string, inv []Entry, meta map[string][]byte) error {
	md := filepath.Join(dir, MetaDir)
	if err := os.RemoveAll(md); err != nil {
		return fmt.Errorf("failed to write archive manifest: %w", err)
	}
	if err := os.Mkdir(md, 0o755); err != nil {
		return fmt.Errorf("failed to write archive manifest: %w", err)
	}
	b, err := json.MarshalIndent(inv, "", "  ")
	if err != nil {
		return fmt.Errorf("failed to write archive manifest: %w", err)
	}
	for name, content := range meta {
		if err := writeMetaFile(md, name, content); err != nil {
			return err
		}
	}
	if err := writeMetaFile(md, "files.json", b); err != nil {
		return err
	}
	if err := syncDir(md); err != nil {
		return err
	}
	return syncDir(dir)
}

func writeMetaFile(dir, name string, content []byte) error {
	if !filepath.IsLocal(name) || filepath.Base(name) != name {
		return fmt.Errorf("failed to write archive manifest: bad file name %q", name)
	}
	if err := writeFileSync(filepath.Join(dir, name), content, 0o644); err != nil {
		return fmt.Errorf("failed to write archive manifest: %w", err)
	}
	return nil
}

// loadInventory reads dir/MetaDir/files.json.
func loadInventory(dir string) ([]Entry, error) {
	b, err := os.ReadFile(filepath.Join(dir, MetaDir, "files.json"))
	if err != nil {
		return nil, fmt.Errorf("failed to read archive manifest of %s: %w", show(dir), err)
	}
	var inv []Entry
	if err := json.Unmarshal(b, &inv); err != nil {
		return nil, fmt.Errorf("failed to parse archive manifest of %s: %w", show(dir), err)
	}
	return inv, nil
}

// removeMeta removes dir/MetaDir durably.
func removeMeta(dir string) error {
	if err := os.RemoveAll(filepath.Join(dir, MetaDir)); err != nil {
		return fmt.Errorf("failed to remove %s: %w", MetaDir, err)
	}
	return syncDir(dir)
}

// mustNotExist fails unless p is absent (a dangling symlink counts as
// present).
func mustNotExist(p string) error {
	_, err := os.Lstat(p)
	switch {
	case err == nil:
		return fmt.Errorf("%s already exists", show(p))
	case !errors.Is(err, fs.ErrNotExist):
		return err
	}
	return nil
}

// exists reports whether anything (a dangling symlink too) is at p.
func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// present reports whether anything is at p, failing on an error other than
// its absence (recovery must not guess).
func present(p string) (bool, error) {
	_, err := os.Lstat(p)
	switch {
	case err == nil:
		return true, nil
	case errors.Is(err, fs.ErrNotExist):
		return false, nil
	}
	return false, err
}
