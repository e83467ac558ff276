package goal

import (
	"context"
	"fmt"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// The fetcher evaluates many periods of mixed grains in few kpi requests;
// every value equals the value of the period evaluated on its own, prev()
// of formulas included.
func TestFetcherMatchesSinglePeriods(t *testing.T) {
	cal := enginetest.Calendar(t, "Europe/Berlin")
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: "count"},
		{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: "sum", Value: "amount"},
		{ID: "growth", Formula: "revenue - prev(revenue)"},
		{ID: "avg_deal", Formula: "revenue / won"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	rapid.Check(t, func(t *rapid.T) {
		var es events
		for i := range rapid.IntRange(0, 40).Draw(t, "events") {
			day := d("2025-01-01") + date.Date(rapid.IntRange(0, 120).Draw(t, "day"))
			e := ev(fmt.Sprint("e", i), "deal.won", rapid.SampledFrom([]string{"anna", "boris"}).Draw(t, "actor"), cal.Midnight(day).Add(36e11))
			e.Amount = nd(fmt.Sprint(rapid.IntRange(1, 100).Draw(t, "amount")))
			es = append(es, e)
		}
		var ps []period.Period
		for range rapid.IntRange(1, 12).Draw(t, "periods") {
			day := d("2025-01-15") + date.Date(rapid.IntRange(0, 90).Draw(t, "start"))
			switch rapid.IntRange(0, 4).Draw(t, "shape") {
			case 0:
				ps = append(ps, cal.Containing(period.Day, day))
			case 1:
				ps = append(ps, cal.Containing(period.Week, day))
			case 2:
				ps = append(ps, cal.Containing(period.Month, day))
			case 3:
				n := rapid.IntRange(2, 20).Draw(t, "len")
				ps = append(ps, period.Period{Grain: period.Days(n), Start: day, End: day + date.Date(n)})
			default: // two weeks, as a recurrence every 2 weeks makes them
				w := cal.Containing(period.Week, day)
				ps = append(ps, period.Period{Grain: period.Week, Start: w.Start, End: w.End + 7})
			}
		}
		asOf := cal.Midnight(d("2025-04-10"))
		f := newFetcher([]*kpi.Set{set}, kpi.Request{Calendar: cal})
		v := variant{asOf: asOf}
		f.users["anna"], f.users["boris"] = true, true
		for _, p := range ps {
			f.value(0, v, "won", "anna", p)
		}
		var tab *kpi.Table
		ctx := context.Background()
		err := kpi.Snapshot(ctx, es, cal.Location(), kpi.Query{Kinds: set.Kinds()}, func(tb *kpi.Table) error {
			tab = tb
			return f.run(ctx, tb)
		})
		if err != nil {
			t.Fatal(err)
		}
		for _, p := range ps {
			one, err := set.EvaluateTable(ctx, tab, kpi.Request{Calendar: cal, Periods: []period.Period{p}, AsOf: asOf, Participants: []string{"anna", "boris"}})
			if err != nil {
				t.Fatal(err)
			}
			for _, ind := range []string{"won", "revenue", "growth", "avg_deal"} {
				for _, who := range []string{"anna", "boris", org.Everyone} {
					want, _ := one.Value(ind, who, p)
					if got := f.value(0, v, ind, who, p); !nullEqual(got, want) {
						t.Fatalf("%s %s %s: %s, alone %s", ind, who, p, str(got), str(want))
					}
				}
			}
		}
	})
}
