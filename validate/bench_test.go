package validate_test

import (
	"context"
	"testing"

	"spotmigrate/internal/oagen"
	"spotmigrate/internal/plainread"
	"spotmigrate/validate"
)

// benchTree generates a realistic tree (thousands of small files beside a
// few scores files) once per benchmark.
func benchTree(b *testing.B, size int64) (string, int64) {
	b.Helper()
	dir := b.TempDir()
	st, err := oagen.Generate(dir, oagen.Options{Size: size, Days: 3, Seed: 7})
	if err != nil {
		b.Fatal(err)
	}
	return dir + "/spot-oa", st.Bytes
}

// BenchmarkValidate measures validate (typed read, rejects, checksums,
// sha256 of every file) on a 32 MiB tree.
func BenchmarkValidate(b *testing.B) {
	tree, n := benchTree(b, 32<<20)
	b.SetBytes(n)
	for b.Loop() {
		m, err := validate.Run(context.Background(), validate.Options{OAPath: tree, Pipelines: []string{"flow", "dns", "proxy"}})
		if err != nil || !m.Clean() {
			b.Fatal(err)
		}
	}
}

// BenchmarkPlainRead measures the baseline: DuckDB's strict typed read_csv
// of the same files, converting every column and nothing else.
func BenchmarkPlainRead(b *testing.B) {
	tree, n := benchTree(b, 32<<20)
	b.SetBytes(n)
	for b.Loop() {
		if _, err := plainread.Read(context.Background(), tree, b.TempDir()); err != nil {
			b.Fatal(err)
		}
	}
}
