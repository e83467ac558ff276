package cascade

import (
	"fmt"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/problem"
	"github.com/goalkit/goalkit/score"
)

// UnusedWeight is the code of Lint's warning about a node's weight that
// nothing reads.
const UnusedWeight problem.Code = "unused_weight"

// Lint returns warnings about the compiled cascades that do not stop them
// from working, sorted by path: a node's weight that nothing reads (the
// parent's split is neither by weights nor by capacity, or does not split
// that child a target, and the roll-up is not weights; or the root's).
// Compile accepts such a weight (a host may keep its weights as it switches
// roll-ups); Evaluate ignores it.
func (s *Set) Lint() []problem.Problem {
	var out []problem.Problem
	if s == nil {
		return nil
	}
	for _, c := range s.cascades {
		if c.root == nil {
			continue
		}
		if c.root.def.Weight != nil {
			out = append(out, unusedWeight(c.root, "the root has no parent to weigh it in"))
		}
		s.lintWeights(c, c.root, &out)
	}
	return problem.Sort(out)
}

// lintWeights adds a warning for each child of t, and below, whose weight
// is not read.
func (s *Set) lintWeights(c *Cascade, t *tmpl, out *[]problem.Problem) {
	ru := rollupOf(c.def)
	for _, ct := range t.children {
		if ct.def.Weight != nil && ru != ByWeights {
			if why := s.unread(c, t, ct); why != "" {
				*out = append(*out, unusedWeight(ct, fmt.Sprintf("%s, and the roll-up is %s (rollup: weights would read it)", why, ru)))
			}
		}
		s.lintWeights(c, ct, out)
	}
}

// unread says why t's split does not read its child ct's weight, or ""
// where it does.
func (s *Set) unread(c *Cascade, t, ct *tmpl) string {
	sd := t.def.Split
	by := Even
	if sd != nil {
		by = sd.By
	}
	switch {
	case by != Weights && by != Capacity:
		return fmt.Sprintf("the parent splits by %s", by)
	case directionOf(c.def) != score.HigherIsBetter:
		return "a lower-is-better target is not split: the child inherits the parent's"
	case ct.indicator != t.indicator:
		return "the child's indicator is not the parent's: its target is not split from the parent's"
	case !additive(t.indicator):
		return "the parent's indicator is not a count or a sum: its target is not split, the child inherits it"
	case ct.def.Target != nil:
		return "the child's target is declared, not split from the parent's"
	case s.inSplitWeights(sd, t, ct):
		return "the parent's split.weights names it: that weight is read instead"
	}
	return ""
}

// inSplitWeights reports whether the split sd of t names its declared child
// ct among its weights, by its key: its unit or user over the parent's
// period, else its period's label.
func (s *Set) inSplitWeights(sd *SplitDef, t, ct *tmpl) bool {
	key := ""
	switch {
	case ct.per != t.per:
		if s.cal != nil && !ct.per.IsZero() {
			key = s.cal.Label(ct.per)
		}
	case ct.def.Unit != "":
		key = ct.def.Unit
	case ct.def.User != "":
		key = ct.def.User
	}
	_, ok := sd.Weights[key]
	return key != "" && ok
}

// unusedWeight is the warning that t's weight is not read, and why.
func unusedWeight(t *tmpl, why string) problem.Problem {
	return problem.Problem{Severity: problem.SevWarning, Code: UnusedWeight, Path: t.path + ".weight",
		Msg: fmt.Sprintf("weight %s is not read: %s", display.Number(*t.def.Weight), why)}
}
