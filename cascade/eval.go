package cascade

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/internal/suggest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// Request says what an evaluation of cascades computes.
type Request struct {
	// AsOf leaves out the events after it; zero counts every event.
	AsOf time.Time
	// KnownAt counts only the event versions known at that instant.
	KnownAt time.Time
	// Org is the host's organisation (org.Load reads a Directory into
	// one): the members of units, with effective dates, and the units below
	// a unit (into units). Without it, nodes may name only users and the
	// company.
	Org *org.Org
	// Rates and BudgetRates convert amounts of money indicators.
	Rates       kpi.Rates
	BudgetRates kpi.Rates
	// Cascades limits the evaluation to these cascade ids; default all.
	// An id the set does not have is an error.
	Cascades []string
	// Workers is how many goroutines scan; 0 means GOMAXPROCS.
	Workers int
}

// groupPrefix names the evaluation groups of units, memberPrefix those of
// a person within a unit, and userPrefix that of a person whose id begins
// with a control character, apart from the other user ids. Each begins
// with a control character, which no actor's id has (kpi.Event.Validate):
// an actor whose id is a group's takes the group's row (kpi), so a user
// "unit:sales" with events was counted as the unit sales. The evaluator
// keeps what each names (evaluator.groups) rather than reading it back
// from the name: unit and user ids are the host's and may hold any
// character.
const (
	groupPrefix  = "\x00unit:"
	memberPrefix = "\x00member:"
	userPrefix   = "\x00user:"
)

// groupOf says whose events an evaluation group counts: a unit's (user
// empty), or a person's within a unit, or a person's anywhere (unit empty).
type groupOf struct{ unit, user string }

// Evaluate builds every cascade's tree (generating the children of `into`
// splits from the calendar and the directory), splits the targets down,
// evaluates every node's actual from the events of tab, a kpi.Snapshot (a unit's events are
// those of its members on the dates they belonged to it or a unit below
// it), rolls achievement up and checks the trees and the directory.
func (s *Set) Evaluate(ctx context.Context, tab *kpi.Table, req Request) (*Result, error) {
	if s == nil {
		s = &Set{}
	}
	for _, id := range req.Cascades {
		if _, ok := s.Lookup(id); !ok {
			ids := make([]string, len(s.cascades))
			for i, c := range s.cascades {
				ids[i] = c.def.ID
			}
			return nil, fmt.Errorf("cascade: unknown cascade %q in the request%s", id, suggest.Hint(id, ids))
		}
	}
	if s.inds == nil && len(s.cascades) > 0 {
		// Env.Indicators is nil only where the plan's indicators did not
		// compile, which fails the plan: a host's set without them has
		// its indicators unchecked and none to evaluate.
		return nil, errors.New("cascade: the set was compiled without indicators (Env.Indicators)")
	}
	o := req.Org
	if o == nil {
		o, _ = org.Load(ctx, nil)
	}
	e := &evaluator{set: s, org: o, req: req, groups: map[string]groupOf{}}
	res := &Result{Trees: []*Tree{}}
	if req.Org != nil {
		e.issues = append(e.issues, CheckDirectory(o.Units(), o.Memberships())...)
	}
	for _, c := range s.cascades {
		if len(req.Cascades) > 0 && !slices.Contains(req.Cascades, c.def.ID) {
			continue
		}
		root := e.expand(c, c.root, nil, nil, c.root.path, "")
		res.Trees = append(res.Trees, &Tree{Cascade: c.def.ID, Name: c.def.Name, Indicator: c.def.Indicator,
			Direction: directionOf(c.def), Rollup: rollupOf(c.def), Root: root})
	}
	if err := e.facts(ctx, tab, res.Trees); err != nil {
		return nil, err
	}
	for _, t := range res.Trees {
		c := e.cascadeOf(t.Cascade)
		t.Root.Target, t.Root.Origin = score.Optional(c.def.Root.Target), Declared
		e.assign(c, t.Root)
		e.rollup(c, t.Root)
	}
	e.unusedWeights()
	if e.err != nil {
		return nil, e.err
	}
	res.Issues = sortIssues(e.issues)
	if res.Issues == nil {
		res.Issues = []problem.Problem{}
	}
	return res, nil
}

