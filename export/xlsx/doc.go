// Package xlsx writes a goalkit report as an Excel workbook (.xlsx) with
// excelize.
//
// The workbook has a sheet per section of the report: "Report" (the
// instant, the time zone, warnings, unpriced events, cascade issues), one
// sheet per goal named by the goal (plan against fact for every
// participant and period, a column chart of target against actual, and the
// daily series when the report has them), "Scorecards" (each KPI's
// breakdown beside its card's total), "Bonuses", "Leaderboards" (with a
// bar chart of each board's ranking; a board cut to its top ends in a row
// "top 10 shown"), "Cascades" and "Values" (every value
// of the report, one row per indicator × participant × period). Sections
// the report does not have get no sheet. A goal's sheet never takes a
// section's name: a goal named "Values" gets "Values (2)".
//
// Numbers are numbers: money in its currency's format (#,##0.00 "₽" for
// roubles, with the places of the currency's minor unit), ratios
// (achievements, shares) as percents, other numbers in Excel's General
// format. Days (a period's start and end in the Values sheet, the dates of
// a daily series) are date cells: Excel's serial numbers in the format
// yyyy-mm-dd, text for a day Excel cannot show (before 1900-03-01, after
// 9999-12-31). Headers are frozen and columns sized to their contents.
//
// Excel keeps numbers as doubles and shows 15 significant digits. Every
// number is written as a number (for sums and charts), and where that is
// not the whole value it is also written exactly as text: in the Values
// sheet, every value with more than 15 significant digits has it in the
// column "exact" beside it (empty for the others); on the sheets for
// reading (goals, scorecards, bonuses, leaderboards, cascades), whose
// numbers are shown rounded anyway, a number that the double in the file
// does not give back exactly (12345678901234567.89, not 191129.0322580645,
// whose double reads back as written) gets a note on its cell with the
// exact value. A number beyond a double's range (above about 1.8e308 in
// size), which no number cell holds, is written as text, its exact
// decimal.
//
// Participants are shown by id in each sheet's column "participant",
// everyone together ("*") as "Company", as the dashboard shows it (the
// Values sheet keeps "*", as goalkit's CSV writer writes it). With
// WithNamer (or WithNames, the documents' options: Option is pdf.Option),
// every sheet of participants has a column "name" last, the participant as
// the documents show it (its name by its kind, else its id), which the
// leaderboards' charts draw; the columns before it keep their places.
//
// Text from outside (participants, names, labels) is written as text cells,
// never as formulas, and goes through the same formula guard as goalkit's
// CSV writer: text that starts with =, +, -, @, a tab or a carriage return
// gets a leading single quote, so that it stays text when copied or saved
// as CSV.
package xlsx
