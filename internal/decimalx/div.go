// Package decimalx holds the decimal arithmetic every goalkit package shares:
// division that is exact when the quotient terminates and keeps 16 significant
// digits when it does not; a comparison that does not allocate; rounding
// that does not scale a far exponent; and the text JSON writes for an
// optional number.
package decimalx

import (
	"math"
	"math/big"
	"math/bits"

	"github.com/shopspring/decimal"
)

// SignificantDigits is how many significant digits a non-terminating quotient
// keeps. Rounding is half away from zero.
const SignificantDigits = 16

var (
	bigOne  = big.NewInt(1)
	bigFive = big.NewInt(5)
	bigTen  = big.NewInt(10)
)

// Div returns a / b and true, or false when b is zero. The quotient is exact
// when its decimal expansion terminates, however many places it needs, and
// is otherwise rounded half away from zero to SignificantDigits significant
// digits. It is false as well when that quotient has no decimal's 32-bit
// exponent: its last digit lies below 10^-2147483648, or above
// 10^2147483647 and no trailing zeros of the quotient of the coefficients
// keep it within (only operands with exponents near those ends reach
// either). It never reads decimal's package globals.
func Div(a, b decimal.Decimal) (decimal.Decimal, bool) {
	if b.IsZero() {
		return decimal.Decimal{}, false
	}
	if a.IsZero() {
		return decimal.Zero, true
	}
	if (uint32(a.Exponent()+farExp)|uint32(b.Exponent()+farExp))>>30 != 0 {
		return divFar(a, b)
	}
	if q, ok := divSmall(a, b); ok {
		return q, true
	}
	if q, ok := exactQuo(a, b); ok {
		return q, true
	}
	e := int32(numDigits(a.Coefficient())) + a.Exponent() - int32(numDigits(b.Coefficient())) - b.Exponent()
	// |a/b| lies in (10^(e-1), 10^(e+1)): its leading digit is at 10^(e-1) or 10^e.
	q := a.DivRound(b, SignificantDigits-e)
	if q.Abs().Cmp(decimal.New(1, e)) >= 0 {
		q = a.DivRound(b, SignificantDigits-1-e)
	}
	return q, true
}

// farExp bounds the exponents Div's arithmetic takes as they are: from
// -farExp to farExp-1 (exp+farExp below 2^30), its sums and differences
// of exponents and digit counts keep in 32 bits.
const farExp = 1 << 29

// divFar is Div for operands of which one has an exponent outside those:
// the quotient of their coefficients, moved by a's exponent less b's in 64
// bits, its trailing zeros dropped while its exponent is below a decimal's;
// false when its exponent is still outside 32 bits.
func divFar(a, b decimal.Decimal) (decimal.Decimal, bool) {
	q, _ := Div(decimal.NewFromBigInt(a.Coefficient(), 0), decimal.NewFromBigInt(b.Coefficient(), 0))
	c := q.Coefficient()
	exp := int64(q.Exponent()) + int64(a.Exponent()) - int64(b.Exponent())
	for r := new(big.Int); exp < math.MinInt32; exp++ {
		if _, r = c.QuoRem(c, bigTen, r); r.Sign() != 0 {
			return decimal.Decimal{}, false
		}
	}
	if exp > math.MaxInt32 {
		return decimal.Decimal{}, false
	}
	return decimal.NewFromBigInt(c, int32(exp)), true
}

// exactQuo returns a / b when its decimal expansion terminates: when b's
// coefficient over its greatest common divisor g with a's is 2^t·5^f. Then
// a/b is (a's coefficient/g)·2^(k-t)·5^(k-f), k = max(t, f), k places
// further right than a's exponent less b's. False when it does not
// terminate, or its exponent is past what a decimal holds.
func exactQuo(a, b decimal.Decimal) (decimal.Decimal, bool) {
	ca, cb := a.Coefficient(), b.Coefficient() // copies
	neg := ca.Sign() != cb.Sign()
	ca.Abs(ca)
	cb.Abs(cb)
	g := new(big.Int).GCD(nil, nil, ca, cb)
	num, den := ca.Quo(ca, g), cb.Quo(cb, g)
	t := den.TrailingZeroBits()
	den.Rsh(den, t)
	var f uint
	for q, r := new(big.Int), new(big.Int); ; f++ {
		q.QuoRem(den, bigFive, r)
		if r.Sign() != 0 {
			break
		}
		den, q = q, den
	}
	if den.Cmp(bigOne) != 0 {
		return decimal.Decimal{}, false
	}
	k := max(t, f)
	exp := int64(a.Exponent()) - int64(b.Exponent()) - int64(k)
	if exp < math.MinInt32 || exp > math.MaxInt32 {
		return decimal.Decimal{}, false
	}
	num.Lsh(num, k-t)
	if k > f {
		num.Mul(num, new(big.Int).Exp(bigFive, big.NewInt(int64(k-f)), nil))
	}
	if neg {
		num.Neg(num)
	}
	return decimal.NewFromBigInt(num, int32(exp)), true
}

