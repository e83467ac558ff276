package decimalx

import (
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func TestDiv(t *testing.T) {
	cases := []struct{ a, b, want string }{
		{"1", "4", "0.25"},
		{"145", "277", "0.5234657039711191"},
		{"1", "3", "0.3333333333333333"},
		{"2", "3", "0.6666666666666667"},
		{"-2", "3", "-0.6666666666666667"},
		{"10", "3", "3.333333333333333"},
		{"1000000", "3", "333333.3333333333"},
		{"1", "3000000", "0.0000003333333333333333"},
		{"123456789012345678", "2", "61728394506172839"},
		{"1", "1024", "0.0009765625"},
		{"0", "7", "0"},
		{"7.50", "2.5", "3"},
		{"100.00", "8", "12.5"},
		{"1", "7", "0.1428571428571429"},
		{"9.99", "0.03", "333"},
	}
	for _, c := range cases {
		got, ok := Div(decimal.RequireFromString(c.a), decimal.RequireFromString(c.b))
		if !ok || got.String() != c.want {
			t.Errorf("Div(%s, %s) = %s, %v; want %s", c.a, c.b, got, ok, c.want)
		}
	}
	if _, ok := Div(decimal.NewFromInt(1), decimal.Zero); ok {
		t.Error("Div by zero reported ok")
	}
}

// TestDivProperties checks Div against big.Rat: a quotient whose reduced
// denominator has no prime factors but 2 and 5 is exact, however many
// places it needs; any other is within half a unit of its 16th significant
// digit, which it has. Operands reach past int64, with exponents of either
// sign, and divisors are often of powers of 2 and 5 (quotients that need
// many places).
func TestDivProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := drawDecimal(t, "a")
		b := drawDecimal(t, "b")
		if b.IsZero() {
			return
		}
		q, ok := Div(a, b)
		if !ok {
			t.Fatal("not ok")
		}
		exact := new(big.Rat).Quo(a.Rat(), b.Rat())
		den := new(big.Int).Set(exact.Denom())
		den.Rsh(den, den.TrailingZeroBits())
		for r := new(big.Int); ; {
			q, m := new(big.Int).QuoRem(den, big.NewInt(5), r)
			if m.Sign() != 0 {
				break
			}
			den = q
		}
		diff := new(big.Rat).Sub(q.Rat(), exact)
		if den.Cmp(big.NewInt(1)) == 0 {
			if diff.Sign() != 0 {
				t.Fatalf("%s / %s terminates (%s), got %s", a, b, exact.RatString(), q)
			}
			return
		}
		if diff.Sign() == 0 {
			t.Fatalf("%s / %s does not terminate, got %s", a, b, q)
		}
		coef := q.Coefficient()
		if n := len(coef.Abs(coef).Text(10)); n != SignificantDigits {
			t.Fatalf("%s/%s = %s has %d significant digits", a, b, q, n)
		}
		ulp := decimal.New(1, q.Exponent()).Rat()
		half := new(big.Rat).Quo(ulp, big.NewRat(2, 1))
		if new(big.Rat).Abs(diff).Cmp(half) > 0 {
			t.Fatalf("%s/%s = %s, off by %s", a, b, q, diff.FloatString(30))
		}
	})
}

// drawDecimal draws an operand of Div: a small number, one of int64's
// extremes, or a coefficient of up to 60 digits; times a power of 2 or 5
// up to 2^300 or 5^130 (or none), at an exponent from -80 to 80.
func drawDecimal(t *rapid.T, name string) decimal.Decimal {
	var c *big.Int
	switch rapid.IntRange(0, 2).Draw(t, name+" kind") {
	case 0:
		c = big.NewInt(rapid.Int64Range(-1000, 1000).Draw(t, name))
	case 1:
		c = big.NewInt(rapid.SampledFrom([]int64{math.MaxInt64, math.MinInt64, math.MinInt64 + 1, math.MaxInt64 / 3}).Draw(t, name))
	default:
		c, _ = new(big.Int).SetString(rapid.StringMatching(`-?[1-9][0-9]{0,59}`).Draw(t, name), 10)
	}
	switch rapid.IntRange(0, 2).Draw(t, name+" factor") {
	case 1:
		c.Lsh(c, uint(rapid.IntRange(0, 300).Draw(t, name+" twos")))
	case 2:
		c.Mul(c, new(big.Int).Exp(big.NewInt(5), big.NewInt(int64(rapid.IntRange(0, 130).Draw(t, name+" fives"))), nil))
	}
	return decimal.NewFromBigInt(c, rapid.Int32Range(-80, 80).Draw(t, name+" exp"))
}

