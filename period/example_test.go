package period_test

import (
	"fmt"
	"time"

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

func ExampleNewCalendar() {
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		panic(err)
	}
	c, err := period.NewCalendar(berlin, period.WithFiscalStart(time.April))
	if err != nil {
		panic(err)
	}
	day := date.MustParseISO("2025-05-15")
	for _, g := range []period.Grain{period.Week, period.Month, period.Quarter, period.FiscalQuarter, period.FiscalYear} {
		p := c.Containing(g, day)
		fmt.Printf("%-14s %-9s %s .. %s\n", g, c.Label(p), p.Start, p.End-1)
	}

	_, err = period.NewCalendar(berlin, period.WithFiscalStart(13))
	fmt.Println(err)
	// Output:
	// week           2025-W20  2025-05-12 .. 2025-05-18
	// month          2025-05   2025-05-01 .. 2025-05-31
	// quarter        2025-Q2   2025-04-01 .. 2025-06-30
	// fiscal_quarter FY2026-Q1 2025-04-01 .. 2025-06-30
	// fiscal_year    FY2026    2025-04-01 .. 2026-03-31
	// fiscal start must be a month 1..12, got 13
}

func ExampleLoadCalendar() {
	c, err := period.LoadCalendar("America/New_York", period.WithWeekStart(time.Sunday))
	if err != nil {
		panic(err)
	}
	fmt.Println(c.Location(), c.WeekStart(), c.FiscalStart())

	_, err = period.LoadCalendar("Europe/Atlantis")
	fmt.Println(err)
	// Output:
	// America/New_York Sunday January
	// time zone "Europe/Atlantis": unknown time zone Europe/Atlantis
}

func ExampleCalendar_At() {
	c, _ := period.LoadCalendar("Europe/Berlin")
	// 23:30 UTC on 31 March is already 1 April in Berlin.
	t := time.Date(2025, time.March, 31, 23, 30, 0, 0, time.UTC)
	fmt.Println(c.Date(t), c.Label(c.At(period.Month, t)), c.Label(c.At(period.Week, t)))
	// Output:
	// 2025-04-01 2025-04 2025-W14
}

func ExampleCalendar_Containing() {
	c, _ := period.LoadCalendar("UTC")
	// ISO week 1 of 2026 starts on Monday 29 December 2025; 2020 has a week 53.
	for _, s := range []string{"2025-12-31", "2021-01-03", "2024-02-29"} {
		p := c.Containing(period.Week, date.MustParseISO(s))
		fmt.Println(s, c.Label(p), p.Start, p.End)
	}
	// Output:
	// 2025-12-31 2026-W01 2025-12-29 2026-01-05
	// 2021-01-03 2020-W53 2020-12-28 2021-01-04
	// 2024-02-29 2024-W09 2024-02-26 2024-03-04
}

func ExampleCalendar_Bounds() {
	c, _ := period.LoadCalendar("Europe/Berlin")
	// The clocks go forward on 30 March 2025: the day has 23 hours.
	start, end := c.Bounds(c.Containing(period.Day, date.MustParseISO("2025-03-30")))
	fmt.Println(start, end.Sub(start))
	fmt.Println(c.Midnight(date.MustParseISO("2025-10-26")).UTC())
	// Output:
	// 2025-03-30 00:00:00 +0100 CET 23h0m0s
	// 2025-10-25 22:00:00 +0000 UTC
}

func ExampleCalendar_Next() {
	c, _ := period.LoadCalendar("UTC", period.WithFiscalStart(time.October))
	q, _ := c.ParseLabel("FY2026-Q1")
	fmt.Println(c.Label(c.Prev(q)), c.Label(q), c.Label(c.Next(q)), c.Label(c.Shift(q, 6)))
	// Output:
	// FY2025-Q4 FY2026-Q1 FY2026-Q2 FY2027-Q3
}

func ExampleCalendar_Label() {
	c, _ := period.LoadCalendar("UTC", period.WithFiscalStart(time.April))
	day := date.MustParseISO("2025-03-14")
	for _, g := range []period.Grain{period.Day, period.Week, period.Month, period.Quarter,
		period.Year, period.FiscalQuarter, period.FiscalYear, period.Days(10)} {
		fmt.Println(c.Label(c.Containing(g, day)))
	}
	// Output:
	// 2025-03-14
	// 2025-W11
	// 2025-03
	// 2025-Q1
	// 2025
	// FY2025-Q4
	// FY2025
	// 2025-03-12/P10D
}

