package kpi_test

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestUnpricedMatchesReference: a result's Unpriced lists, for each
// indicator in a currency, every event it counts in a reported period
// whose currency has no rate on the date its policy reads (the event's,
// or the period's last day, then named as RateDate), once; a plain loop
// over the final events with rates that miss every third day.
func TestUnpricedMatchesReference(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		cal, periods := drawPeriods(t)
		var defs []kpi.IndicatorDef
		for i := range rapid.IntRange(1, 2).Draw(t, "indicators") {
			d := kpi.IndicatorDef{ID: fmt.Sprintf("i%d", i), Value: "amount", Currency: "RUB",
				Kinds:     rapid.SliceOfNDistinct(rapid.SampledFrom(kinds), 1, 2, rapid.ID[string]).Draw(t, "kinds"),
				Aggregate: rapid.SampledFrom([]kpi.Aggregate{"sum", "avg", "min", "max", "median"}).Draw(t, "agg"),
				Rate:      rapid.SampledFrom([]kpi.RatePolicy{"", kpi.RateEventDate, kpi.RatePeriodEnd}).Draw(t, "rate")}
			if rapid.Bool().Draw(t, "filtered") {
				d.Where = genPredicate(t, 1)
			}
			if rapid.IntRange(0, 2).Draw(t, "broken down") == 0 {
				d.By, d.Top = []string{"source"}, rapid.IntRange(0, 1).Draw(t, "top")
			}
			defs = append(defs, d)
		}
		set, err := kpi.Compile(defs, kpi.Env{Attributes: propAttrs})
		if err != nil {
			t.Fatal(err)
		}
		rate := func(from, to string, on date.Date) (decimal.Decimal, bool) {
			return decimal.New(9000+int64(on.Day()), -2), from == "USD" && to == "RUB" && on.Day()%3 != 0
		}
		req := propRequest(cal, periods)
		req.Rates = kpi.RatesFunc(func(_ context.Context, from, to string, on date.Date) (decimal.Decimal, bool, error) {
			r, ok := rate(from, to, on)
			return r, ok, nil
		})
		stream := genStream(t, cal, periods)
		s, e := cal.Bounds(periods[len(periods)-1])
		req.AsOf = e
		if rapid.Bool().Draw(t, "as of inside") {
			req.AsOf = s.Add(e.Sub(s) / 2)
		}
		res := batchOf(t, set, req, stream)
		loc := cal.Location()
		var want, got []string
		final := goalkittest.Final(stream)
		for _, d := range defs {
			for i := range final {
				ev := &final[i]
				if !ev.Amount.Valid || ev.Currency == "" || ev.Currency == d.Currency || ev.Time.After(req.AsOf) || !counted(t, d, ev, loc) {
					continue
				}
				day := dateIn(ev.Time, loc)
				pi := slices.IndexFunc(periods, func(p period.Period) bool { return p.Contains(day) })
				if pi < 0 {
					continue
				}
				on, rateDate := day, ""
				if d.Rate == kpi.RatePeriodEnd {
					on = periods[pi].End - 1
					if on != day {
						rateDate = on.String()
					}
				}
				if _, ok := rate(ev.Currency, d.Currency, on); !ok {
					want = append(want, fmt.Sprintf("%s %s %s %s %s %s", d.ID, ev.ID, ev.Currency, ev.Amount.Decimal, day, rateDate))
				}
			}
		}
		for _, u := range res.Unpriced {
			got = append(got, fmt.Sprintf("%s %s %s %s %s %s", u.Indicator, u.Event, u.Currency, u.Amount, u.Date, u.RateDate))
		}
		slices.Sort(want)
		if slices.Sort(got); !slices.Equal(got, want) {
			t.Fatalf("unpriced:\n got %q\nwant %q", got, want)
		}
	})
}
