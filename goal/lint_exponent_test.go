package goal

import (
	"math"
	"math/big"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A target beyond the best of history by a ratio without a decimal's
// 32-bit exponent is flagged, the ratio by its order of magnitude in
// scientific form (the quotient was taken for 0, below any factor, and
// compared with a factor near 10^-2147483648 it never returned); a long
// ratio is written shortened, not whole. Hand counts.
func TestBeyondHistoryOfFarExponents(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	p := cal.Containing(period.Month, d("2025-04-01"))
	two := decimal.NewFromInt(2)
	for _, c := range []struct {
		dir                  score.Direction
		target, best, factor decimal.Decimal
		want                 string // "": no warning
	}{
		{score.HigherIsBetter, decimal.New(1, math.MaxInt32), decimal.New(1, math.MinInt32), two,
			"target 1e2147483647 for anna is 1e4294967295× the best month of the last 1 (1e-2147483648)"},
		{score.HigherIsBetter, decimal.New(3, math.MaxInt32), decimal.New(7, math.MinInt32), two,
			"target 3e2147483647 for anna is 4.285714285714286e4294967294× the best month of the last 1 (7e-2147483648)"},
		{score.LowerIsBetter, decimal.New(1, math.MinInt32), decimal.New(1, math.MaxInt32), two,
			"target 1e-2147483648 for anna is 1e4294967295× below the best month of the last 1 (1e2147483647)"},
		// 3.33…e-2147483649, 3.5e-2147483648: below 2.
		{score.HigherIsBetter, decimal.New(1, math.MinInt32), decimal.NewFromInt(3), two, ""},
		{score.HigherIsBetter, decimal.New(7, math.MinInt32), two, two, ""},
		// 3.5e-2147483648 against factors of its order of magnitude.
		{score.HigherIsBetter, decimal.New(7, math.MinInt32), two, decimal.New(1, math.MinInt32),
			"target 7e-2147483648 for anna is 3.5e-2147483648× the best month of the last 1 (2)"},
		{score.HigherIsBetter, decimal.New(7, math.MinInt32), two, decimal.New(4, math.MinInt32), ""},
		{score.HigherIsBetter, decimal.New(7, math.MinInt32), two, decimal.New(3, math.MinInt32),
			"target 7e-2147483648 for anna is 3.5e-2147483648× the best month of the last 1 (2)"},
		// Defined, but 20,001 digits whole.
		{score.HigherIsBetter, decimal.New(1, 10000), decimal.New(1, -10000), two,
			"target 1e10000 for anna is 1e20000× the best month of the last 1 (1e-10000)"},
		{score.HigherIsBetter, decimal.NewFromInt(1_200_000), decimal.NewFromInt(385_000), two,
			"target 1 200 000 for anna is 3.1× the best month of the last 1 (385 000)"},
		// Defined, and a factor near 10^-2147483648.
		{score.HigherIsBetter, decimal.NewFromInt(3), two, decimal.New(1, math.MinInt32),
			"target 3 for anna is 1.5× the best month of the last 1 (2)"},
	} {
		g := &Goal{path: "goals[0]", dir: c.dir}
		start := time.Now()
		got, ok := beyondHistory(cal, &inst{g: g, p: p}, subject{id: "anna", kind: User}, decimal.NewNullDecimal(c.target),
			[]decimal.NullDecimal{decimal.NewNullDecimal(c.best)}, c.factor, "goals")
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s, target %se%d, best %se%d: took %v", c.dir, c.target.Coefficient(), c.target.Exponent(), c.best.Coefficient(), c.best.Exponent(), d)
		}
		if ok != (c.want != "") || got.Msg != c.want {
			t.Errorf("%s, target %se%d, best %se%d, factor %se%d: %q, %v; want %q", c.dir, c.target.Coefficient(), c.target.Exponent(), c.best.Coefficient(), c.best.Exponent(),
				c.factor.Coefficient(), c.factor.Exponent(), got.Msg, ok, c.want)
		}
	}
}

