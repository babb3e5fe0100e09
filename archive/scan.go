package archive

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"syscall"
	"time"
)

// item is a folder or regular file found by scan.
type item struct {
	rel   string // slash-separated path below the scanned folder
	path  string // path on disk, through symbolic links when following them
	dir   bool
	link  bool // a symbolic link stands at rel (followed)
	size  int64
	perm  fs.FileMode
	mtime time.Time
}

// fileID identifies a folder, to find symbolic link loops.
type fileID struct{ dev, ino uint64 }

type scanner struct {
	follow bool
	items  []item
	stack  []fileID
}

// scan lists every folder and regular file below root, outside root/MetaDir,
// parents before children and names in byte order. A symbolic link is an
// error unless follow is set, then it stands for what it points to. Any
// other kind of file (FIFO, socket, device) is an error: scan opens folders
// only. root itself may be a link to a folder when follow is set.
func scan(root string, follow bool) ([]item, error) {
	info, err := os.Lstat(root)
	if err != nil {
		return nil, err
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		if !follow {
			return nil, fmt.Errorf("%s is a symbolic link (archive with FollowSymlinks to keep its content)", show(root))
		}
		if info, err = os.Stat(root); err != nil {
			return nil, fmt.Errorf("%s is a broken symbolic link: %w", show(root), err)
		}
	}
	if !info.IsDir() {
		return nil, fmt.Errorf("%s is not a folder", show(root))
	}
	s := &scanner{follow: follow}
	if err := s.dir(root, "", info); err != nil {
		return nil, err
	}
	return s.items, nil
}

func (s *scanner) dir(path, rel string, info fs.FileInfo) error {
	id := idOf(info)
	if slices.Contains(s.stack, id) {
		return fmt.Errorf("%s is a symbolic link loop", show(rel))
	}
	s.stack = append(s.stack, id)
	defer func() { s.stack = s.stack[:len(s.stack)-1] }()
	ents, err := os.ReadDir(path)
	if err != nil {
		return err
	}
	for _, e := range ents {
		if rel == "" && e.Name() == MetaDir {
			continue
		}
		if err := s.entry(filepath.Join(path, e.Name()), joinRel(rel, e.Name())); err != nil {
			return err
		}
	}
	return nil
}

func (s *scanner) entry(path, rel string) error {
	info, err := os.Lstat(path)
	if err != nil {
		return err
	}
	link := info.Mode()&fs.ModeSymlink != 0
	if link {
		if !s.follow {
			return fmt.Errorf("%s is a symbolic link (archive with FollowSymlinks to keep its content)", show(rel))
		}
		if info, err = os.Stat(path); err != nil {
			return fmt.Errorf("%s is a broken symbolic link: %w", show(rel), err)
		}
	}
	it := item{rel: rel, path: path, link: link, perm: info.Mode().Perm(), mtime: info.ModTime()}
	switch {
	case info.IsDir():
		it.dir = true
		s.items = append(s.items, it)
		return s.dir(path, rel, info)
	case info.Mode().IsRegular():
		it.size = info.Size()
		s.items = append(s.items, it)
		return nil
	}
	return fmt.Errorf("%s is a %s, not a regular file: it is never opened or archived", show(rel), kindOf(info.Mode()))
}

func idOf(info fs.FileInfo) fileID {
	if st, ok := info.Sys().(*syscall.Stat_t); ok {
		return fileID{dev: uint64(st.Dev), ino: st.Ino}
	}
	return fileID{}
}

func joinRel(rel, name string) string {
	if rel == "" {
		return name
	}
	return rel + "/" + name
}

// kindOf names a kind of file that is neither a folder nor a regular file.
func kindOf(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

// openRegular opens p for reading, failing without blocking when it is not
// a regular file (it may have been replaced since it was scanned). Unless
// follow is set, a symbolic link in its last component is refused.
func openRegular(p string, follow bool) (*os.File, error) {
	flags := os.O_RDONLY | syscall.O_NONBLOCK
	if !follow {
		flags |= syscall.O_NOFOLLOW
	}
	f, err := os.OpenFile(p, flags, 0)
	if err != nil {
		return nil, err
	}
	info, err := f.Stat()
	if err == nil && !info.Mode().IsRegular() {
		err = fmt.Errorf("%s is not a regular file", show(p))
	}
	if err != nil {
		_ = f.Close()
		return nil, err
	}
	return f, nil
}

func hashFile(p string, follow bool) (string, int64, error) {
	f, err := openRegular(p, follow)
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
