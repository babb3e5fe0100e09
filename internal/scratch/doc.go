// Package scratch makes the temporary folders of a run (the work database,
// the staging files) and removes those that runs killed before their end
// left behind.
//
// Each folder holds an owner file that its run keeps locked (flock) while
// it lives. The kernel drops the lock when the process dies, however it
// dies, so a folder whose owner file can be locked by someone else belongs
// to a dead run. Sweep removes those, and folders without an owner file
// (an older build's) once they are an hour old.
package scratch
