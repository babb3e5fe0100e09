package iana

import (
	"bytes"
	"crypto/sha256"
	"encoding/csv"
	"encoding/hex"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// The data rows of addendum §7.1.6, in file order: qclass (name, decimal,
// hex); qtype, rcode and http (name, code).
var specQclass = [][3]string{
	{"Reserved", "0", "0x00000000"}, {"Internet (IN)", "1", "0x00000001"}, {"Unassigned", "2", "0x00000002"},
	{"Chaos (CH)", "3", "0x00000003"}, {"Hesiod (HS)", "4", "0x00000004"}, {"UNKNOWN", "5", "unknown"},
	{"QCLASS NONE", "254", "0x000000FE"}, {"QCLASS * (ANY)", "255", "0x000000FF"},
}
var specQtype = [][2]string{
	{"0", "-1"}, {"A", "1"}, {"NS", "2"}, {"MD", "3"}, {"MF", "4"}, {"CNAME", "5"}, {"SOA", "6"}, {"MB", "7"},
	{"MG", "8"}, {"MR", "9"}, {"NULL", "10"}, {"WKS", "11"}, {"PTR", "12"}, {"HINFO", "13"}, {"MINFO", "14"},
	{"MX", "15"}, {"TXT", "16"}, {"RP", "17"}, {"AFSDB", "18"}, {"X25", "19"}, {"ISDN", "20"}, {"RT", "21"},
	{"NSAP", "22"}, {"NSAP-PTR", "23"}, {"SIG", "24"}, {"KEY", "25"}, {"PX", "26"}, {"GPOS", "27"},
	{"AAAA", "28"}, {"LOC", "29"}, {"NXT", "30"}, {"EID", "31"}, {"NIMLOC", "32"}, {"SRV", "33"}, {"ATMA", "34"},
	{"NAPTR", "35"}, {"KX", "36"}, {"CERT", "37"}, {"A6", "38"}, {"DNAME", "39"}, {"SINK", "40"}, {"OPT", "41"},
	{"APL", "42"}, {"DS", "43"}, {"SSHFP", "44"}, {"IPSECKEY", "45"}, {"RRSIG", "46"}, {"NSEC", "47"},
	{"DNSKEY", "48"}, {"DHCID", "49"}, {"NSEC3", "50"}, {"NSEC3PARAM", "51"}, {"TLSA", "52"}, {"SMIMEA", "53"},
	{"Unassigned", "54"}, {"HIP", "55"}, {"NINFO", "56"}, {"RKEY", "57"}, {"TALINK", "58"}, {"CDS", "59"},
	{"CDNSKEY", "60"}, {"OPENPGPKEY", "61"}, {"CSYNC", "62"}, {"SPF", "99"}, {"UINFO", "100"}, {"UID", "101"},
	{"GID", "102"}, {"UNSPEC", "103"}, {"NID", "104"}, {"L32", "105"}, {"L64", "106"}, {"LP", "107"},
	{"EUI48", "108"}, {"EUI64", "109"}, {"TKEY", "249"}, {"TSIG", "250"}, {"IXFR", "251"}, {"AXFR", "252"},
	{"MAILB", "253"}, {"MAILA", "254"}, {"*", "255"}, {"URI", "256"}, {"CAA", "257"}, {"AVC", "258"},
	{"TA", "32768"}, {"DLV", "32769"},
}
var specRcode = [][2]string{
	{"UNKNOWN", "-1"}, {"NoError", "0"}, {"FormErr", "1"}, {"ServFail", "2"}, {"NXDomain", "3"}, {"NotImp", "4"},
	{"Refused", "5"}, {"YXDomain", "6"}, {"YXRRSet", "7"}, {"NXRRSet", "8"}, {"NotAuth", "9"}, {"NotAuth", "9"},
	{"NotZone", "10"}, {"BADVERS", "16"}, {"BADSIG", "16"}, {"BADKEY", "17"}, {"BADTIME", "18"},
	{"BADMODE", "19"}, {"BADNAME", "20"}, {"BADALG", "21"}, {"BADTRUNC", "22"},
	{"BADCOOKIE (TEMPORARY - registered 2015-07-26, expires 2016-07-26)", "23"},
}
var specHTTP = [][2]string{
	{"Continue", "100"}, {"Switching Protocols", "101"}, {"Processing (WebDAV)", "102"}, {"OK", "200"},
	{"Created", "201"}, {"Accepted", "202"}, {"Non-Authoritative Information", "203"}, {"No Content", "204"},
	{"Reset Content", "205"}, {"Partial Content", "206"}, {"Multi-Status (WebDAV)", "207"},
	{"Already Reported (WebDAV)", "208"}, {"IM Used", "226"}, {"Multiple Choices", "300"},
	{"Moved Permanently", "301"}, {"Found", "302"}, {"See Other", "303"}, {"Not Modified", "304"},
	{"Use Proxy", "305"}, {"(Unused)", "306"}, {"Temporary Redirect", "307"},
	{"Permanent Redirect (experiemental)", "308"}, {"Bad Request", "400"}, {"Unauthorized", "401"},
	{"Payment Required", "402"}, {"Forbidden", "403"}, {"Not Found", "404"}, {"Method Not Allowed", "405"},
	{"Not Acceptable", "406"}, {"Proxy Authentication Required", "407"}, {"Request Timeout", "408"},
	{"Conflict", "409"}, {"Gone", "410"}, {"Length Required", "411"}, {"Precondition Failed", "412"},
	{"Request Entity Too Large", "413"}, {"Request-URI Too Long", "414"}, {"Unsupported Media Type", "415"},
	{"Requested Range Not Satisfiable", "416"}, {"Expectation Failed", "417"},
	{"I'm a teapot (RFC 2324)", "418"}, {"Enhance Your Calm (Twitter)", "420"},
	{"Unprocessable Entity (WebDAV)", "422"}, {"Locked (WebDAV)", "423"}, {"Failed Dependency (WebDAV)", "424"},
	{"Reserved for WebDAV", "425"}, {"Upgrade Required", "426"}, {"Precondition Required", "428"},
	{"Too Many Requests", "429"}, {"Request Header Fields Too Large", "431"}, {"No Response (Nginx)", "444"},
	{"Retry With (Microsoft)", "449"}, {"Blocked by Windows Parental Controls (Microsoft)", "450"},
	{"Unavailable For Legal Reasons", "451"}, {"Client Closed Request (Nginx)", "499"},
	{"Internal Server Error", "500"}, {"Not Implemented", "501"}, {"Bad Gateway", "502"},
	{"Service Unavailable", "503"}, {"Gateway Timeout", "504"}, {"HTTP Version Not Supported", "505"},
	{"Variant Also Negotiates (Experimental)", "506"}, {"Insufficient Storage (WebDAV)", "507"},
	{"Loop Detected (WebDAV)", "508"}, {"Bandwidth Limit Exceeded (Apache)", "509"}, {"Not Extended", "510"},
	{"Network Authentication Required", "511"}, {"Network read timeout error", "598"},
	{"Network connect timeout error", "599"},
}

// rawRows reads an embedded file with encoding/csv and returns its header
// and data rows.
func rawRows(t *testing.T, file string) (header []string, rows [][]string) {
	t.Helper()
	data, err := abe8447.ReadFile("abe8447/" + file)
	if err != nil {
		t.Fatal(err)
	}
	cr := csv.NewReader(bytes.NewReader(data))
	cr.FieldsPerRecord = -1
	recs, err := cr.ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", file, err)
	}
	return recs[0], recs[1:]
}

