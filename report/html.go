package report

import (
	"embed"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"strings"
)

// page.tmpl is the frame every HTML report shares: the style sheet, the
// verdict banner, provenance, totals and the chart. A document's own
// template defines "sections", which the frame places below them.
//
//go:embed page.tmpl
var pageFS embed.FS

// Page is what every HTML report shows above its own sections. A
// document's view model embeds it.
type Page struct {
	Title  string
	Banner Banner
	// Provenance is what the report says about where its figures come
	// from: the document's own fields (tree, target, pipelines), then
	// those of its provenance (build, run times, host, user, masked
	// arguments, manifest sha256).
	Provenance []Field
	Totals     []Total
	Chart      *Chart
}

// Banner is the verdict: its word (OK, MISMATCH, REJECTS, FAILED), the CSS
// class that colours it and the whole verdict sentence.
type Banner struct {
	Word, Class, Sentence string
}

// Field is one provenance line.
type Field struct {
	Name, Value string
}

// Total is one figure of the totals; Key names it for machines (the
// data-total attribute), Level is "" or "warn" or "bad".
type Total struct {
	Key, Label string
	Value      int64
	Level      string
}

// verdictClasses colours the verdict words; anything else shows as FAILED.
var verdictClasses = map[string]string{
	"OK":       "verdict-ok",
	"MISMATCH": "verdict-mismatch",
	"REJECTS":  "verdict-rejects",
	"FAILED":   "verdict-failed",
}

// NewBanner is the banner of a verdict sentence "WORD: …".
func NewBanner(verdict string) Banner {
	word, _, _ := strings.Cut(verdict, ":")
	class, ok := verdictClasses[word]
	if !ok {
		word, class = "FAILED", verdictClasses["FAILED"]
	}
	return Banner{Word: word, Class: class, Sentence: verdict}
}

// HTMLTemplate parses the shared frame with a document's template, the
// file name of fsys; the document defines "sections".
func HTMLTemplate(fsys fs.FS, name string) (*template.Template, error) {
	t, err := template.New("page.tmpl").ParseFS(pageFS, "page.tmpl")
	if err != nil {
		return nil, fmt.Errorf("failed to parse the HTML page template: %w", err)
	}
	if t, err = t.ParseFS(fsys, name); err != nil {
		return nil, fmt.Errorf("failed to parse HTML template %s: %w", name, err)
	}
	return t, nil
}

// WriteHTML renders view (a struct embedding Page) with t.
func WriteHTML(w io.Writer, t *template.Template, view any) error {
	if err := t.ExecuteTemplate(w, "page.tmpl", view); err != nil {
		return fmt.Errorf("failed to write HTML report: %w", err)
	}
	return nil
}
