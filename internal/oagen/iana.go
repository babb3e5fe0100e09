package oagen

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
)

// Headers of the four IANA registry files of an old install
// (oa/components/iana/*.csv @ abe8447, addendum §7.1.2).
const (
	IANAClassHeader = "Decimal,Hexadecimal,Name,Reference"
	IANATypeHeader  = "TYPE,Value,Meaning,Reference,Template,Registration Date"
	IANARcodeHeader = "RCODE,Name,Description,Reference"
	IANAHTTPHeader  = "CODE,DESCRIPTION"
	// IANAConfig is oa/components/iana/iana_config.json with its bare file
	// names (addendum §7.1.1).
	IANAConfig = "{\n  \"IANA\": {\n    \"dns_qry_class\": \"dns-qclass.csv\",\n    \"dns_qry_type\": \"dns-qtype.csv\",\n    \"dns_qry_rcode\": \"dns-rcode.csv\",\n    \"proxy_http_rcode\": \"http-rcode.csv\"\n  }\n}\n"
)

// IANADir is where an old install keeps its registries, relative to the
// spot-oa root.
var IANADir = filepath.Join("oa", "components", "iana")

// The registries of addendum §7.1.6, in file order: name, code. For the class
// registry the code is the Hexadecimal key (the decimal key is in ianaClassDec).
var (
	ianaClass = [][2]string{
		{"Reserved", "0x00000000"}, {"Internet (IN)", "0x00000001"}, {"Unassigned", "0x00000002"},
		{"Chaos (CH)", "0x00000003"}, {"Hesiod (HS)", "0x00000004"}, {"UNKNOWN", "unknown"},
		{"QCLASS NONE", "0x000000FE"}, {"QCLASS * (ANY)", "0x000000FF"},
	}
	ianaClassDec = []string{"0", "1", "2", "3", "4", "5", "254", "255"}
	ianaType     = [][2]string{
		{"0", "-1"}, {"A", "1"}, {"NS", "2"}, {"MD", "3"}, {"MF", "4"}, {"CNAME", "5"}, {"SOA", "6"},
		{"MB", "7"}, {"MG", "8"}, {"MR", "9"}, {"NULL", "10"}, {"WKS", "11"}, {"PTR", "12"}, {"HINFO", "13"},
		{"MINFO", "14"}, {"MX", "15"}, {"TXT", "16"}, {"RP", "17"}, {"AFSDB", "18"}, {"X25", "19"},
		{"ISDN", "20"}, {"RT", "21"}, {"NSAP", "22"}, {"NSAP-PTR", "23"}, {"SIG", "24"}, {"KEY", "25"},
		{"PX", "26"}, {"GPOS", "27"}, {"AAAA", "28"}, {"LOC", "29"}, {"NXT", "30"}, {"EID", "31"},
		{"NIMLOC", "32"}, {"SRV", "33"}, {"ATMA", "34"}, {"NAPTR", "35"}, {"KX", "36"}, {"CERT", "37"},
		{"A6", "38"}, {"DNAME", "39"}, {"SINK", "40"}, {"OPT", "41"}, {"APL", "42"}, {"DS", "43"},
		{"SSHFP", "44"}, {"IPSECKEY", "45"}, {"RRSIG", "46"}, {"NSEC", "47"}, {"DNSKEY", "48"},
		{"DHCID", "49"}, {"NSEC3", "50"}, {"NSEC3PARAM", "51"}, {"TLSA", "52"}, {"SMIMEA", "53"},
		{"Unassigned", "54"}, {"HIP", "55"}, {"NINFO", "56"}, {"RKEY", "57"}, {"TALINK", "58"},
		{"CDS", "59"}, {"CDNSKEY", "60"}, {"OPENPGPKEY", "61"}, {"CSYNC", "62"}, {"SPF", "99"},
		{"UINFO", "100"}, {"UID", "101"}, {"GID", "102"}, {"UNSPEC", "103"}, {"NID", "104"},
		{"L32", "105"}, {"L64", "106"}, {"LP", "107"}, {"EUI48", "108"}, {"EUI64", "109"},
		{"TKEY", "249"}, {"TSIG", "250"}, {"IXFR", "251"}, {"AXFR", "252"}, {"MAILB", "253"},
		{"MAILA", "254"}, {"*", "255"}, {"URI", "256"}, {"CAA", "257"}, {"AVC", "258"}, {"TA", "32768"},
		{"DLV", "32769"},
	}
	ianaRcode = [][2]string{
		{"UNKNOWN", "-1"}, {"NoError", "0"}, {"FormErr", "1"}, {"ServFail", "2"}, {"NXDomain", "3"},
		{"NotImp", "4"}, {"Refused", "5"}, {"YXDomain", "6"}, {"YXRRSet", "7"}, {"NXRRSet", "8"},
		{"NotAuth", "9"}, {"NotAuth", "9"}, {"NotZone", "10"}, {"BADVERS", "16"}, {"BADSIG", "16"},
		{"BADKEY", "17"}, {"BADTIME", "18"}, {"BADMODE", "19"}, {"BADNAME", "20"}, {"BADALG", "21"},
		{"BADTRUNC", "22"}, {"BADCOOKIE (TEMPORARY - registered 2015-07-26, expires 2016-07-26)", "23"},
	}
	ianaHTTP = [][2]string{
		{"Continue", "100"}, {"Switching Protocols", "101"}, {"Processing (WebDAV)", "102"},
		{"OK", "200"}, {"Created", "201"}, {"Accepted", "202"},
		{"Non-Authoritative Information", "203"}, {"No Content", "204"}, {"Reset Content", "205"},
		{"Partial Content", "206"}, {"Multi-Status (WebDAV)", "207"}, {"Already Reported (WebDAV)", "208"},
		{"IM Used", "226"}, {"Multiple Choices", "300"}, {"Moved Permanently", "301"},
		{"Found", "302"}, {"See Other", "303"}, {"Not Modified", "304"},
		{"Use Proxy", "305"}, {"(Unused)", "306"}, {"Temporary Redirect", "307"},
		{"Permanent Redirect (experiemental)", "308"}, {"Bad Request", "400"}, {"Unauthorized", "401"},
		{"Payment Required", "402"}, {"Forbidden", "403"}, {"Not Found", "404"},
		{"Method Not Allowed", "405"}, {"Not Acceptable", "406"}, {"Proxy Authentication Required", "407"},
		{"Request Timeout", "408"}, {"Conflict", "409"}, {"Gone", "410"},
		{"Length Required", "411"}, {"Precondition Failed", "412"}, {"Request Entity Too Large", "413"},
		{"Request-URI Too Long", "414"}, {"Unsupported Media Type", "415"}, {"Requested Range Not Satisfiable", "416"},
		{"Expectation Failed", "417"}, {"I'm a teapot (RFC 2324)", "418"}, {"Enhance Your Calm (Twitter)", "420"},
		{"Unprocessable Entity (WebDAV)", "422"}, {"Locked (WebDAV)", "423"}, {"Failed Dependency (WebDAV)", "424"},
		{"Reserved for WebDAV", "425"}, {"Upgrade Required", "426"}, {"Precondition Required", "428"},
		{"Too Many Requests", "429"}, {"Request Header Fields Too Large", "431"}, {"No Response (Nginx)", "444"},
		{"Retry With (Microsoft)", "449"}, {"Blocked by Windows Parental Controls (Microsoft)", "450"}, {"Unavailable For Legal Reasons", "451"},
		{"Client Closed Request (Nginx)", "499"}, {"Internal Server Error", "500"}, {"Not Implemented", "501"},
		{"Bad Gateway", "502"}, {"Service Unavailable", "503"}, {"Gateway Timeout", "504"},
		{"HTTP Version Not Supported", "505"}, {"Variant Also Negotiates (Experimental)", "506"}, {"Insufficient Storage (WebDAV)", "507"},
		{"Loop Detected (WebDAV)", "508"}, {"Bandwidth Limit Exceeded (Apache)", "509"}, {"Not Extended", "510"},
		{"Network Authentication Required", "511"}, {"Network read timeout error", "598"}, {"Network connect timeout error", "599"},
	}
)