func TestEmbeddedFilesMatchSpec(t *testing.T) {
	cases := []struct {
		file   string
		header string
		count  int
		cols   []int // the columns giving the spec's tuple
		want   [][]string
	}{
		{"dns-qclass.csv", "Decimal,Hexadecimal,Name,Reference", 8, []int{2, 0, 1}, flat3(specQclass)},
		{"dns-qtype.csv", "TYPE,Value,Meaning,Reference,Template,Registration Date", 86, []int{0, 1}, flat2(specQtype)},
		{"dns-rcode.csv", "RCODE,Name,Description,Reference", 22, []int{1, 0}, flat2(specRcode)},
		{"http-rcode.csv", "CODE,DESCRIPTION", 69, []int{1, 0}, flat2(specHTTP)},
	}
	for _, c := range cases {
		header, rows := rawRows(t, c.file)
		if got := strings.Join(header, ","); got != c.header {
			t.Errorf("%s: header %q, want %q", c.file, got, c.header)
		}
		if len(rows) != c.count || len(c.want) != c.count {
			t.Fatalf("%s: %d rows, spec list %d, want %d", c.file, len(rows), len(c.want), c.count)
		}
		for i, row := range rows {
			var got []string
			for _, col := range c.cols {
				got = append(got, row[col])
			}
			if strings.Join(got, "|") != strings.Join(c.want[i], "|") {
				t.Errorf("%s row %d: %q, want %q", c.file, i+1, got, c.want[i])
			}
		}
	}
}

func flat2(in [][2]string) (out [][]string) {
	for _, r := range in {
		out = append(out, []string{r[0], r[1]})
	}
	return out
}

