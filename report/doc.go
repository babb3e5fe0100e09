// Package report holds what every spotmigrate report shares: the output
// formats (table for people, Markdown for tickets, JSON for machines, JUnit
// XML for CI systems), table rendering and the JUnit document model.
package report