type evaluator struct {
	set    *Set
	org    *org.Org
	req    Request
	issues []problem.Problem
	// err is the first working-day split outside the calendar's years.
	err error
	// values by period: the result that holds it.
	results map[period.Period]*kpi.Result
	// groups are the evaluation groups the nodes' pids name.
	groups map[string]groupOf
	// weightUse is, for each split by weights or capacity that shared a
	// target, the keys of its children and where it first applied.
	weightUse   map[*SplitDef]*weightUse
	weightOrder []*SplitDef
	// spans and members are the organisation's reads, once per unit (and
	// period): a split into members reads its unit again for each member,
	// and read the whole directory each time.
	spans   map[string][]org.Span
	members map[unitPeriod][]string
}

type unitPeriod struct {
	unit string
	p    period.Period
}

// membersOf is e.org.Members(unit, p), sorted, read once.
func (e *evaluator) membersOf(unit string, p period.Period) []string {
	k := unitPeriod{unit, p}
	ms, ok := e.members[k]
	if !ok {
		if e.members == nil {
			e.members = map[unitPeriod][]string{}
		}
		ms = e.org.Members(unit, p)
		e.members[k] = ms
	}
	return ms
}

// spansOf is the dated membership of the unit's subtree (org.Org.Spans),
// read once; of user alone where user is set.
func (e *evaluator) spansOf(unit, user string) []org.Span {
	all, ok := e.spans[unit]
	if !ok {
		if e.spans == nil {
			e.spans = map[string][]org.Span{}
		}
		all = e.org.Spans(unit)
		e.spans[unit] = all
	}
	if user == "" {
		return all
	}
	// Spans are sorted by user, then date.
	i, _ := slices.BinarySearchFunc(all, user, func(s org.Span, u string) int { return strings.Compare(s.Member, u) })
	j := i
	for j < len(all) && all[j].Member == user {
		j++
	}
	return slices.Clone(all[i:j])
}

type weightUse struct {
	path string
	keys map[string]bool
}

// useWeights notes the keys of n's children for n's split sd, which may
// serve many nodes (a then split): a key of its weights that none of them
// has is reported once they are all split (unusedWeights).
func (e *evaluator) useWeights(n *Node, sd *SplitDef) {
	u := e.weightUse[sd]
	if u == nil {
		if e.weightUse == nil {
			e.weightUse = map[*SplitDef]*weightUse{}
		}
		u = &weightUse{path: n.Path + ".split", keys: map[string]bool{}}
		e.weightUse[sd] = u
		e.weightOrder = append(e.weightOrder, sd)
	}
	for _, ch := range n.Children {
		u.keys[ch.Key] = true
	}
}

// unusedWeights reports the keys of weights that no child had: a misspelt
// key gave its child no weight (by capacity, silently the default 1).
func (e *evaluator) unusedWeights() {
	for _, sd := range e.weightOrder {
		u := e.weightUse[sd]
		keys := slices.Sorted(maps.Keys(u.keys))
		for _, k := range slices.Sorted(maps.Keys(sd.Weights)) {
			if u.keys[k] {
				continue
			}
			e.issue(u.path+".weights."+k, SplitFailed, "no child is %s: its weight is not used%s", k, suggest.Hint(k, keys))
		}
	}
}

// pidOf returns the participant id that evaluates g: a user's own id, or a
// group's, distinct for distinct g.
func (e *evaluator) pidOf(g groupOf) string {
	var pid string
	switch {
	case g.user == "":
		pid = groupPrefix + g.unit
	case g.unit != "":
		// The unit quoted, so that a "/" in either id cannot make two
		// pairs one name.
		pid = memberPrefix + strconv.Quote(g.unit) + "/" + g.user
	case strings.HasPrefix(g.user, "\x00"):
		// A node's user from a definition in Go may hold any text.
		pid = userPrefix + g.user
	default:
		return g.user
	}
	e.groups[pid] = g
	return pid
}