func flat3(in [][3]string) (out [][]string) {
	for _, r := range in {
		out = append(out, []string{r[0], r[1], r[2]})
	}
	return out
}

func TestEmbeddedFilesForm(t *testing.T) {
	for _, l := range layouts {
		data, _ := abe8447.ReadFile("abe8447/" + l.file)
		if bytes.ContainsRune(data, '\r') || !bytes.HasSuffix(data, []byte("\n")) || bytes.HasPrefix(data, []byte("\xef\xbb\xbf")) {
			t.Errorf("%s: want LF line ends, a trailing LF and no BOM", l.file)
		}
	}
	// The special rows, as written in the files.
	checks := map[string][]string{
		"dns-qclass.csv": {"\n5,unknown,UNKNOWN,\n", "\n254,0x000000FE,QCLASS NONE,\n"},
		"dns-qtype.csv":  {"\n0,-1,UNKNOWN,,,\n", "\nUnassigned,54\n"},
		"dns-rcode.csv":  {"\n-1,UNKNOWN,UNKNOWN,\n", "\n23,\"BADCOOKIE (TEMPORARY - registered 2015-07-26, expires 2016-07-26)\",,\n"},
		"http-rcode.csv": {"\n308,Permanent Redirect (experiemental)\n"},
	}
	for file, subs := range checks {
		data, _ := abe8447.ReadFile("abe8447/" + file)
		for _, s := range subs {
			if !bytes.Contains(data, []byte(s)) {
				t.Errorf("%s: no %q", file, s)
			}
		}
	}
	// Multi-line quoted Reference fields, as in the real files: class 3 and
	// 4 (key in col 0), types ATMA and TA (key in col 1); Reference is col 3.
	multi := []struct {
		file string
		col  int
		key  string
	}{{"dns-qclass.csv", 0, "3"}, {"dns-qclass.csv", 0, "4"}, {"dns-qtype.csv", 1, "34"}, {"dns-qtype.csv", 1, "32768"}}
	for _, m := range multi {
		_, rows := rawRows(t, m.file)
		found := false
		for _, row := range rows {
			if row[m.col] == m.key {
				found = true
				if !strings.Contains(row[3], "\n") {
					t.Errorf("%s %s: Reference %q is not multi-line", m.file, m.key, row[3])
				}
			}
		}
		if !found {
			t.Errorf("%s: no row %s", m.file, m.key)
		}
	}
}

