package score

import (
	"math"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
)

// An achievement whose ratio, in lowest terms, has a denominator of 2^28
// or more over its fives is exact, as big.Rat computes it: a target of
// 268,435,456 (2^28) with an actual of 1 was a wrong ratio (the quotient's
// power of 5 was multiplied past 64 bits).
func TestAchieveTwosPast28(t *testing.T) {
	pow := func(b, e int64) *big.Int { return new(big.Int).Exp(big.NewInt(b), big.NewInt(e), nil) }
	for _, c := range []struct {
		dir         Direction
		num, den    *big.Int // the ratio; actual num, target den (lower: the reverse)
		numE, denE  int32    // their exponents
		description string
	}{
		{HigherIsBetter, big.NewInt(1), pow(2, 28), 0, 0, "1 of 268,435,456"},
		{HigherIsBetter, big.NewInt(3), pow(2, 34), 0, 0, "3 of 2^34"},
		{HigherIsBetter, big.NewInt(7), new(big.Int).Mul(pow(2, 40), pow(5, 3)), -2, 0, "0.07 of 2^40·125"},
		{HigherIsBetter, big.NewInt(1), pow(2, 62), 0, -9, "1 of 2^62·10^-9"},
		{LowerIsBetter, big.NewInt(1), pow(2, 28), 0, 0, "a cost of 2^28 against 1"},
		{LowerIsBetter, big.NewInt(999), pow(2, 50), -1, -3, "a cost of 2^50·10^-3 against 99.9"},
	} {
		n, d := decimal.NewFromBigInt(c.num, c.numE), decimal.NewFromBigInt(c.den, c.denE)
		actual, target := n, d
		if c.dir == LowerIsBetter {
			actual, target = d, n
		}
		a := Achieve(c.dir, decimal.NewNullDecimal(actual), decimal.NewNullDecimal(target))
		if !a.Uncapped.Valid {
			t.Errorf("%s: undefined", c.description)
			continue
		}
		want := new(big.Rat).Quo(n.Rat(), d.Rat())
		if a.Uncapped.Decimal.Rat().Cmp(want) != 0 {
			t.Errorf("%s: Uncapped %s, want %s exactly", c.description, a.Uncapped.Decimal, want.FloatString(40))
		}
		if !a.Capped.Valid || a.Capped.Decimal.Rat().Cmp(want) != 0 {
			t.Errorf("%s: Capped %v, want %s", c.description, a.Capped, want.FloatString(40))
		}
	}
}

// A ratio with no decimal's 32-bit exponent is undefined, not 0: a host's
// actual of 1e-2147483648 against a target of 3e2147483647 gave an
// Uncapped of 0 (Div's false quotient); Capped is 0 (not met), and a
// ratio too large for an exponent is a target met. Whether it is met was
// Decimal.Cmp, which brought both to one exponent (a number of four
// billion digits: the test did not end).
func TestAchieveRatioPastExponents(t *testing.T) {
	tiny, huge := decimal.New(1, math.MinInt32), decimal.New(3, math.MaxInt32)
	for _, c := range []struct {
		dir            Direction
		actual, target decimal.Decimal
		met            bool
	}{
		{HigherIsBetter, tiny, huge, false},
		{HigherIsBetter, huge, tiny, true},
		{LowerIsBetter, huge, tiny, false},
		{LowerIsBetter, tiny, huge, true},
	} {
		a := Achieve(c.dir, decimal.NewNullDecimal(c.actual), decimal.NewNullDecimal(c.target))
		capped := decimal.Zero
		if c.met {
			capped = one
		}
		if a.Uncapped.Valid || a.Met != c.met || !a.Capped.Valid || !a.Capped.Decimal.Equal(capped) {
			t.Errorf("%s, actual %de%d, target %de%d: Uncapped %v (%se%d), Capped %v, met %v; want undefined, %s, %v", c.dir,
				c.actual.CoefficientInt64(), c.actual.Exponent(), c.target.CoefficientInt64(), c.target.Exponent(),
				a.Uncapped.Valid, a.Uncapped.Decimal.Coefficient(), a.Uncapped.Decimal.Exponent(), a.Capped.Decimal, a.Met, capped, c.met)
		}
	}
}

// A ratio of an exponent near -2^31 is clamped without bringing 1 to its
// exponent (Decimal.Cmp did: a number of two billion digits, the test did
// not end): an actual of 1e-2000000000 against a target of 1 is that
// ratio, Capped as well.
func TestAchieveTinyRatioClamped(t *testing.T) {
	tiny := decimal.New(1, -2000000000)
	a := Achieve(HigherIsBetter, decimal.NewNullDecimal(tiny), decimal.NewNullDecimal(one))
	if !a.Uncapped.Valid || !a.Capped.Valid || a.Met ||
		a.Uncapped.Decimal.CoefficientInt64() != 1 || a.Uncapped.Decimal.Exponent() != -2000000000 ||
		a.Capped.Decimal.CoefficientInt64() != 1 || a.Capped.Decimal.Exponent() != -2000000000 {
		t.Errorf("Uncapped %v %se%d, Capped %v %se%d, met %v; want 1e-2000000000 for both, not met",
			a.Uncapped.Valid, a.Uncapped.Decimal.Coefficient(), a.Uncapped.Decimal.Exponent(),
			a.Capped.Valid, a.Capped.Decimal.Coefficient(), a.Capped.Decimal.Exponent(), a.Met)
	}
}
