package decimalx

import (
	"math"
	"math/big"
	"runtime"
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

// Numbers of different orders of magnitude compare by them, however
// far apart their exponents: Decimal.Cmp, which Cmp called for a
// coefficient past 18 digits, scaled one to the other's exponent (a power
// of ten of two million digits here, of four billion at int32's ends).
func TestCmpFarExponentsScaleNothing(t *testing.T) {
	big25 := new(big.Int).Exp(big.NewInt(10), big.NewInt(24), nil) // 25 digits
	cases := []struct {
		x, y decimal.Decimal
		want int
	}{
		{decimal.NewFromBigInt(big25, 1_000_000), decimal.New(1, -1_000_000), 1},
		{decimal.New(1, -1_000_000), decimal.NewFromBigInt(big25, 1_000_000), -1},
		{decimal.NewFromBigInt(new(big.Int).Neg(big25), 1_000_000), decimal.New(-1, -1_000_000), -1},
		{decimal.NewFromBigInt(big25, -1_000_000), decimal.New(1, 1_000_000), -1},
		{decimal.NewFromBigInt(big25, math.MaxInt32-30), decimal.NewFromBigInt(big25, math.MinInt32), 1},
		// The same order of magnitude: 10^24·10^-24 = 1 = 1·10^0.
		{decimal.NewFromBigInt(big25, -24), decimal.New(1, 0), 0},
	}
	for _, c := range cases {
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		got := Cmp(c.x, c.y)
		runtime.ReadMemStats(&after)
		if got != c.want {
			t.Errorf("Cmp(%se%d, %se%d) = %d, want %d", c.x.Coefficient(), c.x.Exponent(), c.y.Coefficient(), c.y.Exponent(), got, c.want)
		}
		// TotalAlloc counts every goroutine's allocations (the race
		// detector's and the runtime's too: 5,576 bytes were seen): the
		// bound is far below the 5.9 MB the old comparison built.
		if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
			t.Errorf("Cmp(%se%d, %se%d) allocated %d bytes", c.x.Coefficient(), c.x.Exponent(), c.y.Coefficient(), c.y.Exponent(), n)
		}
	}
}

// BenchmarkCmp compares two achievements of one exponent, and of other
// exponents.
func BenchmarkCmp(b *testing.B) {
	for _, c := range []struct{ name, x, y string }{
		{"same", "0.6666666666666667", "0.6666666666666668"},
		{"other", "0.66666666666666667", "0.6666666666666668"},
	} {
		x, y := decimal.RequireFromString(c.x), decimal.RequireFromString(c.y)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				Cmp(x, y)
			}
		})
	}
}
