package migrate

import (
	"context"
	"database/sql"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Execer is what the runner needs of a database handle.
type Execer interface {
	ExecContext(ctx context.Context, query string, args ...any) (sql.Result, error)
}

// runner executes the plan, or prints it (dry run). Every statement and
// file operation goes through it, so the printed plan is the executed one.
type runner struct {
	dry  bool
	log  io.Writer // the plan is written here (dry run or --verbose); may be nil
	step int
	// stmts counts the target statements per table.
	stmts map[string]int
}

func newRunner(dry bool, log io.Writer) *runner {
	return &runner{dry: dry, log: log, stmts: map[string]int{}}
}

func (r *runner) say(kind, text string) {
	r.step++
	if r.log != nil {
		fmt.Fprintf(r.log, "%3d. %-6s %s\n", r.step, kind, text)
	}
}

// sql runs one statement on db (engine names the database for the plan);
// table counts it for that table ("" for none). Bound arguments are lists
// of files, shown in the plan by their number.
func (r *runner) sql(ctx context.Context, db Execer, engine, table, q string, args ...any) error {
	text := strings.Join(strings.Fields(q), " ") + ";"
	for i, a := range args {
		if l, ok := a.([]string); ok {
			text += fmt.Sprintf(" -- $%d: %d file(s)", i+1, len(l))
		}
	}
	r.say(engine, text)
	if table != "" {
		r.stmts[table]++
	}
	if r.dry {
		return nil
	}
	if err := failpoint("statement"); err != nil {
		return err
	}
	t0 := time.Now()
	if _, err := db.ExecContext(ctx, q, args...); err != nil {
		return fmt.Errorf("failed to run %q: %w", firstLine(q), err)
	}
	trace(firstLine(q), t0)
	return nil
}

// trace prints the duration of a step when SPOTMIGRATE_TRACE is set.
func trace(what string, start time.Time) {
	if os.Getenv("SPOTMIGRATE_TRACE") != "" {
		if len(what) > 60 {
			what = what[:60]
		}
		fmt.Fprintf(os.Stderr, "trace: %-60s %v\n", what, time.Since(start).Round(time.Millisecond))
	}
}

// op runs a file or HDFS operation described by desc.
func (r *runner) op(kind, desc string, fn func() error) error {
	r.say(kind, desc)
	if r.dry {
		return nil
	}
	if err := failpoint("op"); err != nil {
		return err
	}
	return fn()
}

func firstLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	if len(s) > 160 {
		s = s[:160] + "…"
	}
	return s
}

// failpoint lets tests stop a run at a named point: SPOTMIGRATE_FAILPOINT=
// name fails there with an error, name:crash exits the process at once as
// a crash would; name@N (or name@N:crash) acts on the N-th time only.
var failpointHits = map[string]int{}

func failpoint(name string) error {
	v := os.Getenv("SPOTMIGRATE_FAILPOINT")
	if v == "" {
		return nil
	}
	fp, mode, _ := strings.Cut(v, ":")
	fp, nth, _ := strings.Cut(fp, "@")
	if fp != name {
		return nil
	}
	failpointHits[name]++
	if nth != "" && nth != strconv.Itoa(failpointHits[name]) {
		return nil
	}
	switch mode {
	case "crash":
		fmt.Fprintf(os.Stderr, "spotmigrate: failpoint %s: crashing\n", name)
		os.Exit(97)
	case "wait":
		return waitFailpoint(name)
	}
	return fmt.Errorf("failpoint %s", name)
}

// waitFailpoint creates the file SPOTMIGRATE_FAILPOINT_FILE and waits (at
// most two minutes) until the test removes it: the test acts on the
// target meanwhile (stops the engine, tampers with a table).
func waitFailpoint(name string) error {
	marker := os.Getenv("SPOTMIGRATE_FAILPOINT_FILE")
	if marker == "" {
		return fmt.Errorf("failpoint %s: SPOTMIGRATE_FAILPOINT_FILE is not set", name)
	}
	if err := os.WriteFile(marker, []byte(name), 0o644); err != nil {
		return fmt.Errorf("failed to write failpoint marker: %w", err)
	}
	for deadline := time.Now().Add(2 * time.Minute); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if _, err := os.Stat(marker); os.IsNotExist(err) {
			return nil
		}
	}
	return fmt.Errorf("failpoint %s: marker %s was not removed within two minutes", name, marker)
}
