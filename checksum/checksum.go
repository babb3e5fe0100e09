package checksum

import (
	"crypto/md5"
	"encoding/binary"
	"fmt"
	"math"
	"strconv"
	"strings"

	"spotmigrate/catalog"
)

// Sum accumulates the checksum of a set of rows.
type Sum struct {
	Rows uint64
	sum  uint64
	buf  []byte
}

// Add adds one row; values are in column order, nil for NULL.
func (s *Sum) Add(cols []catalog.Column, values []any) error {
	var err error
	if s.buf, err = appendText(s.buf[:0], cols, values); err != nil {
		return err
	}
	h := md5.Sum(s.buf)
	s.sum += binary.LittleEndian.Uint64(h[:8])
	s.Rows++
	return nil
}

// class orders the columns in the canonical text: text, float, integer.
func class(t catalog.Type) int {
	switch t {
	case catalog.String:
		return 0
	case catalog.Float:
		return 1
	}
	return 2
}

// appendText appends the canonical text of one row (see doc.go).
func appendText(b []byte, cols []catalog.Column, values []any) ([]byte, error) {
	for k := 0; k < 3; k++ {
		if k > 0 {
			b = append(b, '\t')
		}
		if k == 2 {
			b = append(b, '[')
		}
		first := true
		for i, c := range cols {
			if class(c.Type) != k {
				continue
			}
			if !first {
				if k == 2 {
					b = append(b, ", "...)
				} else {
					b = append(b, '\t')
				}
			}
			first = false
			if k == 2 && values[i] == nil {
				b = append(b, "NULL"...)
				continue
			}
			var err error
			if b, err = appendValue(b, c.Type, values[i]); err != nil {
				return nil, fmt.Errorf("failed to render column %q: %w", c.Name, err)
			}
		}
		if k == 2 {
			b = append(b, ']')
		}
	}
	return b, nil
}

// Merge adds a partial checksum of rows rows, given as 16 hex digits.
func (s *Sum) Merge(rows uint64, hex string) error {
	v, err := strconv.ParseUint(hex, 16, 64)
	if err != nil {
		return fmt.Errorf("failed to parse checksum %q: %w", hex, err)
	}
	s.sum += v
	s.Rows += rows
	return nil
}

// Hex returns the checksum as 16 lower-case hex digits.
func (s *Sum) Hex() string { return fmt.Sprintf("%016x", s.sum) }

// Text returns the canonical text of one row (for tests and debugging).
func Text(cols []catalog.Column, values []any) (string, error) {
	b, err := appendText(nil, cols, values)
	return string(b), err
}

func appendValue(b []byte, t catalog.Type, v any) ([]byte, error) {
	if v == nil {
		return append(b, `\N`...), nil
	}
	switch t {
	case catalog.String:
		var str string
		switch x := v.(type) {
		case string:
			str = x
		case []byte:
			str = string(x)
		default:
			return nil, fmt.Errorf("want text, got %T", v)
		}
		return appendEscaped(b, str), nil
	case catalog.Float:
		f, err := toFloat(v)
		if err != nil {
			return nil, err
		}
		return appendFloat(b, f), nil
	default:
		n, err := toInt(v)
		if err != nil {
			return nil, err
		}
		return strconv.AppendInt(b, n, 10), nil
	}
}

func appendEscaped(b []byte, s string) []byte {
	if !strings.ContainsAny(s, "\\\t") {
		return append(b, s...)
	}
	for i := 0; i < len(s); i++ {
		switch s[i] {
		case '\\':
			b = append(b, '\\', '\\')
		case '\t':
			b = append(b, '\\', 't')
		default:
			b = append(b, s[i])
		}
	}
	return b
}

// appendFloat writes f as C's %.9g does.
func appendFloat(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, "nan"...)
	case math.IsInf(f, 1):
		return append(b, "inf"...)
	case math.IsInf(f, -1):
		return append(b, "-inf"...)
	}
	return append(b, cFormatG(f, 9)...)
}

// cFormatG formats like C printf("%.*g"): scientific when the exponent is
// below -4 or at least the precision, trailing zeros removed, exponent with
// a sign and at least two digits.
func cFormatG(f float64, prec int) string {
	if f == 0 {
		if math.Signbit(f) {
			return "-0"
		}
		return "0"
	}
	e := strconv.FormatFloat(f, 'e', prec-1, 64) // d.dddde±XX
	mant, expStr, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expStr)
	if exp < -4 || exp >= prec {
		mant = trimZeros(mant)
		sign := "+"
		if exp < 0 {
			sign, exp = "-", -exp
		}
		return fmt.Sprintf("%se%s%02d", mant, sign, exp)
	}
	return trimZeros(strconv.FormatFloat(f, 'f', prec-1-exp, 64))
}

func trimZeros(s string) string {
	if !strings.Contains(s, ".") {
		return s
	}
	s = strings.TrimRight(s, "0")
	return strings.TrimSuffix(s, ".")
}

