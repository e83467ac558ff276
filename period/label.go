package period

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/isodate"
	"github.com/rickb777/date/v2"
)

// Label returns the name of p:
//
//	day             2025-03-14
//	week            2025-W14
//	month           2025-03
//	quarter         2025-Q2
//	year            2025
//	fiscal quarter  FY2026-Q1
//	fiscal year     FY2026
//	custom (10d)    2025-03-14/P10D  (an ISO 8601 interval: start and length)
//
// Weeks are numbered as in ISO 8601, generalised to the calendar's week
// start: a week belongs to the year that holds its fourth day (its Thursday
// when weeks start on Monday, its Wednesday when they start on Sunday), and
// week 1 is the week that contains 4 January. So 2026-W01 is the week of
// Monday 29 December 2025, and 2020 has a week 2020-W53.
//
// A fiscal year is named by the calendar year in which it ends: with a fiscal
// start in April, FY2026 is [2025-04-01, 2026-04-01) and FY2026-Q1 is April
// to June 2025. With the default January start, FY2025 is the year 2025.
//
// A part clipped by [Calendar.Split] is named after the whole period of its
// grain that contains its start. Label returns "" if p has no valid grain.
// Labels are meant for years 0001 to 9999; [Calendar.ParseLabel] reads them
// back.
func (c *Calendar) Label(p Period) string {
	g := p.Grain
	if !g.valid() {
		return ""
	}
	if g.kind == kindDays && p.Days() == int(g.n) {
		return p.Start.String() + "/P" + strconv.Itoa(int(g.n)) + "D"
	}
	w := c.Containing(g, p.Start)
	y, m, d := w.Start.Date()
	switch g.kind {
	case kindDay:
		return w.Start.String()
	case kindWeek:
		wy, wn := c.weekNumber(w.Start)
		return fmt.Sprintf("%04d-W%02d", wy, wn)
	case kindMonth:
		return fmt.Sprintf("%04d-%02d", y, int(m))
	case kindQuarter:
		return fmt.Sprintf("%04d-Q%d", y, (int(m)-1)/3+1)
	case kindYear:
		return fmt.Sprintf("%04d", y)
	case kindFiscalQuarter:
		fy, q := c.fiscalQuarterOf(w.Start)
		return fmt.Sprintf("FY%04d-Q%d", fy, q)
	case kindFiscalYear:
		fy, _ := c.fiscalQuarterOf(w.Start)
		return fmt.Sprintf("FY%04d", fy)
	case kindDays:
		return fmt.Sprintf("%04d-%02d-%02d/P%dD", y, int(m), d, g.n)
	}
	return ""
}

// weekNumber returns the week-year and week number of the week starting at
// start: the year of its fourth day, and that day's week of the year.
func (c *Calendar) weekNumber(start date.Date) (year, week int) {
	fourth := start + 3
	return fourth.Year(), (fourth.YearDay()-1)/7 + 1
}

// fiscalQuarterOf returns the fiscal year label (the calendar year in which
// the fiscal year ends) and the fiscal quarter 1..4 of d.
func (c *Calendar) fiscalQuarterOf(d date.Date) (fy, q int) {
	y, m, _ := d.Date()
	mi := int64(y)*12 + int64(m) - 1 - c.monthOffset(true)
	fyIndex := floorDiv(mi, 12)
	fy = int(fyIndex)
	if c.fiscalOffset != 0 {
		fy++
	}
	return fy, int(floorMod(mi, 12)/3) + 1
}

// weeksIn returns the number of weeks (52 or 53) whose week-year is year.
func (c *Calendar) weeksIn(year int) int {
	a := c.index(Week, date.New(year, time.January, 4))
	b := c.index(Week, date.New(year+1, time.January, 4))
	return int(b - a)
}

const labelForms = "2025, 2025-03, 2025-03-14, 2025-W14, 2025-Q2, FY2026, FY2026-Q1 or 2025-03-14/P10D"

// ParseLabel parses a label made by [Calendar.Label] back into the period it
// names. Week and fiscal labels are read with c's week start and fiscal
// start; an interval label such as 2025-03-14/P10D gives exactly that
// interval, of grain Days(10), whether or not it lines up with the anchor.
// Years must have four digits.
func (c *Calendar) ParseLabel(s string) (Period, error) {
	p, msg := c.parseLabel(s)
	if msg != "" {
		return Period{}, fmt.Errorf("label %q: %s", s, msg)
	}
	return p, nil
}