func (e *evaluator) cascadeOf(id string) *Cascade {
	c, _ := e.set.Lookup(id)
	return c
}

func (e *evaluator) issue(path string, code problem.Code, format string, args ...any) {
	e.issues = append(e.issues, problem.Problem{Path: path, Code: code, Msg: fmt.Sprintf(format, args...)})
}

// expand makes the node of a declared node definition (t not nil) or of a
// generated child (t nil, proto set), with its children.
func (e *evaluator) expand(c *Cascade, t *tmpl, parent *Node, proto *Node, path, key string) *Node {
	cal := e.set.cal
	var n *Node
	if t != nil {
		d := t.def
		n = &Node{Path: path, Period: t.per, ind: t.indicator, split: d.Split, declared: score.Optional(d.Weight)}
		switch {
		case d.Unit != "":
			n.Kind, n.Participant = UnitKind, d.Unit
		case d.User != "":
			n.Kind, n.Participant = UserKind, d.User
		case parent != nil:
			n.Kind, n.Participant = parent.Kind, parent.Participant
		default:
			n.Kind, n.Participant = Company, org.Everyone
		}
		if score.Optional(d.Target).Valid {
			n.Target, n.Origin = score.Optional(d.Target), Declared
		}
		n.ID = d.ID
	} else {
		n = proto
	}
	n.Label = cal.Label(n.Period)
	if clipped(cal, n.Period) {
		// A part that Split clipped to its parent: the label names the whole.
		n.Label = fmt.Sprintf("%s [%s, %s)", n.Label, n.Period.Start, n.Period.End)
	}
	if n.ind != nil {
		n.Indicator = n.ind.ID()
	}
	if n.ID == "" {
		who := n.Participant
		if n.Kind == Company {
			who = "company"
		}
		n.ID = who + " " + n.Label
	}
	n.Key = key
	if proto != nil {
		if n.Key == "" {
			n.Key = n.Label
		}
		n.Path = path + "/" + n.Key
	}
	if n.Key == "" && parent != nil {
		if n.Period == parent.Period {
			n.Key = n.Participant
		} else {
			n.Key = n.Label
		}
	}
	if parent != nil {
		n.scope = parent.scope
	}
	switch n.Kind {
	case Company:
		n.pid = org.Everyone
	case UnitKind:
		n.pid = e.pidOf(groupOf{unit: n.Participant})
		n.scope = n.Participant
	default:
		g := groupOf{user: n.Participant}
		if n.scope != "" && e.org.Has(n.scope) {
			// A person within a unit counts for the dates they belonged to it.
			g.unit = n.scope
		}
		n.pid = e.pidOf(g)
	}
	e.checkParticipant(n, parent)
	if t != nil {
		for _, ct := range t.children {
			n.Children = append(n.Children, e.expand(c, ct, n, nil, ct.path, ""))
		}
	}
	e.generateInto(c, n)
	return n
}

// clipped reports whether p is a part of a period of its grain, as Split
// clips them, rather than a whole one: a period of a fixed length (a
// declared interval such as 2025-03-14/P10D) is whole wherever it starts,
// as Calendar.Shift has it.
func clipped(cal *period.Calendar, p period.Period) bool {
	if days, fixed := p.Grain.Length(); fixed && p.Days() == days {
		return false
	}
	return cal.Containing(p.Grain, p.Start) != p
}