func sha(t *testing.T, data []byte) string {
	t.Helper()
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func TestEmbeddedSet(t *testing.T) {
	s := Embedded()
	if !s.Embedded || s.Config != "" || len(s.Registries) != 4 {
		t.Fatalf("Embedded() = {Config %q, Embedded %v, %d registries}", s.Config, s.Embedded, len(s.Registries))
	}
	sizes := map[string][2]int{Class: {16, 8}, Type: {86, 86}, Rcode: {20, 21}, HTTP: {69, 69}}
	for i, kind := range Kinds {
		r := s.Registries[i]
		l := layouts[i]
		if r.Kind != kind || s.Get(kind) != r {
			t.Errorf("registry %d is %q, want %q", i, r.Kind, kind)
		}
		if want := "embedded:" + l.file; r.Path != want {
			t.Errorf("%s: Path %q, want %q", kind, r.Path, want)
		}
		data, _ := abe8447.ReadFile("abe8447/" + l.file)
		if r.SHA256 != sha(t, data) {
			t.Errorf("%s: SHA256 %s, want %s", kind, r.SHA256, sha(t, data))
		}
		if got := [2]int{len(r.Names), len(r.Codes)}; got != sizes[kind] {
			t.Errorf("%s: %d names, %d codes; want %v", kind, got[0], got[1], sizes[kind])
		}
	}
	if s.Get("dns_qry_class") != nil {
		t.Error("Get of an unknown kind is not nil")
	}
	if Embedded().Get(Class) == s.Get(Class) {
		t.Error("Embedded returns shared registries")
	}
}

// forward is IanaTransform.get_name: the name of a key, else the key.
func forward(r *Registry, key string) string {
	if n, ok := r.Names[key]; ok {
		return n
	}
	return key
}

// TestForwardLookups checks the table "Lookups checked locally" of §7.1.3.
func TestForwardLookups(t *testing.T) {
	s := Embedded()
	cases := []struct {
		kind, key, want string
		known           bool
	}{
		{Class, "0x00000001", "Internet (IN)", true}, {Class, "1", "Internet (IN)", true},
		{Class, "0x000000FF", "QCLASS * (ANY)", true}, {Class, "255", "QCLASS * (ANY)", true},
		{Class, "0x000000ff", "0x000000ff", false}, {Class, "unknown", "UNKNOWN", true},
		{Class, "5", "UNKNOWN", true}, {Class, "6", "6", false}, {Class, "", "", false},
		{Class, "0x000000FE", "QCLASS NONE", true}, {Class, "254", "QCLASS NONE", true},
		{Type, "1", "A", true}, {Type, "-1", "0", true}, {Type, "0", "0", false},
		{Type, "10", "NULL", true}, {Type, "255", "*", true}, {Type, "54", "Unassigned", true},
		{Type, "65", "65", false}, {Type, "64", "64", false}, {Type, "NULL", "NULL", false},
		{Type, "32768", "TA", true}, {Type, "34", "ATMA", true},
		{Rcode, "0", "NoError", true}, {Rcode, "-1", "UNKNOWN", true}, {Rcode, "9", "NotAuth", true},
		{Rcode, "16", "BADSIG", true}, {Rcode, "11", "11", false},
		{Rcode, "23", "BADCOOKIE (TEMPORARY - registered 2015-07-26, expires 2016-07-26)", true},
		{HTTP, "200", "OK", true}, {HTTP, "413", "Request Entity Too Large", true},
		{HTTP, "306", "(Unused)", true}, {HTTP, "-", "-", false}, {HTTP, "0", "0", false},
		{HTTP, "308", "Permanent Redirect (experiemental)", true},
	}
	for _, c := range cases {
		r := s.Get(c.kind)
		_, known := r.Names[c.key]
		if got := forward(r, c.key); got != c.want || known != c.known {
			t.Errorf("%s %q -> %q (known %v), want %q (known %v)", c.kind, c.key, got, known, c.want, c.known)
		}
	}
}

func TestReverseLookups(t *testing.T) {
	s := Embedded()
	cases := []struct{ kind, name, want string }{
		{Class, "Internet (IN)", "0x00000001"}, {Class, "UNKNOWN", "unknown"},
		{Class, "QCLASS * (ANY)", "0x000000FF"}, {Class, "Reserved", "0x00000000"},
		{Type, "A", "1"}, {Type, "0", "-1"}, {Type, "*", "255"}, {Type, "NULL", "10"},
		{Type, "Unassigned", "54"}, {Type, "DLV", "32769"},
		{Rcode, "NotAuth", "9"}, {Rcode, "BADVERS", "16"}, {Rcode, "BADSIG", "16"}, {Rcode, "UNKNOWN", "-1"},
		{Rcode, "BADCOOKIE (TEMPORARY - registered 2015-07-26, expires 2016-07-26)", "23"},
		{HTTP, "OK", "200"}, {HTTP, "Permanent Redirect (experiemental)", "308"},
		{HTTP, "I'm a teapot (RFC 2324)", "418"},
	}
	for _, c := range cases {
		if got, ok := s.Get(c.kind).Codes[c.name]; got != c.want || !ok {
			t.Errorf("%s code of %q = %q (%v), want %q", c.kind, c.name, got, ok, c.want)
		}
	}
	if _, ok := s.Get(Class).Codes["Unknown"]; ok {
		t.Error("class reverse lookup is not case-sensitive")
	}
}

func TestResolve(t *testing.T) {
	s := Embedded()
	cases := []struct {
		kind, v, code, name string
		ok                  bool
	}{
		// 1. a registry name: kept as written, code by reverse lookup.
		{Class, "Internet (IN)", "0x00000001", "Internet (IN)", true},
		{Class, "UNKNOWN", "unknown", "UNKNOWN", true},
		{Type, "0", "-1", "0", true}, {Type, "NULL", "10", "NULL", true}, {Type, "A", "1", "A", true},
		{Rcode, "BADVERS", "16", "BADVERS", true}, {Rcode, "NotAuth", "9", "NotAuth", true},
		{HTTP, "OK", "200", "OK", true},
		// 2. a registry key: name by forward lookup, code of that name.
		{Class, "1", "0x00000001", "Internet (IN)", true},
		{Class, "0x00000001", "0x00000001", "Internet (IN)", true},
		{Class, "5", "unknown", "UNKNOWN", true}, {Class, "unknown", "unknown", "UNKNOWN", true},
		{Class, "255", "0x000000FF", "QCLASS * (ANY)", true},
		{Type, "-1", "-1", "0", true}, {Type, "1", "1", "A", true}, {Type, "10", "10", "NULL", true},
		{Rcode, "16", "16", "BADSIG", true}, {Rcode, "-1", "-1", "UNKNOWN", true},
		{HTTP, "200", "200", "OK", true}, {HTTP, "306", "306", "(Unused)", true},
		// 3. neither: kept as written, no code.
		{Class, "0x000000ff", "", "0x000000ff", false}, {Class, "6", "", "6", false},
		{Type, "65", "", "65", false}, {Type, "a", "", "a", false},
		{Rcode, "11", "", "11", false}, {Rcode, "noerror", "", "noerror", false},
		{HTTP, "-", "", "-", false}, {HTTP, "0", "", "0", false},
		{"nope", "1", "", "1", false},
	}
	for _, c := range cases {
		code, name, ok := s.Resolve(c.kind, c.v)
		if code != c.code || name != c.name || ok != c.ok {
			t.Errorf("Resolve(%s, %q) = (%q, %q, %v), want (%q, %q, %v)",
				c.kind, c.v, code, name, ok, c.code, c.name, c.ok)
		}
	}
	var none *Set
	if code, name, ok := none.Resolve(Class, "1"); code != "" || name != "1" || ok {
		t.Errorf("nil Set Resolve = (%q, %q, %v)", code, name, ok)
	}
}

// TestClassHexWins pins IanaTransform's order for class: all Decimal keys,
// then all Hexadecimal keys, so a hex key equal to a decimal one wins.
func TestClassHexWins(t *testing.T) {
	data := []byte("Decimal,Hexadecimal,Name,Reference\n1,2,One,\n2,0x02,Two,\n2,0x02b,Two bis,\n")
	r, err := parse(layouts[0], "x.csv", data)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"1": "One", "2": "One", "0x02": "Two", "0x02b": "Two bis"}
	for k, v := range want {
		if r.Names[k] != v {
			t.Errorf("Names[%q] = %q, want %q", k, r.Names[k], v)
		}
	}
	if r.Codes["One"] != "2" || r.Codes["Two"] != "0x02" || len(r.Names) != 4 {
		t.Errorf("Codes %v, Names %v", r.Codes, r.Names)
	}
}

