package goal

import (
	"fmt"
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
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

// A suggestion's target, base and season are rounded without scaling a
// far exponent: Round of 1e-2147483640 or 1e2147483647 to 2 places built
// a power of ten of two billion digits and never returned. Hand counts;
// each case fails after 5 s.
func TestRoundedFarExponents(t *testing.T) {
	for _, c := range []struct {
		d      decimal.Decimal
		places int32
		want   decimal.Decimal
	}{
		{decimal.New(1, math.MinInt32+8), 2, decimal.New(0, -2)},
		{decimal.New(-999_999, math.MinInt32), 4, decimal.New(0, -4)},
		{decimal.New(1, math.MaxInt32), 2, decimal.New(1, math.MaxInt32)},
		{decimal.New(-37, math.MaxInt32-1), 0, decimal.New(-37, math.MaxInt32-1)},
		{decimal.New(1, -100_001), 0, decimal.New(0, 0)},
		// 10^100001 − 1 over 10^100001: 0.99…9 to 100,001 places, 1 to 4.
		{decimal.NewFromBigInt(new(big.Int).Sub(new(big.Int).Exp(big.NewInt(10), big.NewInt(100_001), nil), big.NewInt(1)), -100_001), 4, decimal.New(10000, -4)},
		{decimal.New(5, -3), 2, decimal.New(1, -2)},      // 0.005: half away from zero
		{decimal.New(-5, -3), 2, decimal.New(-1, -2)},    // -0.005
		{decimal.New(123, 0), 2, decimal.New(12300, -2)}, // as Round writes it
	} {
		done := make(chan decimal.Decimal, 1)
		go func() { done <- rounded(c.d, c.places) }()
		select {
		case got := <-done:
			if !got.Equal(c.want) || got.Exponent() != c.want.Exponent() && got.Exponent() < 100_000 {
				t.Errorf("rounded(%se%d, %d) = %se%d, want %se%d", c.d.Coefficient(), c.d.Exponent(), c.places, got.Coefficient(), got.Exponent(), c.want.Coefficient(), c.want.Exponent())
			}
		case <-time.After(5 * time.Second):
			t.Errorf("rounded(%se%d, %d) did not return in 5 s", c.d.Coefficient(), c.d.Exponent(), c.places)
		}
	}
}

// rounded is the nearest multiple of 10^-places, half away from zero, as
// big.Rat rounds c·10^e, for exponents anywhere in 32 bits: below 10^-60
// the reference is 0 by hand (|c·10^e| < 10^-42 for coefficients of at
// most 18 digits), at or above 10^-places c·10^e itself (unchanged past
// 10^100000), else big.Rat's; never more places than asked.
func TestRoundedAgainstRat(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := rapid.Int64Range(-999_999_999_999_999_999, 999_999_999_999_999_999).Draw(t, "c")
		e := enginetest.Exponent().Draw(t, "e")
		places := rapid.Int32Range(0, 10).Draw(t, "places")
		d := decimal.New(c, e)
		got := rounded(d, places)
		var want *big.Rat
		switch {
		case e > 100_000:
			// c·10^e itself, not written out.
			if got.Coefficient().Cmp(big.NewInt(c)) != 0 || got.Exponent() != e {
				t.Fatalf("rounded(%de%d, %d) = %se%d, want it unchanged", c, e, places, got.Coefficient(), got.Exponent())
			}
			return
		case int64(e) >= -int64(places):
			want = new(big.Rat).Mul(big.NewRat(c, 1), pow10Rat(int64(e)))
		case e < -60:
			want = new(big.Rat)
		default:
			// round(c·10^(e+places)) / 10^places, half away from zero.
			x := new(big.Rat).Mul(big.NewRat(c, 1), pow10Rat(int64(e)+int64(places)))
			half := big.NewRat(1, 2)
			if x.Sign() < 0 {
				half.Neg(half)
			}
			x.Add(x, half)
			q := new(big.Int).Quo(x.Num(), x.Denom()) // truncated towards zero
			want = new(big.Rat).Mul(new(big.Rat).SetInt(q), pow10Rat(-int64(places)))
		}
		if got.Exponent() < -places || got.Rat().Cmp(want) != 0 {
			t.Fatalf("rounded(%de%d, %d) = %se%d, want %s", c, e, places, got.Coefficient(), got.Exponent(), want.RatString())
		}
	})
}

// pow10Rat is 10^e.
func pow10Rat(e int64) *big.Rat {
	p := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(max(e, -e)), nil))
	if e < 0 {
		p.Inv(p)
	}
	return p
}
