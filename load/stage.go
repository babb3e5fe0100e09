package load

import (
	"context"
	"fmt"
	"os"
	"path/filepath"

	"spotmigrate/catalog"
	"spotmigrate/dialect"
	"spotmigrate/validate"
)

// stageSQL writes the landing rows (query) of a table as Parquet files
// readable by Impala 2.5: Snappy, v1 pages, Hive partition folders y=/m=/d=.
func stageSQL(query, dir string) string {
	return "COPY (" + query + ") TO " + dialect.DuckDB{}.Literal(dir) +
		" (FORMAT parquet, COMPRESSION snappy, PARQUET_VERSION V1, PARTITION_BY (y, m, d), FILENAME_PATTERN 'part_{i}')"
}

// writeStaging writes the staging files of one table into localDir.
func writeStaging(ctx context.Context, r *runner, w *validate.Work, m *catalog.Mapping, localDir string) error {
	dir := filepath.Join(localDir, m.Table)
	if err := r.op("fs", "remove and recreate staging folder "+dir, func() error {
		if err := os.RemoveAll(dir); err != nil {
			return fmt.Errorf("failed to clear staging folder: %w", err)
		}
		return os.MkdirAll(localDir, 0o755)
	}); err != nil {
		return err
	}
	query, args := w.StageSQL(m)
	return r.sql(ctx, w.Conn, "work", "", stageSQL(query, dir), args...)
}
