package kpi_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A period given by its dates alone (no grain: a custom range) has no
// period before it, so prev() of it is undefined, as before a running
// formula's first period. It read the zero period, which the request
// evaluated as the one "before" it and which holds no event: a growth of
// won − prev(won) read won itself (4 here), and a running total
// coalesce(prev(x), 0) + won started from 0 whatever the docs say of it.
func TestPrevOfAPeriodWithoutGrainIsUndefined(t *testing.T) {
	ctx := context.Background()
	cal, _ := period.LoadCalendar("UTC")
	var events kpi.Events
	won := wonOn(&events)
	won(date.New(2025, 1, 20), 3)
	won(date.New(2025, 2, 10), 4)
	feb := period.Period{Start: date.New(2025, 2, 1), End: date.New(2025, 3, 1)}
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Count},
		{ID: "growth", Formula: "won - prev(won)"},
		{ID: "back2", Formula: "won - prev(won, 2)"},
		{ID: "to_date", Formula: "coalesce(prev(to_date), 0) + won"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	res, err := set.Evaluate(ctx, events, kpi.Request{Calendar: cal, Periods: []period.Period{feb}})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := res.Value("won", "anna", feb); !v.Valid || !v.Decimal.Equal(decimal.NewFromInt(4)) {
		t.Errorf("won: %v, want 4", v)
	}
	for _, id := range []string{"growth", "back2"} {
		if v, _ := res.Value(id, "anna", feb); v.Valid {
			t.Errorf("%s: %v, want undefined (no period before a range of dates)", id, v)
		}
	}
	// A running total starts at the report's first period: 0 + 4.
	if v, _ := res.Value("to_date", "anna", feb); !v.Valid || !v.Decimal.Equal(decimal.NewFromInt(4)) {
		t.Errorf("to_date: %v, want 4", v)
	}
	// Its explanation says the same: February's 4 and an undefined input
	// one period back, in no period (it read the zero period's 0).
	ex, err := explainOver(set, events, kpi.Request{Calendar: cal, Periods: []period.Period{feb}}, "growth", "anna", feb, nil)
	if err != nil {
		t.Fatal(err)
	}
	if ex.Value.Valid || len(ex.Inputs) != 2 {
		t.Fatalf("explained growth: %v with %d inputs, want undefined with 2", ex.Value, len(ex.Inputs))
	}
	if in := ex.Inputs[0]; in.Back != 0 || !in.Value.Valid || !in.Value.Decimal.Equal(decimal.NewFromInt(4)) {
		t.Errorf("input 0: back %d, %v; want back 0, 4", in.Back, in.Value)
	}
	if in := ex.Inputs[1]; in.Back != 1 || in.Value.Valid || in.Label != "" || len(in.Included) != 0 {
		t.Errorf("input 1: back %d, %v in %q with %d events; want back 1, undefined, in no period, no events", in.Back, in.Value, in.Label, len(in.Included))
	}
	// The same month as a month: growth 4 − 3.
	month := cal.Containing(period.Month, date.New(2025, 2, 1))
	res, err = set.Evaluate(ctx, events, kpi.Request{Calendar: cal, Periods: []period.Period{month}})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := res.Value("growth", "anna", month); !v.Valid || !v.Decimal.Equal(decimal.NewFromInt(1)) {
		t.Errorf("growth of the month: %v, want 1", v)
	}
}

// A running formula over two periods given by their dates alone never
// returned: the request stepped from the first towards the second by the
// calendar's Next, which gives the zero Period for a period without a
// grain, for ever (appending a period at each step). Each such period
// has no period before it, so the running total starts again in each.
func TestRunningFormulaOverPeriodsWithoutGrain(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	var events kpi.Events
	won := wonOn(&events)
	won(date.New(2025, 1, 20), 3)
	won(date.New(2025, 2, 10), 4)
	jan := period.Period{Start: date.New(2025, 1, 1), End: date.New(2025, 2, 1)}
	feb := period.Period{Start: date.New(2025, 2, 1), End: date.New(2025, 3, 1)}
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Count},
		{ID: "to_date", Formula: "coalesce(prev(to_date), 0) + won"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	type out struct {
		res *kpi.Result
		err error
	}
	done := make(chan out, 1)
	go func() {
		res, err := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: []period.Period{jan, feb}})
		done <- out{res, err}
	}()
	select {
	case o := <-done:
		if o.err != nil {
			t.Fatal(o.err)
		}
		for p, w := range map[period.Period]int64{jan: 3, feb: 4} {
			if v, _ := o.res.Value("to_date", "anna", p); !v.Valid || !v.Decimal.Equal(decimal.NewFromInt(w)) {
				t.Errorf("to_date in %v: %v, want %d", p, v, w)
			}
		}
	case <-time.After(5 * time.Second):
		t.Fatal("Evaluate did not return in 5 s")
	}
}
