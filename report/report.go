package report

import (
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"

	"github.com/olekukonko/tablewriter"
	"github.com/olekukonko/tablewriter/renderer"
	"github.com/olekukonko/tablewriter/tw"
)

// Format is a report format.
type Format string

// The report formats.
const (
	Text     Format = "table"
	JSON     Format = "json"
	Markdown Format = "markdown"
	JUnit    Format = "junit"
	HTML     Format = "html"
)

// ParseFormat checks a --format value.
func ParseFormat(s string) (Format, error) {
	switch f := Format(s); f {
	case Text, JSON, Markdown, JUnit, HTML:
		return f, nil
	}
	return "", fmt.Errorf("unknown format %q (want table, json, markdown, junit or html)", s)
}

// Table writes rows under a header, as a text table or a Markdown table.
func Table(w io.Writer, markdown bool, header []string, rows [][]string) error {
	opts := []tablewriter.Option{tablewriter.WithHeaderAutoFormat(tw.Off)}
	if markdown {
		opts = append(opts, tablewriter.WithRenderer(renderer.NewMarkdown()))
	}
	t := tablewriter.NewTable(w, opts...)
	t.Header(header)
	if err := t.Bulk(rows); err != nil {
		return fmt.Errorf("failed to render table: %w", err)
	}
	if err := t.Render(); err != nil {
		return fmt.Errorf("failed to render table: %w", err)
	}
	return nil
}

// WriteJSON writes v as indented JSON.
func WriteJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Errorf("failed to write JSON: %w", err)
	}
	return nil
}

// Suites is a JUnit XML document.
type Suites struct {
	XMLName  xml.Name `xml:"testsuites"`
	Name     string   `xml:"name,attr"`
	Tests    int      `xml:"tests,attr"`
	Failures int      `xml:"failures,attr"`
	Errors   int      `xml:"errors,attr"`
	Skipped  int      `xml:"skipped,attr"`
	Suites   []*Suite `xml:"testsuite"`
	// Properties are given to every suite when the document is written
	// (the JUnit schema has properties on suites only).
	Properties []Property `xml:"-"`
}

// Property is a JUnit property of a suite.
type Property struct {
	Name  string `xml:"name,attr"`
	Value string `xml:"value,attr"`
}

// Suite is a JUnit test suite.
type Suite struct {
	Name     string `xml:"name,attr"`
	Tests    int    `xml:"tests,attr"`
	Failures int    `xml:"failures,attr"`
	Errors   int    `xml:"errors,attr"`
	Skipped  int    `xml:"skipped,attr"`
	// Properties precede the cases, as the JUnit schema orders them.
	Properties []Property `xml:"properties>property,omitempty"`
	Cases      []*Case    `xml:"testcase"`
}

// Case is a JUnit test case.
type Case struct {
	Class   string   `xml:"classname,attr"`
	Name    string   `xml:"name,attr"`
	Failure *Message `xml:"failure,omitempty"`
	Error   *Message `xml:"error,omitempty"`
	Skipped *Message `xml:"skipped,omitempty"`
	// SystemOut carries what passed with remarks (notices).
	SystemOut string `xml:"system-out,omitempty"`
}

// Message is a failure, error or skip with its text.
type Message struct {
	Message string `xml:"message,attr"`
	Text    string `xml:",chardata"`
}

// Add appends a case to the suite and counts it.
func (s *Suite) Add(c *Case) {
	s.Cases = append(s.Cases, c)
	s.Tests++
	switch {
	case c.Failure != nil:
		s.Failures++
	case c.Error != nil:
		s.Errors++
	case c.Skipped != nil:
		s.Skipped++
	}
}

// Write writes the document with its totals.
func (d *Suites) Write(w io.Writer) error {
	d.Tests, d.Failures, d.Errors, d.Skipped = 0, 0, 0, 0
	for _, s := range d.Suites {
		if len(d.Properties) > 0 {
			s.Properties = d.Properties
		}
		d.Tests += s.Tests
		d.Failures += s.Failures
		d.Errors += s.Errors
		d.Skipped += s.Skipped
	}
	if _, err := io.WriteString(w, xml.Header); err != nil {
		return fmt.Errorf("failed to write JUnit report: %w", err)
	}
	enc := xml.NewEncoder(w)
	enc.Indent("", "  ")
	if err := enc.Encode(d); err != nil {
		return fmt.Errorf("failed to write JUnit report: %w", err)
	}
	_, err := io.WriteString(w, "\n")
	return err
}
