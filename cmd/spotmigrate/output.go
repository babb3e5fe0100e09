package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"

	"spotmigrate/internal/scratch"
)

// writeReport writes a report to path (atomically) or to stdout; with a
// path, the verdict line goes to stderr so a person still sees the outcome.
func writeReport(path string, stdout, stderr io.Writer, write func(io.Writer) error, verdict string) error {
	if path == "" {
		return write(stdout)
	}
	if err := writeFileAtomic(path, write); err != nil {
		return withCode(exitUsage, err)
	}
	fmt.Fprintf(stderr, "%s (report: %s)\n", verdict, path)
	return nil
}

// writeFileAtomic writes a file through a temporary file and a rename.
func writeFileAtomic(path string, write func(io.Writer) error) error {
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp-*")
	if err != nil {
		return fmt.Errorf("failed to create %s: %w", path, err)
	}
	defer func() { _ = os.Remove(tmp.Name()) }()
	if err := write(tmp); err != nil {
		_ = tmp.Close()
		return fmt.Errorf("failed to write %s: %w", path, err)
	}
	if err := tmp.Close(); err != nil {
		return fmt.Errorf("failed to write %s: %w", path, err)
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return fmt.Errorf("failed to write %s: %w", path, err)
	}
	return nil
}

// sweepScratch removes the temporary folders of runs that died, and says
// so. A failure to sweep never stops the run.
func sweepScratch(w io.Writer) {
	s, err := scratch.Sweep()
	if err != nil {
		fmt.Fprintf(w, "Warning: %v\n", err)
	}
	if s.Folders > 0 {
		fmt.Fprintf(w, "Removed %d temporary folder(s) left by runs that died (%.1f MB).\n", s.Folders, float64(s.Bytes)/1e6)
	}
}
