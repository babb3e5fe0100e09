package golden

import (
	"regexp"
	"sort"

	"spotmigrate/provenance"
)

// replacement is one pattern of a provenance member and what replaces it.
type replacement struct {
	re   *regexp.Regexp
	repl string
}

// provenanceRules replace the value of every provenance member that
// differs from run to run (provenance.Varying) with its placeholder, in the
// forms the reports write it: JSON ("key": "value"), text (Label: value),
// Markdown (- Label: `value`), HTML (<dt>Label</dt><dd>value</dd>) and
// JUnit (<property name="key" value="value">).
var provenanceRules = func() []replacement {
	keys := make([]string, 0, len(provenance.Varying))
	for k := range provenance.Varying {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out []replacement
	for _, k := range keys {
		ph := provenance.Varying[k]
		label := regexp.QuoteMeta(provenance.Label(k))
		key := regexp.QuoteMeta(k)
		out = append(out,
			replacement{regexp.MustCompile(`("` + key + `":\s*)"(?:[^"\\]|\\.)*"`), `${1}"` + ph + `"`},
			replacement{regexp.MustCompile("(?m)^(- " + label + ": `)[^`\n]*(`)$"), "${1}" + ph + "${2}"},
			replacement{regexp.MustCompile(`(?m)^(` + label + `: ).*$`), "${1}" + ph},
			replacement{regexp.MustCompile(`(<dt>` + label + `</dt><dd>)[^<]*(</dd>)`), "${1}" + ph + "${2}"},
			replacement{regexp.MustCompile(`(<property name="` + key + `" value=")[^"]*(")`), "${1}" + ph + "${2}"},
		)
	}
	return out
}()

// NormalizeProvenance replaces exactly the provenance values that differ
// between runs (times, duration, host, user, build version and commit, Go
// version, manifest sha256) with placeholders such as <time> and <host>;
// everything else of b is kept as it is.
func NormalizeProvenance(b []byte) []byte {
	for _, r := range provenanceRules {
		b = r.re.ReplaceAll(b, []byte(r.repl))
	}
	return b
}
