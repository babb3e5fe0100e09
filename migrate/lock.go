package migrate

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"syscall"
)

// ErrLocked is returned when another run holds a lock.
var ErrLocked = errors.New("locked by another spotmigrate run")

// lock takes an advisory lock on path (a file, created if needed, or a
// folder): exclusive, or shared with other readers. The kernel drops it if
// the process dies, so a crash leaves no stale lock.
func lock(path, what string, create, shared bool) (func(), error) {
	flags := os.O_RDONLY
	if create {
		flags = os.O_RDWR | os.O_CREATE
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		return nil, fmt.Errorf("failed to open lock on %s: %w", what, err)
	}
	how := syscall.LOCK_EX
	if shared {
		how = syscall.LOCK_SH
	}
	if err := syscall.Flock(int(f.Fd()), how|syscall.LOCK_NB); err != nil {
		_ = f.Close()
		if errors.Is(err, syscall.EWOULDBLOCK) {
			return nil, fmt.Errorf("failed to lock %s: %w (wait for it to finish)", what, ErrLocked)
		}
		return nil, fmt.Errorf("failed to lock %s: %w", what, err)
	}
	return func() {
		_ = syscall.Flock(int(f.Fd()), syscall.LOCK_UN)
		_ = f.Close()
	}, nil
}

// LockTarget locks the target of e: exclusively for a run that writes it,
// shared for one that only reads it (reconcile), so that a reader never
// sees a migration half done.
func LockTarget(e Engine, shared bool) (func(), error) {
	if err := os.MkdirAll(filepath.Dir(e.LedgerPath()), 0o755); err != nil {
		return nil, fmt.Errorf("failed to create target folder: %w", err)
	}
	return lock(e.LedgerPath()+".lock", "target "+e.Name(), true, shared)
}

// LockTree locks the OA tree at root (the folder holding the pipeline
// folders) exclusively: migrate and restore move folders in it.
func LockTree(root string) (func(), error) {
	return lock(root, "OA tree "+root, false, false)
}
