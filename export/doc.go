// Package export holds the exports of goalkit reports that people keep:
// spreadsheets (package xlsx), printable documents (package pdf) and charts
// (package chart, SVG and PNG). Each takes a *goalkit.Report and the
// *goalkit.Plan it was evaluated from, for names, currencies and the
// calendar; none of them changes a number of the report: what they write
// is checked in their tests against the report itself.
//
// The module is separate from the engine so that hosts that only compute
// reports never build its dependencies (excelize, fpdf, go-analyze/charts
// and the DejaVu fonts). docs/export.md describes the files.
package export