// TestDivSmallAgrees checks the 128-bit fast path against the big-number path
// on the same operands.
func TestDivSmallAgrees(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := decimal.New(rapid.Int64().Draw(t, "a"), -rapid.Int32Range(-3, 80).Draw(t, "ea"))
		b := decimal.New(rapid.Int64().Filter(func(x int64) bool { return x != 0 }).Draw(t, "b"), -rapid.Int32Range(-3, 8).Draw(t, "eb"))
		fast, ok := divSmall(a, b)
		if !ok {
			return
		}
		slow, ok := exactQuo(a, b)
		if !ok {
			e := int32(numDigits(a.Coefficient())) + a.Exponent() - int32(numDigits(b.Coefficient())) - b.Exponent()
			slow = a.DivRound(b, SignificantDigits-e)
			if slow.Abs().Cmp(decimal.New(1, e)) >= 0 {
				slow = a.DivRound(b, SignificantDigits-1-e)
			}
		}
		if !fast.Equal(slow) {
			t.Fatalf("%s / %s: fast %s, slow %s", a, b, fast, slow)
		}
	})
}

// TestDivManyPlaces: a quotient that terminates only past 64 places is
// exact whichever path computes it (one number written with more zeros
// divides alike); it was rounded to 16 significant digits.
func TestDivManyPlaces(t *testing.T) {
	a := decimal.RequireFromString("123456789012345677e-64") // 65 places once halved
	want := "0." + strings.Repeat("0", 47) + "617283945061728385"
	for _, b := range []string{"2", "2.0000000000000000000000"} {
		got, ok := Div(a, decimal.RequireFromString(b))
		if !ok || got.String() != want {
			t.Errorf("Div(%s, %s) = %s, %v; want %s", a, b, got, ok, want)
		}
	}
	// 1/2^200 has 200 places, a coefficient of 5^200.
	two200 := new(big.Int).Lsh(big.NewInt(1), 200)
	five200 := new(big.Int).Exp(big.NewInt(5), big.NewInt(200), nil)
	got, ok := Div(decimal.NewFromInt(1), decimal.NewFromBigInt(two200, 0))
	if !ok || !got.Equal(decimal.NewFromBigInt(five200, -200)) {
		t.Errorf("Div(1, 2^200) = %s, %v; want 5^200e-200", got, ok)
	}
}

func BenchmarkDiv(b *testing.B) {
	x, y := decimal.New(123456789012, -2), decimal.NewFromInt(7)
	for b.Loop() {
		Div(x, y)
	}
}

// BenchmarkDivExactBig divides numbers past int64 whose quotient
// terminates (the big-number path's exact case).
func BenchmarkDivExactBig(b *testing.B) {
	x := decimal.RequireFromString("123456789012345678901234567890.12")
	y := decimal.RequireFromString("0.0000000000000000000000000000000128")
	for b.Loop() {
		Div(x, y)
	}
}

// TestDivPowersOfTwo: x / 2^t terminates after t places, a coefficient
// x·5^t, which is past 64 bits from t = 28 (5^28 > 2^64). The int64 path
// multiplied by 5^t all the same, wrapped round: 1 / 2^34 was
// 0.0000000000000008046632842880574361, not 5^34·10^-34.
func TestDivPowersOfTwo(t *testing.T) {
	for _, x := range []int64{1, -3, 7, 1000, math.MaxInt64, math.MinInt64 + 1} {
		for p := range 63 {
			a, b := decimal.NewFromInt(x), decimal.NewFromBigInt(new(big.Int).Lsh(big.NewInt(1), uint(p)), 0)
			q, ok := Div(a, b)
			want := new(big.Rat).SetFrac(big.NewInt(x), new(big.Int).Lsh(big.NewInt(1), uint(p)))
			if !ok || q.Rat().Cmp(want) != 0 {
				t.Fatalf("Div(%d, 2^%d) = %s, %v; want %s", x, p, q, ok, want.FloatString(p))
			}
		}
	}
}

// BenchmarkDivTerminating divides int64 operands whose quotient
// terminates (the int64 path's exact case).
func BenchmarkDivTerminating(b *testing.B) {
	x, y := decimal.New(123456789012, -2), decimal.NewFromInt(80)
	for b.Loop() {
		Div(x, y)
	}
}
