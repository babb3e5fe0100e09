package archive

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// transfer moves the folder from to the absent folder to across file
// systems: a copy to <to>.partial, synced and verified against inv, renamed
// to to, and only then the removal of from.
type transfer struct {
	*run
	from, to string
	items    []item  // scanned below from
	inv      []Entry // what the copy must hold
	follow   bool
	prefix   string                  // of the step names: "" for Move, "restore-" for Restore
	meta     func(part string) error // writes metadata into the copy; nil for none
	placed   bool                    // to exists: nothing may be cleaned up any more
}

func (t *transfer) part() string { return t.to + ".partial" }

func (t *transfer) do() error {
	if err := t.copy(); err != nil {
		return err
	}
	if err := t.place(); err != nil {
		return err
	}
	return t.clear()
}

// copy makes the verified copy <to>.partial, replacing a leftover one (from
// is whole while to is absent).
func (t *transfer) copy() error {
	part := t.part()
	if err := os.RemoveAll(part); err != nil {
		return fmt.Errorf("failed to remove leftover %s: %w", show(part), err)
	}
	if err := copyTree(t.from, part, t.items, t.follow); err != nil {
		return fmt.Errorf("failed to copy %s to %s: %w", show(t.from), show(part), err)
	}
	if err := t.step(t.prefix + "copied"); err != nil {
		return err
	}
	if err := syncTree(part, t.items); err != nil {
		return err
	}
	if err := t.step(t.prefix + "copy-synced"); err != nil {
		return err
	}
	if err := Verify(part, t.inv); err != nil {
		return fmt.Errorf("failed to move %s to %s: %w", show(t.from), show(t.to), err)
	}
	if err := t.step(t.prefix + "copy-verified"); err != nil {
		return err
	}
	if t.meta == nil {
		return nil
	}
	if err := t.meta(part); err != nil {
		return err
	}
	return t.step(t.prefix + "copy-meta-written")
}

// place renames the verified copy to its final name.
func (t *transfer) place() error {
	if err := os.Rename(t.part(), t.to); err != nil {
		return fmt.Errorf("failed to move %s to %s: %w", show(t.part()), show(t.to), err)
	}
	t.placed = true
	if err := syncParents(t.to); err != nil {
		return err
	}
	return t.step(t.prefix + "partial-renamed")
}

// clear removes the source once its copy is in place, refusing (before
// removing anything) when it holds something the copy does not.
func (t *transfer) clear() error {
	if err := provenCopy(t.from, t.to, t.inv, false); err != nil {
		return fmt.Errorf("failed to remove %s after copying it to %s: %w", show(t.from), show(t.to), err)
	}
	return t.removeSource(t.from, t.prefix)
}

// provenCopy checks that everything src holds outside MetaDir (following
// symbolic links) is also in dst, whose inventory inv was verified: every
// file by path and size, and by sha256 when hash is set, every folder as a
// folder.
func provenCopy(src, dst string, inv []Entry, hash bool) error {
	items, err := scan(src, true)
	if err != nil {
		return err
	}
	want := make(map[string]Entry, len(inv))
	for _, e := range inv {
		want[e.Path] = e
	}
	for _, it := range items {
		if err := provenItem(it, dst, want, hash); err != nil {
			return err
		}
	}
	return nil
}

func provenItem(it item, dst string, want map[string]Entry, hash bool) error {
	if it.dir {
		info, err := os.Lstat(filepath.Join(dst, filepath.FromSlash(it.rel)))
		if err != nil || !info.IsDir() {
			return fmt.Errorf("folder %s is not in %s (it is kept)", show(it.rel), show(dst))
		}
		return nil
	}
	e, ok := want[it.rel]
	if !ok {
		return fmt.Errorf("%s is not in %s (it is kept)", show(it.rel), show(dst))
	}
	size := it.size
	if hash {
		sum, n, err := hashFile(it.path, true)
		if err != nil {
			return err
		}
		if sum != e.SHA256 {
			return fmt.Errorf("%s differs from its copy in %s (it is kept)", show(it.rel), show(dst))
		}
		size = n
	}
	if size != e.Bytes {
		return fmt.Errorf("%s differs from its copy in %s (%d bytes, copy %d; it is kept)", show(it.rel), show(dst), size, e.Bytes)
	}
	return nil
}

// removeSource removes src, whose content was proven to be in its copy:
// symbolic links first (never what they point to), then files, each
// followed by the step <prefix>src-removing, then the emptied folders, its
// MetaDir last, and src itself. Folders are removed one by one, so anything
// unexpected in them stays.
func (r *run) removeSource(src, prefix string) error {
	links, files, dirs, err := removalOrder(src)
	if err != nil {
		return fmt.Errorf("failed to remove %s: %w", show(src), err)
	}
	for _, p := range append(links, files...) {
		if err := os.Remove(p); err != nil {
			return fmt.Errorf("failed to remove %s: %w", show(p), err)
		}
		if err := r.step(prefix + "src-removing"); err != nil {
			return err
		}
	}
	for i := len(dirs) - 1; i >= 0; i-- {
		if err := os.Remove(dirs[i]); err != nil {
			return fmt.Errorf("failed to remove folder %s: %w", show(dirs[i]), err)
		}
	}
	if err := os.RemoveAll(filepath.Join(src, MetaDir)); err != nil {
		return fmt.Errorf("failed to remove %s: %w", show(filepath.Join(src, MetaDir)), err)
	}
	if err := os.Remove(src); err != nil {
		return fmt.Errorf("failed to remove folder %s: %w", show(src), err)
	}
	if err := syncParents(src); err != nil {
		return err
	}
	return r.step(prefix + "src-removed")
}

// removalOrder lists what is below src outside src/MetaDir without
// following symbolic links: the links, the regular files and the folders
// (parents first).
func removalOrder(src string) (links, files, dirs []string, err error) {
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		switch {
		case err != nil:
			return err
		case p == src:
			return nil
		case d.IsDir() && filepath.Dir(p) == src && d.Name() == MetaDir:
			return filepath.SkipDir
		case d.IsDir():
			dirs = append(dirs, p)
		case d.Type()&fs.ModeSymlink != 0:
			links = append(links, p)
		case d.Type().IsRegular():
			files = append(files, p)
		default:
			return fmt.Errorf("%s is a %s", show(p), kindOf(d.Type()))
		}
		return nil
	})
	return links, files, dirs, err
}