// generateInto adds the children n's split generates, but those a declared
// child already is: that one keeps its own target (or a share of the rest,
// once) and, without a split or children of its own, takes the split the
// generated ones take.
func (e *evaluator) generateInto(c *Cascade, n *Node) {
	sd := n.split
	if sd == nil || sd.Into == "" {
		return
	}
	// A generated child may be a declared one; generated children are
	// never each other (each member, unit and part once).
	declared := len(n.Children)
	for _, g := range e.generate(n, sd) {
		if i := slices.IndexFunc(n.Children[:declared], func(d *Node) bool {
			return d.Kind == g.Kind && d.Participant == g.Participant && d.Period == g.Period
		}); i >= 0 {
			if d := n.Children[i]; d.split == nil && len(d.Children) == 0 && sd.Then != nil {
				d.split = sd.Then
				e.generateInto(c, d)
			}
			continue
		}
		g.split = sd.Then
		n.Children = append(n.Children, e.expand(c, nil, n, g, n.Path, g.Key))
	}
}

// generate makes the children of an into split.
func (e *evaluator) generate(n *Node, sd *SplitDef) []*Node {
	var out []*Node
	child := func(kind Kind, who string, p period.Period, key string) {
		out = append(out, &Node{Kind: kind, Participant: who, Period: p, Key: key, ind: n.ind})
	}
	switch sd.Into {
	case IntoUnits:
		parent := ""
		if n.Kind == UnitKind {
			parent = n.Participant
		}
		for _, u := range e.org.Children(parent) {
			child(UnitKind, u, n.Period, u)
		}
	case IntoMembers:
		for _, u := range e.membersOf(n.Participant, n.Period) {
			child(UserKind, u, n.Period, u)
		}
	default:
		g, err := period.ParseGrain(sd.Into)
		if err != nil {
			return nil // reported by Compile
		}
		for _, p := range e.set.cal.Split(n.Period, g) {
			child(n.Kind, n.Participant, p, "")
		}
	}
	if len(out) == 0 {
		e.issue(n.Path, SplitFailed, "into %s generates no children for %s", sd.Into, n.ID)
	}
	return out
}

// checkParticipant checks a node's unit against the directory and its
// parent.
func (e *evaluator) checkParticipant(n, parent *Node) {
	if n.Kind == UnitKind && !e.org.Has(n.Participant) {
		if e.req.Org == nil {
			e.issue(n.Path, UnknownUnit, "unit %s: no directory to find its members in", n.Participant)
		} else {
			e.issue(n.Path, UnknownUnit, "unknown unit %s", n.Participant)
		}
		return
	}
	if parent == nil || parent.Kind != UnitKind || !e.org.Has(parent.Participant) {
		return
	}
	switch n.Kind {
	case UnitKind:
		if !e.org.Below(n.Participant, parent.Participant) {
			e.issue(n.Path, NotBelow, "unit %s is not below the parent's unit %s", n.Participant, parent.Participant)
		}
	case UserKind:
		if _, in := slices.BinarySearch(e.membersOf(parent.Participant, n.Period), n.Participant); !in {
			e.issue(n.Path, NotBelow, "user %s is not a member of the parent's unit %s during %s", n.Participant, parent.Participant, n.Label)
		}
	case Company:
		e.issue(n.Path, NotBelow, "the company is not below the parent's unit %s", parent.Participant)
	}
}

// timeOrder returns, for each child of n, the place of its period among
// the parts of n's period split into their grain, when the children are
// those parts, each once (a split over time, some parts declared before
// the generated ones); nil otherwise. Time splits that read history or a
// profile read the part in its place.
func (e *evaluator) timeOrder(n *Node) []int {
	if len(n.Children) == 0 || n.Children[0].Period == n.Period {
		return nil
	}
	parts := e.set.cal.Split(n.Period, n.Children[0].Period.Grain)
	if len(parts) != len(n.Children) {
		return nil
	}
	order := make([]int, len(n.Children))
	seen := make([]bool, len(parts))
	for i, c := range n.Children {
		k := slices.Index(parts, c.Period)
		if k < 0 || seen[k] {
			return nil
		}
		order[i], seen[k] = k, true
	}
	return order
}

// need is one value to evaluate.
type need struct {
	p   period.Period
	pid string
}

