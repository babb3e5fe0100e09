package validate

import (
	"context"
	"fmt"
	"os"
	"reflect"
	"strings"
	"testing"

	"spotmigrate/catalog"
	"spotmigrate/checksum"
	"spotmigrate/internal/oagen"
	"spotmigrate/manifest"
	"spotmigrate/workdb"
)

var all = []string{"flow", "dns", "proxy"}

// TestLineEndingsAndBOM checks that CRLF line ends and a UTF-8 BOM change
// nothing in what lands: same rows, same checksums.
func TestLineEndingsAndBOM(t *testing.T) {
	sums := map[string]string{}
	for _, c := range []string{"crlf", "bom"} {
		m, err := Run(context.Background(), Options{OAPath: "../testdata/corpus/" + c + "/spot-oa", Pipelines: all})
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		for _, p := range m.Partitions {
			fmt.Fprintf(&b, "%s %d %s\n", p.Name(), p.Rows, p.Checksum)
		}
		sums[c] = b.String()
	}
	if sums["crlf"] != sums["bom"] || sums["crlf"] == "" {
		t.Errorf("CRLF and BOM files land differently:\n%s\n%s", sums["crlf"], sums["bom"])
	}
}

// TestHostileFileNames reads files whose names hold quotes, glob and shell
// characters (DNS names are attacker-controlled): they must be read as data.
func TestHostileFileNames(t *testing.T) {
	dir := t.TempDir()
	day := dir + "/spot-oa/data/dns/20160708"
	if err := os.MkdirAll(day, 0o755); err != nil {
		t.Fatal(err)
	}
	header := `"frame_time","frame_len","ip_dst","ip_src","dns_qry_name","dns_qry_class_name","dns_qry_type_name","dns_qry_rcode_name","dns_a"`
	names := []string{`a'b;DROP TABLE files;--.com`, `x"y$(id)`, "g[lo]b*?.net", "back`tick`"}
	for _, n := range names {
		row := `"Jul  8 2016 10:04:40.000000000 UTC","97","192.168.1.31","10.0.0.53","` + strings.ReplaceAll(n, `"`, `""`) + `","IN","A","NOERROR",""`
		if err := os.WriteFile(day+"/edge-"+n+"_10_00.csv", []byte(header+"\n"+row+"\n"), 0o644); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(day+"/threat-dendro-"+n+".csv", []byte("total,dns_qry_name,ip_dst,sev\n3,"+strings.ReplaceAll(n, ",", "")+",10.0.0.1,0\n"), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	m, err := Run(context.Background(), Options{OAPath: dir + "/spot-oa", Pipelines: all})
	if err != nil {
		t.Fatal(err)
	}
	rows := map[string]int64{}
	for _, p := range m.Partitions {
		rows[p.Table] += p.Rows
	}
	if rows["dns_edge"] != 4 || rows["dns_threat_dendro"] != 4 || !m.Clean() {
		t.Errorf("landing %v, clean %v; want 4 dns_edge and 4 dns_threat_dendro rows", rows, m.Clean())
	}
}

// TestBatchingChangesNothing validates a generated tree in the default
// batches (small files materialised first), in batches of 7 files, and
// without materialising: each row must count for its own file (rows find
// their file by position in the batch) and the checksums must not depend
// on how files are read.
func TestBatchingChangesNothing(t *testing.T) {
	dir := t.TempDir()
	if _, err := oagen.Generate(dir, oagen.Options{Size: 2 << 20, Days: 2, Seed: 3}); err != nil {
		t.Fatal(err)
	}
	opt := Options{OAPath: dir + "/spot-oa", Pipelines: all}
	whole, err := Run(context.Background(), opt)
	if err != nil {
		t.Fatal(err)
	}
	if len(whole.Files) < 100 || !whole.Clean() {
		t.Fatalf("generated tree: %d files, clean=%v", len(whole.Files), whole.Clean())
	}
	for _, c := range []struct {
		name             string
		files, materFile int
		small            int64
		stage            bool
	}{{"batches of 7", 7, 3, 1 << 20, false}, {"not materialised", 4000, 2000, 0, false},
		{"staged in the same read", 4000, 2000, 1 << 20, true}} {
		restore := workdb.SetBatchLimits(c.files, c.materFile, c.small)
		o := opt
		if c.stage {
			o.Stage = t.TempDir()
		}
		got, err := Run(context.Background(), o)
		restore()
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(whole.Files, got.Files) {
			t.Errorf("%s: per-file figures differ", c.name)
		}
		if !reflect.DeepEqual(whole.Partitions, got.Partitions) {
			t.Errorf("%s: partitions differ", c.name)
		}
	}
}

// TestChecksumsAreThoseOfTheLandingRows compares every partition's count
// and checksum with those of the rows migrate would stage (LandingSQL, a
// plain WHERE), on a generated tree with a row that a filter leaves out
// (flow edge, srcip NULL) and one that a check rejects (dns edge, bad frame
// time): validate hashes rows in one pass and sums only the landing ones.
func TestChecksumsAreThoseOfTheLandingRows(t *testing.T) {
	dir := t.TempDir()
	if _, err := oagen.Generate(dir, oagen.Options{Size: 1 << 20, Days: 1, Seed: 5}); err != nil {
		t.Fatal(err)
	}
	flow := appendChangedRow(t, dir+"/spot-oa/data/flow", "edge-", func(line string) string {
		f := strings.Split(line, "\t")
		f[1] = "NULL"
		return strings.Join(f, "\t")
	})
	dns := appendChangedRow(t, dir+"/spot-oa/data/dns", "edge-", func(line string) string {
		_, rest, _ := strings.Cut(line, `",`)
		return `"not a frame time",` + rest
	})
	m, w := validated(t, Options{OAPath: dir + "/spot-oa"})
	for _, f := range m.Files {
		switch f.Path {
		case flow:
			if f.Filtered["srcip is NULL → flow_edge"] != 1 {
				t.Errorf("%s: filtered %v, want the srcip NULL row", f.Path, f.Filtered)
			}
		case dns:
			if f.Rejected != 1 {
				t.Errorf("%s: %d rejected, want 1", f.Path, f.Rejected)
			}
		}
	}
	want := map[string]string{}
	for _, p := range m.Partitions {
		want[p.Name()] = fmt.Sprintf("%d %s", p.Rows, p.Checksum)
	}
	got := map[string]string{}
	for i := range catalog.Mappings {
		mp := &catalog.Mappings[i]
		q := w.rows(mp.Table)
		if q == "" {
			continue
		}
		tb, _ := catalog.TableByName(mp.Table)
		rows, err := w.Conn.QueryContext(context.Background(), "SELECT y, m, d, count(*), "+
			checksum.DuckDBAggregate(checksum.DuckDBRowHash("t", tb.Columns))+" FROM ("+q+") t GROUP BY y, m, d")
		if err != nil {
			t.Fatal(err)
		}
		for rows.Next() {
			var p manifest.Partition
			if err := rows.Scan(&p.Y, &p.M, &p.D, &p.Rows, &p.Checksum); err != nil {
				t.Fatal(err)
			}
			p.Table = mp.Table
			got[p.Name()] = fmt.Sprintf("%d %s", p.Rows, p.Checksum)
		}
		rows.Close()
	}
	if !reflect.DeepEqual(got, want) || len(want) < 10 {
		t.Errorf("partitions differ from the staged rows:\nvalidate %v\nstaged   %v", want, got)
	}
}

// appendChangedRow appends to the first file named prefix* under dir a
// copy of its last row changed by change, and returns its manifest path.
func appendChangedRow(t *testing.T, dir, prefix string, change func(string) string) string {
	t.Helper()
	days, _ := os.ReadDir(dir)
	for _, day := range days {
		files, _ := os.ReadDir(dir + "/" + day.Name())
		for _, f := range files {
			if !strings.HasPrefix(f.Name(), prefix) {
				continue
			}
			p := dir + "/" + day.Name() + "/" + f.Name()
			b, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			lines := strings.Split(strings.TrimRight(string(b), "\n"), "\n")
			b = append(b, change(lines[len(lines)-1])+"\n"...)
			if err := os.WriteFile(p, b, 0o644); err != nil {
				t.Fatal(err)
			}
			pipe := dir[strings.LastIndex(dir, "/")+1:]
			return pipe + "/" + day.Name() + "/" + f.Name()
		}
	}
	t.Fatalf("no %s file under %s", prefix, dir)
	return ""
}
