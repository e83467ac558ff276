package goal

import (
	"math"
	"testing"

	"github.com/goalkit/goalkit/forecast"
	"github.com/shopspring/decimal"
)

// The value expected of a target a host passes with an exponent near
// ±2^31 is undefined where target × share has no decimal's 32-bit
// exponent, not 0 (nor Decimal.Mul's panic); hand counts.
func TestExpectedOfFarExponents(t *testing.T) {
	half := forecast.Share{Num: decimal.NewFromInt(1), Den: decimal.NewFromInt(2)}
	seasonal := forecast.Share{Num: decimal.New(5, -1), Den: one} // a profile's share
	for _, c := range []struct {
		m      Measure
		target decimal.Decimal
		share  forecast.Share
		want   decimal.NullDecimal
	}{
		{Cumulative, decimal.New(1, math.MinInt32), half, decimal.NullDecimal{}},
		{Cumulative, decimal.New(1, math.MinInt32), seasonal, decimal.NullDecimal{}},
		{Cumulative, decimal.New(4, math.MinInt32), seasonal, decimal.NewNullDecimal(decimal.New(2, math.MinInt32))},
		{Cumulative, decimal.New(3, math.MaxInt32), half, decimal.NewNullDecimal(decimal.New(15, math.MaxInt32-1))},
		{Cumulative, decimal.New(1, math.MaxInt32), forecast.Share{Num: decimal.New(3, 1), Den: one}, decimal.NullDecimal{}},
		{Level, decimal.New(1, math.MinInt32), half, decimal.NewNullDecimal(decimal.New(1, math.MinInt32))},
	} {
		got := Expected(c.m, decimal.NewNullDecimal(c.target), c.share)
		if got.Valid != c.want.Valid || got.Valid && !got.Decimal.Equal(c.want.Decimal) {
			t.Errorf("Expected(%s, %se%d, %s/%s) = %se%d (valid %v), want %v", c.m, c.target.Coefficient(), c.target.Exponent(), c.share.Num, c.share.Den, got.Decimal.Coefficient(), got.Decimal.Exponent(), got.Valid, c.want)
		}
	}
}
