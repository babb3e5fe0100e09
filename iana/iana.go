package iana

import (
	"embed"
	"fmt"
)

// The registry kinds, named after the Spot 1.0 columns they decode.
const (
	Class = "dns_qclass"
	Type  = "dns_qtype"
	Rcode = "dns_rcode"
	HTTP  = "http"
)

// Kinds lists the registry kinds in the order of Set.Registries.
var Kinds = []string{Class, Type, Rcode, HTTP}

// Registry is one registry CSV as IanaTransform read it.
type Registry struct {
	Kind   string
	Path   string // the file read, or "embedded:dns-qclass.csv" etc. for the fallback
	SHA256 string // hex sha256 of the file's bytes (of the embedded file for the fallback)
	// Names maps a lookup key to its name, exactly IanaTransform's dict:
	// class by Decimal and by Hexadecimal, type by Value, rcode by RCODE,
	// http by CODE. Later rows win on duplicate keys.
	Names map[string]string
	// Codes maps a name back to its code: class to its Hexadecimal key,
	// type to its Value, rcode to its RCODE, http to its CODE. Later rows win.
	Codes map[string]string
}

// Set is the four registries of one install.
type Set struct {
	Config     string      // path of the iana_config.json used; "" when none
	Embedded   bool        // true for the built-in abe8447 copies
	Registries []*Registry // in Kinds order, always all four
}

// layout describes one registry file: where the config names it, its
// default name and header, and which columns IanaTransform uses.
type layout struct {
	kind       string
	configKeys []string // the first present one is used
	file       string
	header     []string
	keyCols    []int // filled in this order, so a later column wins
	nameCol    int
	codeCol    int
}

var layouts = []layout{
	{Class, []string{"dns_qry_class"}, "dns-qclass.csv",
		[]string{"Decimal", "Hexadecimal", "Name", "Reference"}, []int{0, 1}, 2, 1},
	{Type, []string{"dns_qry_type"}, "dns-qtype.csv",
		[]string{"TYPE", "Value", "Meaning", "Reference", "Template", "Registration Date"}, []int{1}, 0, 1},
	{Rcode, []string{"dns_qry_rcode"}, "dns-rcode.csv",
		[]string{"RCODE", "Name", "Description", "Reference"}, []int{0}, 1, 0},
	// http_qry_rcode is the components README's misspelling of the key.
	{HTTP, []string{"proxy_http_rcode", "http_qry_rcode"}, "http-rcode.csv",
		[]string{"CODE", "DESCRIPTION"}, []int{0}, 1, 0},
}

//go:embed abe8447/*.csv
var abe8447 embed.FS

// Embedded returns the registries of abe8447 built into the binary. Each
// call returns a fresh Set.
func Embedded() *Set {
	s := &Set{Embedded: true}
	for _, l := range layouts {
		data, err := abe8447.ReadFile("abe8447/" + l.file)
		if err != nil {
			panic(fmt.Sprintf("iana: embedded %s: %v", l.file, err))
		}
		r, err := parse(l, "embedded:"+l.file, data)
		if err != nil {
			panic(fmt.Sprintf("iana: embedded %s: %v", l.file, err))
		}
		s.Registries = append(s.Registries, r)
	}
	return s
}

// Get returns the registry of one kind, nil for an unknown kind.
func (s *Set) Get(kind string) *Registry {
	if s == nil {
		return nil
	}
	for _, r := range s.Registries {
		if r.Kind == kind {
			return r
		}
	}
	return nil
}

// Resolve applies the contract's rule to one value v of a coded field of
// registry kind: a name gives (its code, v, true); else a key gives (the code
// of its name, its name, true); else ("", v, false).
func (s *Set) Resolve(kind, v string) (code, name string, ok bool) {
	r := s.Get(kind)
	if r == nil {
		return "", v, false
	}
	if c, found := r.Codes[v]; found {
		return c, v, true
	}
	if n, found := r.Names[v]; found {
		return r.Codes[n], n, true
	}
	return "", v, false
}
