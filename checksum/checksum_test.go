package checksum

import (
	"database/sql"
	"math"
	"testing"

	_ "github.com/duckdb/duckdb-go/v2"

	"spotmigrate/catalog"
)

var cols = []catalog.Column{{Name: "s", Type: catalog.String}, {Name: "i", Type: catalog.Int}, {Name: "b", Type: catalog.BigInt}, {Name: "f", Type: catalog.Float}}

// rows covers escapes, NULLs, extremes and awkward floats.
var rows = [][]any{
	{"plain", int32(1), int64(2), float32(1.2e-05)},
	{"tab\there", int32(-7), int64(math.MaxInt64), float32(0.1)},
	{`back\slash`, nil, nil, nil},
	{`\N`, int32(0), int64(math.MinInt64), float32(123456789)},
	{"", int32(math.MaxInt32), int64(0), float32(-2.5)},
	{"ünïcödé ' \" ; $( ` \n", int32(1), int64(1), float32(3.4028235e38)},
	{nil, int32(2), int64(2), float32(1e-40)},
	{"x", int32(3), int64(3), float32(math.Inf(1))},
	{"y", int32(4), int64(4), float32(0)},
}

// TestGoEqualsDuckDB computes the checksum of the same rows in Go and in
// DuckDB SQL: the two definitions must agree.
func TestGoEqualsDuckDB(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Exec(`CREATE TABLE t (s VARCHAR, i INTEGER, b BIGINT, f FLOAT)`); err != nil {
		t.Fatal(err)
	}
	var sum Sum
	for _, r := range rows {
		if _, err := db.Exec(`INSERT INTO t VALUES (?, ?, ?, ?)`, r...); err != nil {
			t.Fatal(err)
		}
		if err := sum.Add(cols, r); err != nil {
			t.Fatal(err)
		}
	}
	var n int64
	var got string
	q := `SELECT count(*), ` + DuckDBAggregate(DuckDBRowHash("t", cols)) + ` FROM t`
	if err := db.QueryRow(q).Scan(&n, &got); err != nil {
		t.Fatal(err)
	}
	if got != sum.Hex() || n != int64(sum.Rows) {
		t.Errorf("DuckDB %d rows %s, Go %d rows %s", n, got, sum.Rows, sum.Hex())
	}
	// the per-row texts agree too
	for _, r := range rows {
		want, _ := Text(cols, r)
		var txt string
		if err := db.QueryRow(`SELECT `+DuckDBRowText("t", cols)+` FROM (SELECT ?::VARCHAR AS s, ?::INTEGER AS i, ?::BIGINT AS b, ?::FLOAT AS f) t`, r...).Scan(&txt); err != nil {
			t.Fatal(err)
		}
		if txt != want {
			t.Errorf("canonical text: DuckDB %q, Go %q", txt, want)
		}
	}
}

// TestTextEscapes holds the SQL and Go texts equal on rows with several
// text columns, where only some values need escaping.
func TestTextEscapes(t *testing.T) {
	db, err := sql.Open("duckdb", "")
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	two := []catalog.Column{{Name: "a", Type: catalog.String}, {Name: "b", Type: catalog.String}, {Name: "i", Type: catalog.Int}}
	for _, r := range [][]any{{nil, `a\b`, nil}, {"x\ty", nil, int32(1)}, {"", `\N`, int32(2)}, {"plain", "t\tb", nil}, {nil, nil, nil}} {
		want, _ := Text(two, r)
		var txt string
		q := `SELECT ` + DuckDBRowText("t", two) + ` FROM (SELECT ?::VARCHAR AS a, ?::VARCHAR AS b, ?::INTEGER AS i) t`
		if err := db.QueryRow(q, r...).Scan(&txt); err != nil {
			t.Fatal(err)
		}
		if txt != want {
			t.Errorf("canonical text: DuckDB %q, Go %q", txt, want)
		}
	}
}

// TestDetects checks that a changed value, a dropped row and a duplicated
// row all change the checksum, and that row order does not.
func TestDetects(t *testing.T) {
	sum := func(rs [][]any) string {
		var s Sum
		for _, r := range rs {
			if err := s.Add(cols, r); err != nil {
				t.Fatal(err)
			}
		}
		return s.Hex()
	}
	base := sum(rows)
	reversed := make([][]any, len(rows))
	for i, r := range rows {
		reversed[len(rows)-1-i] = r
	}
	if sum(reversed) != base {
		t.Error("row order changed the checksum")
	}
	changed := append([][]any{{"plain", int32(1), int64(3), float32(1.2e-05)}}, rows[1:]...)
	dropped := rows[1:]
	duplicated := append(append([][]any{}, rows...), rows[0])
	nullVsEmpty := append([][]any{{nil, int32(1), int64(2), float32(1.2e-05)}}, rows[1:]...)
	for name, rs := range map[string][][]any{"changed": changed, "dropped": dropped, "duplicated": duplicated, "null-vs-empty": nullVsEmpty} {
		if sum(rs) == base {
			t.Errorf("%s rows kept the checksum", name)
		}
	}
}

// TestFloatText checks the %.9g rendering against C's for edge cases.
func TestFloatText(t *testing.T) {
	for _, tc := range []struct {
		f    float32
		want string
	}{
		{1.2e-05, "1.20000004e-05"}, {0.1, "0.100000001"}, {123456789, "123456792"},
		{100, "100"}, {-2.5, "-2.5"}, {1e-4, "9.99999975e-05"}, {0.001, "0.00100000005"},
		{float32(math.NaN()), "nan"}, {float32(math.Inf(-1)), "-inf"},
	} {
		got, _ := Text([]catalog.Column{{Name: "f", Type: catalog.Float}}, []any{tc.f})
		if got != "\t"+tc.want+"\t[]" {
			t.Errorf("%v: %q, want %q", tc.f, got, tc.want)
		}
		// an engine that sends the FLOAT as a double gives the same text
		got64, _ := Text([]catalog.Column{{Name: "f", Type: catalog.Float}}, []any{float64(tc.f)})
		if got64 != got {
			t.Errorf("%v as double: %q, want %q", tc.f, got64, got)
		}
	}
}

// TestTextLayout pins the canonical text: text columns, then floats, then
// the integers as a list, each group in table order.
func TestTextLayout(t *testing.T) {
	got, err := Text(cols, []any{"a\tb", int32(-1), nil, float32(0.5)})
	if want := "a\\tb\t0.5\t[-1, NULL]"; err != nil || got != want {
		t.Errorf("got %q, want %q (%v)", got, want, err)
	}
	got, _ = Text(cols, []any{nil, nil, nil, nil})
	if want := "\\N\t\\N\t[NULL, NULL]"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}
