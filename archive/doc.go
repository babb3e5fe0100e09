// Package archive moves a migrated pipeline folder out of the old OA tree,
// and back (restore).
//
// An archive is the pipeline folder moved whole to <archive-dir>/<pipeline>
// with a .spotmigrate-archive/ folder inside it holding files.json (the size
// and sha256 of every file, taken before the move), the validation manifest
// and the reconcile report. The destination must not exist: FreeName picks
// <pipeline>, <pipeline>.2, ... so an earlier archive is never overwritten.
//
// Move does not read the files again that validation already hashed: the
// caller passes those entries and their sha256 values go into files.json as
// they are, after checking that each file still exists with the validated
// size. Files that validation did not cover are hashed by Move.
//
// The move is a rename where the file system allows it. A rename moves the
// files themselves, so it is not verified again. Across file systems the
// folder is copied to <dst>.partial, the copy is read back and verified file
// by file against files.json (this also catches a file whose content changed
// since validation), and only then is the copy renamed to <dst> and the
// source removed; on a failed verification the partial copy is removed and
// the source is left as it was.
//
// Restore verifies the archive against files.json before putting the folder
// back, by a rename or the same verified cross-device copy, and leaves the
// archive in place when verification fails.
package archive
