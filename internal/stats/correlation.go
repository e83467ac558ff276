package stats

import (
	"errors"
	"math/big"

	"github.com/shopspring/decimal"
)

// SignificantDigits is how many significant digits a correlation keeps
// when its square root does not terminate there: as many as the engine's
// division keeps (a quotient that does not terminate).
const SignificantDigits = 16

// Why a correlation is undefined.
var (
	// ErrFewPoints: fewer than 3 points; two points always lie on a line.
	ErrFewPoints = errors.New("fewer than 3 points")
	// ErrConstantX and ErrConstantY: every x (every y) is the same, so the
	// variable has no variance to correlate.
	ErrConstantX = errors.New("the first variable is constant (zero variance)")
	ErrConstantY = errors.New("the second variable is constant (zero variance)")
)

// Pearson returns Pearson's correlation coefficient of the points
// (xs[i], ys[i]), which must have the same length:
//
//	r = (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²) (nΣy² − (Σy)²))
//
// Everything under the root is summed exactly; the root is taken of the
// exact quotient r² and rounded half up to SignificantDigits significant
// digits, so r is exact when it terminates there: exactly 1 or −1 when the
// points lie on a line (rising or falling), exactly 0 when they are
// uncorrelated, and always within [−1, 1] (Cauchy–Schwarz holds exactly
// before the root, and rounding stops at 1). It returns ErrFewPoints for
// fewer than 3 points and ErrConstantX or ErrConstantY when a variable has
// zero variance: then r is undefined.
func Pearson(xs, ys []decimal.Decimal) (decimal.Decimal, error) {
	if len(xs) != len(ys) {
		panic("stats: Pearson of lists of different lengths")
	}
	if len(xs) < 3 {
		return decimal.Decimal{}, ErrFewPoints
	}
	var sx, sy, sxx, syy, sxy decimal.Decimal
	for i, x := range xs {
		y := ys[i]
		sx, sy = sx.Add(x), sy.Add(y)
		sxx, syy, sxy = sxx.Add(x.Mul(x)), syy.Add(y.Mul(y)), sxy.Add(x.Mul(y))
	}
	n := decimal.NewFromInt(int64(len(xs)))
	a := n.Mul(sxy).Sub(sx.Mul(sy))
	b := n.Mul(sxx).Sub(sx.Mul(sx))
	c := n.Mul(syy).Sub(sy.Mul(sy))
	switch {
	case b.Sign() <= 0:
		return decimal.Decimal{}, ErrConstantX
	case c.Sign() <= 0:
		return decimal.Decimal{}, ErrConstantY
	case a.IsZero():
		return decimal.Zero, nil
	}
	num, den := a.Mul(a), b.Mul(c)
	var r decimal.Decimal
	if num.Equal(den) {
		r = decimal.NewFromInt(1)
	} else {
		r = sqrtRatio(num, den)
	}
	if a.Sign() < 0 {
		r = r.Neg()
	}
	return r, nil
}

// sqrtRatio returns √(num/den) for 0 < num < den, rounded half up to
// SignificantDigits significant digits, without trailing zeros.
func sqrtRatio(num, den decimal.Decimal) decimal.Decimal {
	// num/den = cn/cd × 10^e with integer cn, cd.
	cn, cd := num.Coefficient(), den.Coefficient()
	e := int(num.Exponent() - den.Exponent())
	// floorSqrt returns ⌊√(scale × num/den × 10^(2k))⌋.
	floorSqrt := func(scale int64, k int) *big.Int {
		p := new(big.Int).Mul(cn, big.NewInt(scale))
		q := new(big.Int).Set(cd)
		if s := e + 2*k; s >= 0 {
			p.Mul(p, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(s)), nil))
		} else {
			q.Mul(q, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(-s)), nil))
		}
		return p.Sqrt(p.Quo(p, q)) // ⌊√⌊z⌋⌋ = ⌊√z⌋
	}
	// Find the magnitude: k places give ⌊r × 10^k⌋ with at least
	// SignificantDigits digits.
	k := 2 * SignificantDigits
	for len(floorSqrt(1, k).String()) < SignificantDigits {
		k += 2 * SignificantDigits
	}
	k -= len(floorSqrt(1, k).String()) - SignificantDigits
	// round(√Y) half up = ⌊(⌊√(4Y)⌋ + 1) / 2⌋, Y = (num/den) × 10^(2k).
	m := floorSqrt(4, k)
	m.Add(m, big.NewInt(1)).Rsh(m, 1)
	ten, rem := big.NewInt(10), new(big.Int)
	for k > 0 {
		q, r := new(big.Int).QuoRem(m, ten, rem)
		if r.Sign() != 0 {
			break
		}
		m, k = q, k-1
	}
	return decimal.NewFromBigInt(m, int32(-k))
}
