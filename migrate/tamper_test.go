package migrate

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"spotmigrate/reconcile"
	"spotmigrate/validate"
)

// copySample copies the sample tree into a temporary folder.
func copySample(t *testing.T) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(filepath.Join(dir, "spot-oa"), os.DirFS("../testdata/sample/spot-oa")); err != nil {
		t.Fatal(err)
	}
	return dir
}

// TestTamperBlocksArchive changes the real target between load and
// reconcile: reconcile must name the table and partition, and the
// pipeline must not be archived.
func TestTamperBlocksArchive(t *testing.T) {
	cases := map[string]string{
		"deleted":    `DELETE FROM target.spot.flow_edge WHERE rowid = (SELECT min(rowid) FROM target.spot.flow_edge WHERE y = 2016 AND m = 11 AND d = 30)`,
		"duplicated": `INSERT INTO target.spot.flow_edge SELECT * FROM target.spot.flow_edge WHERE y = 2016 AND m = 11 AND d = 30 LIMIT 1`,
		"changed":    `UPDATE target.spot.flow_edge SET ibyt = ibyt + 1 WHERE rowid = (SELECT min(rowid) FROM target.spot.flow_edge WHERE y = 2016 AND m = 11 AND d = 30)`,
	}
	want := map[string]string{"deleted": reconcile.Rows, "duplicated": reconcile.Rows, "changed": reconcile.Checksum}
	for name, q := range cases {
		t.Run(name, func(t *testing.T) {
			dir := copySample(t)
			src := filepath.Join(dir, "spot-oa", "data", "flow")
			res, err := Migrate(context.Background(), Options{
				Validate:  validate.Options{OAPath: filepath.Join(dir, "spot-oa"), Pipelines: []string{"flow", "dns", "proxy"}},
				Engine:    &Embedded{Path: filepath.Join(dir, "spot.duckdb")},
				DB:        "spot",
				StagingDB: "spot_migration",
				BeforeReconcile: func(ctx context.Context, db DB) error {
					_, err := db.ExecContext(ctx, q)
					return err
				},
			})
			if err != nil {
				t.Fatal(err)
			}
			if res.Reconcile.OK() {
				t.Fatal("reconcile passed on a tampered target")
			}
			var bad []string
			for _, u := range res.Reconcile.Units {
				if u.Status != reconcile.Match {
					bad = append(bad, u.Table+" "+u.Dir()+" "+u.Status+" "+strings.Join(u.Files, ","))
				}
			}
			wantLine := "flow_edge y=2016/m=11/d=30 " + want[name] + " "
			if len(bad) != 1 || !strings.HasPrefix(bad[0], wantLine) || !strings.Contains(bad[0], "flow/20161201/edge-10_0_4_12-10_0_4_1-23-59.tsv") {
				t.Errorf("mismatches = %q, want one starting %q naming the edge files", bad, wantLine)
			}
			if _, err := os.Stat(src); err != nil {
				t.Errorf("flow was archived despite the mismatch: %v", err)
			}
			if res.Held["flow"] != "reconcile failed" {
				t.Errorf("held[flow] = %q", res.Held["flow"])
			}
			if res.Archived["dns"] == "" || res.Archived["proxy"] == "" {
				t.Errorf("dns and proxy reconciled and should be archived: %v", res.Archived)
			}
		})
	}
}