// beyondFactor says num/den is above factor as big.Rat does, for
// exponents anywhere in 32 bits: the reference compares
// (cn/cd)·10^(en-ed-ef) with cf, decided by the power of ten alone past
// 40 places (coefficients of at most 6 digits). Ratios within a part in
// 10^15 of the factor are left out: the ratio is rounded to 16
// significant digits before it is compared.
func TestBeyondFactorAgainstRat(t *testing.T) {
	exp := enginetest.Exponent()
	rapid.Check(t, func(t *rapid.T) {
		cn, cd, cf := rapid.Int64Range(1, 999_999).Draw(t, "cn"), rapid.Int64Range(1, 999_999).Draw(t, "cd"), rapid.Int64Range(1, 999_999).Draw(t, "cf")
		en, ed, ef := exp.Draw(t, "en"), exp.Draw(t, "ed"), exp.Draw(t, "ef")
		if rapid.Bool().Draw(t, "near") {
			// A factor of the ratio's order of magnitude.
			ef = int32(max(math.MinInt32, min(math.MaxInt32, int64(en)-int64(ed)+int64(rapid.IntRange(-3, 3).Draw(t, "by")))))
		}
		_, got := beyondFactor(decimal.New(cn, en), decimal.New(cd, ed), decimal.New(cf, ef))
		e := int64(en) - int64(ed) - int64(ef)
		var want bool
		switch {
		case e > 40:
			want = true
		case e < -40:
			want = false
		default:
			r := big.NewRat(cn, cd)
			p := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(max(e, -e)), nil))
			if e >= 0 {
				r.Mul(r, p)
			} else {
				r.Quo(r, p)
			}
			f := big.NewRat(cf, 1)
			diff := new(big.Rat).Abs(new(big.Rat).Sub(r, f))
			if diff.Cmp(new(big.Rat).Mul(f, big.NewRat(1, 1_000_000_000_000_000))) <= 0 {
				return // within the rounding
			}
			want = r.Cmp(f) > 0
		}
		if got != want {
			t.Fatalf("beyondFactor(%de%d / %de%d, factor %de%d) = %v, want %v", cn, en, cd, ed, cf, ef, got, want)
		}
	})
}

// The best of history is found by orders of magnitude: a month of
// 1e-2147483648 beside one of 1 was compared by scaling one to the
// other's exponent and never returned. Hand counts.
func TestBeyondHistoryBestOfFarExponents(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	p := cal.Containing(period.Month, d("2025-04-01"))
	for _, c := range []struct {
		dir  score.Direction
		hist []decimal.Decimal
		want string
	}{
		{score.HigherIsBetter, []decimal.Decimal{decimal.NewFromInt(1), decimal.New(1, math.MinInt32)},
			"target 10 for anna is 10.0× the best month of the last 2 (1)"},
		{score.HigherIsBetter, []decimal.Decimal{decimal.New(1, math.MinInt32), decimal.NewFromInt(4), decimal.New(-1, math.MaxInt32)},
			"target 10 for anna is 2.5× the best month of the last 3 (4)"},
		{score.LowerIsBetter, []decimal.Decimal{decimal.New(1, math.MaxInt32), decimal.NewFromInt(50)},
			"target 10 for anna is 5.0× below the best month of the last 2 (50)"},
	} {
		hist := make([]decimal.NullDecimal, len(c.hist))
		for i, h := range c.hist {
			hist[i] = decimal.NewNullDecimal(h)
		}
		start := time.Now()
		got, ok := beyondHistory(cal, &inst{g: &Goal{path: "goals[0]", dir: c.dir}, p: p}, subject{id: "anna", kind: User}, decimal.NewNullDecimal(decimal.NewFromInt(10)),
			hist, decimal.NewFromInt(2), "goals")
		if d := time.Since(start); d > time.Second {
			t.Errorf("%s: took %v", c.dir, d)
		}
		if !ok || got.Msg != c.want {
			t.Errorf("%s: %q, %v; want %q", c.dir, got.Msg, ok, c.want)
		}
	}
}
