// Package archive moves a migrated pipeline folder out of the old OA tree,
// and back (restore).
//
// An archive is the pipeline folder moved whole to <archive-dir>/<pipeline>
// with a .spotmigrate-archive/ folder inside it holding files.json (the size
// and sha256 of every file, taken before the move), the validation manifest
// and the reconcile report. The move is a rename where the file system
// allows it; otherwise a copy that is verified file by file before the
// source is removed. Restore verifies the archive the same way before
// putting the folder back.
package archive
