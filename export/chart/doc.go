// Package chart draws the charts of a report as SVG or PNG images: the
// burn-up of a goal (its cumulative actual against its plan, day by day),
// its daily dynamics (what each day added) and a leaderboard's bars.
//
// The charts read only the report's rows (goal.Row with its Series, as
// goalkit.WithSeries adds it; score.Board), so a PDF, an email or the
// command line draw them the same way. Text is set in DejaVu Sans, which
// has Cyrillic and the rouble sign; in a PNG, right-to-left text (Hebrew,
// Arabic) is put in the order it is drawn, as the bidirectional algorithm
// lays it out (an SVG's viewer does that itself).
//
// A number beyond ±1e300 cannot be drawn: a chart with one is refused with
// an error that names it, never drawn without it.
package chart