// The registry files of a test install: the abe8447 files, with a marker row
// in http-rcode.csv so that a test tells them from the embedded copies.
const marker = "999,Installed marker\n"

func installFiles(t *testing.T) map[string]string {
	t.Helper()
	files := map[string]string{}
	for _, l := range layouts {
		data, err := abe8447.ReadFile("abe8447/" + l.file)
		if err != nil {
			t.Fatal(err)
		}
		files[l.file] = string(data)
	}
	files["http-rcode.csv"] += marker
	return files
}

// writeTree writes files (slash paths relative to root) under a new temp
// root and returns the root.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for name, text := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(text), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

// under prefixes each file name with dir.
func under(dir string, files map[string]string) map[string]string {
	out := map[string]string{}
	for name, text := range files {
		out[dir+name] = text
	}
	return out
}

// The abe8447 config: bare file names.
const bareConfig = `{
    "IANA": {
        "dns_qry_class": "dns-qclass.csv",
        "dns_qry_type": "dns-qtype.csv",
        "dns_qry_rcode": "dns-rcode.csv",
        "proxy_http_rcode": "http-rcode.csv"
    }
}
`

const ianaDir = "oa/components/iana/"

// checkSet asserts a Set read from files: its config, the path of each
// registry in Kinds order, each file's sha256, and the marker row.
func checkSet(t *testing.T, s *Set, err error, config string, paths ...string) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
	if s.Config != config || s.Embedded || len(s.Registries) != 4 {
		t.Fatalf("Set{Config %q, Embedded %v, %d registries}, want Config %q from files",
			s.Config, s.Embedded, len(s.Registries), config)
	}
	for i, r := range s.Registries {
		if r.Kind != Kinds[i] || r.Path != paths[i] {
			t.Errorf("registry %d: %s from %q, want %s from %q", i, r.Kind, r.Path, Kinds[i], paths[i])
		}
		data, err := os.ReadFile(r.Path)
		if err != nil || r.SHA256 != sha(t, data) {
			t.Errorf("%s: SHA256 %s is not the sha256 of %s (%v)", r.Kind, r.SHA256, r.Path, err)
		}
	}
	if got := s.Get(HTTP).Names["999"]; got != "Installed marker" {
		t.Errorf("http 999 -> %q: the install's http-rcode.csv was not read", got)
	}
	if code, name, ok := s.Resolve(Class, "1"); code != "0x00000001" || name != "Internet (IN)" || !ok {
		t.Errorf("Resolve(class, 1) = (%q, %q, %v)", code, name, ok)
	}
}