// csvField quotes a registry value the way Python's csv writer does
// (QUOTE_MINIMAL).
func csvField(s string) string {
	if strings.ContainsAny(s, ",\"\r\n") {
		return `"` + strings.ReplaceAll(s, `"`, `""`) + `"`
	}
	return s
}

// registryFiles returns the five files of <spot-oa>/oa/components/iana: LF
// line ends, a trailing LF, Reference (and Meaning, Description, Template,
// Registration Date) texts empty except where §7.1 gives them.
func registryFiles() [][2]string {
	var c, t, r, h strings.Builder
	c.WriteString(IANAClassHeader + "\n")
	for i, e := range ianaClass {
		fmt.Fprintf(&c, "%s,%s,%s,\n", ianaClassDec[i], e[1], csvField(e[0]))
	}
	t.WriteString(IANATypeHeader + "\n")
	for _, e := range ianaType {
		switch e[1] {
		case "-1":
			t.WriteString("0,-1,UNKNOWN,,,\n")
		case "54":
			t.WriteString("Unassigned,54\n") // as in the file: two fields only
		default:
			fmt.Fprintf(&t, "%s,%s,,,,\n", csvField(e[0]), e[1])
		}
	}
	r.WriteString(IANARcodeHeader + "\n")
	for _, e := range ianaRcode {
		if e[1] == "-1" {
			r.WriteString("-1,UNKNOWN,UNKNOWN,\n")
			continue
		}
		fmt.Fprintf(&r, "%s,%s,,\n", e[1], csvField(e[0]))
	}
	h.WriteString(IANAHTTPHeader + "\n")
	for _, e := range ianaHTTP {
		fmt.Fprintf(&h, "%s,%s\n", e[1], csvField(e[0]))
	}
	return [][2]string{
		{"iana_config.json", IANAConfig},
		{"dns-qclass.csv", c.String()},
		{"dns-qtype.csv", t.String()},
		{"dns-rcode.csv", r.String()},
		{"http-rcode.csv", h.String()},
	}
}