// toFloat returns the FLOAT value widened to a double. Engines that send a
// FLOAT as a double (or as text) are rounded back to float32 first, so every
// engine yields the value the column holds.
func toFloat(v any) (float64, error) {
	switch x := v.(type) {
	case float32:
		return float64(x), nil
	case float64:
		return float64(float32(x)), nil
	case string:
		f, err := strconv.ParseFloat(x, 32)
		return float64(float32(f)), err
	}
	return 0, fmt.Errorf("want a float, got %T", v)
}

// Int converts an integer value as a database driver returns it.
func Int(v any) (int64, error) { return toInt(v) }

func toInt(v any) (int64, error) {
	switch x := v.(type) {
	case int8:
		return int64(x), nil
	case int16:
		return int64(x), nil
	case int32:
		return int64(x), nil
	case int64:
		return x, nil
	case int:
		return int64(x), nil
	case uint8:
		return int64(x), nil
	case uint16:
		return int64(x), nil
	case uint32:
		return int64(x), nil
	case string:
		return strconv.ParseInt(x, 10, 64)
	}
	return 0, fmt.Errorf("want an integer, got %T", v)
}

// DuckDBRowHash returns a DuckDB SQL expression of the row hash (UBIGINT)
// over the given columns, each referenced as alias."name".
func DuckDBRowHash(alias string, cols []catalog.Column) string {
	return duckDBMD5(DuckDBRowText(alias, cols))
}

// duckDBMD5 is the row hash of a text: the low 64 bits of md5_number are
// the first 8 bytes of the digest, little-endian (what md5_number_upper
// returns, at a fifth of its cost).
func duckDBMD5(text string) string {
	return `CAST(md5_number(` + text + `) & 18446744073709551615::UHUGEINT AS UBIGINT)`
}

// DuckDBRowText returns a DuckDB SQL expression of the canonical text.
func DuckDBRowText(alias string, cols []catalog.Column) string {
	refs := make([]string, len(cols))
	for i, c := range cols {
		refs[i] = alias + `."` + c.Name + `"`
	}
	return DuckDBText(refs, cols)
}

// DuckDBHash returns the row hash of the values of SQL expressions exprs,
// typed as cols.
func DuckDBHash(exprs []string, cols []catalog.Column) string {
	return duckDBMD5(DuckDBText(exprs, cols))
}

// DuckDBText returns the canonical text of the values of SQL expressions
// exprs, typed as cols. The text columns are escaped only in the rare rows
// where one of them holds a backslash or a TAB: replace() is costly, and
// escaping leaves other text unchanged.
func DuckDBText(exprs []string, cols []catalog.Column) string {
	var refs, plain, escaped, floats, ints []string
	for i, c := range cols {
		ref := "(" + exprs[i] + ")"
		switch class(c.Type) {
		case 0:
			refs = append(refs, ref)
			plain = append(plain, `coalesce(`+ref+`, '\N')`)
			escaped = append(escaped, `coalesce(replace(replace(`+ref+`, '\', '\\'), chr(9), '\t'), '\N')`)
		case 1:
			floats = append(floats, `coalesce(printf('%.9g', CAST(`+ref+` AS DOUBLE)), '\N')`)
		default:
			ints = append(ints, `coalesce(CAST(`+ref+` AS VARCHAR), 'NULL')`)
		}
	}
	text := joinTab(plain)
	if len(refs) > 0 {
		all := `concat(` + strings.Join(refs, `, `) + `)`
		text = `CASE WHEN contains(` + all + `, '\') OR contains(` + all + `, chr(9)) THEN concat(` +
			joinTab(escaped) + `) ELSE concat(` + text + `) END`
	}
	list := `'[]'`
	if len(ints) > 0 {
		list = `concat('[', ` + strings.Join(ints, `, ', ', `) + `, ']')`
	}
	parts := []string{text, joinTab(floats), list}
	return `concat(` + strings.Join(parts, `, chr(9), `) + `)`
}

func joinTab(parts []string) string {
	if len(parts) == 0 {
		return `''`
	}
	return strings.Join(parts, `, chr(9), `)
}

// DuckDBAggregate returns the DuckDB SQL aggregate that turns row hashes
// into the checksum text.
func DuckDBAggregate(hashExpr string) string {
	return DuckDBAggregateWhere(hashExpr, "")
}

// DuckDBAggregateWhere is DuckDBAggregate over the rows where the SQL
// condition where holds (all rows if it is empty).
func DuckDBAggregateWhere(hashExpr, where string) string {
	sum := `sum(` + hashExpr + `)`
	if where != "" {
		sum += ` FILTER (WHERE ` + where + `)`
	}
	return `printf('%016x', CAST(coalesce(` + sum + `, 0) % 18446744073709551616 AS UBIGINT))`
}