func ExampleCalendar_ParseLabel() {
	c, _ := period.LoadCalendar("UTC", period.WithFiscalStart(time.April))
	for _, s := range []string{"2025-W14", "FY2026", "FY2026-Q1", "2025-03-14/P10D", "2025-W53"} {
		p, err := c.ParseLabel(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		fmt.Println(s, p)
	}
	// Output:
	// 2025-W14 week [2025-03-31, 2025-04-07)
	// FY2026 fiscal_year [2025-04-01, 2026-04-01)
	// FY2026-Q1 fiscal_quarter [2025-04-01, 2025-07-01)
	// 2025-03-14/P10D 10d [2025-03-14, 2025-03-24)
	// label "2025-W53": week must be 1..52 in 2025, got 53
}

func ExampleCalendar_Periods() {
	c, _ := period.LoadCalendar("UTC")
	months, err := c.Periods(period.Month, date.MustParseISO("2025-01-15"), date.MustParseISO("2025-05-01"))
	if err != nil {
		panic(err)
	}
	for _, m := range months {
		fmt.Println(c.Label(m), m.Days())
	}
	_, err = c.Periods(period.Month, date.MustParseISO("2025-05-01"), date.MustParseISO("2025-01-01"))
	fmt.Println(err)
	// Output:
	// 2025-02 28
	// 2025-03 31
	// 2025-04 30
	// periods of month from 2025-05-01 to 2025-01-01: empty range
}

func ExampleCalendar_Split() {
	c, _ := period.LoadCalendar("UTC")
	march, _ := c.ParseLabel("2025-03")
	for _, w := range c.Split(march, period.Week) {
		fmt.Println(c.Label(w), w.Start, w.End, w.Days())
	}
	// Output:
	// 2025-W09 2025-03-01 2025-03-03 2
	// 2025-W10 2025-03-03 2025-03-10 7
	// 2025-W11 2025-03-10 2025-03-17 7
	// 2025-W12 2025-03-17 2025-03-24 7
	// 2025-W13 2025-03-24 2025-03-31 7
	// 2025-W14 2025-03-31 2025-04-01 1
}

func ExampleCalendar_Rolling() {
	c, _ := period.LoadCalendar("Europe/Moscow")
	now := time.Date(2025, time.March, 14, 22, 0, 0, 0, time.UTC) // 01:00 on the 15th in Moscow
	last7 := c.Rolling(7, now)
	fmt.Println(last7, c.Label(last7))
	fmt.Println(c.Prev(last7))
	// Output:
	// 7d [2025-03-09, 2025-03-16) 2025-03-09/P7D
	// 7d [2025-03-02, 2025-03-09)
}

func ExampleCalendar_Workdays() {
	ru, err := period.BuiltinWorkCalendar("RU")
	if err != nil {
		panic(err)
	}
	c, _ := period.LoadCalendar("Europe/Moscow", period.WithWorkdays(ru))
	nov, _ := c.ParseLabel("2025-11")
	fmt.Println(c.Workdays(nov))
	for _, s := range []string{"2025-11-01", "2025-11-03", "2025-11-04"} {
		day := date.MustParseISO(s)
		name, _ := ru.Holiday(day)
		fmt.Printf("%s %-8s working=%-5v %q\n", s, day.Weekday(), c.IsWorkday(day), name)
	}
	// Output:
	// 19
	// 2025-11-01 Saturday working=true  ""
	// 2025-11-03 Monday   working=false "day off moved from Saturday 1 November"
	// 2025-11-04 Tuesday  working=false "Unity Day"
}

func ExampleCalendar_Elapsed() {
	c, _ := period.LoadCalendar("Europe/Berlin")
	day := c.Containing(period.Day, date.MustParseISO("2025-03-30")) // 23 hours long
	noon := time.Date(2025, time.March, 30, 12, 0, 0, 0, c.Location())
	f := c.Elapsed(day, noon, period.CalendarTime)
	fmt.Println(f, f.Decimal(4))

	// On Sunday 30 March, 20 of the month's 21 working days are over.
	march, _ := c.ParseLabel("2025-03")
	fmt.Println(c.Elapsed(march, noon, period.WorkingTime))
	// Output:
	// 11/23 0.4783
	// 20/21
}

func ExampleCalendar_Elapsed_workingTime() {
	ru, _ := period.BuiltinWorkCalendar("RU")
	c, _ := period.LoadCalendar("Europe/Moscow", period.WithWorkdays(ru))
	nov, _ := c.ParseLabel("2025-11")
	// Saturday 1 November was worked, one hour shorter before the holiday;
	// 3 and 4 November were days off. At noon on Wednesday 5 November 11 of
	// the month's 151 working hours are over: 7 on Saturday, 4 on Wednesday.
	t := time.Date(2025, time.November, 5, 12, 0, 0, 0, c.Location())
	fmt.Println(c.Elapsed(nov, t, period.WorkingTime), c.Elapsed(nov, t, period.CalendarTime))
	// Output:
	// 11/151 3/20
}

func ExampleCalendar_Occurrences() {
	c, _ := period.LoadCalendar("UTC")
	sprints := period.Recurrence{Grain: period.Week, Every: 2, Anchor: date.MustParseISO("2025-01-06"), Count: 4}
	occ, err := c.Occurrences(sprints, date.MustParseISO("2025-01-01"), date.MustParseISO("2026-01-01"))
	if err != nil {
		panic(err)
	}
	for _, p := range occ {
		fmt.Println(p.Start, p.End)
	}
	// Output:
	// 2025-01-06 2025-01-20
	// 2025-01-20 2025-02-03
	// 2025-02-03 2025-02-17
	// 2025-02-17 2025-03-03
}

func ExampleParseGrain() {
	for _, s := range []string{"fiscal_quarter", "14d", "fortnight"} {
		g, err := period.ParseGrain(s)
		if err != nil {
			fmt.Println(err)
			continue
		}
		days, fixed := g.Length()
		fmt.Println(g, days, fixed)
	}
	// Output:
	// fiscal_quarter 0 false
	// 14d 14 true
	// unknown grain "fortnight" (want day, week, month, quarter, year, fiscal_quarter, fiscal_year or a number of days such as "10d")
}

func ExampleDays() {
	c, _ := period.LoadCalendar("UTC", period.WithAnchor(date.MustParseISO("2025-01-01")))
	p := c.Containing(period.Days(10), date.MustParseISO("2025-01-25"))
	fmt.Println(p, c.Label(p))
	// Output:
	// 10d [2025-01-21, 2025-01-31) 2025-01-21/P10D
}

func ExampleNewWorkCalendar() {
	w, err := period.NewWorkCalendar("shop", []time.Weekday{time.Sunday},
		[]period.NamedDay{{Date: date.MustParseISO("2025-12-25"), Name: "Christmas"}}, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(w.Weekends(), w.CountWorkdays(date.MustParseISO("2025-12-22"), date.MustParseISO("2025-12-29")))
	// Output:
	// [Sunday] 5
}

func ExampleParseWorkCalendar() {
	file := []byte(`name: Plant
weekends: [saturday, sunday]
holidays:
  - {date: 2025-12-24, name: Christmas Eve}
  - 2025-12-31
workdays:
  - {date: 2025-12-27, name: inventory}
`)
	w, err := period.ParseWorkCalendar("plant.yaml", file)
	if err != nil {
		panic(err)
	}
	fmt.Println(w.Name(), len(w.Holidays()), w.CountWorkdays(date.MustParseISO("2025-12-01"), date.MustParseISO("2026-01-01")))

	_, err = period.ParseWorkCalendar("plant.yaml", []byte("holidays:\n  - 2025-12-24\n  - 2025-12-32\n"))
	fmt.Println(err)
	// Output:
	// Plant 2 22
	// plant.yaml:3: holiday: "2025-12-32" is not a real date: December has 31 days
}

func ExampleBuiltinWorkCalendar() {
	de, err := period.BuiltinWorkCalendar("DE")
	if err != nil {
		panic(err)
	}
	fmt.Println(de.Years())
	for _, h := range de.Holidays()[:4] {
		fmt.Println(h.Date, h.Name)
	}
	// Output:
	// [2024 2025 2026 2027]
	// 2024-01-01 New Year's Day (Neujahr)
	// 2024-03-29 Good Friday (Karfreitag)
	// 2024-04-01 Easter Monday (Ostermontag)
	// 2024-05-01 Labour Day (Tag der Arbeit)
}

func ExampleWorkCalendar_Merge() {
	de, _ := period.BuiltinWorkCalendar("DE")
	bavaria, err := period.ParseWorkCalendar("by.yaml", []byte("name: BY\nholidays:\n  - {date: 2025-06-19, name: Corpus Christi}\n"))
	if err != nil {
		panic(err)
	}
	w := de.Merge(bavaria)
	june := func(w *period.WorkCalendar) int {
		return w.CountWorkdays(date.MustParseISO("2025-06-01"), date.MustParseISO("2025-07-01"))
	}
	fmt.Println(w.Name(), june(de), june(w))
	// Output:
	// DE+BY 20 19
}

func ExampleFraction_Decimal() {
	f := period.Fraction{Num: 2, Den: 3}
	fmt.Println(f.Decimal(2), f.Decimal(6), f.Cmp(period.Fraction{Num: 3, Den: 4}))
	// Output:
	// 0.67 0.666667 -1
}

func ExampleWorkCalendar_Check() {
	ru, _ := period.BuiltinWorkCalendar("RU")
	fmt.Println(ru.Years())
	fmt.Println(ru.Check(date.MustParseISO("2024-01-01"), date.MustParseISO("2027-01-01")))
	fmt.Println(ru.Check(date.MustParseISO("2023-12-01"), date.MustParseISO("2024-02-01")))
	// Output:
	// [2024 2025 2026]
	// <nil>
	// 2023-12-01 is outside the working-day calendar RU (years 2024-2026): add the year to the calendar, or declare outside: weekends
}

func ExampleWorkCalendar_WorkingHours() {
	ru, _ := period.BuiltinWorkCalendar("RU")
	// November 2024: 21 working days; Saturday 2 November was worked, one
	// hour shorter before Unity Day.
	from, to := date.MustParseISO("2024-11-01"), date.MustParseISO("2024-12-01")
	fmt.Println(ru.CountWorkdays(from, to), ru.WorkingHours(from, to).Hours())
	for _, s := range ru.Shortened()[:2] {
		fmt.Println(s.Date, s.Hours, s.Name)
	}
	// Output:
	// 21 167
	// 2024-02-22 7h0m0s before Defender of the Fatherland Day
	// 2024-03-07 7h0m0s before International Women's Day
}
