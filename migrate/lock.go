package migrate

import (
	"errors"
	"fmt"
	"os"
	"syscall"
)

// ErrLocked is returned when another run holds a lock.
var ErrLocked = errors.New("locked by another spotmigrate run")

// lock takes an exclusive advisory lock on path (a file, created if needed,
// or a folder). The kernel drops it if the process dies, so a crash leaves
// no stale lock.
func lock(path, what string, create bool) (func(), error) {
	flags := os.O_RDONLY
	if create {
		flags = os.O_RDWR | os.O_CREATE
	}
	f, err := os.OpenFile(path, flags, 0o644)
	if err != nil {
		return nil, fmt.Errorf("failed to open lock on %s: %w", what, err)
	}
	if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
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
