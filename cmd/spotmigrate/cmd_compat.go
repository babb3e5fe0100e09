package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"os"
	"strings"
)

// runCompat maps the six positional arguments of migrate_to_spot_1_0.py
// (PIPELINES OLD_OA_PATH STAGING_DB_NAME STAGING_DB_HDFS_PATH
// NEW_SPOT_IMPALA_DB IMPALA_DAEMON) onto migrate with the Impala target.
// migrate's flags may come first (e.g. --hdfs, --dialect, --spot-conf).
func runCompat(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := migrateOptions{prov: startProvenance(args)}
	fs := newFlags("", "[flags] PIPELINES OLD_OA_PATH STAGING_DB_NAME STAGING_DB_HDFS_PATH NEW_SPOT_IMPALA_DB IMPALA_DAEMON", stderr)
	o.addFlags(fs)
	fs.StringVar(&o.format, "format", "table", "reconcile report format")
	fs.StringVar(&o.output, "output", "", "write the reconcile report to FILE")
	if err := fs.Parse(args); err != nil {
		return withCode(exitUsage, errReported)
	}
	if fs.NArg() != 6 {
		return usageErr("the compatibility form takes six arguments: PIPELINES OLD_OA_PATH STAGING_DB_NAME STAGING_DB_HDFS_PATH NEW_SPOT_IMPALA_DB IMPALA_DAEMON")
	}
	if err := o.applySpotConf(fs); err != nil {
		return err
	}
	p := fs.Args()
	o.pipelines, o.oaPath, o.stagingDB, o.stagingPath, o.db, o.impala =
		p[0], strings.TrimRight(p[1], "/"), p[2], strings.TrimRight(p[3], "/"), p[4], p[5]
	return o.run(ctx, stdout, stderr)
}

// spotConf holds the spot.conf keys spotmigrate uses as defaults.
type spotConf map[string]string

// readSpotConf reads a Spot 1.0 spot.conf: shell-style KEY=value lines,
// quotes stripped, ${VAR} expanded from earlier keys (then the environment).
func readSpotConf(path string) (spotConf, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("failed to read spot.conf: %w", err)
	}
	defer func() { _ = f.Close() }()
	conf := spotConf{}
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") || strings.HasPrefix(line, "[") {
			continue
		}
		line = strings.TrimPrefix(line, "export ")
		k, v, ok := strings.Cut(line, "=")
		if !ok {
			continue
		}
		k = strings.TrimSpace(k)
		v = strings.Trim(strings.TrimSpace(v), `'"`)
		conf[strings.ToUpper(k)] = os.Expand(v, func(name string) string {
			if x, ok := conf[strings.ToUpper(name)]; ok {
				return x
			}
			return os.Getenv(name)
		})
	}
	if err := sc.Err(); err != nil {
		return nil, fmt.Errorf("failed to read spot.conf: %w", err)
	}
	return conf, nil
}