// paths joins dir and each default file name, in Kinds order.
func paths(dir string) (out []string) {
	for _, l := range layouts {
		out = append(out, filepath.Join(dir, l.file))
	}
	return out
}

func TestLoadBareNames(t *testing.T) {
	files := under(ianaDir, installFiles(t))
	files[ianaDir+configName] = bareConfig
	root := writeTree(t, files)
	s, err := Load(root, "")
	dir := filepath.Join(root, "oa", "components", "iana")
	checkSet(t, s, err, filepath.Join(dir, configName), paths(dir)...)
}

func TestLoadAbsolutePaths(t *testing.T) {
	files := under("registries/", installFiles(t))
	root := writeTree(t, files)
	reg := filepath.Join(root, "registries")
	cfg := `{"IANA": {"dns_qry_class": "` + filepath.Join(reg, "dns-qclass.csv") +
		`", "dns_qry_type": "` + filepath.Join(reg, "dns-qtype.csv") +
		`", "dns_qry_rcode": "` + filepath.Join(reg, "dns-rcode.csv") +
		`", "proxy_http_rcode": "` + filepath.Join(reg, "http-rcode.csv") + `"}}`
	writeFile(t, filepath.Join(root, ianaDir, configName), cfg)
	s, err := Load(root, "")
	checkSet(t, s, err, filepath.Join(root, ianaDir, configName), paths(reg)...)
}

// TestLoadMovedInstall: a config of absolute paths written on the machine
// the tree was copied from finds the files beside it.
func TestLoadMovedInstall(t *testing.T) {
	root := writeTree(t, under(ianaDir+"/", installFiles(t)))
	old := "/home/spotuser/incubator-spot_old/spot-oa/oa/components/iana/"
	cfg := `{"IANA": {"dns_qry_class": "` + old + `dns-qclass.csv", "dns_qry_type": "` + old +
		`dns-qtype.csv", "dns_qry_rcode": "` + old + `dns-rcode.csv", "proxy_http_rcode": "` + old + `http-rcode.csv"}}`
	writeFile(t, filepath.Join(root, ianaDir, configName), cfg)
	s, err := Load(root, "")
	checkSet(t, s, err, filepath.Join(root, ianaDir, configName), paths(filepath.Join(root, ianaDir))...)
}

func writeFile(t *testing.T, path, text string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
}

// TestLoadRelativeOrder: beside the config, then <spot-oa>/oa, then <spot-oa>.
func TestLoadRelativeOrder(t *testing.T) {
	reg := installFiles(t)
	root := writeTree(t, map[string]string{
		ianaDir + "dns-qclass.csv":         reg["dns-qclass.csv"],
		"oa/dns-qclass.csv":                "not,the,one\n", // shadowed by the file beside the config
		ianaDir + "dns-qtype.csv":          reg["dns-qtype.csv"],
		"ref/dns-rcode.csv":                reg["dns-rcode.csv"],
		"oa/http-rcode.csv":                reg["http-rcode.csv"],
		"http-rcode.csv":                   "not,the,one\n", // shadowed by <spot-oa>/oa
		ianaDir + configName:               `{"IANA": {"dns_qry_class": "dns-qclass.csv", "dns_qry_type": "components/iana/dns-qtype.csv", "dns_qry_rcode": "ref/dns-rcode.csv", "proxy_http_rcode": "./http-rcode.csv"}}`,
		"data/dns/20170101/dns_scores.csv": "",
	})
	s, err := Load(root, "")
	checkSet(t, s, err, filepath.Join(root, ianaDir, configName),
		filepath.Join(root, ianaDir, "dns-qclass.csv"),
		filepath.Join(root, ianaDir, "dns-qtype.csv"),
		filepath.Join(root, "ref", "dns-rcode.csv"),
		filepath.Join(root, "oa", "http-rcode.csv"))
}

func TestLoadHTTPAlias(t *testing.T) {
	files := under(ianaDir, installFiles(t))
	files[ianaDir+configName] = strings.Replace(bareConfig, "proxy_http_rcode", "http_qry_rcode", 1)
	root := writeTree(t, files)
	s, err := Load(root, "")
	dir := filepath.Join(root, ianaDir)
	checkSet(t, s, err, filepath.Join(dir, configName), paths(dir)...)

	// With both keys, proxy_http_rcode (the key IanaTransform reads) is used.
	both := strings.Replace(bareConfig, `"proxy_http_rcode"`, `"http_qry_rcode": "absent.csv", "proxy_http_rcode"`, 1)
	writeFile(t, filepath.Join(dir, configName), both)
	s, err = Load(root, "")
	checkSet(t, s, err, filepath.Join(dir, configName), paths(dir)...)
}