func writeRegistry(oaRoot string, st *Stats) error {
	dir := filepath.Join(oaRoot, IANADir)
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return fmt.Errorf("failed to create folder %s: %w", dir, err)
	}
	for _, f := range registryFiles() {
		p := filepath.Join(dir, f[0])
		if err := os.WriteFile(p, []byte(f[1]), 0o644); err != nil {
			return fmt.Errorf("failed to write file %s: %w", p, err)
		}
		st.Files++
		st.Bytes += int64(len(f[1]))
	}
	return nil
}

// coded is one value of a coded column: the raw code and the name the OA's
// IanaTransform wrote for it. An empty name means the registry has no such
// key, so the lookup returned the code itself and the migration reports a
// notice.
type coded struct {
	code, name string
}

func (c coded) unknown() bool { return c.name == "" }

// text is what a name column holds: the registry name, or the code where
// the lookup missed (unknown key, or an unconfigured install).
func (c coded) text(unconfigured bool) string {
	if unconfigured || c.name == "" {
		return c.code
	}
	return c.name
}

// ianaName looks a code up in one of the registries above; the later
// duplicate wins, as in IanaTransform.
func ianaName(reg [][2]string, code string) string {
	name := ""
	for _, e := range reg {
		if e[1] == code {
			name = e[0]
		}
	}
	return name
}

func codes(reg [][2]string, list ...string) []coded {
	out := make([]coded, len(list))
	for i, c := range list {
		out[i] = coded{c, ianaName(reg, c)}
	}
	return out
}

// Value mixes of the generated DNS and HTTP columns: repeated entries weigh
// more. The values a registry does not know (class 0x000000ff as tshark
// prints ANY, type 65, HTTP 0 and -) are drawn separately, rarely.
var (
	dnsClasses = codes(ianaClass, "0x00000001")
	dnsTypes   = codes(ianaType, "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1", "1",
		"28", "28", "28", "28", "16", "16", "15", "12", "12", "5", "5", "33", "10", "255", "2", "6")
	dnsRcodes = codes(ianaRcode, "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0", "0",
		"0", "0", "0", "0", "3", "3", "3", "3", "3", "3", "2", "2", "5", "16")
	httpCodes = codes(ianaHTTP, "200", "200", "200", "200", "200", "200", "200", "200", "200", "200", "200", "200",
		"304", "304", "304", "302", "302", "301", "404", "404", "403", "500", "407", "206", "204", "503", "102", "413")

	unknownClass = coded{"0x000000ff", ""}
	unknownType  = coded{"65", ""}
	unknownHTTP  = coded{"0", ""} // proxy_scores respcode (an INT column)
	unknownEdge  = coded{"-", ""} // proxy edge respcode (text)
	// The ML's fill values for null class, type and rcode (from 2016-12-22,
	// addendum §7.1.4), which the registries of that commit name.
	mlFillClass = coded{"unknown", "UNKNOWN"}
	mlFillType  = coded{"-1", "0"}
	mlFillRcode = coded{"-1", "UNKNOWN"}
	// impala-shell's text for SQL NULL in raw DNS rows (edge files); in the
	// type column it reads as the type-10 name.
	nullCoded = coded{"NULL", "NULL"}
)

const (
	unknownPerMille = 4 // rows with one value the registry does not know
	mlFillPerMille  = 2 // dns_scores rows with the ML fill values (from 2016-12-22)
	nullPerMille    = 3 // dns edge rows with NULL class, type and rcode
)
