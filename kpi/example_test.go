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

// A conversion rate per person and for the team: the team's ratio comes from
// the team's totals, never from averaging the people's ratios.
func ExampleSet_Evaluate() {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "created", Kinds: []string{"deal.created"}, Aggregate: "count"},
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: "count"},
		{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: "sum", Value: "amount"},
		{ID: "conversion", Formula: "won / created"},
	}, kpi.Env{})
	if err != nil {
		panic(err)
	}
	cal, _ := period.LoadCalendar("Europe/Moscow")
	at := func(day, hour int) time.Time { return time.Date(2025, 3, day, hour, 0, 0, 0, cal.Location()) }
	rub := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	store := memory.New(cal.Location())
	_ = store.Apply(
		kpi.Event{ID: "1", Kind: "deal.created", Actor: "anna", Time: at(3, 10)},
		kpi.Event{ID: "2", Kind: "deal.created", Actor: "anna", Time: at(4, 11)},
		kpi.Event{ID: "3", Kind: "deal.won", Actor: "anna", Time: at(7, 15), Amount: rub("1500.00"), Currency: "RUB"},
		kpi.Event{ID: "4", Kind: "deal.created", Actor: "boris", Time: at(5, 9)},
		kpi.Event{ID: "5", Kind: "deal.created", Actor: "boris", Time: at(6, 9)},
		kpi.Event{ID: "6", Kind: "deal.created", Actor: "boris", Time: at(6, 10)},
		kpi.Event{ID: "7", Kind: "deal.won", Actor: "boris", Time: at(9, 12), Amount: rub("700.00"), Currency: "RUB"},
		kpi.Event{ID: "7", Kind: "deal.won", Actor: "boris", Time: at(9, 12), Amount: rub("750.00"), Currency: "RUB"}, // a correction
	)
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	res, err := set.Evaluate(context.Background(), store, kpi.Request{Calendar: cal, Periods: []period.Period{march}})
	if err != nil {
		panic(err)
	}
	for _, who := range res.Participants() {
		won, _ := res.Value("won", who, march)
		rev, _ := res.Value("revenue", who, march)
		conv, _ := res.Value("conversion", who, march)
		fmt.Printf("%-5s won %s revenue %s conversion %s\n", who, won.Decimal, rev.Decimal, conv.Decimal)
	}
	// Output:
	// anna  won 1 revenue 1500 conversion 0.5
	// boris won 1 revenue 750 conversion 0.3333333333333333
	// *     won 2 revenue 2250 conversion 0.4
}

// Every value can be explained: the events in it, and those left out.
func ExampleSet_Explain() {
	set, _ := kpi.Compile([]kpi.IndicatorDef{
		{ID: "web_leads", Kinds: []string{"lead.created"}, Where: `source == "web"`, Aggregate: "count"},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
	cal, _ := period.LoadCalendar("UTC")
	store := memory.New(time.UTC)
	_ = store.Apply(
		kpi.Event{ID: "l1", Kind: "lead.created", Actor: "anna", Time: time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC), Attrs: map[string]any{"source": "web"}},
		kpi.Event{ID: "l2", Kind: "lead.created", Actor: "anna", Time: time.Date(2025, 3, 4, 9, 0, 0, 0, time.UTC), Attrs: map[string]any{"source": "ads"}},
		kpi.Event{ID: "l3", Kind: "lead.created", Actor: "anna", Time: time.Date(2025, 4, 1, 9, 0, 0, 0, time.UTC), Attrs: map[string]any{"source": "web"}},
		kpi.Event{ID: "l4", Kind: "lead.created", Actor: "anna", Time: time.Date(2025, 3, 5, 9, 0, 0, 0, time.UTC), Attrs: map[string]any{"source": "web"}},
		kpi.Event{ID: "l4", Deleted: true},
	)
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	var ex *kpi.Explanation
	err := kpi.Snapshot(context.Background(), store, cal.Location(), kpi.Query{}, func(tab *kpi.Table) error {
		var err error
		ex, err = set.Explain(context.Background(), tab, kpi.Request{Calendar: cal}, "web_leads", "anna", march, nil, 0)
		return err
	})
	if err != nil {
		panic(err)
	}
	fmt.Println("value", ex.Value.Decimal)
	for _, c := range ex.Included {
		fmt.Println("in ", c.Event)
	}
	for _, x := range ex.Excluded {
		fmt.Println("out", x.Event, x.Reason)
	}
	// Output:
	// value 1
	// in  l1
	// out l2 filter false
	// out l4 retracted
	// out l3 outside the period
}
