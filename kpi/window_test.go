package kpi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func TestWindowCompileErrors(t *testing.T) {
	count := func(f func(d *kpi.IndicatorDef)) []kpi.IndicatorDef {
		d := kpi.IndicatorDef{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count}
		f(&d)
		return []kpi.IndicatorDef{d}
	}
	for _, tc := range []struct {
		name string
		defs []kpi.IndicatorDef
		want string
	}{
		{"both", count(func(d *kpi.IndicatorDef) { d.ToDate, d.Window = "year", "7 days" }),
			"indicators[0].window: to_date and window exclude each other: to date within a grain, or the last days, weeks, months"},
		{"bad grain", count(func(d *kpi.IndicatorDef) { d.ToDate = "decade" }),
			`indicators[0].to_date: to_date "decade" is not a grain (year, quarter, month, week, fiscal_year, fiscal_quarter)`},
		{"day to date", count(func(d *kpi.IndicatorDef) { d.ToDate = "day" }),
			`indicators[0].to_date: to_date "day" is not a grain (year, quarter, month, week, fiscal_year, fiscal_quarter)`},
		{"custom grain to date", count(func(d *kpi.IndicatorDef) { d.ToDate = "10d" }),
			`indicators[0].to_date: to_date "10d" is not a grain (year, quarter, month, week, fiscal_year, fiscal_quarter)`},
		{"bad window", count(func(d *kpi.IndicatorDef) { d.Window = "7 fortnights" }),
			`indicators[0].window: window "7 fortnights" is not a length such as 7 days, 2 weeks, 3 months, 1 quarter or 1 year, or all`},
		{"zero window", count(func(d *kpi.IndicatorDef) { d.Window = "0 days" }),
			`indicators[0].window: window "0 days" is not a length such as 7 days, 2 weeks, 3 months, 1 quarter or 1 year, or all`},
		{"formula", []kpi.IndicatorDef{{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count}, {ID: "x", Formula: "won * 2", ToDate: "year"}},
			"indicators[1].to_date: to_date applies to an aggregate over events: make the formula read cumulative indicators (won_ytd / created_ytd)"},
		{"period-end rate", count(func(d *kpi.IndicatorDef) {
			d.Aggregate, d.Value, d.Currency, d.Rate, d.Window = kpi.Sum, "amount", "EUR", kpi.RatePeriodEnd, "3 months"
		}), "indicators[0].rate: a cumulative indicator spans several periods: convert at the event's date (event_date) or the budget rate"},
		{"top", []kpi.IndicatorDef{{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, ToDate: "year", By: []string{"source"}, Top: 2}},
			"indicators[0].top: top of a cumulative indicator (to_date, window) is not supported: break it down without top"},
		{"top beside", []kpi.IndicatorDef{
			{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, By: []string{"source"}, Top: 2},
			{ID: "won_ytd", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, ToDate: "year", By: []string{"source"}},
		}, "indicators[0].top: top is not supported beside a cumulative indicator broken down by the same attributes (won_ytd): break them down without top"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := kpi.Compile(tc.defs, kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
			if err == nil || err.Error() != tc.want {
				t.Fatalf("got %v, want %s", err, tc.want)
			}
		})
	}
}

// values returns an indicator's values for a participant, period by period.
func values(res *kpi.Result, id, who string) string {
	var out []string
	for _, p := range res.Periods() {
		v, _ := res.Value(id, who, p)
		if !v.Valid {
			out = append(out, "undefined")
			continue
		}
		out = append(out, v.Decimal.String())
	}
	return strings.Join(out, " ")
}

