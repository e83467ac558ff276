package decimalx

import (
	"math/big"
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

// TestDivProperties checks Div against big.Rat: an exact quotient is exact,
// and a rounded one is within half a unit of its 16th significant digit.
func TestDivProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := decimal.New(rapid.Int64Range(-1e12, 1e12).Draw(t, "a"), -rapid.Int32Range(0, 6).Draw(t, "ea"))
		bc := rapid.Int64Range(-1e9, 1e9).Filter(func(x int64) bool { return x != 0 }).Draw(t, "b")
		b := decimal.New(bc, -rapid.Int32Range(0, 6).Draw(t, "eb"))
		q, ok := Div(a, b)
		if !ok {
			t.Fatal("not ok")
		}
		exact := new(big.Rat).Quo(a.Rat(), b.Rat())
		diff := new(big.Rat).Sub(q.Rat(), exact)
		if diff.Sign() == 0 {
			return
		}
		// Not exact: the quotient must not terminate within maxExactPlaces...
		if _, ok := exactPlaces(a, b); ok {
			t.Fatalf("%s/%s terminates but got %s", a, b, q)
		}
		// ...and the error is at most half a unit in the 16th significant digit.
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

// TestDivSmallAgrees checks the 128-bit fast path against the big-number path
// on the same operands.
func TestDivSmallAgrees(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		// Exponents reach past maxExactPlaces, where a terminating
		// quotient is rounded all the same.
		a := decimal.New(rapid.Int64().Draw(t, "a"), -rapid.Int32Range(-3, 80).Draw(t, "ea"))
		b := decimal.New(rapid.Int64().Filter(func(x int64) bool { return x != 0 }).Draw(t, "b"), -rapid.Int32Range(-3, 8).Draw(t, "eb"))
		fast, ok := divSmall(a, b)
		if !ok {
			return
		}
		var slow decimal.Decimal
		if places, ok := exactPlaces(a, b); ok {
			slow = a.DivRound(b, places)
		} else {
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

// TestDivPastExactPlaces: a quotient that terminates only past
// maxExactPlaces places is rounded to SignificantDigits digits whichever
// path computes it, so one number written with more zeros divides alike.
func TestDivPastExactPlaces(t *testing.T) {
	a := decimal.RequireFromString("123456789012345677e-64") // 65 places once halved
	want := "0.00000000000000000000000000000000000000000000000617283945061728" + "4"
	for _, b := range []string{"2", "2.0000000000000000000000"} {
		got, ok := Div(a, decimal.RequireFromString(b))
		if !ok || got.String() != want {
			t.Errorf("Div(%s, %s) = %s, %v; want %s", a, b, got, ok, want)
		}
	}
}

func BenchmarkDiv(b *testing.B) {
	x, y := decimal.New(123456789012, -2), decimal.NewFromInt(7)
	for b.Loop() {
		Div(x, y)
	}
}
