package goal

import (
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// staticTarget is the goal's fixed target: Target, or for a checklist
// without one, the weight of all its items.
func (g *Goal) staticTarget() decimal.NullDecimal {
	if score.Optional(g.def.Target).Valid || len(g.items) == 0 {
		return score.Optional(g.def.Target)
	}
	total := decimal.Zero
	for _, it := range g.items {
		total = total.Add(it.weight)
	}
	return decimal.NewNullDecimal(total)
}

// targetOf resolves a participant's target for a period: a participant
// override, else the period's phased value, else what the next-target rule
// set when the period before closed, else the target formula, else the
// fixed target.
func (e *evaluator) targetOf(g *Goal, sj subject, p period.Period, v variant) decimal.NullDecimal {
	if g.next == nil && g.target == nil && (score.Optional(g.def.Target).Valid || len(g.items) == 0) {
		// Looked up, not computed: not worth keeping (a report has a
		// target for each row and variant).
		return e.resolveTarget(g, sj, p, v)
	}
	key := targetKey{goal: g.index, id: sj.id, p: p, v: v}
	if t, ok := e.targets[key]; ok {
		return t
	}
	t := e.resolveTarget(g, sj, p, v)
	e.targets[key] = t
	return t
}

func (e *evaluator) resolveTarget(g *Goal, sj subject, p period.Period, v variant) decimal.NullDecimal {
	if t, ok := g.def.TargetByParticipant[sj.id]; ok {
		return decimal.NewNullDecimal(t)
	}
	if t, ok := g.byPeriod[p]; ok {
		return decimal.NewNullDecimal(t)
	}
	if g.next != nil {
		if pp, ok := g.prevInstance(e.cal, p); ok {
			if rec := e.record(g, sj, pp, v); rec != nil && rec.NextTarget.Valid {
				return rec.NextTarget
			}
			st := e.settle(g, sj, pp, v)
			if t := e.evalNext(g, sj, pp, v, st.target, st.actual); t.Valid {
				return t
			}
		}
	}
	if g.target != nil {
		if t := e.evalFormula(g.target, g, sj, p, v, formula.MapScope{"target": formula.NullNumber(g.staticTarget())}); t.Valid {
			return t
		}
	}
	return g.staticTarget()
}

// evalNext applies the next-target rule to the closed period pp.
func (e *evaluator) evalNext(g *Goal, sj subject, pp period.Period, v variant, target, actual decimal.NullDecimal) decimal.NullDecimal {
	a := score.Achieve(g.dir, actual, target)
	return e.evalFormula(g.next, g, sj, pp, v, formula.MapScope{
		"target": formula.NullNumber(target), "actual": formula.NullNumber(actual), "achievement": formula.NullNumber(a.Uncapped),
	})
}

// evalFormula evaluates a target formula or next-target rule for a
// participant and period: indicator names read the goal's view, prev()
// earlier periods of p's shape, and vars the given values.
func (e *evaluator) evalFormula(prog *formula.Program, g *Goal, sj subject, p period.Period, v variant, vars formula.MapScope) decimal.NullDecimal {
	lookup := func(r formula.Ref) formula.Value {
		if r.Func {
			switch r.Name {
			case "days":
				return formula.Int(int64(p.Days()))
			case "workdays":
				return formula.Int(int64(e.cal.Workdays(p)))
			case "elapsed":
				return formula.Number(fractionDecimal(e.cal.Elapsed(p, v.asOf, period.CalendarTime)))
			}
			return formula.Undefined()
		}
		if val, ok := vars[r.Name]; ok && r.Back == 0 {
			return val
		}
		return formula.NullNumber(e.f.value(g.view, v, r.Name, sj.pid, back(e.cal, p, r.Back)))
	}
	if e.f.recording {
		for _, r := range prog.Refs() {
			lookup(r)
		}
		return decimal.NullDecimal{}
	}
	val, err := prog.Eval(formula.ScopeFunc(lookup))
	if err != nil {
		return decimal.NullDecimal{}
	}
	if d, ok := val.Number(); ok {
		return decimal.NewNullDecimal(d)
	}
	return decimal.NullDecimal{}
}
