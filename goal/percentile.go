package goal

import (
	"math"
	"math/big"
	"math/bits"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/shopspring/decimal"
)

// runningPercentile is the p-th percentile of values added one at a time,
// as kpi computes a median or percentile (PostgreSQL's percentile_cont,
// exactly): of the sorted values v and h = p·(n − 1), v[⌊h⌋] + (h − ⌊h⌋)·
// (v[⌊h⌋+1] − v[⌊h⌋]). Two heaps split the values at ⌊h⌋, so that adding a
// value and reading the percentile cost O(log n) each, never a sort of
// all the values; values compare by orders of magnitude first
// (decimalx.Cmp), so that 1e-2147483648 beside 1e2147483647 is placed at
// once.
type runningPercentile struct {
	p decimal.Decimal
	// c and scale are p as c / scale in 64 bits (small), when p has at
	// most 18 places and its coefficient fits: every p a plan writes
	// with its 0.9 or 0.95.
	c, scale uint64
	places   int32
	small    bool
	// lower holds the ⌊h⌋ + 1 smallest values, the greatest on top, and
	// upper the others, the smallest on top, once value has rebalanced
	// them: every value of lower is at most every value of upper.
	lower, upper decHeap
}

func newRunningPercentile(p decimal.Decimal) runningPercentile {
	r := runningPercentile{p: p, lower: decHeap{max: true}}
	if s := -p.Exponent(); s >= 0 && s <= 18 && p.Coefficient().IsUint64() {
		r.c, r.scale, r.places, r.small = p.Coefficient().Uint64(), 1, s, true
		for range s {
			r.scale *= 10
		}
	}
	return r
}

// add adds a value.
func (r *runningPercentile) add(d decimal.Decimal) {
	if len(r.lower.v) > 0 && decimalx.Cmp(d, r.lower.v[0]) <= 0 {
		r.lower.push(d)
	} else {
		r.upper.push(d)
	}
}

// value returns the percentile of the values added so far, undefined for
// none. An interpolation's step (its difference of neighbours, and the
// lower neighbour plus its share of it) between numbers more than maxSpan
// places apart is undefined, as addNear's sum is, and so is a share whose
// exact product has no decimal's 32-bit exponent (mulNear).
func (r *runningPercentile) value() decimal.NullDecimal {
	n := len(r.lower.v) + len(r.upper.v)
	if n == 0 {
		return decimal.NullDecimal{}
	}
	k, frac := r.position(n)
	for len(r.lower.v) > k+1 {
		r.upper.push(r.lower.pop())
	}
	for len(r.lower.v) < k+1 {
		r.lower.push(r.upper.pop())
	}
	lo := r.lower.v[0]
	if frac.IsZero() {
		return decimal.NewNullDecimal(lo)
	}
	// 0 < frac < 1, so h < n − 1 and upper holds v[⌊h⌋+1].
	diff, far := addNear(r.upper.v[0], lo.Neg(), false, false)
	if far {
		return decimal.NullDecimal{}
	}
	step, ok := mulNear(frac, diff)
	if !ok {
		return decimal.NullDecimal{}
	}
	v, far := addNear(lo, step, false, false)
	return decimal.NullDecimal{Decimal: v, Valid: !far}
}

// position returns ⌊h⌋ and h − ⌊h⌋ of h = p·(n − 1): in 64-bit integers
// where p is small and p's coefficient times n − 1 fits (for a p of two
// places, up to 10^17 values), else in decimals.
func (r *runningPercentile) position(n int) (int, decimal.Decimal) {
	if r.small {
		if hi, lo := bits.Mul64(r.c, uint64(n-1)); hi == 0 {
			return int(lo / r.scale), decimal.New(int64(lo%r.scale), -r.places)
		}
	}
	pos := r.p.Mul(decimal.NewFromInt(int64(n - 1)))
	k := pos.IntPart() // pos ≥ 0: the whole part is the floor
	return int(k), pos.Sub(decimal.NewFromInt(k))
}

// mulNear is a × b exactly, false when the product has no decimal's 32-bit
// exponent: where Mul panics on exponents that add up past 32 bits, a
// product below 10^-2147483648 is written with that exponent when its
// trailing zeros allow (5e-1 × 2e-2147483648 is 1e-2147483648), and is
// otherwise undefined, as is one past 10^2147483647 (a percentile's share
// of a difference is less than it, never that).
func mulNear(a, b decimal.Decimal) (decimal.Decimal, bool) {
	if a.IsZero() || b.IsZero() {
		return decimal.Zero, true
	}
	e := int64(a.Exponent()) + int64(b.Exponent())
	switch {
	case e > math.MaxInt32:
		return decimal.Decimal{}, false
	case e >= math.MinInt32:
		return a.Mul(b), true
	}
	c := new(big.Int).Mul(a.Coefficient(), b.Coefficient())
	short := math.MinInt32 - e // trailing zeros the coefficient must drop
	// 10^short divides c only if 2^short does, which needs more bits.
	if short >= int64(c.BitLen()) {
		return decimal.Decimal{}, false
	}
	q, rem := new(big.Int).QuoRem(c, new(big.Int).Exp(big.NewInt(10), big.NewInt(short), nil), new(big.Int))
	if rem.Sign() != 0 {
		return decimal.Decimal{}, false
	}
	return decimal.NewFromBigInt(q, math.MinInt32), true
}

// decHeap is a binary heap of decimals: the greatest on top when max, else
// the smallest.
type decHeap struct {
	v   []decimal.Decimal
	max bool
}

// above reports whether v[i] belongs above v[j].
func (h *decHeap) above(i, j int) bool {
	c := decimalx.Cmp(h.v[i], h.v[j])
	if h.max {
		return c > 0
	}
	return c < 0
}

func (h *decHeap) push(d decimal.Decimal) {
	h.v = append(h.v, d)
	for i := len(h.v) - 1; i > 0; {
		up := (i - 1) / 2
		if !h.above(i, up) {
			break
		}
		h.v[i], h.v[up] = h.v[up], h.v[i]
		i = up
	}
}

func (h *decHeap) pop() decimal.Decimal {
	top, last := h.v[0], len(h.v)-1
	h.v[0] = h.v[last]
	h.v = h.v[:last]
	for i := 0; ; {
		best := i
		for _, c := range [2]int{2*i + 1, 2*i + 2} {
			if c < last && h.above(c, best) {
				best = c
			}
		}
		if best == i {
			break
		}
		h.v[i], h.v[best] = h.v[best], h.v[i]
		i = best
	}
	return top
}
