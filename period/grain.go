package period

import (
	"fmt"
	"strconv"
	"strings"
)

// MaxDays is the longest custom grain, in days (about a century).
const MaxDays = 36600

type grainKind uint8

const (
	kindNone grainKind = iota
	kindDay
	kindWeek
	kindMonth
	kindQuarter
	kindYear
	kindFiscalQuarter
	kindFiscalYear
	kindDays
)

// A Grain is the size of a period: a day, a week, a month, a quarter, a year,
// a fiscal quarter, a fiscal year or a custom number of days.
//
// Grains are small comparable values; use == to compare them. The zero Grain
// is not a valid grain: functions given it return a zero Period, nil or an
// error, as each documents.
//
// Where a period of a grain begins depends on the [Calendar]: its week start,
// its fiscal-year start and its anchor for custom grains.
type Grain struct {
	kind grainKind
	n    int32 // length in days, for custom grains only
}

// The grains. FiscalQuarter and FiscalYear follow the calendar's fiscal start
// month; Week follows its week start.
var (
	Day           = Grain{kind: kindDay}
	Week          = Grain{kind: kindWeek}
	Month         = Grain{kind: kindMonth}
	Quarter       = Grain{kind: kindQuarter}
	Year          = Grain{kind: kindYear}
	FiscalQuarter = Grain{kind: kindFiscalQuarter}
	FiscalYear    = Grain{kind: kindFiscalYear}
)

// Days returns a custom grain of n days. Its periods are anchored at the
// calendar's anchor date (see [WithAnchor]): they start at the anchor plus a
// whole multiple of n days.
//
// Days(1) is [Day]. For n < 1 or n > [MaxDays] Days returns the zero Grain.
func Days(n int) Grain {
	switch {
	case n == 1:
		return Day
	case n < 1 || n > MaxDays:
		return Grain{}
	}
	return Grain{kind: kindDays, n: int32(n)}
}

// ParseGrain parses a grain name: "day", "week", "month", "quarter", "year",
// "fiscal_quarter", "fiscal_year", or a custom length in days such as "10d".
// It is the inverse of [Grain.String].
func ParseGrain(s string) (Grain, error) {
	switch s {
	case "day":
		return Day, nil
	case "week":
		return Week, nil
	case "month":
		return Month, nil
	case "quarter":
		return Quarter, nil
	case "year":
		return Year, nil
	case "fiscal_quarter":
		return FiscalQuarter, nil
	case "fiscal_year":
		return FiscalYear, nil
	}
	if digits, ok := strings.CutSuffix(s, "d"); ok && digits != "" && allDigits(digits) {
		n, err := strconv.Atoi(digits)
		if err != nil || n < 1 || n > MaxDays {
			return Grain{}, fmt.Errorf("grain %q: length must be 1..%d days", s, MaxDays)
		}
		return Days(n), nil
	}
	return Grain{}, fmt.Errorf("unknown grain %q (want day, week, month, quarter, year, fiscal_quarter, fiscal_year or a number of days such as \"10d\")", s)
}

// String returns the grain's name as [ParseGrain] accepts it ("month",
// "fiscal_year", "10d"); the zero Grain gives "".
func (g Grain) String() string {
	switch g.kind {
	case kindDay:
		return "day"
	case kindWeek:
		return "week"
	case kindMonth:
		return "month"
	case kindQuarter:
		return "quarter"
	case kindYear:
		return "year"
	case kindFiscalQuarter:
		return "fiscal_quarter"
	case kindFiscalYear:
		return "fiscal_year"
	case kindDays:
		return strconv.Itoa(int(g.n)) + "d"
	}
	return ""
}

// IsZero reports whether g is the zero Grain, which is not a valid grain.
func (g Grain) IsZero() bool { return g == Grain{} }

// Length returns the length in days of every period of g and true for the
// fixed-length grains (day, week and custom grains), or 0 and false for the
// grains whose periods vary in length (months, quarters and years).
func (g Grain) Length() (days int, fixed bool) {
	switch g.kind {
	case kindDay:
		return 1, true
	case kindWeek:
		return 7, true
	case kindDays:
		return int(g.n), true
	}
	return 0, false
}

// MarshalText implements [encoding.TextMarshaler]; the zero Grain gives empty text.
func (g Grain) MarshalText() ([]byte, error) { return []byte(g.String()), nil }

// UnmarshalText implements [encoding.TextUnmarshaler] with [ParseGrain];
// empty text gives the zero Grain.
func (g *Grain) UnmarshalText(text []byte) error {
	if len(text) == 0 {
		*g = Grain{}
		return nil
	}
	v, err := ParseGrain(string(text))
	if err != nil {
		return err
	}
	*g = v
	return nil
}

// valid reports whether g is one of the grains above.
func (g Grain) valid() bool {
	switch g.kind {
	case kindDay, kindWeek, kindMonth, kindQuarter, kindYear, kindFiscalQuarter, kindFiscalYear:
		return g.n == 0
	case kindDays:
		return g.n > 1 && g.n <= MaxDays
	}
	return false
}

// monthStep returns, for the grains made of whole months, the number of
// months in a period and whether the periods follow the fiscal start.
func (g Grain) monthStep() (months int64, fiscal, ok bool) {
	switch g.kind {
	case kindMonth:
		return 1, false, true
	case kindQuarter:
		return 3, false, true
	case kindYear:
		return 12, false, true
	case kindFiscalQuarter:
		return 3, true, true
	case kindFiscalYear:
		return 12, true, true
	}
	return 0, false, false
}

// longest returns the most days a period of g, a valid grain, lasts.
func (g Grain) longest() int64 {
	if days, fixed := g.Length(); fixed {
		return int64(days)
	}
	switch months, _, _ := g.monthStep(); months {
	case 1:
		return 31
	case 3:
		return 92
	}
	return 366
}

// maxShift is the most days Calendar.Shift moves a period and the farthest
// from 1 January of year 1 a period it shifts may lie: about three billion
// years, far inside what the date and time packages compute exactly, and
// far outside any plan.
const maxShift = 1 << 40

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}
