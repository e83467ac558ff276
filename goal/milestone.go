package goal

import (
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

var hundred = decimal.NewFromInt(100)

// Reached reports whether the milestone is reached by actual against target,
// for the direction. A percent milestone p is reached when the uncapped
// achievement is at least p % (so "120%" is a stretch beyond the target); an
// absolute milestone v when actual ≥ v (higher is better) or actual ≤ v
// (lower is better). Nothing is reached while actual, or the target of a
// percent milestone, is undefined. Comparisons are exact.
func (m Milestone) Reached(dir score.Direction, actual, target decimal.NullDecimal) bool {
	if !actual.Valid {
		return false
	}
	a := actual.Decimal
	if !m.Percent {
		if dir == score.LowerIsBetter {
			return a.Cmp(m.Value) <= 0
		}
		return a.Cmp(m.Value) >= 0
	}
	if !target.Valid {
		return false
	}
	t, p := target.Decimal, m.Value
	if dir == score.LowerIsBetter {
		if a.Sign() <= 0 {
			return a.Cmp(t) <= 0
		}
		return t.Mul(hundred).Cmp(p.Mul(a)) >= 0
	}
	if t.Sign() <= 0 {
		return p.Cmp(hundred) <= 0 && a.Cmp(t) >= 0
	}
	return a.Mul(hundred).Cmp(t.Mul(p)) >= 0
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
