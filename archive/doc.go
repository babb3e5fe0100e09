// Package archive moves a migrated pipeline folder out of the old OA tree,
// and back (restore), so that nothing is lost whenever the process stops.
//
// # Layout
//
// An archive is the pipeline folder moved whole to <archive-dir>/<pipeline>
// with a .spotmigrate-archive/ folder (MetaDir) inside it holding
// files.json (the path, size and sha256 of every file, taken before the
// move), the validation manifest and the reconcile report. The destination
// must not exist: FreeName picks <pipeline>, <pipeline>.2, ... so an
// earlier archive is never overwritten.
//
// Paths in files.json are slash-separated and relative to the folder. File
// and folder names may be any bytes: a path that is not valid UTF-8 is also
// written as "path_bytes" (base64 of the raw bytes), which wins when read.
//
// Only folders and regular files are archived; only regular files are ever
// opened. A FIFO, socket or device anywhere in the folder is an error naming
// it. A symbolic link is an error too, unless Options.FollowSymlinks is set:
// then the archive holds the content of the file or folder the link points
// to (a link loop is an error), the link itself is removed with the source
// and what it points to is left untouched.
//
// Move does not read the files again that validation already hashed: the
// caller passes those entries, and their sha256 values go into files.json
// after a check that each file still exists with the validated size. Files
// that validation did not cover are hashed by Move.
//
// # Move
//
// Move(src, dst) first writes MetaDir into src (every file, MetaDir and src
// synced) — step "meta-written". Then:
//
//   - On one file system it renames src to dst and syncs both parent
//     folders ("renamed"). The rename moves the files themselves, so they
//     are not read again.
//   - Across file systems (the rename fails with EXDEV), or when
//     FollowSymlinks meets a link (a rename would move the link), it copies
//     src to dst.partial syncing every file ("copied"), syncs every folder
//     ("copy-synced"), reads the copy back and verifies it against
//     files.json ("copy-verified": a file that changed since validation
//     blocks the archive), writes MetaDir into the copy
//     ("copy-meta-written"), renames dst.partial to dst and syncs its parent
//     ("partial-renamed"). Only then is src removed: after checking that it
//     holds nothing the copy lacks, symbolic links then files one by one
//     ("src-removing" after each), then the emptied folders, then src/MetaDir
//     and src ("src-removed").
//
// An error from Move other than one returned by Step leaves src as it was
// (the partial copy and src/MetaDir are removed), unless dst is already in
// place: then src is kept whole or in part and Recover finishes.
//
// # Recover: the states a Move can leave
//
// The caller records its intent (src, dst) before calling Move, and after a
// crash calls Recover(src, dst), which looks at the disk:
//
//	src    dst.partial  dst       Recover
//	whole  -            -         RolledBack: remove src/MetaDir
//	whole  partial      -         RolledBack: remove dst.partial and src/MetaDir
//	part   -            complete  Archived: verify dst, prove and remove src
//	-      -            complete  Archived: verify dst
//	-      any          -         error (dst.partial is kept)
//	any    present      present   error (both are kept)
//
// src is whole while dst does not exist, because src is removed only after
// dst is in place. "Prove" means: dst verifies against its files.json, every
// file left in src (through symbolic links too) has the same sha256 as its
// dst counterpart and every folder left in src is a folder in dst. Anything
// else (a new or changed file, a folder only in src, a damaged dst, src
// beside dst without MetaDir and not empty) is an error naming it, and
// nothing is removed. Recover is idempotent: a crash during Recover leaves
// one of the states above.
//
// # Restore
//
// Restore(arch, dst) verifies the archive against files.json, then writes
// the marker <arch>.restoring (dst and the inventory, written atomically)
// beside the archive ("restore-marked"). Then, on one file system, it
// renames arch to dst ("restore-renamed") and removes dst/MetaDir
// ("restore-meta-removed"); across file systems it copies, syncs, verifies
// and renames dst.partial to dst ("restore-copied" to
// "restore-partial-renamed"), then removes the archive like Move removes its
// source ("restore-src-removing" after each file, "restore-src-removed").
// Last it removes the marker ("restore-unmarked").
//
// RecoverRestore(arch, dst) reads the marker; Restore calls it first when a
// marker is there, and Latest and FreeName count a marked archive as
// present, so running the restore again works after a crash anywhere:
//
//	marker  arch   dst.partial  dst                 RecoverRestore
//	-       whole  -            -                   RolledBack (nothing to do)
//	-       -      -            without MetaDir     Restored (nothing to do)
//	yes     whole  any          -                   RolledBack: remove dst.partial, marker
//	yes     any    -            complete            Restored: verify dst against the
//	                                                marker, prove and remove arch,
//	                                                remove dst/MetaDir and the marker
//	other states                                    error, nothing removed
//
// # Failpoints
//
// Step is called with each step's name (MoveSteps, RestoreSteps) once the
// step is durable. When it returns an error the operation returns it at
// once, cleaning up nothing, as a crash there would: tests and the caller's
// crash matrix iterate the step names and check that Recover and
// RecoverRestore reach a whole tree in exactly one place.
package archive
