// Package isodate reads the calendar dates of goalkit's files strictly: a
// date is written YYYY-MM-DD and must exist. A date that does not exist
// (2025-02-30) is an error that says why, never moved onto a real one the way
// time.Date and date.ParseISO move it (2025-02-30 would become 2025-03-02).
// Every reader of a date (plan files, labels, work calendars, directories,
// event times) uses the same rules and the same words.
package isodate

import (
	"fmt"
	"time"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/rickb777/date/v2"
)

// Form is how a date is written, for messages.
const Form = "YYYY-MM-DD"

// Parse reads exactly YYYY-MM-DD (a four-digit year, a two-digit month and
// day) and returns the date, or an error that says what is wrong: the form
// (`want a date YYYY-MM-DD, got "2025-1-01"`) or the date
// (`"2025-02-30" is not a real date: February 2025 has 28 days`); a text
// that is no date is quoted cut to display.MaxQuoted bytes.
func Parse(s string) (date.Date, error) {
	y, m, d, ok := Fields(s)
	if !ok {
		return 0, fmt.Errorf("want a date %s, got %s", Form, display.QuoteID(s))
	}
	if why := Problem(y, m, d); why != "" {
		return 0, fmt.Errorf("%q is not a real date: %s", s, why)
	}
	return date.New(y, time.Month(m), d), nil
}

// Fields splits YYYY-MM-DD into its numbers, checking the form only.
func Fields(s string) (y, m, d int, ok bool) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return 0, 0, 0, false
	}
	for i := range len(s) {
		if i != 4 && i != 7 && (s[i] < '0' || s[i] > '9') {
			return 0, 0, 0, false
		}
	}
	num := func(b string) int {
		n := 0
		for i := range len(b) {
			n = n*10 + int(b[i]-'0')
		}
		return n
	}
	return num(s[:4]), num(s[5:7]), num(s[8:]), true
}

// Problem says why year-month-day is not a date of the (proleptic)
// Gregorian calendar, in words for a message ("February 2025 has 28 days",
// "months are 01 to 12", "days start at 01"), or returns "" when it is one.
func Problem(year, month, day int) string {
	switch {
	case month < 1 || month > 12:
		return "months are 01 to 12"
	case day < 1:
		return "days start at 01"
	case day > DaysIn(year, month):
		if month == 2 {
			return fmt.Sprintf("February %04d has %d days", year, DaysIn(year, month))
		}
		return fmt.Sprintf("%s has %d days", time.Month(month), DaysIn(year, month))
	}
	return ""
}

// DaysIn returns the number of days of the month (1–12) of the year.
func DaysIn(year, month int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}
