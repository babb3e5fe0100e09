package workdb

import (
	"database/sql"
	"database/sql/driver"
	"fmt"
	"strings"

	"github.com/duckdb/duckdb-go/v2"
	"golang.org/x/net/publicsuffix"
)

// registerFunctions adds the SQL functions the catalog's mappings use
// beyond DuckDB's own.
func registerFunctions(conn *sql.Conn) error {
	if err := duckdb.RegisterScalarUDF(conn, "registered_domain", registeredDomainUDF{}); err != nil {
		return fmt.Errorf("failed to register registered_domain: %w", err)
	}
	return nil
}

// registeredDomain is the registered domain of a DNS name, as the D1 writer
// computed dns_scores.tld (the tld library on the public suffix list): the
// public suffix plus one label, or "" where there is none (a name under an
// unlisted top-level label, or a public suffix itself).
func registeredDomain(name string) string {
	name = strings.TrimSuffix(strings.ToLower(strings.TrimSpace(name)), ".")
	if name == "" {
		return ""
	}
	// the list's default rule makes any unlisted label a suffix: tld did not
	if ps, icann := publicsuffix.PublicSuffix(name); !icann && !strings.Contains(ps, ".") {
		return ""
	}
	d, err := publicsuffix.EffectiveTLDPlusOne(name)
	if err != nil {
		return ""
	}
	return d
}

type registeredDomainUDF struct{}

func (registeredDomainUDF) Config() duckdb.ScalarFuncConfig {
	t, err := duckdb.NewTypeInfo(duckdb.TYPE_VARCHAR)
	if err != nil {
		panic(err)
	}
	return duckdb.ScalarFuncConfig{InputTypeInfos: []duckdb.TypeInfo{t}, ResultTypeInfo: t}
}

func (registeredDomainUDF) Executor() duckdb.ScalarFuncExecutor {
	return duckdb.ScalarFuncExecutor{RowExecutor: func(v []driver.Value) (any, error) {
		s, ok := v[0].(string)
		if !ok {
			return nil, nil
		}
		return registeredDomain(s), nil
	}}
}
