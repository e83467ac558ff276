package kpi_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Live tracking: events are applied as they arrive, corrected and
// retracted, and the values move with them. A restarted tracker restores
// its state from the store, and AsKnownAt replays what was known earlier.
func ExampleSet_Track() {
	ctx := context.Background()
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: "count"},
		{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: "sum", Value: "amount"},
		{ID: "biggest", Kinds: []string{"deal.won"}, Aggregate: "max", Value: "amount"},
	}, kpi.Env{})
	if err != nil {
		panic(err)
	}
	cal, _ := period.LoadCalendar("Europe/Moscow")
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	req := kpi.Request{Calendar: cal, Periods: []period.Period{march}}
	at := func(day, hour int) time.Time { return time.Date(2025, 3, day, hour, 0, 0, 0, cal.Location()) }
	rub := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	show := func(tr *kpi.Tracker, when string) {
		res, err := tr.Result(ctx, time.Time{})
		if err != nil {
			panic(err)
		}
		won, _ := res.Value("won", "anna", march)
		rev, _ := res.Value("revenue", "anna", march)
		big, _ := res.Value("biggest", "anna", march)
		fmt.Printf("%-16s won %s revenue %s biggest %s\n", when, won.Decimal, rev.Decimal, big.Decimal)
	}

	store := memory.NewTrackStore()
	tr, err := set.Track(ctx, req, store)
	if err != nil {
		panic(err)
	}
	_ = tr.Apply(ctx,
		kpi.Event{ID: "1", Kind: "deal.won", Actor: "anna", Time: at(3, 10), Amount: rub("1500"), Known: at(3, 10)},
		kpi.Event{ID: "2", Kind: "deal.won", Actor: "anna", Time: at(4, 10), Amount: rub("9000"), Known: at(4, 10)},
	)
	show(tr, "4 March")
	// The big deal is reopened (retracted), the first one corrected.
	_ = tr.Apply(ctx, kpi.Event{ID: "2", Deleted: true, Known: at(5, 9)})
	_ = tr.Apply(ctx, kpi.Event{ID: "1", Kind: "deal.won", Actor: "anna", Time: at(3, 10), Amount: rub("1750"), Known: at(5, 10)})
	show(tr, "5 March")

	_ = tr.Close() // a store admits one tracker at a time
	restarted, err := set.Track(ctx, req, store)
	if err != nil {
		panic(err)
	}
	show(restarted, "after a restart")

	then, err := restarted.AsKnownAt(ctx, at(4, 12))
	if err != nil {
		panic(err)
	}
	rev, _ := then.Value("revenue", "anna", march)
	fmt.Println("known on 4 March: revenue", rev.Decimal)
	// Output:
	// 4 March          won 2 revenue 10500 biggest 9000
	// 5 March          won 1 revenue 1750 biggest 1750
	// after a restart  won 1 revenue 1750 biggest 1750
	// known on 4 March: revenue 10500
}
