package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"spotmigrate/archive"
	"spotmigrate/migrate"
	"spotmigrate/validate"
)

func runRestore(_ context.Context, args []string, stdout, stderr io.Writer) error {
	fs := newFlags("restore", "--oa-path DIR [--pipelines flow,dns,proxy] [--archive-dir DIR]", stderr)
	oaPath := fs.String("oa-path", "", "the old spot-oa folder, or its data/ folder (required)")
	pipes := fs.String("pipelines", "flow,dns,proxy", "pipelines to restore")
	archiveDir := fs.String("archive-dir", "", "where the pipelines were archived (default: <data>/backup)")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *oaPath == "" {
		return usageErr("--oa-path is required")
	}
	list, err := pipelinesFlag(*pipes)
	if err != nil {
		return err
	}
	root, err := validate.FindRoot(*oaPath)
	if err != nil {
		return withCode(exitUsage, err)
	}
	unlock, err := migrate.LockTree(root)
	if err != nil {
		return err
	}
	defer unlock()
	dir := *archiveDir
	if dir == "" {
		dir = filepath.Join(root, "backup")
	}
	restored, settled := 0, 0
	for _, p := range list {
		interrupted := archive.Interrupted(filepath.Join(root, p))
		src, err := settleArchive(stdout, filepath.Join(root, p), dir, p)
		if err != nil {
			return withCode(exitUsage, err)
		}
		if interrupted {
			settled++
		}
		if src == "" {
			continue
		}
		if err := archive.Restore(src, filepath.Join(root, p)); err != nil {
			return withCode(exitUsage, err)
		}
		fmt.Fprintf(stdout, "Restored %s to %s.\n", src, filepath.Join(root, p))
		restored++
	}
	if restored == 0 && settled == 0 {
		return usageErr("failed to restore: no archived pipeline (%s) found in %s", *pipes, dir)
	}
	return nil
}

// settleArchive finishes or rolls back an archive of the pipeline folder
// at tree that a crash interrupted (Move leaves MetaDir in the folder until
// its very end), and returns the newest archive of the pipeline in dir.
// What is left in the tree is removed only when every file of it is proven
// to be in the archive.
func settleArchive(w io.Writer, tree, dir, pipe string) (string, error) {
	latest := archive.Latest(dir, pipe)
	if !archive.Interrupted(tree) {
		return latest, nil
	}
	// the archive being written: complete (latest) once its partial copy
	// was renamed into place, else the next free name
	to := archive.FreeName(dir, pipe)
	if latest != "" && !archive.Restoring(latest) && !exists(to+".partial") {
		to = latest
	}
	state, err := archive.Recover(tree, to)
	if err != nil {
		return "", fmt.Errorf("failed to settle the interrupted archive of %s: %w", tree, err)
	}
	fmt.Fprintf(w, "Settled the interrupted archive of %s: %s.\n", tree, state)
	if state == archive.RolledBack {
		return "", nil
	}
	return archive.Latest(dir, pipe), nil
}

func exists(p string) bool {
	_, err := os.Lstat(p)
	return err == nil
}

// requireFile fails with a usage error when path does not exist.
func requireFile(path string) error {
	if _, err := os.Stat(path); err != nil {
		return withCode(exitUsage, fmt.Errorf("failed to open target: %w", err))
	}
	return nil
}
