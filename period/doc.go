// Package period is the calendar of goalkit: grains, periods, time zones,
// week and fiscal-year starts, recurrences, working-day calendars and the
// elapsed fraction of a period at an instant, the basis of pace.
//
// # Periods
//
// A [Period] is a half-open range [Start, End) of local dates, of a [Grain]:
// [Day], [Week], [Month], [Quarter], [Year], [FiscalQuarter], [FiscalYear] or a
// custom length made with [Days]. Dates are [date.Date] values from
// github.com/rickb777/date/v2.
//
// A [Calendar] knows how periods are laid out in one time zone: the first
// day of the week (Monday, as in ISO 8601, or Sunday), the first month of
// the fiscal year, the anchor of custom grains, and the working days. It maps
// instants to local dates ([Calendar.Date]) and back ([Calendar.Midnight],
// [Calendar.Bounds]) through its *time.Location, so a day on which the clocks
// change is 23 or 25 hours long. From it come the period containing a date
// or an instant ([Calendar.Containing], [Calendar.At]), its neighbours
// ([Calendar.Next], [Calendar.Prev], [Calendar.Shift]), the periods of a
// range ([Calendar.Periods]), a split into finer periods clipped to the
// parent ([Calendar.Split]), rolling windows ([Calendar.Rolling]) and
// recurrences ([Calendar.Occurrences]).
//
// # Labels
//
// Periods have short names ([Calendar.Label]) that [Calendar.ParseLabel] reads
// back: 2025-03-14, 2025-W14, 2025-03, 2025-Q2, 2025, FY2026-Q1, FY2026 and
// 2025-03-14/P10D. Weeks are numbered as in ISO 8601: 2026-W01 starts on
// Monday 29 December 2025. A fiscal year is named by the calendar year in
// which it ends: with the fiscal year starting in April, FY2026 runs from
// 1 April 2025 to 31 March 2026.
//
// # Working days
//
// A [WorkCalendar] gives the weekly days off, the public holidays, the
// transferred working days, such as Saturday 1 November 2025 in Russia, and
// the shortened working days, such as the Russian pre-holiday days, one hour
// shorter. It covers the years it has data for ([WorkCalendar.Years]); a date
// outside them is an [*OutsideError] ([WorkCalendar.Check]) unless the
// calendar falls back to its weekends. Calendars load from small YAML or
// JSON files ([ParseWorkCalendar], [LoadWorkCalendar]; docs/calendars.md);
// Russia's production calendars for 2024 to 2026 and Germany's nationwide
// holidays for 2024 to 2027 ship with the package ([BuiltinWorkCalendar]).
//
// # Elapsed time
//
// [Calendar.Elapsed] gives the exact [Fraction] of a period that has passed at
// an instant, by calendar time (seconds) or by working time (the working
// hours of its days, a shortened day counting less), the current day
// counting by its elapsed part. It is 0 at the start, 1 at the end and never
// decreases. Fractions are exact; [Fraction.Decimal] rounds them with
// decimal's DivRound, never through float64.
//
// # Errors and concurrency
//
// Bad input gives an error, never a panic: an unknown time zone, a fiscal
// start outside 1..12, a week start other than Monday or Sunday, an empty
// range, a bad label, a bad work-calendar file ("FILE:LINE: what"). Calendars
// and work calendars are immutable and safe for concurrent use; the package
// has no global state.
package period