func TestLoadFromDataFolder(t *testing.T) {
	files := under(ianaDir, installFiles(t))
	files[ianaDir+configName] = bareConfig
	files["data/flow/20170101/flow_scores.csv"] = ""
	files["ingest/readme.txt"] = ""
	root := writeTree(t, files)
	dir := filepath.Join(root, ianaDir)
	for _, oaPath := range []string{
		filepath.Join(root, "data"),
		filepath.Join(root, "data") + string(filepath.Separator),
		filepath.Join(root, "ingest"), // no oa/ here, but its parent has one
		root,
	} {
		s, err := Load(oaPath, "")
		checkSet(t, s, err, filepath.Join(dir, configName), paths(dir)...)
	}
}

func TestLoadIanaDir(t *testing.T) {
	// A folder of the four files and no config; the tree's own config is ignored.
	files := under("mine/", installFiles(t))
	files[ianaDir+configName] = `{"IANA": {}}`
	root := writeTree(t, files)
	mine := filepath.Join(root, "mine")
	for _, oaPath := range []string{"", root} {
		s, err := Load(oaPath, mine)
		checkSet(t, s, err, "", paths(mine)...)
	}

	// A folder with a config: its values are found beside it, then under the
	// spot-oa tree when one is given.
	reg := installFiles(t)
	root = writeTree(t, map[string]string{
		"cfg/" + configName:       strings.Replace(bareConfig, `"dns-rcode.csv"`, `"components/iana/dns-rcode.csv"`, 1),
		"cfg/dns-qclass.csv":      reg["dns-qclass.csv"],
		"cfg/dns-qtype.csv":       reg["dns-qtype.csv"],
		"cfg/http-rcode.csv":      reg["http-rcode.csv"],
		ianaDir + "dns-rcode.csv": reg["dns-rcode.csv"],
	})
	cfg := filepath.Join(root, "cfg")
	s, err := Load(root, cfg)
	want := paths(cfg)
	want[2] = filepath.Join(root, ianaDir, "dns-rcode.csv")
	checkSet(t, s, err, filepath.Join(cfg, configName), want...)
}

func TestLoadNoConfig(t *testing.T) {
	// The registry files without iana_config.json: the OA never read them.
	root := writeTree(t, under(ianaDir, installFiles(t)))
	for _, oaPath := range []string{root, filepath.Join(root, "data")} {
		s, err := Load(oaPath, "")
		if err != nil {
			t.Fatal(err)
		}
		if !s.Embedded || s.Config != "" || s.Get(Type).Path != "embedded:dns-qtype.csv" {
			t.Errorf("Load(%s) = {Config %q, Embedded %v, type from %q}, want the embedded set",
				oaPath, s.Config, s.Embedded, s.Get(Type).Path)
		}
		if _, ok := s.Get(HTTP).Names["999"]; ok {
			t.Error("the install's files were read without a config")
		}
	}
}

