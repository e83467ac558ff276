// Package pdf writes printable documents of a goalkit report with fpdf:
//
//   - Person: one participant's monthly scorecard: each scorecard's total
//     and KPI breakdown, the bonus, the places on the leaderboards, and the
//     participant's goals, each with its burn-up chart;
//   - Department: the summary of a period for everyone: the indicators'
//     values per participant, the scorecards' totals, the bonuses, the
//     leaderboards with their bars ("top 10 shown" under a board cut to
//     its top) and the cascades;
//   - Goal: one goal's report for a period: every participant's plan
//     against fact, and the burn-up and daily charts of each row that has
//     a daily series.
//
// Every page has, at its foot, the instant of the report in the plan's time
// zone, the zone's name, and the page's number of the document's pages.
// Text is set in DejaVu Sans, embedded as a subset with its ToUnicode map,
// so Cyrillic and the rouble sign print and can be searched and copied; a
// character the font has no glyph for prints as U+FFFD (�). Right-to-left
// text (Hebrew, Arabic) is put in the order the Unicode bidirectional
// algorithm draws it, so that it reads right to left (Arabic letters
// unjoined); a paragraph that runs over several lines is broken into lines
// first and each line ordered then, so that its first line holds its first
// words; a name with text after it (a title's "Scorecard: NAME, 2025-03")
// is isolated from that text, so that a right-to-left name does not draw
// the period before itself.
// Numbers are rounded for reading as goalkit's table writer rounds them
// (money to its currency's minor unit, ratios in percent with one place).
//
// A nil plan or report is an error, as is a report that holds a nil goal
// row, cascade tree or node (goalkit.Report.Check names it); a report
// without values (its Values nil) has no period of its own: name one its
// goals or scorecards have.
//
// Participants are shown by id, or by the names WithNames gives (a
// directory's units' names, by id) or WithNamer gives (by kind and id, so
// that a unit and a person of one id each have their own): in titles,
// tables, headings and charts. Everyone together ("*") is "Company", as
// the dashboard shows it.
//
// Charts come from package chart, as PNG images of 5 pixels per printed
// millimetre.
//
// The same report gives the same bytes, run after run: the document's
// dates are the report's instant, and its objects come in a fixed order.
package pdf