func (c *Calendar) parseLabel(s string) (Period, string) {
	bad := "not a period label (want " + labelForms + ")"
	if rest, ok := strings.CutPrefix(s, "FY"); ok {
		y, ok := year4(rest)
		if !ok {
			return Period{}, bad
		}
		idx := int64(y)
		if c.fiscalOffset != 0 {
			idx--
		}
		switch {
		case len(rest) == 4:
			return c.byIndex(FiscalYear, idx), ""
		case len(rest) == 7 && rest[4:6] == "-Q":
			q := int(rest[6] - '0')
			if q < 1 || q > 4 {
				return Period{}, fmt.Sprintf("quarter must be 1..4, got %s", rest[6:])
			}
			return c.byIndex(FiscalQuarter, idx*4+int64(q-1)), ""
		}
		return Period{}, bad
	}
	if startText, length, ok := strings.Cut(s, "/"); ok {
		start, why, ok := parseYMD(startText)
		if why != "" {
			return Period{}, fmt.Sprintf("interval starts on %s, not a real date: %s", startText, why)
		}
		if !ok {
			return Period{}, "interval must start with a date YYYY-MM-DD (as in 2025-03-14/P10D)"
		}
		digits, ok := strings.CutPrefix(length, "P")
		if ok {
			digits, ok = strings.CutSuffix(digits, "D")
		}
		if !ok || digits == "" || !allDigits(digits) {
			return Period{}, "interval length must be a number of days such as P10D"
		}
		n, err := strconv.Atoi(digits)
		if err != nil || n < 1 || n > MaxDays {
			return Period{}, fmt.Sprintf("interval length must be 1..%d days", MaxDays)
		}
		return Period{Grain: Days(n), Start: start, End: start + date.Date(n)}, ""
	}
	y, ok := year4(s)
	if !ok {
		return Period{}, bad
	}
	rest := s[4:]
	switch {
	case rest == "":
		return c.byIndex(Year, int64(y)), ""
	case len(rest) == 4 && rest[:2] == "-W" && allDigits(rest[2:]):
		n, _ := strconv.Atoi(rest[2:])
		if weeks := c.weeksIn(y); n < 1 || n > weeks {
			return Period{}, fmt.Sprintf("week must be 1..%d in %04d, got %d", weeks, y, n)
		}
		first := c.index(Week, date.New(y, time.January, 4))
		return c.byIndex(Week, first+int64(n-1)), ""
	case len(rest) == 3 && rest[:2] == "-Q":
		q := int(rest[2] - '0')
		if q < 1 || q > 4 {
			return Period{}, fmt.Sprintf("quarter must be 1..4, got %s", rest[2:])
		}
		return c.byIndex(Quarter, int64(y)*4+int64(q-1)), ""
	case len(rest) == 3 && rest[0] == '-' && allDigits(rest[1:]):
		m, _ := strconv.Atoi(rest[1:])
		if m < 1 || m > 12 {
			return Period{}, fmt.Sprintf("month must be 1..12, got %d", m)
		}
		return c.byIndex(Month, int64(y)*12+int64(m-1)), ""
	case len(rest) == 6 && rest[0] == '-' && rest[3] == '-':
		d, why, ok := parseYMD(s)
		if !ok {
			if why == "" {
				return Period{}, bad
			}
			return Period{}, "not a real date: " + why
		}
		return c.byIndex(Day, int64(d)), ""
	}
	return Period{}, bad
}

// year4 reads the four-digit year at the start of s.
func year4(s string) (int, bool) {
	if len(s) < 4 || !allDigits(s[:4]) {
		return 0, false
	}
	y, _ := strconv.Atoi(s[:4])
	return y, true
}

// parseYMD parses exactly YYYY-MM-DD, a real date. When s is not one, ok is
// false and why says what is wrong with a date of the right form ("February
// 2025 has 28 days"); it is "" when s does not have the form.
func parseYMD(s string) (d date.Date, why string, ok bool) {
	y, m, dd, ok := isodate.Fields(s)
	if !ok {
		return 0, "", false
	}
	if why := isodate.Problem(y, m, dd); why != "" {
		return 0, why, false
	}
	return date.New(y, time.Month(m), dd), "", true
}
