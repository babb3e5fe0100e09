package dialect

import (
	"strings"
	"testing"

	"spotmigrate/catalog"
	"spotmigrate/internal/golden"
)

// TestGoldenSQL records every statement each dialect emits for two tables,
// so a change to the SQL sent to Impala (which cannot run here) is seen.
func TestGoldenSQL(t *testing.T) {
	for _, name := range []string{"duckdb", "impala", "hive"} {
		d, err := ByName(name)
		if err != nil {
			t.Fatal(err)
		}
		if name == "duckdb" {
			d = DuckDB{Catalog: "target"}
		}
		var b strings.Builder
		emit := func(q ...string) {
			for _, s := range q {
				if s != "" {
					b.WriteString(s + ";\n")
				}
			}
		}
		emit(d.CreateDatabase("spot", ""), d.CreateDatabase("spot_migration", "/user/spotuser/spot_migration"))
		for _, tn := range []string{"flow_scores", "proxy_timeline"} {
			tb, _ := catalog.TableByName(tn)
			emit(d.CreateTable("spot", tb, Location("/user/spot", tb)))
			emit(d.CreateStaging("spot_migration", tb, "hdfs://nn:8020/user/spotuser/spot_migration/"+tn)...)
			emit(d.LoadTable("spot", "spot_migration", tb)...)
			emit(d.Refresh("spot", tb)...)
			emit(d.ComputeStats("spot", tb), d.SelectRows("spot", tb), d.Checksums("spot", tb), d.Probe("spot", tb))
		}
		emit(d.DropDatabase("spot_migration"))
		golden.Check(t, "testdata/"+name+".sql", []byte(b.String()))
	}
}

// TestLiterals checks that hostile text stays one literal.
func TestLiterals(t *testing.T) {
	hostile := "/user/x'; DROP TABLE t; --\\ `$(id)` \"q\"\n"
	if got, want := (Impala{}).Literal(hostile), `'/user/x\'; DROP TABLE t; --\\ `+"`$(id)`"+` "q"\n'`; got != want {
		t.Errorf("impala literal %s, want %s", got, want)
	}
	if got, want := (DuckDB{}).Literal(hostile), "'/user/x''; DROP TABLE t; --\\ `$(id)` \"q\"\n'"; got != want {
		t.Errorf("duckdb literal %s, want %s", got, want)
	}
}

// TestIdentPanics checks that an unchecked identifier never reaches SQL.
func TestIdentPanics(t *testing.T) {
	defer func() {
		if recover() == nil {
			t.Error("Ident accepted a hostile name")
		}
	}()
	Impala{}.Ident("spot`; DROP DATABASE x; --")
}