// Year to date, quarter to date and trailing windows over a year end and
// the DST switches of Berlin: an event at 00:30 local time on the day of a
// switch, or at 23:30 on 31 December, falls on its local date. Windows
// reach before the report (December 2024 for the first week of 2025).
func TestWindowValues(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count},
		{ID: "won_ytd", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, ToDate: "year"},
		{ID: "won_mtd", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, ToDate: "month"},
		{ID: "won_7d", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, Window: "7 days"},
		{ID: "max_30d", Kinds: []string{"deal.won"}, Aggregate: kpi.Max, Value: "amount", Window: "30 days"},
		{ID: "won_all", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, Window: "all"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("Europe/Berlin")
	loc := cal.Location()
	var events kpi.Events
	won := func(at time.Time, amount string) {
		events = append(events, kpi.Event{ID: fmt.Sprint(len(events)), Kind: "deal.won", Actor: "anna", Time: at,
			Amount: decimal.NewNullDecimal(decimal.RequireFromString(amount))})
	}
	won(time.Date(2023, 6, 1, 12, 0, 0, 0, loc), "1")      // long before: only in "all"
	won(time.Date(2024, 12, 30, 12, 0, 0, 0, loc), "100")  // 2024's last week
	won(time.Date(2024, 12, 31, 23, 30, 0, 0, loc), "200") // still 2024 in Berlin (22:30 UTC)
	won(time.Date(2025, 1, 1, 0, 30, 0, 0, loc), "5")      // 2025 in Berlin, 2024 in UTC
	won(time.Date(2025, 3, 30, 0, 30, 0, 0, loc), "7")     // the night clocks go forward
	won(time.Date(2025, 3, 30, 3, 30, 0, 0, loc), "9")
	won(time.Date(2025, 10, 26, 2, 30, 0, 0, loc), "11") // the repeated hour
	// Weeks of 2025 around the year end and the switches.
	weeks := []period.Period{cal.Containing(period.Week, date.New(2025, 1, 1)), cal.Containing(period.Week, date.New(2025, 1, 6)),
		cal.Containing(period.Week, date.New(2025, 3, 30)), cal.Containing(period.Week, date.New(2025, 3, 31)), cal.Containing(period.Week, date.New(2025, 10, 26))}
	res, err := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: weeks})
	if err != nil {
		t.Fatal(err)
	}
	// Week 1 of 2025 is 30 Dec 2024 - 5 Jan 2025: its last day is in 2025,
	// so its year to date is 2025's: the event of 1 January alone.
	for id, want := range map[string]string{
		"won":     "3 0 2 0 1",
		"won_ytd": "1 1 3 3 4",
		"won_mtd": "1 1 2 0 1", // by the month of the week's last day: January, January, March, April, October
		"won_7d":  "3 0 2 0 1",
		"max_30d": "200 200 9 9 11",
		"won_all": "4 4 6 6 7",
	} {
		if got := values(res, id, "anna"); got != want {
			t.Errorf("%s: %s, want %s", id, got, want)
		}
	}
}

// Cumulative equals the sum of its parts: the year to date of a count or a
// sum in each month is the sum of the months of the year so far, for any
// events, batch and live.
func TestWindowSumOfParts(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "n", Kinds: []string{"a"}, Aggregate: kpi.Count},
		{ID: "s", Kinds: []string{"a"}, Aggregate: kpi.Sum, Value: "amount"},
		{ID: "n_ytd", Kinds: []string{"a"}, Aggregate: kpi.Count, ToDate: "year"},
		{ID: "s_ytd", Kinds: []string{"a"}, Aggregate: kpi.Sum, Value: "amount", ToDate: "year"},
		{ID: "s_qtd", Kinds: []string{"a"}, Aggregate: kpi.Sum, Value: "amount", ToDate: "quarter"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		cal, _ := period.LoadCalendar(rapid.SampledFrom([]string{"Europe/Berlin", "America/New_York", "Asia/Kolkata"}).Draw(t, "zone"))
		months, _ := cal.Periods(period.Month, date.New(2024, 11, 1), date.New(2026, 3, 1))
		var events kpi.Events
		for i := range rapid.IntRange(0, 60).Draw(t, "events") {
			day := rapid.IntRange(0, 480).Draw(t, "day")
			at := time.Date(2024, 11, 1, 0, 0, 0, 0, cal.Location()).AddDate(0, 0, day).Add(time.Duration(rapid.IntRange(0, 86399).Draw(t, "s")) * time.Second)
			events = append(events, kpi.Event{ID: fmt.Sprint(i), Kind: "a", Actor: "u", Time: at,
				Amount: decimal.NewNullDecimal(decimal.New(rapid.Int64Range(-1000, 100000).Draw(t, "amount"), -2))})
		}
		req := kpi.Request{Calendar: cal, Periods: months}
		batch, live := batchAndLive(t, set, req, events, time.Time{})
		for _, res := range []*kpi.Result{batch, live} {
			for _, c := range []struct{ part, whole, grain string }{{"n", "n_ytd", "year"}, {"s", "s_ytd", "year"}, {"s", "s_qtd", "quarter"}} {
				g, _ := period.ParseGrain(c.grain)
				for _, p := range months {
					sum := decimal.Zero
					// The months of the grain's period so far; those before
					// November 2024 have no event.
					for _, q := range months {
						if q.Start >= cal.Containing(g, p.Start).Start && q.Start <= p.Start {
							v, _ := res.Value(c.part, "*", q)
							sum = sum.Add(v.Decimal)
						}
					}
					got, _ := res.Value(c.whole, "*", p)
					if !got.Decimal.Equal(sum) {
						t.Fatalf("%s in %s = %s, the months so far add up to %s", c.whole, cal.Label(p), got.Decimal, sum)
					}
				}
			}
		}
	})
}

