// Package iana loads the IANA registries an old (CSV-era) Apache Spot OA
// install used to turn DNS class, type and rcode codes and proxy HTTP
// response codes into names, and resolves the values the old OA files hold
// against them.
//
// The facts come from §7.1 of the spec addendum spot-oa-addendum.md, which
// cites apache/incubator-spot at abe8447: the old OA reads
// spot-oa/oa/components/iana/iana_config.json, whose object "IANA" names
// the four files dns-qclass.csv, dns-qtype.csv, dns-rcode.csv and
// http-rcode.csv (§7.1.1); each file is a standard CSV with one header row
// and multi-line quoted fields (§7.1.2); IanaTransform turns each into one
// dictionary, later rows winning on duplicate keys (class: all Decimal keys,
// then all Hexadecimal keys), and a key it does not know comes back
// unchanged (§7.1.3).
//
// Load finds an install's own files (through its iana_config.json, or a
// folder given with --iana-dir). When the install has no config, Embedded
// supplies the registries as they stood at commit abe8447, the last CSV-era
// master (§7.1.6): the files under abe8447/ hold exactly those headers, names
// and codes in file order. Their Meaning, Description, Reference and Template
// texts are not in the spec and are left empty, apart from a few multi-line
// Reference fields that keep the quoted multi-line form of the real files, so
// the embedded files' SHA256 differ from the originals' blobs.
//
// Resolve applies the migration contract's rule to one value of a coded
// column: a registry name stays as written and gets its code; a registry key
// (an unconfigured install wrote codes into name columns) gets the name and
// code of that key; anything else keeps its text and has no code. Empty text
// and impala-shell's NULL are the caller's to map to SQL NULL.
package iana
