package scratch

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"time"
)

// ownerFile is the file a live run keeps locked inside its folder.
const ownerFile = ".owner"

// orphanAge is how old a folder without an owner file must be to be swept.
const orphanAge = time.Hour

// Prefixes are the names the run's temporary folders start with.
var Prefixes = []string{"spotmigrate-work-", "spotmigrate-stage-"}

// New creates a folder named prefix* in the system temporary folder, owned
// by this process until release, which removes it.
func New(prefix string) (string, func(), error) {
	dir, err := os.MkdirTemp("", prefix)
	if err != nil {
		return "", nil, fmt.Errorf("failed to create temporary folder: %w", err)
	}
	f, err := os.OpenFile(filepath.Join(dir, ownerFile), os.O_RDWR|os.O_CREATE, 0o644)
	if err == nil {
		err = syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB)
	}
	if err != nil {
		_ = os.RemoveAll(dir)
		return "", nil, fmt.Errorf("failed to own temporary folder %s: %w", dir, err)
	}
	return dir, func() {
		_ = os.RemoveAll(dir)
		_ = f.Close()
	}, nil
}

// Swept is what Sweep removed.
type Swept struct {
	Folders int
	Bytes   int64
}

// Sweep removes the folders of dead runs from the system temporary folder.
func Sweep() (Swept, error) {
	var s Swept
	entries, err := os.ReadDir(os.TempDir())
	if err != nil {
		return s, fmt.Errorf("failed to list %s: %w", os.TempDir(), err)
	}
	for _, e := range entries {
		if !e.IsDir() || !ours(e.Name()) {
			continue
		}
		dir := filepath.Join(os.TempDir(), e.Name())
		if !dead(dir, e) {
			continue
		}
		n := size(dir)
		if err := os.RemoveAll(dir); err != nil {
			return s, fmt.Errorf("failed to remove %s: %w", dir, err)
		}
		s.Folders++
		s.Bytes += n
	}
	return s, nil
}

func ours(name string) bool {
	for _, p := range Prefixes {
		if strings.HasPrefix(name, p) {
			return true
		}
	}
	return false
}

// dead is true when no live process owns dir.
func dead(dir string, e fs.DirEntry) bool {
	f, err := os.Open(filepath.Join(dir, ownerFile))
	if errors.Is(err, fs.ErrNotExist) {
		info, err := e.Info()
		return err == nil && time.Since(info.ModTime()) > orphanAge
	}
	if err != nil {
		return false
	}
	defer func() { _ = f.Close() }()
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
		return false
	}
	_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
	return true
}

// size is the total size of the regular files under dir.
func size(dir string) int64 {
	var n int64
	_ = filepath.WalkDir(dir, func(_ string, d fs.DirEntry, err error) error {
		if err == nil && d.Type().IsRegular() {
			if info, err := d.Info(); err == nil {
				n += info.Size()
			}
		}
		return nil
	})
	return n
}
