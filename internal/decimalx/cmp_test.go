package decimalx

import (
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// decimals draws decimals of up to 25 digits, either sign, exponents -30 to
// 30, often near each other (equal values written with other exponents).
func decimals() *rapid.Generator[decimal.Decimal] {
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		digits := rapid.IntRange(0, 25).Draw(t, "digits")
		c := new(big.Int)
		for range digits {
			c.Mul(c, big.NewInt(10))
			c.Add(c, big.NewInt(int64(rapid.IntRange(0, 9).Draw(t, "digit"))))
		}
		if rapid.Bool().Draw(t, "negative") {
			c.Neg(c)
		}
		return decimal.NewFromBigInt(c, int32(rapid.IntRange(-30, 30).Draw(t, "exp")))
	})
}

// Cmp orders decimals as Decimal.Cmp does.
func TestCmpDecimalIsCmp(t *testing.T) {
	cases := [][2]string{{"1", "1.0"}, {"0.5", "0.50"}, {"-1", "-1.00"}, {"0", "-0.0"}, {"1e18", "999999999999999999"},
		{"0.1", "0.09999999999999999999"}, {"-0.1", "-0.10000000000000000001"}, {"922337203685477580.7", "922337203685477580.8"}}
	for _, c := range cases {
		x, y := decimal.RequireFromString(c[0]), decimal.RequireFromString(c[1])
		if got, want := Cmp(x, y), x.Cmp(y); got != want {
			t.Errorf("Cmp(%s, %s) = %d, Cmp %d", c[0], c[1], got, want)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		x := decimals().Draw(t, "x")
		y := decimals().Draw(t, "y")
		if rapid.Bool().Draw(t, "rescaled") {
			// The same value with another exponent, or a neighbour.
			y = x.Shift(0).Add(decimal.New(int64(rapid.IntRange(-1, 1).Draw(t, "step")), int32(rapid.IntRange(-35, 5).Draw(t, "at"))))
		}
		if got, want := Cmp(x, y), x.Cmp(y); got != want {
			t.Fatalf("Cmp(%s, %s) = %d, Cmp %d", x, y, got, want)
		}
		if got, want := Cmp(y, x), y.Cmp(x); got != want {
			t.Fatalf("Cmp(%s, %s) = %d, Cmp %d", y, x, got, want)
		}
	})
}

// Achievements of other exponents compare without allocating.
func TestCmpDecimalDoesNotAllocate(t *testing.T) {
	x, y := decimal.RequireFromString("0.6666666666666667"), decimal.RequireFromString("2")
	if n := testing.AllocsPerRun(100, func() { Cmp(x, y) }); n != 0 {
		t.Fatalf("%v allocations", n)
	}
	if n := testing.AllocsPerRun(100, func() { x.Cmp(y) }); n == 0 {
		t.Log("Decimal.Cmp no longer allocates either")
	}
}
