package kpi

import (
	"context"
	"fmt"
	"maps"
	"slices"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/display"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Rates gives exchange rates. Rate returns how many units of to one unit of
// from buys on the local date on, and false when the host has no rate. A
// rate it returns must be positive, its exponent within ±1000 as an event's
// amount's: another fails the evaluation, naming the pair and the date (a
// FixedRates given as Rates included).
type Rates interface {
	Rate(ctx context.Context, from, to string, on date.Date) (decimal.Decimal, bool, error)
}

// RatesFunc adapts a function to the Rates interface.
type RatesFunc func(ctx context.Context, from, to string, on date.Date) (decimal.Decimal, bool, error)

// Rate calls f.
func (f RatesFunc) Rate(ctx context.Context, from, to string, on date.Date) (decimal.Decimal, bool, error) {
	return f(ctx, from, to, on)
}

// FixedRates are rates that do not change with the date, keyed "FROM/TO"
// (`USD/RUB: 92.5`). The inverse pair is derived when only one direction is
// given. They serve budget rates and tests.
type FixedRates map[string]decimal.Decimal

// Rate implements Rates. A rate derived from the inverse pair keeps 16
// significant digits; the engine's own conversions divide by the inverse
// rate instead, so that an amount converts exactly where the quotient
// terminates (920 EUR at USD/EUR 0.92 is 1000 USD).
func (f FixedRates) Rate(_ context.Context, from, to string, _ date.Date) (decimal.Decimal, bool, error) {
	v := f.quote(from, to)
	return v.rate(), v.ok, nil
}

// quote returns the rate of from/to, or that of to/from to divide by when
// only the inverse pair is given.
func (f FixedRates) quote(from, to string) rateVal {
	if r, ok := f[from+"/"+to]; ok {
		return rateVal{r: r, ok: true}
	}
	if r, ok := f[to+"/"+from]; ok && !r.IsZero() {
		return rateVal{r: r, ok: true, inv: true}
	}
	return rateVal{}
}

// Validate checks the keys and values of fixed rates; of several bad ones
// it names the first by key, the same from run to run. A currency's rate to
// itself (USD/USD) may only be 1: an amount in the currency of its
// indicator is never converted, so another rate would be ignored.
func (f FixedRates) Validate() error {
	for _, k := range slices.Sorted(maps.Keys(f)) {
		v := f[k]
		if len(k) != 7 || k[3] != '/' || !currencyPattern.MatchString(k[:3]) || !currencyPattern.MatchString(k[4:]) {
			return fmt.Errorf("rate key %s must look like USD/RUB", display.QuoteID(k))
		}
		if v.Sign() <= 0 {
			return fmt.Errorf("rate %s must be positive, got %s", k, display.Number(v))
		}
		if k[:3] == k[4:] && !v.Equal(decimal.NewFromInt(1)) {
			return fmt.Errorf("rate %s is a currency's rate to itself, always 1, got %s", k, display.Number(v))
		}
	}
	return nil
}

// rateCache remembers the rates one evaluation asked for.
type rateCache struct {
	rates Rates
	memo  map[rateKey]rateVal
}

type rateKey struct {
	from, to string
	on       date.Date
}

// rateVal is a rate: an amount is multiplied by r, or divided by it when
// inv (fixed rates given in the other direction only).
type rateVal struct {
	r   decimal.Decimal
	ok  bool
	inv bool
}

// convert returns amt in the other currency.
func (v rateVal) convert(amt decimal.Decimal) decimal.Decimal {
	if v.inv {
		q, _ := divide(amt, v.r)
		return q
	}
	return amt.Mul(v.r)
}

// text is the rate as an explanation shows it, exactly as it was applied:
// the rate multiplied by, or 1/R for a rate R divided by.
func (v rateVal) text() string {
	if v.inv {
		return "1/" + v.r.String()
	}
	return v.r.String()
}

// rate returns the rate to multiply by (an inverse to 16 significant
// digits).
func (v rateVal) rate() decimal.Decimal {
	if v.inv {
		q, _ := divide(decimal.NewFromInt(1), v.r)
		return q
	}
	return v.r
}

// rate returns the rate from from to to on the date on, asking the host's
// Rates under ctx (the caller's: a cancelled evaluation stops waiting) on a
// miss of the cache; a failure is not kept.
func (c *rateCache) rate(ctx context.Context, from, to string, on date.Date) (rateVal, error) {
	if from == to {
		return rateVal{r: decimal.NewFromInt(1), ok: true}, nil
	}
	k := rateKey{from, to, on}
	if v, ok := c.memo[k]; ok {
		return v, nil
	}
	if c.rates == nil {
		return rateVal{}, nil
	}
	var v rateVal
	if f, fixed := c.rates.(FixedRates); fixed {
		v = f.quote(from, to)
	} else {
		r, ok, err := c.rates.Rate(ctx, from, to, on)
		if err != nil {
			return rateVal{}, fmt.Errorf("rate %s/%s on %s: %w", from, to, on, err)
		}
		v = rateVal{r: r, ok: ok}
	}
	pair := from + "/" + to
	if v.inv {
		pair = to + "/" + from
	}
	if v.ok && v.r.Sign() <= 0 {
		// A host's rate (or fixed rates given as Rates, unchecked) of 0 or
		// less would turn every amount into 0 or its opposite.
		return rateVal{}, fmt.Errorf("rate %s on %s is %s: a rate must be positive", pair, on, v.r)
	}
	if x := v.r.Exponent(); v.ok && (x > colstore.MaxExponent || x < -colstore.MaxExponent) {
		// As an event's amount: 10^100000000 multiplied into the amounts
		// made sums and texts that took minutes.
		return rateVal{}, fmt.Errorf("rate %s on %s has the exponent %d: at most ±%d", pair, on, x, colstore.MaxExponent)
	}
	if c.memo == nil {
		c.memo = map[rateKey]rateVal{}
	}
	c.memo[k] = v
	return v, nil
}
