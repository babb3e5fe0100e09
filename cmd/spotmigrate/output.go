package main

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"spotmigrate/internal/scratch"
	"spotmigrate/report"
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

// reportFiles are the files --report-dir writes, one per format.
var reportFiles = []struct {
	format report.Format
	name   string
}{
	{report.Text, "report.txt"}, {report.Markdown, "report.md"}, {report.JSON, "report.json"},
	{report.JUnit, "report.junit.xml"}, {report.HTML, "report.html"},
}

// writeReportDir writes the report in every format into a new folder
// <dir>/<command>-<UTC time>, and says where; an earlier folder is never
// overwritten.
func writeReportDir(dir, command string, stderr io.Writer, write func(io.Writer, report.Format) error) error {
	if dir == "" {
		return nil
	}
	base := filepath.Join(dir, command+"-"+time.Now().UTC().Format("20060102T150405Z"))
	folder := base
	for n := 2; ; n++ {
		err := os.MkdirAll(filepath.Dir(folder), 0o755)
		if err == nil {
			err = os.Mkdir(folder, 0o755)
		}
		if err == nil {
			break
		}
		if !errors.Is(err, fs.ErrExist) {
			return withCode(exitUsage, fmt.Errorf("failed to create report folder: %w", err))
		}
		folder = fmt.Sprintf("%s-%d", base, n)
	}
	for _, rf := range reportFiles {
		f := rf.format
		if err := writeFileAtomic(filepath.Join(folder, rf.name), func(w io.Writer) error { return write(w, f) }); err != nil {
			return withCode(exitUsage, err)
		}
	}
	fmt.Fprintf(stderr, "Reports in every format written to %s.\n", folder)
	return nil
}
