package cascade

import (
	"fmt"
	"slices"
	"strings"

	"github.com/goalkit/goalkit/internal/display"

	"github.com/goalkit/goalkit/internal/defcheck"
	"github.com/goalkit/goalkit/internal/suggest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// Env is what cascades are compiled against.
type Env struct {
	// Calendar lays out periods and working days. Required: Compile
	// refuses cascades without it.
	Calendar *period.Calendar
	// Indicators are the plan's compiled indicators; nil when they did not
	// compile (their problems are reported with them). A set compiled
	// without them checks no indicator, and Evaluate refuses it.
	Indicators *kpi.Set
	// Path prefixes problem paths; default "cascades".
	Path string
}

// Set is a compiled, immutable set of cascades, safe for concurrent use. A
// nil or zero Set has no cascades: Evaluate returns an empty Result.
type Set struct {
	cal      *period.Calendar
	inds     *kpi.Set
	cascades []*Cascade
}

// Cascade is one compiled cascade. A nil Cascade has no id, places or
// definition.
type Cascade struct {
	def    Def
	path   string
	places int
	root   *tmpl
}

// ID returns the cascade's id.
func (c *Cascade) ID() string {
	if c == nil {
		return ""
	}
	return c.def.ID
}

// Places returns the decimal places the cascade splits targets to.
func (c *Cascade) Places() int {
	if c == nil {
		return 0
	}
	return c.places
}

// Def returns the cascade's definition: a copy, which the caller may
// change without changing the cascade.
func (c *Cascade) Def() Def {
	if c == nil {
		return Def{}
	}
	return c.def.clone()
}

// tmpl is a compiled node definition.
type tmpl struct {
	def       *NodeDef
	path      string
	per       period.Period
	kind      Kind // the node's participant: its own unit or user, else its parent's
	indicator *kpi.Indicator
	children  []*tmpl
	// finer: its declared target is finer than the cascade's places, and
	// a problem says so.
	finer bool
}

// Cascades returns the compiled cascades in definition order: a new slice,
// which the caller may change without changing the set.
func (s *Set) Cascades() []*Cascade {
	if s == nil {
		return nil
	}
	return slices.Clone(s.cascades)
}

// Kinds returns the event kinds the cascades read, sorted: a kpi.Snapshot
// for Evaluate must hold them.
func (s *Set) Kinds() []string {
	if s == nil || s.inds == nil {
		return nil
	}
	return s.inds.Kinds()
}

// Calendar returns the calendar the cascades were compiled with.
func (s *Set) Calendar() *period.Calendar {
	if s == nil {
		return nil
	}
	return s.cal
}

// Lookup returns the cascade with the id.
func (s *Set) Lookup(id string) (*Cascade, bool) {
	if s == nil {
		return nil, false
	}
	for _, c := range s.cascades {
		if c.def.ID == id {
			return c, true
		}
	}
	return nil, false
}

// Compile validates cascade definitions against the plan's calendar and
// indicators. It reports every problem at once, sorted by path, as a
// *problem.Error. A number whose exponent is past ±10000, which a plan file
// cannot write (a Def built in Go can), is refused first, alone: splitting a
// target of 10^1000000 took a quarter of a second, and the time grows with
// the square of the exponent.
func Compile(defs []Def, env Env) (*Set, error) {
	var ps problem.List
	root := env.Path
	if root == "" {
		root = "cascades"
	}
	if !defcheck.Exponents(&ps, root, defs) {
		return nil, ps.Err()
	}
	s := &Set{cal: env.Calendar, inds: env.Indicators}
	if env.Calendar == nil && len(defs) > 0 {
		// Every period label and split over time needs it: the set would
		// compile them unchecked and fail as it evaluates.
		ps.Add(root, problem.Required, "cascades need a calendar (Env.Calendar)")
	}
	seen := map[string]int{}
	for i := range defs {
		// The set keeps its own copy: the host may change its definitions
		// once they compiled, and a node reads its definition as the trees
		// are built.
		c := &Cascade{def: defs[i].clone(), path: fmt.Sprintf("%s[%d]", root, i)}
		d, path := &c.def, c.path
		if defcheck.ID(&ps, path+".id", d.ID) {
			if j, dup := seen[d.ID]; dup {
				ps.Add(path+".id", problem.Duplicate, fmt.Sprintf("cascade %q is already defined at %s[%d]", d.ID, root, j))
			} else {
				seen[d.ID] = i
			}
		}
		defcheck.OneOf(&ps, path+".direction", d.Direction, score.HigherIsBetter, score.LowerIsBetter)
		defcheck.OneOf(&ps, path+".rollup", d.Rollup, Measure, ByWeights, TargetShare)
		var ind *kpi.Indicator
		if d.Indicator == "" {
			ps.Add(path+".indicator", problem.Required, "indicator is required")
		} else if env.Indicators != nil {
			var ok bool
			if ind, ok = env.Indicators.Lookup(d.Indicator); !ok {
				ps.Add(path+".indicator", problem.Unknown, s.unknownIndicator(d.Indicator))
			}
		}
		c.places = 2
		if ind != nil && ind.Unit() == kpi.UnitCount {
			c.places = 0
		}
		if d.Places != nil {
			if *d.Places < 0 || *d.Places > 9 {
				ps.Add(path+".places", problem.Invalid, fmt.Sprintf("places must be 0..9, got %d", *d.Places))
			} else {
				c.places = *d.Places
			}
		}
		if d.Root.Period == "" {
			ps.Add(path+".root.period", problem.Required, "the root's period is required (a label such as 2025)")
		}
		if !score.Optional(d.Root.Target).Valid {
			ps.Add(path+".root.target", problem.Required, "the root's target is required")
		}
		c.root = s.compileNode(&ps, c, &d.Root, path+".root", nil, ind)
		s.cascades = append(s.cascades, c)
	}
	if err := ps.Err(); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Set) compileNode(ps *problem.List, c *Cascade, n *NodeDef, path string, parent *tmpl, ind *kpi.Indicator) *tmpl {
	t := &tmpl{def: n, path: path, kind: Company, indicator: ind}
	if parent != nil {
		t.per, t.kind = parent.per, parent.kind
	}
	switch {
	case n.Unit != "":
		t.kind = UnitKind
	case n.User != "":
		t.kind = UserKind
	}
	if n.Unit != "" && n.User != "" {
		ps.Add(path+".user", problem.Conflict, "a node is a unit or a user, not both")
	}
	// "*" is the company's row: as a user it was evaluated as the company.
	for _, k := range []struct{ key, id string }{{"unit", n.Unit}, {"user", n.User}} {
		if k.id == org.Everyone {
			ps.Add(path+"."+k.key, problem.Invalid, fmt.Sprintf("%s %q is the whole company: leave unit and user out for the company's node", k.key, k.id))
		} else if bad := display.IDProblem(k.id); bad != "" {
			// No event's actor has such an id: the node could never count one.
			ps.Add(path+"."+k.key, problem.Invalid, fmt.Sprintf("%s %q is not an id: it %s", k.key, k.id, bad))
		}
	}
	if n.Period != "" && s.cal != nil {
		p, err := s.cal.ParseLabel(n.Period)
		switch {
		case err != nil:
			ps.AddErr(path+".period", problem.Invalid, err)
		case parent != nil && !parent.per.IsZero() && (p.Start < parent.per.Start || p.End > parent.per.End):
			ps.Add(path+".period", problem.Invalid, fmt.Sprintf("period %s [%s, %s) is outside the parent's %s [%s, %s)",
				n.Period, p.Start, p.End, s.cal.Label(parent.per), parent.per.Start, parent.per.End))
		default:
			t.per = p
		}
	}
	if n.Indicator != "" && s.inds != nil {
		own, ok := s.inds.Lookup(n.Indicator)
		if !ok {
			ps.Add(path+".indicator", problem.Unknown, s.unknownIndicator(n.Indicator))
		} else {
			if ind != nil && parent != nil && rollupOf(c.def) == Measure {
				if msg := mismatch(own, ind); msg != "" {
					ps.Add(path+".indicator", problem.Invalid, msg+": a roll-up by measure needs the same quantity (set rollup: weights or target_share)")
				}
			}
			t.indicator = own
		}
	}
	for _, k := range []struct {
		name string
		v    bool
	}{{"target", score.Optional(n.Target).Valid && score.Optional(n.Target).Decimal.IsNegative()}, {"weight", score.Optional(n.Weight).Valid && score.Optional(n.Weight).Decimal.IsNegative()}} {
		if k.v {
			ps.Add(path+"."+k.name, problem.Invalid, k.name+" must not be negative")
		}
	}
	if n.Split != nil {
		s.compileSplit(ps, n.Split, path+".split", t.per, n, t.kind)
	}
	type sibling struct {
		unit, user string
		per        period.Period
		ind        *kpi.Indicator
	}
	first := map[sibling]int{}
	for i := range n.Children {
		before := ps.Len()
		ct := s.compileNode(ps, c, &n.Children[i], fmt.Sprintf("%s.children[%d]", path, i), t, t.indicator)
		t.children = append(t.children, ct)
		if ps.Len() > before || ct.per.IsZero() || s.cal == nil {
			continue // its period or indicator may not be its own: reported
		}
		// The same participant over the same period on the same indicator
		// twice: the parent's target was split to both and the subtree
		// counted twice in a weighted roll-up.
		k := sibling{ct.def.Unit, ct.def.User, ct.per, ct.indicator}
		if j, dup := first[k]; dup {
			who := "the parent's participant"
			switch {
			case k.unit != "":
				who = "unit " + k.unit
			case k.user != "":
				who = "user " + k.user
			}
			ps.Add(ct.path, problem.Duplicate, fmt.Sprintf("%s over %s is already children[%d]: the parent's target would be split to it twice", who, s.cal.Label(ct.per), j))
			continue
		}
		first[k] = i
	}
	s.checkSplitUnits(ps, c, t)
	return t
}

// checkSplitUnits adds a problem for each declared target finer than the
// cascade's places that t's split would divide: t's own, and those of its
// declared children on its indicator, which the split takes from it. Such
// a target is never a whole number of units, so every evaluation failed to
// split it. A node splits its additive, higher-is-better target where it
// generates children (into) or declares one on its indicator without a
// target.
func (s *Set) checkSplitUnits(ps *problem.List, c *Cascade, t *tmpl) {
	if directionOf(c.def) != score.HigherIsBetter || !additive(t.indicator) {
		return
	}
	open := t.def.Split != nil && t.def.Split.Into != ""
	for _, ct := range t.children {
		open = open || ct.indicator == t.indicator && ct.def.Target == nil
	}
	if !open {
		return
	}
	check := func(n *tmpl) {
		if x := n.def.Target; x != nil && !n.finer && !x.Equal(x.Truncate(int32(c.places))) {
			n.finer = true
			ps.Add(n.path+".target", problem.Invalid, fmt.Sprintf("target %s is finer than the cascade's places (%d decimal places): cascade %s splits in whole units of %s; round it or raise places",
				display.Number(*x), c.places, c.def.ID, decimal.New(1, -int32(c.places))))
		}
	}
	check(t)
	for _, ct := range t.children {
		if ct.indicator == t.indicator {
			check(ct)
		}
	}
}

// unknownIndicator says that the plan has no indicator id, and which it
// likely meant.
func (s *Set) unknownIndicator(id string) string {
	return suggest.Unknown("indicator", id, s.inds.IDs())
}

// mismatch describes how two indicators measure different quantities, or
// returns "".
func mismatch(child, parent *kpi.Indicator) string {
	cu, pu := describeUnit(child), describeUnit(parent)
	if cu != pu {
		return fmt.Sprintf("indicator %s is in %s, the parent's %s in %s", child.ID(), cu, parent.ID(), pu)
	}
	if child.Aggregate != parent.Aggregate {
		return fmt.Sprintf("indicator %s aggregates by %s, the parent's %s by %s", child.ID(), aggName(child), parent.ID(), aggName(parent))
	}
	return ""
}

func aggName(ix *kpi.Indicator) string {
	if ix.IsFormula() {
		return "formula"
	}
	return string(ix.Aggregate)
}

func describeUnit(ix *kpi.Indicator) string {
	u := string(ix.Unit())
	if u == "" {
		u = "number"
	}
	if ix.Def.Currency != "" {
		u += " (" + ix.Def.Currency + ")"
	}
	return u
}

// compileSplit checks the split of the node n, whose participant is of
// kind (n is nil for the split of generated children, then, of the kind
// they are).
func (s *Set) compileSplit(ps *problem.List, sd *SplitDef, path string, per period.Period, n *NodeDef, kind Kind) {
	if !slices.Contains(Methods(), sd.By) {
		if sd.By == "" {
			ps.Add(path+".by", problem.Required, "by is required: "+methodList())
		} else {
			ps.Add(path+".by", problem.Invalid, fmt.Sprintf("unknown split %q: %s", sd.By, methodList()))
		}
	}
	switch sd.Into {
	case "":
		if n != nil && len(n.Children) == 0 {
			ps.Add(path+".into", problem.Required, "a split needs children: declare them or generate them with into")
		}
		if n == nil {
			// A then split: the children it splits were generated, or
			// declared without children of their own, so it has none to
			// split but those of into; without, it did nothing.
			ps.Add(path+".into", problem.Required, "then splits generated children, which have none of their own: generate them with into")
		}
	case IntoUnits:
		if kind == UserKind {
			ps.Add(path+".into", problem.Invalid, "a user has no units below")
		}
	case IntoMembers:
		if kind != UnitKind {
			ps.Add(path+".into", problem.Invalid, "into members needs a node with a unit")
		}
	default:
		g, err := period.ParseGrain(sd.Into)
		if err != nil {
			ps.Add(path+".into", problem.Invalid, fmt.Sprintf("into must be units, members or a grain (day, week, month, quarter, …), got %q", sd.Into))
		} else if n != nil && !per.IsZero() && s.cal != nil {
			parts := len(s.cal.Split(per, g))
			switch {
			case parts < 1:
				ps.Add(path+".into", problem.Invalid, fmt.Sprintf("%s does not split into %s", s.cal.Label(per), g))
			case sd.By == Seasonal && len(n.Children) == 0 && len(sd.Profile) > 0 && len(sd.Profile) != parts:
				// Its children are the parts alone: a profile of another
				// length split evenly, with an issue, at every evaluation.
				ps.Add(path+".profile", problem.Invalid, fmt.Sprintf("the profile has %d weights, %s splits into %d %s periods: one weight per child",
					len(sd.Profile), s.cal.Label(per), parts, g))
			}
		}
	}
	if (sd.By == CalendarDays || sd.By == WorkingDays || sd.By == Seasonal) && (sd.Into == IntoUnits || sd.Into == IntoMembers) {
		ps.Add(path+".by", problem.Invalid, fmt.Sprintf("%s splits over time, not into %s", sd.By, sd.Into))
	}
	// What a known rule does not read would be ignored without a word:
	// refused.
	known := slices.Contains(Methods(), sd.By)
	if len(sd.Weights) > 0 && known && sd.By != Weights && sd.By != Capacity {
		ps.Add(path+".weights", problem.Conflict, fmt.Sprintf("weights apply to by: weights or capacity; by: %s does not read them", sd.By))
	}
	if sd.History != "" && known && sd.By != History {
		ps.Add(path+".history", problem.Conflict, fmt.Sprintf("history applies to by: history; by: %s does not read it", sd.By))
	}
	if len(sd.Profile) > 0 && known && sd.By != Seasonal {
		ps.Add(path+".profile", problem.Conflict, fmt.Sprintf("a profile applies to by: seasonal; by: %s does not read it", sd.By))
	}
	if sd.By == Seasonal && len(sd.Profile) == 0 {
		ps.Add(path+".profile", problem.Required, "a seasonal split needs a profile: one weight per child")
	}
	if sd.By == Weights && len(sd.Weights) == 0 && n != nil && slices.ContainsFunc(n.Children, func(c NodeDef) bool { return !score.Optional(c.Weight).Valid }) && sd.Into == "" {
		ps.Add(path+".weights", problem.Required, "a split by weights needs weights (or a weight on every child)")
	}
	keys := make([]string, 0, len(sd.Weights))
	for k := range sd.Weights {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	for _, k := range keys {
		if sd.Weights[k].IsNegative() {
			ps.Add(path+".weights."+k, problem.Invalid, fmt.Sprintf("weight %s is negative", display.Number(sd.Weights[k])))
		}
	}
	for i, w := range sd.Profile {
		if w.IsNegative() {
			ps.Add(fmt.Sprintf("%s.profile[%d]", path, i), problem.Invalid, fmt.Sprintf("weight %s is negative", display.Number(w)))
		}
	}
	if sd.History != "" && s.cal != nil {
		if _, err := s.cal.ParseLabel(sd.History); err != nil {
			ps.AddErr(path+".history", problem.Invalid, err)
		}
	}
	if sd.Then != nil {
		if sd.Into == "" {
			ps.Add(path+".then", problem.Invalid, "then applies to generated children: set into")
		}
		// The generated children are units, members or parts of the node.
		then := kind
		switch sd.Into {
		case IntoUnits:
			then = UnitKind
		case IntoMembers:
			then = UserKind
		}
		s.compileSplit(ps, sd.Then, path+".then", period.Period{}, nil, then)
	}
}

func methodList() string {
	var b strings.Builder
	for i, m := range Methods() {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(string(m))
	}
	return b.String()
}

func rollupOf(d Def) Rollup {
	if d.Rollup == "" {
		return Measure
	}
	return d.Rollup
}

func directionOf(d Def) score.Direction {
	if d.Direction == "" {
		return score.HigherIsBetter
	}
	return d.Direction
}