// facts evaluates every node's actual, and the history of history splits.
func (e *evaluator) facts(ctx context.Context, tab *kpi.Table, trees []*Tree) error {
	cal := e.set.cal
	needs := map[need]bool{}
	for _, t := range trees {
		t.Root.Walk(func(n *Node) {
			if n.ind != nil {
				needs[need{n.Period, n.pid}] = true
			}
			sd := n.split
			if sd == nil || sd.By != History || len(n.Children) == 0 {
				return
			}
			h := cal.Prev(n.Period)
			if sd.History != "" {
				if p, err := cal.ParseLabel(sd.History); err == nil {
					h = p
				}
			}
			var hs []period.Period
			order := e.timeOrder(n)
			for i, c := range n.Children {
				hp := h
				if c.Period != n.Period {
					if hs == nil {
						hs = cal.Split(h, c.Period.Grain)
					}
					if len(hs) != len(n.Children) {
						e.issue(n.Path+".split.history", SplitFailed, "history %s has %d %s periods, %s has %d children: split evenly",
							cal.Label(h), len(hs), c.Period.Grain, n.ID, len(n.Children))
						return
					}
					hp = hs[i]
					if order != nil {
						hp = hs[order[i]]
					}
				}
				c.hist, c.hasHist = hp, true
				if c.ind != nil {
					needs[need{hp, c.pid}] = true
				}
			}
		})
	}
	if len(needs) == 0 {
		return nil
	}
	// Lay the periods out in layers of sorted, disjoint periods: one
	// evaluation (one scan) per layer.
	var periods []period.Period
	pids := map[string]bool{}
	for nd := range needs {
		if !slices.Contains(periods, nd.p) {
			periods = append(periods, nd.p)
		}
		pids[nd.pid] = true
	}
	slices.SortFunc(periods, func(a, b period.Period) int { return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End)) })
	var layers [][]period.Period
	for _, p := range periods {
		placed := false
		for i, l := range layers {
			if l[len(l)-1].End <= p.Start {
				layers[i] = append(l, p)
				placed = true
				break
			}
		}
		if !placed {
			layers = append(layers, []period.Period{p})
		}
	}
	var users []string
	var groups []org.Group
	for pid := range pids {
		g, isGroup := e.groups[pid]
		switch {
		case pid == org.Everyone:
		case !isGroup:
			users = append(users, pid)
		case g.unit == "":
			groups = append(groups, org.Group{ID: pid, Members: []string{g.user}})
		default:
			groups = append(groups, org.Group{ID: pid, Spans: e.spansOf(g.unit, g.user)})
		}
	}
	slices.Sort(users)
	slices.SortFunc(groups, func(a, b org.Group) int { return cmp.Compare(a.ID, b.ID) })
	e.results = map[period.Period]*kpi.Result{}
	for _, l := range layers {
		res, err := e.set.inds.EvaluateTable(ctx, tab, kpi.Request{Calendar: cal, Periods: l, AsOf: e.req.AsOf, KnownAt: e.req.KnownAt,
			Participants: users, Groups: groups, Rates: e.req.Rates, BudgetRates: e.req.BudgetRates, Workers: e.req.Workers})
		if err != nil {
			return fmt.Errorf("cascade: %w", err)
		}
		for _, p := range l {
			e.results[p] = res
		}
	}
	for _, t := range trees {
		t.Root.Walk(func(n *Node) {
			if n.ind != nil {
				n.Actual = e.value(n.ind, n.pid, n.Period)
			}
		})
	}
	return nil
}

func (e *evaluator) value(ind *kpi.Indicator, pid string, p period.Period) decimal.NullDecimal {
	res := e.results[p]
	if res == nil {
		return decimal.NullDecimal{}
	}
	v, _ := res.Value(ind.ID(), pid, p)
	return v
}

// additive reports whether an indicator's targets add up: counts and sums.
func additive(ix *kpi.Indicator) bool {
	return ix != nil && !ix.IsFormula() && (ix.Aggregate == kpi.Count || ix.Aggregate == kpi.Sum)
}

