package kpi

import (
	"context"
	"fmt"

	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Rates gives exchange rates. Rate returns how many units of to one unit of
// from buys on the local date on, and false when the host has no rate.
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

// Rate implements Rates.
func (f FixedRates) Rate(_ context.Context, from, to string, _ date.Date) (decimal.Decimal, bool, error) {
	if r, ok := f[from+"/"+to]; ok {
		return r, true, nil
	}
	if r, ok := f[to+"/"+from]; ok && !r.IsZero() {
		inv, _ := divide(decimal.NewFromInt(1), r)
		return inv, true, nil
	}
	return decimal.Decimal{}, false, nil
}

// Validate checks the keys and values of fixed rates.
func (f FixedRates) Validate() error {
	for k, v := range f {
		if len(k) != 7 || k[3] != '/' || !currencyPattern.MatchString(k[:3]) || !currencyPattern.MatchString(k[4:]) {
			return fmt.Errorf("rate key %q must look like USD/RUB", k)
		}
		if v.Sign() <= 0 {
			return fmt.Errorf("rate %s must be positive, got %s", k, v)
		}
	}
	return nil
}

// rateCache remembers the rates one evaluation asked for.
type rateCache struct {
	ctx   context.Context
	rates Rates
	memo  map[rateKey]rateVal
}

type rateKey struct {
	from, to string
	on       date.Date
}

type rateVal struct {
	r  decimal.Decimal
	ok bool
}

func (c *rateCache) rate(from, to string, on date.Date) (decimal.Decimal, bool, error) {
	if from == to {
		return decimal.NewFromInt(1), true, nil
	}
	k := rateKey{from, to, on}
	if v, ok := c.memo[k]; ok {
		return v.r, v.ok, nil
	}
	if c.rates == nil {
		return decimal.Decimal{}, false, nil
	}
	r, ok, err := c.rates.Rate(c.ctx, from, to, on)
	if err != nil {
		return decimal.Decimal{}, false, fmt.Errorf("rate %s/%s on %s: %w", from, to, on, err)
	}
	if c.memo == nil {
		c.memo = map[rateKey]rateVal{}
	}
	c.memo[k] = rateVal{r, ok}
	return r, ok, nil
}
