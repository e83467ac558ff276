package decimalx_test

import (
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Round rounds without scaling a far exponent: Decimal.Round of
// 1e-2147483640 or 1e2147483647 to 2 places (a suggestion's target, a
// card's achievement) built a power of ten of two billion digits and
// never returned. Hand counts; each case fails after 5 s.
func TestRoundFarExponents(t *testing.T) {
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
		go func() { done <- decimalx.Round(c.d, c.places) }()
		select {
		case got := <-done:
			if !got.Equal(c.want) || got.Exponent() != c.want.Exponent() && got.Exponent() < 100_000 {
				t.Errorf("Round(%se%d, %d) = %se%d, want %se%d", c.d.Coefficient(), c.d.Exponent(), c.places, got.Coefficient(), got.Exponent(), c.want.Coefficient(), c.want.Exponent())
			}
		case <-time.After(5 * time.Second):
			t.Errorf("Round(%se%d, %d) did not return in 5 s", c.d.Coefficient(), c.d.Exponent(), c.places)
		}
	}
}

// Round is the nearest multiple of 10^-places, half away from zero, as
// big.Rat rounds c·10^e, for exponents anywhere in 32 bits: below 10^-60
// the reference is 0 by hand (|c·10^e| < 10^-42 for coefficients of at
// most 18 digits), at or above 10^-places c·10^e itself (unchanged past
// 10^100000), else big.Rat's; never more places than asked.
func TestRoundAgainstRat(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		c := rapid.Int64Range(-999_999_999_999_999_999, 999_999_999_999_999_999).Draw(t, "c")
		e := enginetest.Exponent().Draw(t, "e")
		places := rapid.Int32Range(0, 10).Draw(t, "places")
		d := decimal.New(c, e)
		got := decimalx.Round(d, places)
		var want *big.Rat
		switch {
		case e > 100_000:
			// c·10^e itself, not written out.
			if got.Coefficient().Cmp(big.NewInt(c)) != 0 || got.Exponent() != e {
				t.Fatalf("Round(%de%d, %d) = %se%d, want it unchanged", c, e, places, got.Coefficient(), got.Exponent())
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
			t.Fatalf("Round(%de%d, %d) = %se%d, want %s", c, e, places, got.Coefficient(), got.Exponent(), want.RatString())
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