// assign gives the children of n their targets, then theirs.
func (e *evaluator) assign(c *Cascade, n *Node) {
	if len(n.Children) == 0 {
		return
	}
	dir := directionOf(c.def)
	splits := dir == score.HigherIsBetter && additive(n.ind)
	var open []int // children that get a share
	declared := decimal.Zero
	for i, ch := range n.Children {
		switch {
		case ch.Origin == Declared:
			if ch.ind == n.ind {
				declared = declared.Add(ch.Target.Decimal)
			}
		case ch.ind != n.ind:
			e.issue(ch.Path, SplitFailed, "no target: %s measures %s, not the parent's %s; declare its target", ch.ID, ch.Indicator, n.Indicator)
		case !n.Target.Valid:
		case !splits:
			ch.Target, ch.Origin = n.Target, Inherited
		default:
			open = append(open, i)
		}
	}
	if splits && n.Target.Valid {
		rest := n.Target.Decimal.Sub(declared)
		if len(open) > 0 {
			if rest.IsNegative() {
				e.issue(n.Path, OverAllocated, "declared children's targets add up to %s, over the target %s (over-allocated: %s): the other children get 0",
					grouped(declared), grouped(n.Target.Decimal), grouped(rest.Neg()))
				rest = decimal.Zero
			}
			e.share(c, n, open, rest)
		}
		sum := decimal.Zero
		complete := false
		for _, ch := range n.Children {
			if ch.ind != n.ind {
				continue
			}
			complete = true
			if !ch.Target.Valid {
				complete = false
				break
			}
			sum = sum.Add(ch.Target.Decimal)
		}
		if complete && len(open) == 0 {
			switch d := n.Target.Decimal.Sub(sum); d.Sign() {
			case 1:
				e.issue(n.Path, UnderAllocated, "children's targets add up to %s of %s (unallocated: %s)", grouped(sum), grouped(n.Target.Decimal), grouped(d))
			case -1:
				e.issue(n.Path, OverAllocated, "children's targets add up to %s, over the target %s (over-allocated: %s)", grouped(sum), grouped(n.Target.Decimal), grouped(d.Neg()))
			}
		}
	}
	for _, ch := range n.Children {
		e.assign(c, ch)
	}
}

// share splits rest among the children open of n by n's split rule.
func (e *evaluator) share(c *Cascade, n *Node, open []int, rest decimal.Decimal) {
	sd := n.split
	by := Even
	if sd != nil {
		by = sd.By
	}
	one := decimal.NewFromInt(1)
	w := make([]decimal.Decimal, len(open))
	fallback := func(format string, args ...any) {
		e.issue(n.Path+".split", SplitFailed, format+": split evenly", args...)
		w = EvenWeights(len(open))
	}
	switch by {
	case Even:
		w = EvenWeights(len(open))
	case Weights, Capacity:
		e.useWeights(n, sd)
		for k, i := range open {
			ch := n.Children[i]
			if v, ok := sd.Weights[ch.Key]; ok {
				w[k] = v
			} else if ch.declared.Valid {
				w[k] = ch.declared.Decimal
			} else if by == Capacity {
				w[k] = one
			} else {
				e.issue(n.Path+".split.weights", SplitFailed, "no weight for %s: it gets no share", ch.Key)
				w[k] = decimal.Zero
			}
		}
	case History:
		for k, i := range open {
			ch := n.Children[i]
			if !ch.hasHist { // reported with the history
				w = EvenWeights(len(open))
				break
			}
			if v := e.value(ch.ind, ch.pid, ch.hist); v.Valid {
				w[k] = v.Decimal
			}
		}
	case CalendarDays, WorkingDays:
		ps := make([]period.Period, len(open))
		for k, i := range open {
			ps[k] = n.Children[i].Period
			if by == WorkingDays && e.err == nil {
				if err := e.set.cal.WorkCalendar().Check(ps[k].Start, ps[k].End); err != nil {
					e.err = fmt.Errorf("%s.split: the working days of %s: %w", n.Path, n.Children[i].Label, err)
				}
			}
		}
		w = DayWeights(e.set.cal, ps, by == WorkingDays)
	case Seasonal:
		if len(sd.Profile) != len(n.Children) {
			fallback("the profile has %d weights, %s has %d children", len(sd.Profile), n.ID, len(n.Children))
			break
		}
		order := e.timeOrder(n)
		for k, i := range open {
			if order != nil {
				i = order[i]
			}
			w[k] = sd.Profile[i]
		}
	}
	for _, x := range w {
		if x.IsNegative() {
			fallback("a weight is negative (%s)", x)
			break
		}
	}
	parts, err := score.Split(rest, w, int32(c.places))
	if errors.Is(err, score.ErrZeroWeights) {
		fallback("every %s weight is zero", by)
		parts, err = score.Split(rest, w, int32(c.places))
	}
	if err != nil {
		e.issue(n.Path+".split", SplitFailed, "%s: %v", grouped(rest), err)
		return
	}
	for k, i := range open {
		ch := n.Children[i]
		ch.Target, ch.Origin, ch.Weight = decimal.NewNullDecimal(parts[k]), SplitDown, decimal.NewNullDecimal(w[k])
	}
}

