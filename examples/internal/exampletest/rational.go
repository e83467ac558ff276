package exampletest

import (
	"math/big"
	"slices"
)

// Rat is the exact rational of a decimal's text; it panics on text that is
// not a number.
func Rat(s string) *big.Rat {
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		panic(s)
	}
	return r
}

// Percentile is PostgreSQL's percentile_cont over rationals: the value at
// position p(n−1) of the sorted values, linear between its neighbours. It
// leaves vals as they are.
func Percentile(vals []*big.Rat, p *big.Rat) *big.Rat {
	s := slices.Clone(vals)
	slices.SortFunc(s, func(a, b *big.Rat) int { return a.Cmp(b) })
	pos := new(big.Rat).Mul(p, big.NewRat(int64(len(s)-1), 1))
	lo := new(big.Int).Quo(pos.Num(), pos.Denom()).Int64()
	out := new(big.Rat).Set(s[lo])
	if frac := new(big.Rat).Sub(pos, new(big.Rat).SetInt64(lo)); frac.Sign() != 0 {
		d := new(big.Rat).Sub(s[lo+1], s[lo])
		out.Add(out, d.Mul(d, frac))
	}
	return out
}