func TestLoadErrors(t *testing.T) {
	reg := installFiles(t)
	cases := []struct {
		name  string
		files map[string]string // slash paths under the root; ROOT in a text is the root
		want  string            // ROOT is the root
		isErr error
	}{
		{"missing file", map[string]string{
			ianaDir + configName: bareConfig, ianaDir + "dns-qtype.csv": reg["dns-qtype.csv"],
		}, `failed to find file of IANA.dns_qry_class "dns-qclass.csv" in ROOT/oa/components/iana/iana_config.json` +
			` (tried ROOT/oa/components/iana/dns-qclass.csv, ROOT/oa/dns-qclass.csv, ROOT/dns-qclass.csv): file does not exist`,
			fs.ErrNotExist},
		{"missing absolute file", map[string]string{
			ianaDir + configName:       strings.Replace(bareConfig, `"dns-qtype.csv"`, `"ROOT/nowhere/dns-qtype.csv"`, 1),
			ianaDir + "dns-qclass.csv": reg["dns-qclass.csv"],
		}, `failed to find file of IANA.dns_qry_type "ROOT/nowhere/dns-qtype.csv" in ROOT/oa/components/iana/iana_config.json` +
			` (tried ROOT/nowhere/dns-qtype.csv, ROOT/oa/components/iana/dns-qtype.csv): file does not exist`, fs.ErrNotExist},
		{"bad header", withFiles(reg, bareConfig, "dns-qclass.csv", "Decimal,Hex,Name,Reference\n1,0x00000001,Internet (IN),\n"),
			`failed to parse ROOT/oa/components/iana/dns-qclass.csv: line 1: header "Decimal,Hex,Name,Reference",` +
				` want "Decimal,Hexadecimal,Name,Reference"`, nil},
		{"header of another registry", withFiles(reg, bareConfig, "http-rcode.csv", reg["dns-rcode.csv"]),
			`failed to parse ROOT/oa/components/iana/http-rcode.csv: line 1: header "RCODE,Name,Description,Reference",` +
				` want "CODE,DESCRIPTION"`, nil},
		{"short row", withFiles(reg, bareConfig, "dns-qclass.csv",
			"Decimal,Hexadecimal,Name,Reference\n1,0x00000001,Internet (IN),\n3,0x00000003,Chaos (CH),\"[RFC1035]\n[Moon1981]\"\n7,0x00000007\n"),
			`failed to parse ROOT/oa/components/iana/dns-qclass.csv: line 5: 2 fields, want at least 3`, nil},
		{"short type row", withFiles(reg, bareConfig, "dns-qtype.csv", "TYPE,Value,Meaning,Reference,Template,Registration Date\nA,1\nB\n"),
			`failed to parse ROOT/oa/components/iana/dns-qtype.csv: line 3: 1 fields, want at least 2`, nil},
		{"bare quote", withFiles(reg, bareConfig, "http-rcode.csv", "CODE,DESCRIPTION\n200,O\"K\n"),
			`failed to parse ROOT/oa/components/iana/http-rcode.csv: parse error on line 2, column 6: bare " in non-quoted-field`, nil},
		{"empty file", withFiles(reg, bareConfig, "http-rcode.csv", ""),
			`failed to parse ROOT/oa/components/iana/http-rcode.csv: no header, want "CODE,DESCRIPTION"`, nil},
		{"missing key", withFiles(reg, strings.Replace(bareConfig, `"dns_qry_rcode"`, `"dns_rcode"`, 1), "", ""),
			`failed to parse ROOT/oa/components/iana/iana_config.json: missing key IANA.dns_qry_rcode`, nil},
		{"missing http key", withFiles(reg, strings.Replace(bareConfig, `"proxy_http_rcode"`, `"http_rcode"`, 1), "", ""),
			`failed to parse ROOT/oa/components/iana/iana_config.json: missing key IANA.proxy_http_rcode`, nil},
		{"keys are case-sensitive", withFiles(reg, strings.Replace(bareConfig, `"IANA"`, `"iana"`, 1), "", ""),
			`failed to parse ROOT/oa/components/iana/iana_config.json: missing key IANA`, nil},
		{"value not a string", withFiles(reg, strings.Replace(bareConfig, `"dns-qtype.csv"`, `5`, 1), "", ""),
			`failed to parse ROOT/oa/components/iana/iana_config.json: IANA.dns_qry_type is 5, want a string`, nil},
		{"not JSON (the README example)", withFiles(reg, "{ 'IANA': { 'dns_qry_class': 'dns-qclass.csv' } }", "", ""),
			`failed to parse ROOT/oa/components/iana/iana_config.json: invalid character '\'' looking for beginning of object key string`, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			root := t.TempDir()
			for name, text := range c.files {
				writeFile(t, filepath.Join(root, filepath.FromSlash(name)), strings.ReplaceAll(text, "ROOT", root))
			}
			s, err := Load(root, "")
			want := strings.ReplaceAll(c.want, "ROOT", root)
			if err == nil || err.Error() != want || s != nil {
				t.Fatalf("Load = %v, %v\nwant error %s", s, err, want)
			}
			if c.isErr != nil && !errors.Is(err, c.isErr) {
				t.Errorf("error does not wrap %v", c.isErr)
			}
		})
	}
}

// withFiles is an install under ianaDir: the registries reg, the config
// text, and file (if not "") replaced by text.
func withFiles(reg map[string]string, config, file, text string) map[string]string {
	files := under(ianaDir, reg)
	files[ianaDir+configName] = config
	if file != "" {
		files[ianaDir+file] = text
	}
	return files
}

func TestLoadIanaDirErrors(t *testing.T) {
	reg := installFiles(t)
	delete(reg, "dns-rcode.csv")
	root := writeTree(t, under("mine/", reg))
	dir := filepath.Join(root, "mine")
	_, err := Load("", dir)
	want := "failed to read dns_rcode registry: open " + filepath.Join(dir, "dns-rcode.csv") + ": no such file or directory"
	if err == nil || err.Error() != want || !errors.Is(err, fs.ErrNotExist) {
		t.Fatalf("Load = %v\nwant %s", err, want)
	}
}