// Open pipeline at each month's end: every deal created so far minus every
// deal closed (won or lost) so far, whenever it was; a deal reopened (its
// close retracted) is open again.
func ExampleIndicatorDef_window() {
	set, _ := kpi.Compile([]kpi.IndicatorDef{
		{ID: "created_to_date", Kinds: []string{"deal.created"}, Aggregate: kpi.Count, Window: "all"},
		{ID: "closed_to_date", Kinds: []string{"deal.won", "deal.lost"}, Aggregate: kpi.Count, Window: "all"},
		{ID: "open_pipeline", Formula: "created_to_date - closed_to_date"},
		{ID: "won_ytd", Kinds: []string{"deal.won"}, Aggregate: kpi.Count, ToDate: "year"},
	}, kpi.Env{})
	cal, _ := period.LoadCalendar("UTC")
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, time.UTC) }
	events := kpi.Events{
		{ID: "c1", Kind: "deal.created", Actor: "anna", Time: day(2024, 11, 20)},
		{ID: "c2", Kind: "deal.created", Actor: "anna", Time: day(2024, 12, 5)},
		{ID: "w1", Kind: "deal.won", Actor: "anna", Time: day(2025, 1, 10)},
		{ID: "c3", Kind: "deal.created", Actor: "anna", Time: day(2025, 2, 3)},
		{ID: "l2", Kind: "deal.lost", Actor: "anna", Time: day(2025, 2, 20)},
		{ID: "w3", Kind: "deal.won", Actor: "anna", Time: day(2025, 3, 15)},
		{ID: "w3", Deleted: true}, // reopened: not won after all
	}
	months, _ := cal.Periods(period.Month, date.New(2025, 1, 1), date.New(2025, 4, 1))
	res, _ := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: months})
	for _, p := range months {
		open, _ := res.Value("open_pipeline", "anna", p)
		ytd, _ := res.Value("won_ytd", "anna", p)
		fmt.Printf("%s open %s, won this year %s\n", cal.Label(p), open.Decimal, ytd.Decimal)
	}
	// Output:
	// 2025-01 open 1, won this year 1
	// 2025-02 open 1, won this year 1
	// 2025-03 open 1, won this year 1
}

