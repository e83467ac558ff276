package kpi_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// An amount converted by fixed rates given in the other direction only
// (the plan's budget_rates: {USD/EUR: 0.92} for amounts in euros) is
// divided by that rate, so it converts exactly where the quotient
// terminates: 920 EUR at USD/EUR 0.92 is 1000 USD, not the 999.99…96 of
// an inverse rounded to 16 digits. Batch, live and the explanation agree.
func TestFixedRatesInverseConvertExactly(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	for _, policy := range []kpi.RatePolicy{"", kpi.RateBudget} {
		set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "revenue", Kinds: []string{"won"}, Aggregate: kpi.Sum, Value: "amount", Currency: "USD", Rate: policy}}, kpi.Env{})
		if err != nil {
			t.Fatal(err)
		}
		m := cal.Containing(period.Month, date.New(2025, 3, 1))
		at := time.Date(2025, 3, 7, 12, 0, 0, 0, time.UTC)
		amount := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
		events := kpi.Events{
			{ID: "e1", Kind: "won", Actor: "anna", Time: at, Amount: amount("920"), Currency: "EUR"},
			{ID: "e2", Kind: "won", Actor: "anna", Time: at, Amount: amount("92500"), Currency: "RUB"},
			{ID: "e3", Kind: "won", Actor: "anna", Time: at, Amount: amount("30"), Currency: "KZT"},
			{ID: "e4", Kind: "won", Actor: "anna", Time: at, Amount: amount("5"), Currency: "USD"},
		}
		// Independently: 920 / 0.92 + 92500 / 92.5 + 30 × 0.002 + 5.
		want := decimal.RequireFromString("2005.06")
		rates := kpi.FixedRates{"USD/EUR": decimal.RequireFromString("0.92"), "USD/RUB": decimal.RequireFromString("92.5"), "KZT/USD": decimal.RequireFromString("0.002")}
		req := kpi.Request{Calendar: cal, Periods: []period.Period{m}, Rates: rates, BudgetRates: rates}
		batch, live := batchAndLive(t, set, req, events, time.Time{})
		for name, res := range map[string]*kpi.Result{"batch": batch, "live": live} {
			if got, _ := res.Value("revenue", "anna", m); !got.Valid || !got.Decimal.Equal(want) {
				t.Errorf("rate %q, %s: revenue %v, want %s", policy, name, got, want)
			}
		}
		ex, err := explainOver(set, events, req, "revenue", "anna", m, nil)
		if err != nil {
			t.Fatal(err)
		}
		sum := decimal.Zero
		for _, c := range ex.Included {
			sum = sum.Add(decimal.RequireFromString(c.Value))
		}
		if !ex.Value.Decimal.Equal(want) || !sum.Equal(want) {
			t.Errorf("rate %q: explanation says %s, its events add up to %s, want %s", policy, ex.Value.Decimal, sum, want)
		}
		for _, c := range ex.Included {
			if c.Event == "e1" && c.Value != "1000" {
				t.Errorf("rate %q: 920 EUR is %s USD, want 1000", policy, c.Value)
			}
		}
		// Each contribution names the rate as it was applied: multiplied by
		// a rate given this way, divided by one given the other way (1/R),
		// and its amount so converted is its value, by hand.
		rateOf := map[string]string{"e1": "1/0.92", "e2": "1/92.5", "e3": "0.002", "e4": ""}
		for _, c := range ex.Included {
			if c.Rate != rateOf[c.Event] {
				t.Errorf("rate %q: %s: rate %q, want %q", policy, c.Event, c.Rate, rateOf[c.Event])
				continue
			}
			amt, val := decimal.RequireFromString(c.Amount), decimal.RequireFromString(c.Value)
			switch {
			case c.Rate == "":
				if !val.Equal(amt) {
					t.Errorf("rate %q: %s: %s unconverted is %s", policy, c.Event, amt, val)
				}
			case c.Rate[:2] == "1/":
				if r := decimal.RequireFromString(c.Rate[2:]); !val.Mul(r).Equal(amt) {
					t.Errorf("rate %q: %s: %s ÷ %s is not %s", policy, c.Event, amt, r, val)
				}
			default:
				if r := decimal.RequireFromString(c.Rate); !amt.Mul(r).Equal(val) {
					t.Errorf("rate %q: %s: %s × %s is not %s", policy, c.Event, amt, r, val)
				}
			}
		}
	}
	// Rate still answers a host that asks, with the inverse to 16 digits.
	if r, ok, _ := (kpi.FixedRates{"USD/EUR": decimal.RequireFromString("0.92")}).Rate(context.Background(), "EUR", "USD", 0); !ok || r.String() != "1.08695652173913" {
		t.Errorf("Rate(EUR, USD) = %s %v", r, ok)
	}
}

// Of several bad fixed rates, Validate names the first by key, every time
// (a map's order is random).
func TestFixedRatesValidateNamesTheFirstBadKey(t *testing.T) {
	rates := kpi.FixedRates{"usd/rub": decimal.NewFromInt(90), "EUR/RUB": decimal.NewFromInt(-1), "USD/EUR": decimal.NewFromInt(0)}
	const want = `rate EUR/RUB must be positive, got -1`
	for range 20 {
		if err := rates.Validate(); err == nil || err.Error() != want {
			t.Fatalf("Validate() = %v, want %s", err, want)
		}
	}
}

