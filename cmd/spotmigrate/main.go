// Command spotmigrate moves Apache Spot's pre-1.0 OA files into the Spot 1.0
// tables and proves that nothing was lost on the way.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/signal"
	"strings"
	"syscall"

	"spotmigrate/migrate"
	"spotmigrate/validate"
)

// Exit codes, the same for every command. The help text is built from
// exitCodes, so the two cannot drift apart.
const (
	exitOK       = 0
	exitFailure  = 1
	exitUsage    = 2
	exitRejects  = 3
	exitMismatch = 4
	exitLocked   = 5
	// exitInterrupted is the shell's code for a run stopped by SIGINT.
	exitInterrupted = 130
)

var exitCodes = []struct {
	code    int
	meaning string
}{
	{exitOK, "success"},
	{exitFailure, "unexpected failure (an engine error or a bug)"},
	{exitUsage, "bad usage, or a file or folder that cannot be read or written"},
	{exitRejects, "rejected rows or file errors were found (validate; migrate when they block the archive)"},
	{exitMismatch, "the target does not match the manifest (reconcile)"},
	{exitLocked, "another spotmigrate run holds the target or the OA tree"},
	{exitInterrupted, "stopped by SIGINT or SIGTERM; run the same command again to resume"},
}

// errorCodes maps each class of error to its exit code. exitCode applies
// it to every error that carries no code of its own; tests assert the code
// of each class.
var errorCodes = []struct {
	class error
	code  int
}{
	{context.Canceled, exitInterrupted},
	{migrate.ErrLocked, exitLocked},
	{migrate.ErrPinChanged, exitUsage},
	{migrate.ErrTreeChanged, exitUsage},
	{migrate.ErrNotDuckDB, exitUsage},
	{migrate.ErrLedgerDamaged, exitUsage},
	{validate.ErrNoTree, exitUsage},
	{fs.ErrNotExist, exitUsage},
	{fs.ErrPermission, exitUsage},
}

// codeOf returns the exit code of an error without a code of its own.
func codeOf(err error) int {
	for _, c := range errorCodes {
		if errors.Is(err, c.class) {
			return c.code
		}
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return exitUsage
	}
	return exitFailure
}

// exitCodesHelp lists the exit codes for the usage text.
func exitCodesHelp() string {
	var b strings.Builder
	b.WriteString("Exit codes:\n")
	for _, c := range exitCodes {
		fmt.Fprintf(&b, "  %3d  %s\n", c.code, c.meaning)
	}
	return b.String()
}

// exitError carries the exit code of a failed command.
type exitError struct {
	code int
	err  error
}

func (e *exitError) Error() string { return e.err.Error() }
func (e *exitError) Unwrap() error { return e.err }

func withCode(code int, err error) error {
	if err == nil {
		return nil
	}
	return &exitError{code: code, err: err}
}

// usageErr is a usage error.
func usageErr(format string, args ...any) error {
	return withCode(exitUsage, fmt.Errorf(format, args...))
}

// command is one subcommand.
type command struct {
	name, summary string
	run           func(ctx context.Context, args []string, stdout, stderr io.Writer) error
}

func commands() []command {
	return []command{
		{"validate", "preflight report: read every old file with the target types", runValidate},
		{"migrate", "validate, stage, load, reconcile and archive", runMigrate},
		{"reconcile", "compare the target with a manifest, partition by partition", runReconcile},
		{"restore", "put an archived pipeline folder back", runRestore},
		{"ddl", "print the DDL of the 20 Spot 1.0 tables", runDDL},
	}
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run executes one command line and returns its exit code.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		usage(stderr)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	var err error
	found := false
	for _, c := range commands() {
		if c.name == args[0] {
			found = true
			err = c.run(ctx, args[1:], stdout, stderr)
		}
	}
	if !found {
		if len(args) >= 6 {
			err = runCompat(ctx, args, stdout, stderr)
		} else {
			err = usageErr("unknown command %q (see spotmigrate --help)", args[0])
		}
	}
	if err != nil && ctx.Err() != nil {
		// whatever failed first (DuckDB says "Interrupted!"), the signal did it
		err = withCode(exitInterrupted, err)
	}
	return exitCode(err, stderr)
}

// exitCode prints err and maps it to an exit code.
func exitCode(err error, stderr io.Writer) int {
	if err == nil {
		return exitOK
	}
	if errors.Is(err, errHelp) {
		return exitOK
	}
	var ee *exitError
	code := codeOf(err)
	if errors.As(err, &ee) {
		code = ee.code
	}
	switch {
	case code == exitInterrupted:
		fmt.Fprintln(stderr, "spotmigrate: interrupted: the run stopped where it was, nothing is lost; run the same command again to resume")
	case !errors.Is(err, errReported):
		fmt.Fprintf(stderr, "spotmigrate: %v\n", err)
	}
	return code
}

// errReported marks an outcome whose report already said everything.
var errReported = errors.New("reported")

// errHelp marks -h.
var errHelp = errors.New("help")

func usage(w io.Writer) {
	fmt.Fprint(w, `spotmigrate moves Apache Spot's pre-1.0 OA files into the Spot 1.0 tables.

Usage:
  spotmigrate COMMAND [flags]
  spotmigrate PIPELINES OLD_OA_PATH STAGING_DB_NAME STAGING_DB_HDFS_PATH NEW_SPOT_IMPALA_DB IMPALA_DAEMON
      (the six arguments of the original migrate_to_spot_1_0.py)

Commands:
`)
	for _, c := range commands() {
		fmt.Fprintf(w, "  %-10s %s\n", c.name, c.summary)
	}
	fmt.Fprint(w, "\nRun 'spotmigrate COMMAND -h' for a command's flags.\n\n"+exitCodesHelp())
}
