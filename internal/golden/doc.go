// Package golden compares test output with files under testdata; run the
// tests with -update to rewrite them. On a mismatch the output is written
// beside the golden file as NAME.FAIL for inspection.
package golden
