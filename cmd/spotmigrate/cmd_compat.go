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
func runCompat(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	o := compatOptions(args)
	return o.run(ctx, stdout, stderr)
}

func compatOptions(args []string) *migrateOptions {
	o := &migrateOptions{}
	o.pipelines = args[0]
	o.oaPath = strings.TrimRight(args[1], "/")
	o.stagingDB = args[2]
	o.stagingHDFS = args[3]
	o.db = args[4]
	o.impala = args[5]
	o.format = "table"
	o.memory = "512MB"
	return o
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
	defer f.Close()
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
