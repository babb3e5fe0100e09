package archive

// Step is called at every step of Move, Restore and the recovery functions
// with the step's name (see MoveSteps and RestoreSteps), once the step is
// durable. When it returns an error, the operation returns that error at
// once without cleaning up, as if the process had crashed there; the state
// left is one Recover or RecoverRestore finishes or rolls back. Tests and
// the caller's failpoints replace it; it must not be changed while an
// operation runs.
var Step = func(name string) error { return nil }

// Canceled is checked before each file a move across file systems copies:
// an error stops the copy, which is then removed (the source is whole), so
// that an interrupted run stops at once. The caller sets it to its
// context's Err.
var Canceled = func() error { return nil }

// MoveSteps are the names Step receives during Move (and Recover), in order.
// A rename on one file system goes through "meta-written" and "renamed";
// a move across file systems through "meta-written" and "copied" to
// "src-removed". "src-removing" comes after each source file or link
// removed, so it is called once per file.
var MoveSteps = []string{
	"meta-written", "renamed",
	"copied", "copy-synced", "copy-verified", "copy-meta-written", "partial-renamed",
	"src-removing", "src-removed",
}

// RestoreSteps are the names Step receives during Restore (and
// RecoverRestore), in order. A rename goes through "restore-marked",
// "restore-renamed", "restore-meta-removed" and "restore-unmarked"; a move
// across file systems from "restore-copied" to "restore-src-removed" instead
// of the middle two. "restore-src-removing" comes after each archived file
// removed.
var RestoreSteps = []string{
	"restore-marked", "restore-renamed", "restore-meta-removed",
	"restore-copied", "restore-copy-synced", "restore-copy-verified", "restore-partial-renamed",
	"restore-src-removing", "restore-src-removed",
	"restore-unmarked",
}

// run is one operation; crashed is set once Step failed, so that nothing is
// cleaned up after it.
type run struct {
	crashed bool
}

func (r *run) step(name string) error {
	if err := Step(name); err != nil {
		r.crashed = true
		return err
	}
	return nil
}
