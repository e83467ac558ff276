package kpi_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// An unpriced amount says which date's rate is missing: under rate:
// period_end the period's last day (31 January for an event of 10
// January), which is not the event's date; under event_date and budget
// the event's own, and the report then writes no rate_date, as before.
// Rates hold 10 January only, so every policy misses.
func TestUnpricedNamesTheMissingRatesDate(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	jan := cal.Containing(period.Month, date.New(2025, 1, 1))
	events := kpi.Events{{ID: "e1", Kind: "won", Actor: "ann", Time: time.Date(2025, 1, 10, 12, 0, 0, 0, time.UTC),
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(100)), Currency: "USD"}}
	only10 := kpi.RatesFunc(func(_ context.Context, from, to string, on date.Date) (decimal.Decimal, bool, error) {
		return decimal.NewFromInt(90), on == date.New(2025, 1, 10) && from == "USD" && to == "RUB", nil
	})
	for _, c := range []struct {
		policy   kpi.RatePolicy
		rates    kpi.Rates // the budget rates; Rates are only10
		rateDate string
		json     string
	}{
		{kpi.RatePeriodEnd, nil, "2025-01-31", `{"indicator":"revenue","event":"e1","currency":"USD","amount":"100","date":"2025-01-10","rate_date":"2025-01-31"}`},
		{kpi.RateEventDate, nil, "", `{"indicator":"revenue","event":"e1","currency":"USD","amount":"100","date":"2025-01-10"}`},
		{kpi.RateBudget, kpi.FixedRates{}, "", `{"indicator":"revenue","event":"e1","currency":"USD","amount":"100","date":"2025-01-10"}`},
	} {
		set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "revenue", Kinds: []string{"won"}, Aggregate: kpi.Sum, Value: "amount", Currency: "RUB", Rate: c.policy}}, kpi.Env{})
		if err != nil {
			t.Fatal(err)
		}
		req := kpi.Request{Calendar: cal, Periods: []period.Period{jan}, Rates: only10, BudgetRates: c.rates}
		if c.policy == kpi.RateEventDate {
			// The event's own date has a rate: take it away for the miss.
			req.Rates = kpi.FixedRates{}
		}
		batch, live := batchAndLive(t, set, req, events, time.Time{})
		for name, res := range map[string]*kpi.Result{"batch": batch, "live": live} {
			if len(res.Unpriced) != 1 {
				t.Fatalf("%s, %s: unpriced %+v, want e1 once", c.policy, name, res.Unpriced)
			}
			u := res.Unpriced[0]
			if u.Date != "2025-01-10" || u.RateDate != c.rateDate {
				t.Errorf("%s, %s: unpriced on %s, rate of %q missing; want 2025-01-10 and %q", c.policy, name, u.Date, u.RateDate, c.rateDate)
			}
			if b, _ := json.Marshal(u); string(b) != c.json {
				t.Errorf("%s, %s: %s\nwant %s", c.policy, name, b, c.json)
			}
		}
	}
}

// Two indicators of one currency, one at the event's date's rate and one at
// the period end's, over the same events: an amount with a rate on its
// own date but none on the period's last day is unpriced for the second
// alone; the first counts it (100 USD at 90).
func TestUnpricedOnlyForTheRateMissed(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	jan := cal.Containing(period.Month, date.New(2025, 1, 1))
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "at_date", Kinds: []string{"won"}, Aggregate: kpi.Sum, Value: "amount", Currency: "RUB"},
		{ID: "at_end", Kinds: []string{"won"}, Aggregate: kpi.Sum, Value: "amount", Currency: "RUB", Rate: kpi.RatePeriodEnd},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	events := kpi.Events{{ID: "e1", Kind: "won", Actor: "ann", Time: time.Date(2025, 1, 10, 12, 0, 0, 0, time.UTC),
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(100)), Currency: "USD"}}
	only10 := kpi.RatesFunc(func(_ context.Context, from, to string, on date.Date) (decimal.Decimal, bool, error) {
		return decimal.NewFromInt(90), on == date.New(2025, 1, 10), nil
	})
	req := kpi.Request{Calendar: cal, Periods: []period.Period{jan}, Rates: only10}
	batch, live := batchAndLive(t, set, req, events, time.Time{})
	for name, res := range map[string]*kpi.Result{"batch": batch, "live": live} {
		if v, _ := res.Value("at_date", "ann", jan); show(v) != "9000" {
			t.Errorf("%s: at_date %s, want 9000", name, show(v))
		}
		if len(res.Unpriced) != 1 || res.Unpriced[0].Indicator != "at_end" {
			t.Errorf("%s: unpriced %+v, want e1 for at_end alone", name, res.Unpriced)
		}
	}
}