// rollup computes achievements, shares and contributions bottom up.
func (e *evaluator) rollup(c *Cascade, n *Node) {
	for _, ch := range n.Children {
		e.rollup(c, ch)
	}
	dir := directionOf(c.def)
	ru := rollupOf(c.def)
	if ru == Measure || len(n.Children) == 0 {
		a := score.Achieve(dir, n.Actual, n.Target)
		n.Achievement, n.Met = a.Uncapped, a.Met
	}
	if len(n.Children) == 0 {
		return
	}
	if ru == Measure {
		for _, ch := range n.Children {
			if ch.ind != n.ind || !additive(n.ind) {
				continue
			}
			ch.Share = quo(ch.Actual, n.Actual)
			if dir == score.HigherIsBetter && n.Target.Valid && n.Target.Decimal.IsPositive() {
				ch.Contribution = quo(ch.Actual, n.Target)
			}
		}
		return
	}
	total := decimal.Zero
	ws := make([]decimal.Decimal, len(n.Children))
	for i, ch := range n.Children {
		switch {
		case ru == TargetShare && ch.Target.Valid:
			ws[i] = ch.Target.Decimal
		case ru == ByWeights && ch.declared.Valid:
			ws[i] = ch.declared.Decimal
		case ru == ByWeights:
			ws[i] = decimal.NewFromInt(1)
		}
		total = total.Add(ws[i])
	}
	sum := decimal.Zero
	for i, ch := range n.Children {
		ch.Weight = decimal.NewNullDecimal(ws[i])
		ch.Share = quo(decimal.NewNullDecimal(ws[i]), decimal.NewNullDecimal(total))
		// A child without an achievement counts as 0, but one met without
		// a ratio (a lower-is-better child that spent nothing) as its
		// target met, 1 (score.Achievement.Counted).
		a := score.Achievement{Uncapped: ch.Achievement, Met: ch.Met}.Counted().Decimal
		ch.Contribution = quo(decimal.NewNullDecimal(ws[i].Mul(a)), decimal.NewNullDecimal(total))
		sum = sum.Add(ws[i].Mul(a))
	}
	n.Achievement = quo(decimal.NewNullDecimal(sum), decimal.NewNullDecimal(total))
	n.Met = n.Achievement.Valid && n.Achievement.Decimal.Cmp(decimal.NewFromInt(1)) >= 0
}

// quo is a / b, undefined when either is undefined or b is zero.
func quo(a, b decimal.NullDecimal) decimal.NullDecimal {
	if !a.Valid || !b.Valid {
		return decimal.NullDecimal{}
	}
	q, ok := decimalx.Div(a.Decimal, b.Decimal)
	if !ok {
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(q)
}