func numDigits(x *big.Int) int {
	if x.Sign() == 0 {
		return 1
	}
	return len(new(big.Int).Abs(x).Text(10))
}

var pow10 = func() (p [20]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 10
	}
	return
}()

// pow5 is the powers of 5 a uint64 holds (5^27; 5^28 > 2^64).
var pow5 = func() (p [28]uint64) {
	p[0] = 1
	for i := 1; i < len(p); i++ {
		p[i] = p[i-1] * 5
	}
	return
}()

func digits64(x uint64) int {
	n := 1
	for x >= 10 {
		x /= 10
		n++
	}
	return n
}

func gcd64(a, b uint64) uint64 {
	for b != 0 {
		a, b = b, a%b
	}
	return a
}

// divSmall is Div for coefficients that fit in int64, in 128-bit integer
// arithmetic; false when the operands or the quotient need more.
func divSmall(a, b decimal.Decimal) (decimal.Decimal, bool) {
	ca, cb := a.Coefficient(), b.Coefficient()
	if !ca.IsInt64() || !cb.IsInt64() {
		return decimal.Decimal{}, false
	}
	x, y := ca.Int64(), cb.Int64()
	neg := (x < 0) != (y < 0)
	ux, uy := abs64(x), abs64(y)
	if ux>>63 != 0 || uy>>63 != 0 {
		return decimal.Decimal{}, false
	}
	exp := a.Exponent() - b.Exponent()
	// Terminating: y/gcd has no prime factors but 2 and 5.
	g := gcd64(ux, uy)
	num, den := ux/g, uy/g
	var twos, fives int
	for den%2 == 0 {
		den, twos = den/2, twos+1
	}
	for den%5 == 0 {
		den, fives = den/5, fives+1
	}
	if den == 1 {
		k := max(twos, fives)
		if k-fives >= len(pow5) {
			return decimal.Decimal{}, false // m is past 64 bits
		}
		// One of k-twos and k-fives is 0, and k-twos <= fives < len(pow5).
		m := pow5[k-fives] << (k - twos)
		hi, lo := bits.Mul64(num, m)
		if hi != 0 || lo>>63 != 0 {
			return decimal.Decimal{}, false
		}
		return newSigned(lo, neg, exp-int32(k)), true
	}
	// Not terminating: SignificantDigits digits of ux/uy, rounded half away
	// from zero. ux/uy lies in (10^(e-1), 10^(e+1)) with e = digits(ux) - digits(uy).
	e := digits64(ux) - digits64(uy)
	for _, s := range []int{SignificantDigits - e, SignificantDigits - 1 - e} {
		if s < 0 || s >= len(pow10) {
			return decimal.Decimal{}, false
		}
		hi, lo := bits.Mul64(ux, pow10[s])
		if hi >= uy {
			return decimal.Decimal{}, false
		}
		q, r := bits.Div64(hi, lo, uy)
		if r >= uy-r { // 2r >= uy without overflow
			q++
		}
		if digits64(q) > SignificantDigits {
			continue // the leading digit was one place higher: round again
		}
		if q>>63 != 0 {
			return decimal.Decimal{}, false
		}
		return newSigned(q, neg, exp-int32(s)), true
	}
	return decimal.Decimal{}, false
}

func abs64(x int64) uint64 {
	if x < 0 {
		return uint64(-x)
	}
	return uint64(x)
}

func newSigned(u uint64, neg bool, exp int32) decimal.Decimal {
	v := int64(u)
	if neg {
		v = -v
	}
	return decimal.New(v, exp)
}