// A currency's rate to itself is 1 or refused: an amount in its
// indicator's currency is never converted, so USD/USD: 2 was accepted and
// then ignored without a word. A table of every pair, identities at 1
// included, stays valid.
func TestFixedRatesValidateRateToItself(t *testing.T) {
	for _, c := range []struct {
		rate, want string
	}{
		{"2", "rate USD/USD is a currency's rate to itself, always 1, got 2"},
		{"0.5", "rate USD/USD is a currency's rate to itself, always 1, got 0.5"},
		{"1", ""},
		{"1.000", ""},
	} {
		err := kpi.FixedRates{"USD/USD": decimal.RequireFromString(c.rate), "USD/RUB": decimal.NewFromInt(90)}.Validate()
		if got := fmt.Sprint(err); (c.want == "" && err != nil) || (c.want != "" && got != c.want) {
			t.Errorf("USD/USD: %s: Validate() = %v, want %q", c.rate, err, c.want)
		}
	}
}

// euroDeal is a revenue in USD in UTC, its month of March 2025, and a deal
// of 100 EUR in it (anna's, on 7 March) that converting turns into USD.
func euroDeal(t *testing.T) (*period.Calendar, *kpi.Set, period.Period, kpi.Events) {
	t.Helper()
	cal, _ := period.LoadCalendar("UTC")
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "revenue", Kinds: []string{"won"}, Aggregate: kpi.Sum, Value: "amount", Currency: "USD"}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	m := cal.Containing(period.Month, date.New(2025, 3, 1))
	events := kpi.Events{{ID: "e1", Kind: "won", Actor: "anna", Time: time.Date(2025, 3, 7, 12, 0, 0, 0, time.UTC),
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(100)), Currency: "EUR"}}
	return cal, set, m, events
}

// A rate of 0 or less, from a host's Rates or from fixed rates given as
// Rates (which nothing checks before), fails the evaluation, the live
// read and the explanation, naming the pair and the date; it turned every
// amount into 0 or its opposite.
func TestRatesNotPositiveFail(t *testing.T) {
	cal, set, m, events := euroDeal(t)
	host := func(r string) kpi.Rates {
		return kpi.RatesFunc(func(context.Context, string, string, date.Date) (decimal.Decimal, bool, error) {
			return decimal.RequireFromString(r), true, nil
		})
	}
	for _, tc := range []struct {
		name  string
		rates kpi.Rates
		want  string
	}{
		{"host's 0", host("0"), "rate EUR/USD on 2025-03-07 is 0: a rate must be positive"},
		{"host's -1.5", host("-1.5"), "rate EUR/USD on 2025-03-07 is -1.5: a rate must be positive"},
		{"fixed 0", kpi.FixedRates{"EUR/USD": decimal.Zero}, "rate EUR/USD on 2025-03-07 is 0: a rate must be positive"},
		{"fixed inverse -2", kpi.FixedRates{"USD/EUR": decimal.NewFromInt(-2)}, "rate USD/EUR on 2025-03-07 is -2: a rate must be positive"},
	} {
		req := kpi.Request{Calendar: cal, Periods: []period.Period{m}, Rates: tc.rates}
		if _, err := set.Evaluate(context.Background(), events, req); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Evaluate: %v, want %q", tc.name, err, tc.want)
		}
		tr, err := set.Track(context.Background(), req, nil)
		if err != nil {
			t.Fatal(err)
		}
		if err := tr.Apply(context.Background(), events...); err != nil && !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Apply: %v, want %q", tc.name, err, tc.want)
		} else if err == nil {
			if _, err := tr.Result(context.Background(), time.Time{}); err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Errorf("%s: tracker's Result: %v, want %q", tc.name, err, tc.want)
			}
		}
		if _, err := explainOver(set, events, req, "revenue", "anna", m, nil); err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: Explain: %v, want %q", tc.name, err, tc.want)
		}
	}
}

// A host's rate whose exponent is past what an event's amount may have
// (±1000) fails the evaluation, naming the pair and the date; a rate of
// 10^100000000 was multiplied into the amounts, and the sums and their
// text took minutes.
func TestRatesExponentOutsideFail(t *testing.T) {
	cal, set, m, events := euroDeal(t)
	for exp, want := range map[int32]string{
		100000000: "rate EUR/USD on 2025-03-07 has the exponent 100000000: at most ±1000",
		-1001:     "rate EUR/USD on 2025-03-07 has the exponent -1001: at most ±1000",
		1000:      "",
	} {
		rates := kpi.RatesFunc(func(context.Context, string, string, date.Date) (decimal.Decimal, bool, error) {
			return decimal.New(1, exp), true, nil
		})
		res, err := set.Evaluate(context.Background(), events, kpi.Request{Calendar: cal, Periods: []period.Period{m}, Rates: rates})
		switch {
		case want == "" && err != nil:
			t.Errorf("exponent %d: %v", exp, err)
		case want == "":
			// 100 EUR at 10^1000 is 10^1002 USD.
			if v, _ := res.Value("revenue", "anna", m); !v.Valid || !v.Decimal.Equal(decimal.New(1, 1002)) {
				t.Errorf("exponent %d: revenue %v, want 1e1002", exp, v)
			}
		case err == nil || !strings.Contains(err.Error(), want):
			t.Errorf("exponent %d: %v, want %q", exp, err, want)
		}
	}
}
