package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"spotmigrate/archive"
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
	dir := *archiveDir
	if dir == "" {
		dir = filepath.Join(root, "backup")
	}
	restored := 0
	for _, p := range list {
		src := archive.Latest(dir, p)
		if src == "" {
			continue
		}
		if err := archive.Restore(src, filepath.Join(root, p)); err != nil {
			return withCode(exitUsage, err)
		}
		fmt.Fprintf(stdout, "Restored %s to %s.\n", src, filepath.Join(root, p))
		restored++
	}
	if restored == 0 {
		return usageErr("failed to restore: no archived pipeline (%s) found in %s", *pipes, dir)
	}
	return nil
}

// requireFile fails with a usage error when path does not exist.
func requireFile(path string) error {
	if _, err := os.Stat(path); err != nil {
		return withCode(exitUsage, fmt.Errorf("failed to open target: %w", err))
	}
	return nil
}
