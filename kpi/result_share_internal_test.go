package kpi

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A tracker's read after a version shares with the read before it every
// row the version left alone and, in the row of its actor (and of
// org.Everyone), every period whose values stayed the same: only the
// periods that changed are new.
func TestTrackerReadSharesThePeriodsThatStayed(t *testing.T) {
	ctx := context.Background()
	cal, err := period.LoadCalendar("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	set, err := Compile([]IndicatorDef{
		{ID: "n", Kinds: []string{"won", "call"}, Aggregate: Count},
		{ID: "rev", Kinds: []string{"won"}, Aggregate: Sum, Value: "amount"},
	}, Env{})
	if err != nil {
		t.Fatal(err)
	}
	jan := cal.Containing(period.Month, date.New(2025, 1, 1))
	periods := []period.Period{jan, cal.Next(jan), cal.Next(cal.Next(jan))}
	tr, err := set.Track(ctx, Request{Calendar: cal, Periods: periods}, nil)
	if err != nil {
		t.Fatal(err)
	}
	event := func(id, actor string, month time.Month, amount int64) Event {
		return Event{ID: id, Kind: "won", Actor: actor, Time: time.Date(2025, month, 10, 12, 0, 0, 0, time.UTC),
			Amount: decimal.NewNullDecimal(decimal.New(amount, 0))}
	}
	if err := tr.Apply(ctx, event("1", "a", 1, 5), event("2", "a", 2, 7), event("3", "b", 1, 1), event("4", "b", 3, 2)); err != nil {
		t.Fatal(err)
	}
	before, err := tr.Result(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// A correction of a's February amount: February of a and of everyone
	// changes, nothing else.
	if err := tr.Apply(ctx, event("2", "a", 2, 9)); err != nil {
		t.Fatal(err)
	}
	after, err := tr.Result(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := after.Value("rev", "a", periods[1]); !v.Decimal.Equal(decimal.New(9, 0)) {
		t.Fatalf("a's February revenue %v, want 9", v)
	}
	for pi, part := range after.Participants() {
		for qi := range periods {
			same := &after.values[pi][qi][0] == &before.values[pi][qi][0]
			changed := qi == 1 && part != "b"
			if same == changed {
				t.Errorf("%s, period %d: shared %v, the version changed it %v", part, qi, same, changed)
			}
		}
	}
	if &after.values[1][0] != &before.values[1][0] {
		t.Error("b's row, which no version touched, is not shared")
	}
}
