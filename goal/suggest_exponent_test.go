package goal

import (
	"fmt"
	"math"
	"testing"

	"github.com/shopspring/decimal"
)

// The arithmetic of a suggestion is undefined (the period left out of the
// rates, or no suggestion) where a quotient has no decimal's 32-bit
// exponent, not 0. Hand counts.
func TestSuggestQuotientsOfFarExponents(t *testing.T) {
	undefined := decimal.NullDecimal{}
	def := func(c int64, e int32) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.New(c, e)) }
	check := func(what string, q decimal.Decimal, ok bool, want decimal.NullDecimal) {
		t.Helper()
		if ok != want.Valid || ok && !q.Equal(want.Decimal) {
			t.Errorf("%s = %se%d, %v; want %se%d (valid %v)", what, q.Coefficient(), q.Exponent(), ok, want.Decimal.Coefficient(), want.Decimal.Exponent(), want.Valid)
		}
	}
	for _, c := range []struct {
		a    decimal.NullDecimal
		wd   int
		want decimal.NullDecimal
	}{
		{def(1, math.MinInt32), 2, undefined}, // 5e-2147483649
		{def(1, math.MinInt32), 3, undefined},
		{def(4, math.MinInt32), 2, def(2, math.MinInt32)},
		{def(100, math.MinInt32), 4, def(25, math.MinInt32)}, // 1e-2147483646 / 4
		{def(3, math.MaxInt32), 3, def(1, math.MaxInt32)},
		{def(1, math.MaxInt32), 0, undefined},
		{undefined, 5, undefined},
		{def(21, 0), 5, decimal.NewNullDecimal(decimal.RequireFromString("4.2"))},
	} {
		q, ok := perDay(c.a, c.wd)
		check(fmt.Sprintf("perDay(%se%d, %d)", c.a.Decimal.Coefficient(), c.a.Decimal.Exponent(), c.wd), q, ok, c.want)
	}
	for _, c := range []struct {
		x    decimal.Decimal
		h    int
		sum  decimal.Decimal
		want decimal.NullDecimal
	}{
		{decimal.New(1, math.MinInt32), 1, decimal.NewFromInt(3), undefined}, // 3.33…e-2147483649
		{decimal.New(1, math.MinInt32), 2, decimal.NewFromInt(4), undefined}, // 5e-2147483649
		{decimal.New(3, math.MinInt32), 2, decimal.NewFromInt(6), def(1, math.MinInt32)},
		{decimal.New(1, math.MaxInt32), 3, decimal.New(1, math.MinInt32), undefined},
		{decimal.New(2, 0), 3, decimal.NewFromInt(4), def(15, -1)},
	} {
		q, ok := seasonFactor(c.x, c.h, c.sum)
		check(fmt.Sprintf("seasonFactor(%se%d, %d, %se%d)", c.x.Coefficient(), c.x.Exponent(), c.h, c.sum.Coefficient(), c.sum.Exponent()), q, ok, c.want)
	}
	for _, c := range []struct {
		t, stretch decimal.Decimal
		lower      bool
		want       decimal.NullDecimal
	}{
		{decimal.New(1, math.MinInt32), decimal.RequireFromString("1.1"), true, undefined}, // 9.09…e-2147483649
		{decimal.New(1, math.MinInt32), decimal.NewFromInt(2), true, undefined},            // 5e-2147483649
		{decimal.New(11, math.MinInt32), decimal.RequireFromString("1.1"), true, def(1, math.MinInt32+1)},
		{decimal.New(1, math.MinInt32+5), decimal.RequireFromString("1.2"), false, def(12, math.MinInt32+4)},
		{decimal.NewFromInt(100), decimal.RequireFromString("1.25"), true, def(80, 0)},
	} {
		q, ok := stretched(c.t, c.stretch, c.lower)
		check(fmt.Sprintf("stretched(%se%d, %s, %v)", c.t.Coefficient(), c.t.Exponent(), c.stretch, c.lower), q, ok, c.want)
	}
}
