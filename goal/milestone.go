package goal

import (
	"cmp"
	"math"
	"math/big"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

var hundred = decimal.NewFromInt(100)

// Reached reports whether the milestone is reached by actual against target,
// for the direction. A percent milestone p is reached when the uncapped
// achievement is at least p % (so "120%" is a stretch beyond the target); an
// absolute milestone v when actual ≥ v (higher is better) or actual ≤ v
// (lower is better). Nothing is reached while actual, or the target of a
// percent milestone, is undefined. Comparisons are exact, and numbers far
// apart in exponent (values near 10^±2147483648 a host passes) compare by
// their orders of magnitude first: 10^-2147483647 against a milestone of
// 40 never returned (Cmp scaled 40 to its exponent), and a percent of a
// target of 10^2147483647 panicked (Mul, an exponent past 32 bits).
func (m Milestone) Reached(dir score.Direction, actual, target decimal.NullDecimal) bool {
	if !actual.Valid {
		return false
	}
	a := actual.Decimal
	if !m.Percent {
		if dir == score.LowerIsBetter {
			return decimalx.Cmp(a, m.Value) <= 0
		}
		return decimalx.Cmp(a, m.Value) >= 0
	}
	if !target.Valid {
		return false
	}
	t, p := target.Decimal, m.Value
	if dir == score.LowerIsBetter {
		if a.Sign() <= 0 {
			return decimalx.Cmp(a, t) <= 0
		}
		return cmpProducts(t, hundred, p, a) >= 0
	}
	if t.Sign() <= 0 {
		return decimalx.Cmp(p, hundred) <= 0 && decimalx.Cmp(a, t) >= 0
	}
	return cmpProducts(a, hundred, t, p) >= 0
}

// cmpProducts compares x1·y1 with x2·y2 exactly, as the products' Cmp
// would: where each product has a decimal's 32-bit exponent and the two
// are at most maxSpan places apart (every number of a plan and its
// events), as Mul and Cmp do; else by signs, then orders of magnitude,
// then the exact products in big integers, whose exponents are then at
// most their digits apart.
func cmpProducts(x1, y1, x2, y2 decimal.Decimal) int {
	e1 := int64(x1.Exponent()) + int64(y1.Exponent())
	e2 := int64(x2.Exponent()) + int64(y2.Exponent())
	if e1 >= math.MinInt32 && e1 <= math.MaxInt32 && e2 >= math.MinInt32 && e2 <= math.MaxInt32 && e1-e2 <= maxSpan && e2-e1 <= maxSpan {
		return x1.Mul(y1).Cmp(x2.Mul(y2))
	}
	s1, s2 := x1.Sign()*y1.Sign(), x2.Sign()*y2.Sign()
	if s1 != s2 || s1 == 0 {
		return cmp.Compare(s1, s2)
	}
	// |x·y| lies in [10^(o−2), 10^o), o the sum of its factors' digits
	// and exponents.
	o1 := e1 + int64(x1.NumDigits()) + int64(y1.NumDigits())
	o2 := e2 + int64(x2.NumDigits()) + int64(y2.NumDigits())
	switch {
	case o1-o2 >= 2:
		return s1
	case o2-o1 >= 2:
		return -s1
	}
	c1 := new(big.Int).Mul(x1.Coefficient(), y1.Coefficient())
	c2 := new(big.Int).Mul(x2.Coefficient(), y2.Coefficient())
	ten := big.NewInt(10)
	switch {
	case e1 > e2:
		c1.Mul(c1, new(big.Int).Exp(ten, big.NewInt(e1-e2), nil))
	case e2 > e1:
		c2.Mul(c2, new(big.Int).Exp(ten, big.NewInt(e2-e1), nil))
	}
	return c1.Cmp(c2)
}

// milestonesNow reports whether the goal's milestones are judged on its
// value as of any instant. A cumulative lower-is-better goal (a budget) only
// grows through its period, from 0, which would pass every milestone on its
// first day and lose them as it is spent: its milestones are judged on the
// final value, once the period has ended.
func (g *Goal) milestonesNow() bool {
	return g.measure != Cumulative || g.dir != score.LowerIsBetter
}

// milestonesOf returns the labels of the milestones a row of the goal has
// reached: judged on its value now, or, for a goal whose milestones are
// judged on the final value (milestonesNow), none until its period ended.
func (g *Goal) milestonesOf(r *Row) []string {
	if !g.milestonesNow() && !r.Ended {
		return nil
	}
	return reachedMilestones(g.def.Milestones, g.dir, r.Actual, r.Target)
}

// reachedMilestones returns the labels of the milestones reached, in the
// order they are defined.
func reachedMilestones(ms []Milestone, dir score.Direction, actual, target decimal.NullDecimal) []string {
	var out []string
	for _, m := range ms {
		if m.Reached(dir, actual, target) {
			out = append(out, m.String())
		}
	}
	return out
}
