package kpi_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A request of a week of March and of April, over a formula that reads
// prev(), is refused naming two periods that overlap: April's prev()
// reads March, which holds the week, and each date counts in one evaluated
// period, so March lost the week's 3 won and April's growth read 5 − 4 = 1
// where April alone reads 5 − 7 = −2. Without
// prev() the same periods are evaluated, and April is April alone.
func TestPrevOfMixedGrainsRefused(t *testing.T) {
	ctx := context.Background()
	cal, _ := period.LoadCalendar("UTC")
	var events kpi.Events
	won := wonOn(&events)
	won(date.New(2025, 3, 4), 3) // in week 10 (3–9 March)
	won(date.New(2025, 3, 20), 4)
	won(date.New(2025, 4, 10), 5)
	w10 := cal.Containing(period.Week, date.New(2025, 3, 4))
	april := cal.Containing(period.Month, date.New(2025, 4, 1))
	req := kpi.Request{Calendar: cal, Periods: []period.Period{w10, april}}
	const want = "periods 2025-W09 and 2025-03 overlap: the formulas read prev(), so the request evaluates the periods before those it reports, and each date counts in one period; ask for the periods of each grain in a request of its own"
	growth, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Count},
		{ID: "growth", Formula: "won - prev(won)"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := growth.Evaluate(ctx, events, req); err == nil || err.Error() != want {
		t.Errorf("Evaluate: %v, want %q", err, want)
	}
	if _, err := growth.Track(ctx, req, nil); err == nil || err.Error() != want {
		t.Errorf("Track: %v, want %q", err, want)
	}
	// April alone: 5 won in April, 7 in March.
	res, err := growth.Evaluate(ctx, events, kpi.Request{Calendar: cal, Periods: []period.Period{april}})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := res.Value("growth", "anna", april); !v.Valid || !v.Decimal.Equal(decimal.NewFromInt(-2)) {
		t.Errorf("April alone: growth %v, want -2", v)
	}
	// Without prev(), the week and April are evaluated together.
	plain, err := kpi.Compile([]kpi.IndicatorDef{{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Count}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	res, err = plain.Evaluate(ctx, events, req)
	if err != nil {
		t.Fatal(err)
	}
	wantAnna(t, res, cal, "won", map[period.Period]int64{w10: 3, april: 5})
}

// An explanation of a cell of such a request over a running formula is
// refused as the report is: it evaluates the periods up to the cell's, and
// April's growth read 1, a value no report gives. Without a running
// formula, April is explained as April alone (−2), as before.
func TestExplainPrevOfMixedGrainsRefused(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	var events kpi.Events
	for _, w := range []struct {
		day date.Date
		n   int
	}{{date.New(2025, 3, 4), 3}, {date.New(2025, 3, 20), 4}, {date.New(2025, 4, 10), 5}} {
		for range w.n {
			events = append(events, kpi.Event{ID: fmt.Sprint(len(events)), Kind: "won", Actor: "anna",
				Time: time.Date(w.day.Year(), w.day.Month(), w.day.Day(), 12, 0, 0, 0, time.UTC)})
		}
	}
	w10 := cal.Containing(period.Week, date.New(2025, 3, 4))
	april := cal.Containing(period.Month, date.New(2025, 4, 1))
	req := kpi.Request{Calendar: cal, Periods: []period.Period{w10, april}}
	const want = "periods 2025-W09 and 2025-03 overlap: the formulas read prev(), so the request evaluates the periods before those it reports, and each date counts in one period; ask for the periods of each grain in a request of its own"
	defs := []kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Count},
		{ID: "growth", Formula: "won - prev(won)"},
	}
	plain, err := kpi.Compile(defs, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	running, err := kpi.Compile(append(defs, kpi.IndicatorDef{ID: "total", Formula: "coalesce(prev(total), 0) + won"}), kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := running.Evaluate(context.Background(), events, req); err == nil || err.Error() != want {
		t.Fatalf("Evaluate: %v, want %q", err, want)
	}
	if ex, err := explainOver(running, events, req, "growth", "anna", april, nil); err == nil || err.Error() != want {
		t.Errorf("Explain with a running formula: %v (%+v), want %q", err, ex, want)
	}
	ex, err := explainOver(plain, events, req, "growth", "anna", april, nil)
	if err != nil || !ex.Value.Valid || !ex.Value.Decimal.Equal(decimal.NewFromInt(-2)) {
		t.Errorf("Explain without a running formula: %v, %v; want -2", ex, err)
	}
}

// wantAnna checks anna's values of indicator id in periods.
func wantAnna(t *testing.T, res *kpi.Result, cal *period.Calendar, id string, want map[period.Period]int64) {
	t.Helper()
	for p, w := range want {
		if v, _ := res.Value(id, "anna", p); !v.Valid || !v.Decimal.Equal(decimal.NewFromInt(w)) {
			t.Errorf("%s in %s: %v, want %d", id, cal.Label(p), v, w)
		}
	}
}

// wonOn returns a function that adds n events of kind won for anna at
// noon (UTC) of a day to events.
func wonOn(events *kpi.Events) func(day date.Date, n int) {
	return func(day date.Date, n int) {
		for range n {
			*events = append(*events, kpi.Event{ID: fmt.Sprint(len(*events)), Kind: "won", Actor: "anna",
				Time: time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, time.UTC)})
		}
	}
}

// A running formula over periods of two grains accumulates each grain's
// periods from the report's first: a report of 3 March (a day) and of June
// reads April and May, the months that start in the report before June,
// so June's total is 1 + 2 + 4 = 7 wins. It read May alone, the period
// June's prev() reaches (6), so the value depended on how far back the
// engine read. A week and a later day, whose days from the week's first
// overlap the week, are refused as prev() over two grains is.
func TestRunningFormulaOverTwoGrains(t *testing.T) {
	ctx := context.Background()
	cal, _ := period.LoadCalendar("UTC")
	var events kpi.Events
	won := wonOn(&events)
	won(date.New(2025, 3, 3), 8)   // the day reported
	won(date.New(2025, 3, 20), 16) // March starts before the report: never counted
	won(date.New(2025, 4, 10), 1)
	won(date.New(2025, 5, 10), 2)
	won(date.New(2025, 6, 10), 4)
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Count},
		{ID: "total", Formula: "coalesce(prev(total), 0) + won"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	day := cal.Containing(period.Day, date.New(2025, 3, 3))
	june := cal.Containing(period.Month, date.New(2025, 6, 1))
	req := kpi.Request{Calendar: cal, Periods: []period.Period{day, june}}
	res, err := set.Evaluate(ctx, events, req)
	if err != nil {
		t.Fatal(err)
	}
	wantAnna(t, res, cal, "total", map[period.Period]int64{day: 8, june: 7})
	tr, err := set.Track(ctx, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if err := tr.Apply(ctx, events...); err != nil {
		t.Fatal(err)
	}
	live, err := tr.Result(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	wantAnna(t, live, cal, "total", map[period.Period]int64{june: 7})

	week := cal.Containing(period.Week, date.New(2025, 3, 3))
	later := cal.Containing(period.Day, date.New(2025, 3, 11))
	const want = "periods 2025-W10 and 2025-03-03 overlap: the formulas read prev(), so the request evaluates the periods before those it reports, and each date counts in one period; ask for the periods of each grain in a request of its own"
	if _, err := set.Evaluate(ctx, events, kpi.Request{Calendar: cal, Periods: []period.Period{week, later}}); err == nil || err.Error() != want {
		t.Errorf("a week and a later day: %v, want %q", err, want)
	}
}
