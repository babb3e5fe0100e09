// Package report holds what every spotmigrate report shares: the output
// formats (table for people, Markdown for tickets, JSON for machines, JUnit
// XML for CI systems, a self-contained HTML page to read in a browser),
// table rendering, the JUnit document model and the HTML frame and chart.
package report