// FuzzWindowAndCohort compiles indicators with arbitrary to_date, window and
// within texts: refused with a problem, or evaluated without a panic.
func FuzzWindowAndCohort(f *testing.F) {
	for _, s := range []string{"year", "7 days", "3 months", "1 quarter", "all", "40d", "2 weeks", "0 days", "fiscal_year", "10d"} {
		f.Add(s, s, s)
	}
	cal, _ := period.LoadCalendar("Europe/Berlin")
	months, _ := cal.Periods(period.Month, date.New(2025, 1, 1), date.New(2025, 4, 1))
	at := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 12, 0, 0, 0, cal.Location()) }
	events := kpi.Events{
		{ID: "1", Kind: "c", Actor: "a", Time: at(1, 5), Attrs: map[string]any{"deal": "x"}},
		{ID: "2", Kind: "w", Actor: "b", Time: at(2, 5), Attrs: map[string]any{"deal": "x"}},
		{ID: "3", Kind: "w", Actor: "b", Time: at(3, 31), Attrs: map[string]any{"deal": "y"}},
	}
	f.Fuzz(func(t *testing.T, toDate, window, within string) {
		for _, d := range []kpi.IndicatorDef{
			{ID: "x", Kinds: []string{"w"}, Aggregate: kpi.Count, ToDate: toDate},
			{ID: "x", Kinds: []string{"w"}, Aggregate: kpi.Count, Window: window},
			{ID: "x", Kinds: []string{"w"}, Aggregate: kpi.Count, Cohort: &kpi.CohortDef{Of: []string{"c"}, Entity: "deal", Within: within}},
		} {
			set, err := kpi.Compile([]kpi.IndicatorDef{d}, kpi.Env{Attributes: map[string]kpi.AttrType{"deal": kpi.AttrString}})
			if err != nil {
				continue
			}
			if _, err := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: months}); err != nil {
				t.Fatalf("%+v: %v", d, err)
			}
		}
	})
}

// A window that would scan more than a century of days (36600, the
// longest period) is refused: at compile time by its length, at evaluation
// by the events it reaches. A period of the longest length evaluates with
// its window, as a window of 100 years does; both were refused past 36525
// days, though a report and a goal take periods of 36600.
func TestWindowLimit(t *testing.T) {
	if _, err := kpi.Compile([]kpi.IndicatorDef{{ID: "x", Kinds: []string{"w"}, Aggregate: kpi.Count, Window: "101 years"}}, kpi.Env{}); err == nil ||
		err.Error() != `indicators[0].window: window "101 years" is longer than a century (36600 days, the longest period)` {
		t.Fatalf("compile: %v", err)
	}
	{
		cal, _ := period.LoadCalendar("UTC")
		longest := period.Period{Grain: period.Days(period.MaxDays), Start: date.New(1950, 1, 1), End: date.New(1950, 1, 1) + period.MaxDays}
		events := kpi.Events{{ID: "1", Kind: "w", Actor: "a", Time: time.Date(1950, 1, 1, 0, 0, 0, 0, time.UTC)},
			{ID: "2", Kind: "w", Actor: "a", Time: time.Date(2050, 1, 1, 0, 0, 0, 0, time.UTC)}}
		// The period ends on 17 March 2050 (its last day the 16th): a window
		// of 100 years starts on 17 March 1950, after the first event.
		for window, want := range map[string]int64{"7 days": 0, "100 years": 1, "all": 2} {
			set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "x", Kinds: []string{"w"}, Aggregate: kpi.Count, Window: window}}, kpi.Env{})
			if err != nil {
				t.Fatalf("window %s: %v", window, err)
			}
			res, err := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: []period.Period{longest}})
			if err != nil {
				t.Fatalf("window %s over %d days: %v", window, period.MaxDays, err)
			}
			if v, _ := res.Value("x", "a", longest); !v.Valid || v.Decimal.IntPart() != want {
				t.Errorf("window %s over %d days: %v, want %d", window, period.MaxDays, v, want)
			}
		}
	}
	set, _ := kpi.Compile([]kpi.IndicatorDef{{ID: "x", Kinds: []string{"w"}, Aggregate: kpi.Count, Window: "all"}}, kpi.Env{})
	cal, _ := period.LoadCalendar("UTC")
	months, _ := cal.Periods(period.Month, date.New(2025, 1, 1), date.New(2025, 2, 1))
	events := kpi.Events{{ID: "1", Kind: "w", Actor: "a", Time: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)}}
	_, err := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: months})
	if err == nil || err.Error() != "the windows of the cumulative indicators span 45687 days, from 1900-01-01 (at most 36600, about a century: the longest period)" {
		t.Fatalf("evaluate: %v", err)
	}
}
