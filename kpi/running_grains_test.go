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
	won := func(day date.Date, n int) {
		for range n {
			events = append(events, kpi.Event{ID: fmt.Sprint(len(events)), Kind: "won", Actor: "anna",
				Time: time.Date(day.Year(), day.Month(), day.Day(), 12, 0, 0, 0, time.UTC)})
		}
	}
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
	for _, c := range []struct {
		p    period.Period
		want int64
	}{{day, 8}, {june, 7}} {
		if v, _ := res.Value("total", "anna", c.p); !v.Valid || !v.Decimal.Equal(decimal.NewFromInt(c.want)) {
			t.Errorf("total in %s: %v, want %d", cal.Label(c.p), v, c.want)
		}
	}
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
	if v, _ := live.Value("total", "anna", june); !v.Valid || !v.Decimal.Equal(decimal.NewFromInt(7)) {
		t.Errorf("tracked total in June: %v, want 7", v)
	}

	week := cal.Containing(period.Week, date.New(2025, 3, 3))
	later := cal.Containing(period.Day, date.New(2025, 3, 11))
	const want = "periods 2025-W10 and 2025-03-03 overlap: the formulas read prev(), so the request evaluates the periods before those it reports, and each date counts in one period; ask for the periods of each grain in a request of its own"
	if _, err := set.Evaluate(ctx, events, kpi.Request{Calendar: cal, Periods: []period.Period{week, later}}); err == nil || err.Error() != want {
		t.Errorf("a week and a later day: %v, want %q", err, want)
	}
}
