package cascade_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A quarterly sales target of 1 000 000.00 split between two departments by
// capacity, then over the months by working days; actuals roll up from the
// events, and a move between departments on 15 February credits each
// department with the deals of its own dates.
func Example() {
	cal, _ := period.LoadCalendar("Europe/Moscow")
	inds, _ := kpi.Compile([]kpi.IndicatorDef{
		{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: "sum", Value: "amount", Unit: kpi.UnitMoney},
	}, kpi.Env{})
	set, err := cascade.Compile([]cascade.Def{{
		ID: "q1", Indicator: "revenue",
		Root: cascade.NodeDef{Period: "2025-Q1", Target: ptr(decimal.RequireFromString("1000000.00")),
			Split: &cascade.SplitDef{By: cascade.Capacity, Into: cascade.IntoUnits,
				Weights: map[string]decimal.Decimal{"east": decimal.NewFromInt(2)},
				Then:    &cascade.SplitDef{By: cascade.WorkingDays, Into: "month"}}},
	}}, cascade.Env{Calendar: cal, Indicators: inds})
	if err != nil {
		fmt.Println(err)
		return
	}
	dir, _ := memory.NewDirectory([]org.Unit{{ID: "east"}, {ID: "west"}},
		[]org.Membership{{User: "anna", Unit: "east"}, {User: "boris", Unit: "west"}})
	_ = dir.Move("boris", "east", date.New(2025, time.February, 15))

	deal := func(id, who string, day int, amount string) kpi.Event {
		return kpi.Event{ID: id, Kind: "deal.won", Actor: who, Time: cal.Midnight(date.New(2025, time.January, 1)).AddDate(0, 0, day),
			Amount: decimal.NewNullDecimal(decimal.RequireFromString(amount))}
	}
	events := kpi.NewTable(cal.Location())
	for _, e := range []kpi.Event{deal("1", "anna", 10, "300000"), deal("2", "boris", 20, "150000"), deal("3", "boris", 60, "90000")} {
		_ = events.Apply(&e)
	}
	staff, _ := org.Load(context.Background(), dir)
	res, err := set.Evaluate(context.Background(), events, cascade.Request{Org: staff})
	if err != nil {
		fmt.Println(err)
		return
	}
	res.Trees[0].Root.Walk(func(n *cascade.Node) {
		fmt.Printf("%-16s target %10s  actual %6s  contribution %s\n", n.ID, n.Target.Decimal.StringFixed(2), n.Actual.Decimal, pct(n.Contribution))
	})
	// Output:
	// company 2025-Q1  target 1000000.00  actual 540000  contribution —
	// east 2025-Q1     target  666666.67  actual 390000  contribution 39%
	// east 2025-01     target  239583.34  actual 300000  contribution 45%
	// east 2025-02     target  208333.33  actual      0  contribution 0%
	// east 2025-03     target  218750.00  actual  90000  contribution 13%
	// west 2025-Q1     target  333333.33  actual 150000  contribution 15%
	// west 2025-01     target  119791.66  actual 150000  contribution 45%
	// west 2025-02     target  104166.67  actual      0  contribution 0%
	// west 2025-03     target  109375.00  actual      0  contribution 0%
}

func pct(d decimal.NullDecimal) string {
	if !d.Valid {
		return "—"
	}
	return d.Decimal.Shift(2).Round(0).String() + "%"
}

// An additive target is split into parts that add back to it
// (score.Split); a lower-is-better cost target is not split: every child
// inherits it.
func ExampleInherit() {
	parts, _ := score.Split(decimal.RequireFromString("100.00"), []decimal.Decimal{
		decimal.NewFromInt(1), decimal.NewFromInt(1), decimal.NewFromInt(1)}, 2)
	fmt.Println(parts, cascade.Inherit(decimal.NewFromInt(500), 3))
	// Output:
	// [33.34 33.33 33.33] [500 500 500]
}
