package period

import (
	"slices"
	"strconv"
	"strings"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/rickb777/date/v2"
)

// A Fallback says what a working-day calendar does with a date outside the
// years it covers.
type Fallback uint8

const (
	// NoFallback, the default, makes a date outside the years an error
	// ([*OutsideError]): the calendar does not know its holidays.
	NoFallback Fallback = iota
	// WeekendsFallback applies only the weekly days off outside the years.
	WeekendsFallback
)

// String returns "error" or "weekends", as written in a calendar file's
// outside key.
func (f Fallback) String() string {
	switch f {
	case NoFallback:
		return "error"
	case WeekendsFallback:
		return "weekends"
	}
	return "fallback(" + strconv.Itoa(int(f)) + ")"
}

// An OutsideError says that a working-day calendar was asked about a date
// outside the years it covers, and declares no fallback.
type OutsideError struct {
	Calendar string    // the calendar's name
	Date     date.Date // the first date outside
	Years    []int     // the years the calendar covers
}

func (e *OutsideError) Error() string {
	name := "the working-day calendar"
	if e.Calendar != "" {
		name += " " + display.Text(e.Calendar) // a calendar file's text
	}
	return e.Date.String() + " is outside " + name + " (" + yearsText(e.Years) +
		"): add the year to the calendar, or declare outside: weekends"
}

// yearsText writes sorted years with runs joined: "2024-2026", "2025, 2027".
func yearsText(years []int) string {
	if len(years) == 0 {
		return "no years"
	}
	var parts []string
	for i := 0; i < len(years); {
		j := i
		for j+1 < len(years) && years[j+1] == years[j]+1 {
			j++
		}
		part := strconv.Itoa(years[i])
		if j > i {
			part += "-" + strconv.Itoa(years[j])
		}
		parts = append(parts, part)
		i = j + 1
	}
	return "years " + strings.Join(parts, ", ")
}

// Years returns, in order, the years the calendar covers: the years it
// declares, or else those in which it lists a holiday, transferred working
// day or shortened day. It is nil for a calendar that lists no day and
// declares no years, such as the default one: that covers every year.
func (w *WorkCalendar) Years() []int {
	if w == nil {
		return nil
	}
	return slices.Clone(w.years)
}

// Fallback returns what the calendar does outside its years.
func (w *WorkCalendar) Fallback() Fallback {
	if w == nil {
		return NoFallback
	}
	return w.fallback
}

// Check returns an [*OutsideError] for the first date of [from, to) outside
// the years the calendar covers, unless it falls back to its weekends; nil
// when every date is covered or the range is empty. Call it before counting
// the working days of a range: outside the years the counts follow the
// weekends only.
func (w *WorkCalendar) Check(from, to date.Date) error {
	if w == nil || w.years == nil || w.fallback == WeekendsFallback || to <= from {
		return nil
	}
	for y := from.Year(); y <= (to - 1).Year(); y++ {
		if _, ok := slices.BinarySearch(w.years, y); !ok {
			return &OutsideError{Calendar: w.name, Date: max(from, date.New(y, 1, 1)), Years: slices.Clone(w.years)}
		}
	}
	return nil
}
