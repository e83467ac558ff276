package decimalx

import (
	"math"
	"math/big"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// refDiv is Div's answer with exponents of any size, by big.Rat: the
// quotient of the coefficients, exact when it terminates and otherwise
// rounded half away from zero to SignificantDigits significant digits,
// moved by a's exponent less b's; written as a coefficient without
// trailing zeros and the exponent of its last digit.
func refDiv(a, b decimal.Decimal) (*big.Int, int64) {
	r := new(big.Rat).SetFrac(a.Coefficient(), b.Coefficient())
	neg := r.Sign() < 0
	r.Abs(r)
	ten := big.NewRat(10, 1)
	var n *big.Int
	var places int64 // n·10^-places is |r|, exact or rounded
	if terminates(r) {
		for !r.IsInt() {
			r.Mul(r, ten)
			places++
		}
		n = new(big.Int).Set(r.Num())
	} else {
		// The leading digit's place: 10^lead <= |r| < 10^(lead+1).
		lead := int64(0)
		for ; r.Cmp(pow10Rat(lead+1)) >= 0; lead++ {
		}
		for ; r.Cmp(pow10Rat(lead)) < 0; lead-- {
		}
		places = SignificantDigits - 1 - lead
		s := new(big.Rat).Mul(r, pow10Rat(places))
		s.Add(s, big.NewRat(1, 2)) // half away from zero, on |r|
		n = new(big.Int).Quo(s.Num(), s.Denom())
	}
	for m := new(big.Int); n.Sign() != 0; places-- {
		q, rem := new(big.Int).QuoRem(n, big.NewInt(10), m)
		if rem.Sign() != 0 {
			break
		}
		n = q
	}
	if neg {
		n.Neg(n)
	}
	return n, int64(a.Exponent()) - int64(b.Exponent()) - places
}

func pow10Rat(e int64) *big.Rat {
	p := new(big.Int).Exp(big.NewInt(10), big.NewInt(max(e, -e)), nil)
	if e < 0 {
		return new(big.Rat).SetFrac(big.NewInt(1), p)
	}
	return new(big.Rat).SetInt(p)
}

// terminates reports whether r's reduced denominator has no prime factors
// but 2 and 5.
func terminates(r *big.Rat) bool {
	d := new(big.Int).Set(r.Denom())
	for _, p := range []int64{2, 5} {
		for m := new(big.Int); ; {
			q, rem := new(big.Int).QuoRem(d, big.NewInt(p), m)
			if rem.Sign() != 0 {
				break
			}
			d = q
		}
	}
	return d.Cmp(big.NewInt(1)) == 0
}

// normal is q's coefficient without trailing zeros and the exponent of its
// last digit.
func normal(q decimal.Decimal) (*big.Int, int64) {
	c, e := q.Coefficient(), int64(q.Exponent())
	for m := new(big.Int); c.Sign() != 0; e++ {
		q, rem := new(big.Int).QuoRem(c, big.NewInt(10), m)
		if rem.Sign() != 0 {
			break
		}
		c = q
	}
	return c, e
}

// TestDivFarExponents: operands with exponents near a decimal's 32-bit
// ends, and near where Div's arithmetic takes them as they are (±2^29).
// A quotient is Div's answer with exponents of any size, or false, and
// false only when its last digit lies past a 32-bit exponent (a quotient
// whose last digit is below 10^-2147483648 is always false). Div wrapped the
// exponent round: 1e-2147483648 / 1024 was 9765625e2147483638, and
// 1e2147483647 / 0.1 was 1e-2147483648.
func TestDivFarExponents(t *testing.T) {
	ends := []int64{math.MinInt32, math.MaxInt32, -farExp, farExp, 0}
	exp := func(t *rapid.T, name string) int32 {
		return int32(min(max(rapid.SampledFrom(ends).Draw(t, name+" end")+rapid.Int64Range(-40, 40).Draw(t, name+" off"), math.MinInt32), math.MaxInt32))
	}
	rapid.Check(t, func(t *rapid.T) {
		a, b := drawDecimal(t, "a"), drawDecimal(t, "b")
		if b.IsZero() || a.IsZero() {
			return
		}
		a = decimal.NewFromBigInt(a.Coefficient(), exp(t, "ea"))
		b = decimal.NewFromBigInt(b.Coefficient(), exp(t, "eb"))
		q, ok := Div(a, b)
		wc, we := refDiv(a, b)
		if !ok {
			if we >= math.MinInt32 && we <= math.MaxInt32 {
				t.Fatalf("%se%d / %se%d refused; want %se%d", a.Coefficient(), a.Exponent(), b.Coefficient(), b.Exponent(), wc, we)
			}
			return
		}
		if gc, ge := normal(q); gc.Cmp(wc) != 0 || ge != we {
			t.Fatalf("%se%d / %se%d = %se%d; want %se%d", a.Coefficient(), a.Exponent(), b.Coefficient(), b.Exponent(), gc, ge, wc, we)
		}
	})
}

func TestDivFarExamples(t *testing.T) {
	cases := []struct {
		a, b decimal.Decimal
		want string // "" refused
	}{
		{decimal.New(1, math.MinInt32), decimal.NewFromInt(1024), ""},
		{decimal.New(1, math.MaxInt32), decimal.New(1, -1), ""},
		{decimal.New(1, 0), decimal.New(7, math.MaxInt32), ""},
		{decimal.New(1, math.MinInt32+5), decimal.NewFromInt(3), ""},
		// 1/7e2147483632 = 0.1428571428571429e-2147483632: its 16th digit
		// is at 10^-2147483648.
		{decimal.New(1, 0), decimal.New(7, math.MaxInt32-15), "1428571428571429e-2147483648"},
		{decimal.New(10, math.MaxInt32), decimal.New(1, 1), "1e2147483647"},
		// 1000e-2147483648 / 1e1 = 100e-2147483648: the exponent less one
		// is past 32 bits, the value is not.
		{decimal.New(1000, math.MinInt32), decimal.New(1, 1), "1e-2147483646"},
		{decimal.New(1, math.MaxInt32), decimal.NewFromInt(7), "1428571428571429e2147483631"},
	}
	for _, c := range cases {
		q, ok := Div(c.a, c.b)
		got := ""
		if ok {
			gc, ge := normal(q)
			got = gc.String() + "e" + big.NewInt(ge).String()
		}
		if got != c.want {
			t.Errorf("Div(%se%d, %se%d) = %q, want %q", c.a.Coefficient(), c.a.Exponent(), c.b.Coefficient(), c.b.Exponent(), got, c.want)
		}
	}
}
