package goalkittest

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func (c *checker) hasCascades() bool { return len(c.def.Cascades) > 0 }

// pools returns the bonus schemes that are pools.
func (c *checker) pools() []score.BonusDef {
	var out []score.BonusDef
	for _, b := range c.def.Bonuses {
		if b.Pool != nil {
			out = append(out, b)
		}
	}
	return out
}

// formulas returns the formula indicators.
func (c *checker) formulas() []kpi.IndicatorDef {
	var out []kpi.IndicatorDef
	for _, d := range c.def.Indicators {
		if d.Formula != "" {
			out = append(out, d)
		}
	}
	return out
}

// indicatorDef returns the definition of an indicator.
func (c *checker) indicatorDef(id string) (kpi.IndicatorDef, bool) {
	i := slices.IndexFunc(c.def.Indicators, func(d kpi.IndicatorDef) bool { return d.ID == id })
	if i < 0 {
		return kpi.IndicatorDef{}, false
	}
	return c.def.Indicators[i], true
}

// scale returns the unit of the actual values drawn for a KPI: about a
// hundredth of its largest reference value (target, threshold, stretch),
// rounded to a power of ten; 1 for counts up to 1000; 0.01 under 10.
func scale(kd score.KPIDef) decimal.Decimal {
	hi := refMax(kd)
	switch {
	case hi.LessThan(decimal.New(10, 0)):
		return decimal.New(1, -2)
	case hi.LessThanOrEqual(decimal.New(1000, 0)):
		return decimal.New(1, 0)
	}
	return decimal.New(1, int32(len(hi.Truncate(0).String())-3))
}

func refMax(kd score.KPIDef) decimal.Decimal {
	hi := decimal.Zero
	for _, d := range []*decimal.Decimal{kd.Target, kd.Threshold, kd.Stretch} {
		if d != nil && d.Abs().GreaterThan(hi) {
			hi = d.Abs()
		}
	}
	return hi
}

// span returns how many units actual values of a KPI range over: twice its
// largest reference value, at least 100 units.
func span(kd score.KPIDef, unit decimal.Decimal) int {
	n := refMax(kd).Mul(decimal.New(2, 0)).Shift(-unit.Exponent()).Ceil().IntPart()
	return int(max(min(n, 1<<40), 100))
}

// window is how many consecutive better actuals scores_monotone walks
// through in one case.
const window = 128

func (c *checker) scoresMonotone(t *rapid.T) string {
	cards := c.plan.Scoring().Scorecards()
	sc := cards[rapid.IntRange(0, len(cards)-1).Draw(t, "scorecard")]
	def := sc.Def()
	k := rapid.IntRange(0, len(def.KPIs)-1).Draw(t, "kpi")
	actuals := map[string]decimal.NullDecimal{}
	ids := sc.KPIs()
	for i, kd := range def.KPIs {
		if i == k || rapid.IntRange(0, 9).Draw(t, "undefined?") == 0 {
			continue
		}
		u := scale(kd)
		actuals[ids[i]] = decimal.NewNullDecimal(decimal.New(int64(rapid.IntRange(0, span(kd, u)).Draw(t, "actual")), 0).Mul(u))
	}
	kid, kd := ids[k], def.KPIs[k]
	u := scale(kd)
	start := rapid.IntRange(0, max(span(kd, u)-window, 0)).Draw(t, "from")
	pers, err := c.plan.Calendar().Periods(def.Grain, c.def.Report.From, c.def.Report.To)
	if err != nil || len(pers) == 0 {
		return ""
	}
	per := pers[0]
	label := per.Start.String()
	var basis decimal.NullDecimal
	if rapid.Bool().Draw(t, "basis?") {
		basis = decimal.NewNullDecimal(decimal.New(int64(rapid.IntRange(0, 1_000_000).Draw(t, "basis")), 0))
	}
	// the actuals of the window, worst first
	value := func(i int) decimal.Decimal {
		if kd.Direction == score.LowerIsBetter {
			return decimal.New(int64(start+window-i), 0).Mul(u)
		}
		return decimal.New(int64(start+i), 0).Mul(u)
	}
	type state struct {
		actual decimal.Decimal
		card   score.Card
		score  decimal.Decimal
		pays   []score.Payout
	}
	eval := func(x decimal.Decimal) (state, error) {
		vals := maps(actuals)
		vals[kid] = decimal.NewNullDecimal(x)
		card, err := sc.ScoreValues("u1", per, label, vals)
		if err != nil {
			return state{}, err
		}
		st := state{actual: x, card: card}
		ks, _ := card.KPI(kid)
		st.score = ks.Score
		for _, bd := range c.def.Bonuses {
			if bd.Scorecard != def.ID || bd.Pool != nil {
				continue
			}
			b, ok := c.plan.Scoring().Bonus(bd.ID)
			if !ok {
				continue
			}
			bs := basis
			if bd.TierBasis == kd.Indicator {
				bs = decimal.NewNullDecimal(x)
			}
			st.pays = append(st.pays, b.Pay(card, bs))
		}
		return st, nil
	}
	prev, err := eval(value(0))
	if err != nil {
		return fmt.Sprintf("score %s: %v", value(0), err)
	}
	others := c.otherActuals(ids, kid, actuals)
	for i := 1; i <= window; i++ {
		if value(i).IsNegative() {
			continue
		}
		cur, err := eval(value(i))
		if err != nil {
			return fmt.Sprintf("score %s: %v", value(i), err)
		}
		what := fmt.Sprintf("scorecard %s, KPI %s (%s is better): actual %s and the better actual %s",
			def.ID, kid, direction(kd.Direction), prev.actual, cur.actual)
		switch {
		case cur.score.LessThan(prev.score):
			return fmt.Sprintf("%s: the score falls from %s to %s%s\n%s", what, prev.score, cur.score, others,
				c.monotoneSnippet(kd, prev.actual, cur.actual))
		case cur.card.Total.LessThan(prev.card.Total):
			return fmt.Sprintf("%s: the total falls from %s to %s%s\n%s", what, prev.card.Total, cur.card.Total, others,
				c.monotoneSnippet(kd, prev.actual, cur.actual))
		}
		for j := range cur.pays {
			p1, p2 := prev.pays[j], cur.pays[j]
			if p2.Amount.LessThan(p1.Amount) {
				return fmt.Sprintf("%s: bonus %s falls from %s to %s %s (total score %s to %s)%s\n%s", what, p1.Bonus, p1.Amount, p2.Amount, p1.Currency,
					prev.card.Total, cur.card.Total, others, c.monotoneSnippet(kd, prev.actual, cur.actual))
			}
		}
		prev = cur
	}
	return ""
}

func maps(m map[string]decimal.NullDecimal) map[string]decimal.NullDecimal {
	out := make(map[string]decimal.NullDecimal, len(m)+1)
	for k, v := range m {
		out[k] = v
	}
	return out
}

func direction(d score.Direction) string {
	if d == score.LowerIsBetter {
		return "lower"
	}
	return "higher"
}

// otherActuals describes the actuals of the KPIs other than kid.
func (c *checker) otherActuals(ids []string, kid string, actuals map[string]decimal.NullDecimal) string {
	var parts []string
	for _, id := range ids {
		if id == kid {
			continue
		}
		if v, ok := actuals[id]; ok {
			parts = append(parts, id+" = "+v.Decimal.String())
		} else {
			parts = append(parts, id+" undefined")
		}
	}
	if len(parts) == 0 {
		return ""
	}
	return " (other KPIs: " + strings.Join(parts, ", ") + ")"
}

// monotoneSnippet reproduces a scores_monotone failure: when the KPI's
// indicator is a plain count or sum of amounts, two event files that give it
// the two actuals (other KPIs then have no events).
func (c *checker) monotoneSnippet(kd score.KPIDef, a, b decimal.Decimal) string {
	ea, oka := c.eventsFor(map[string]decimal.Decimal{kd.Indicator: a})
	eb, okb := c.eventsFor(map[string]decimal.Decimal{kd.Indicator: b})
	if !oka || !okb {
		return c.snippets()
	}
	return c.snippets(namedEvents{"worse.ndjson", ea}, namedEvents{"better.ndjson", eb})
}

// eventsFor returns events that give indicators the values, for user u1 on
// the first day of the first report period, when every indicator is an
// unfiltered count or sum of amounts and no two read the same kind.
func (c *checker) eventsFor(values map[string]decimal.Decimal) ([]kpi.Event, bool) {
	pers := c.plan.Periods()
	if len(pers) == 0 {
		return nil, false
	}
	start, _ := c.plan.Calendar().Bounds(pers[0])
	at := start.Add(12 * time.Hour)
	ids := make([]string, 0, len(values))
	for id := range values {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	var out []kpi.Event
	kinds := map[string]bool{}
	for _, id := range ids {
		d, ok := c.indicatorDef(id)
		if !ok || d.Where != "" || len(d.Kinds) == 0 || d.Currency != "" {
			return nil, false
		}
		for _, k := range d.Kinds {
			if kinds[k] {
				return nil, false
			}
			kinds[k] = true
		}
		x := values[id]
		switch {
		case d.Aggregate == "count" && x.IsInteger() && !x.IsNegative() && x.LessThanOrEqual(decimal.New(1000, 0)):
			for range x.IntPart() {
				out = append(out, kpi.Event{ID: fmt.Sprintf("e%d", len(out)+1), Kind: d.Kinds[0], Time: at, Actor: "u1"})
			}
		case d.Aggregate == "sum" && d.Value == "amount":
			if !x.IsZero() {
				out = append(out, kpi.Event{ID: fmt.Sprintf("e%d", len(out)+1), Kind: d.Kinds[0], Time: at, Actor: "u1", Amount: decimal.NewNullDecimal(x)})
			}
		default:
			return nil, false
		}
	}
	return out, true
}

func (c *checker) splitsAddBack(t *rapid.T) string {
	stream := Final(c.events.Draw(t, "events"))
	r, err := c.evaluate(stream)
	if err != nil {
		return fmt.Sprintf("evaluate: %v\n%s", err, c.snippet(stream, nil))
	}
	if r.Cascade != nil {
		for _, tr := range r.Cascade.Trees {
			var msg string
			tr.Root.Walk(func(n *cascade.Node) {
				if msg != "" || len(n.Children) == 0 || !n.Target.Valid || tr.Direction == score.LowerIsBetter {
					return
				}
				sum := decimal.Zero
				for _, ch := range n.Children {
					if ch.Indicator != n.Indicator || !ch.Target.Valid || ch.Origin == cascade.Inherited {
						return
					}
					sum = sum.Add(ch.Target.Decimal)
				}
				if !sum.Equal(n.Target.Decimal) {
					var parts []string
					for _, ch := range n.Children {
						parts = append(parts, fmt.Sprintf("%s %s (%s)", ch.ID, ch.Target.Decimal, ch.Origin))
					}
					msg = fmt.Sprintf("cascade %s: the targets of the children of %s (%s) add up to %s, not to its target %s: %s",
						tr.Cascade, n.ID, n.Path, sum, n.Target.Decimal, strings.Join(parts, ", "))
				}
			})
			if msg != "" {
				return msg + "\n" + c.snippet(stream, nil)
			}
		}
	}
	if r.Scores != nil {
		type key struct{ bonus, label, team string }
		sums := map[key]decimal.Decimal{}
		amounts := map[key]decimal.Decimal{}
		paid := map[key]bool{}
		for _, p := range r.Scores.Bonuses {
			if p.Pool == nil {
				continue
			}
			k := key{p.Bonus, p.Label, p.Pool.Team}
			sums[k] = sums[k].Add(p.Amount)
			amounts[k] = p.Pool.Amount
			if p.Pool.Weights.IsPositive() {
				paid[k] = true
			}
		}
		for k, s := range sums {
			if paid[k] && !s.Equal(amounts[k]) {
				return fmt.Sprintf("pool %s, period %s, team %q: the shares add up to %s, not to the pool %s\n%s",
					k.bonus, k.label, k.team, s, amounts[k], c.snippet(stream, nil))
			}
		}
	}
	return ""
}

func (c *checker) rollupEqualsDirect(t *rapid.T) string {
	return c.rollupEqualsDirectOf(Final(c.events.Draw(t, "events")))
}

// rollupEqualsDirectOf is rollupEqualsDirect over the given final events.
func (c *checker) rollupEqualsDirectOf(stream []kpi.Event) string {
	r, err := c.evaluate(stream)
	if err != nil {
		return fmt.Sprintf("evaluate: %v\n%s", err, c.snippet(stream, nil))
	}
	if r.Cascade == nil {
		return ""
	}
	type want struct {
		tree string
		n    *cascade.Node
	}
	o, err := c.org()
	if err != nil {
		return fmt.Sprintf("directory: %v", err)
	}
	var nodes []want
	var pers []period.Period
	// scope is the unit of n's nearest unit ancestor ("" for none): a person
	// within a unit counts only their events of the dates they belonged to
	// it, which the direct evaluation of the person alone does not know, so
	// such a node is compared only where they belonged for all its period.
	var walk func(tree string, n *cascade.Node, scope string)
	walk = func(tree string, n *cascade.Node, scope string) {
		if n.Kind == cascade.UnitKind {
			scope = n.Participant // units are checked through their members' events by the cascade itself
		} else if scope == "" || o == nil || !o.Has(scope) || belongedThroughout(o, scope, n.Participant, n.Period) {
			nodes = append(nodes, want{tree, n})
			if !slices.Contains(pers, n.Period) {
				pers = append(pers, n.Period)
			}
		}
		for _, ch := range n.Children {
			walk(tree, ch, scope)
		}
	}
	for _, tr := range r.Cascade.Trees {
		walk(tr.Cascade, tr.Root, "")
	}
	if len(nodes) == 0 {
		return ""
	}
	var participants []string
	for _, w := range nodes {
		if w.n.Participant != org.Everyone {
			participants = appendNew(participants, w.n.Participant)
		}
	}
	// one evaluation per set of periods that do not overlap
	slices.SortFunc(pers, func(a, b period.Period) int { return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End)) })
	var sets [][]period.Period
	for _, p := range pers {
		i := slices.IndexFunc(sets, func(s []period.Period) bool { return s[len(s)-1].End <= p.Start })
		if i < 0 {
			sets = append(sets, nil)
			i = len(sets) - 1
		}
		sets[i] = append(sets[i], p)
	}
	direct := map[period.Period]*goalkit.Report{}
	for _, set := range sets {
		r, err := c.evaluate(stream, goalkit.WithPeriods(set...), goalkit.WithParticipants(participants...))
		if err != nil {
			return fmt.Sprintf("evaluate %v: %v\n%s", set, err, c.snippet(stream, nil))
		}
		for _, p := range set {
			direct[p] = r
		}
	}
	for _, w := range nodes {
		v, ok := direct[w.n.Period].Values.Value(w.n.Indicator, w.n.Participant, w.n.Period)
		if !ok {
			continue
		}
		if v.Valid != w.n.Actual.Valid || v.Valid && !v.Decimal.Equal(w.n.Actual.Decimal) {
			return fmt.Sprintf("cascade %s, node %s (%s): the rolled-up actual is %s, the direct evaluation of %s for %s over %s gives %s\n%s",
				w.tree, w.n.ID, w.n.Path, show(w.n.Actual), w.n.Indicator, w.n.Participant, w.n.Label, show(v), c.snippet(stream, nil))
		}
	}
	return ""
}

// org loads the directory the checks evaluate with (nil: none).
func (c *checker) org() (*org.Org, error) {
	if c.opts.Directory == nil {
		return nil, nil
	}
	return org.Load(context.Background(), c.opts.Directory)
}

// belongedThroughout reports whether user belonged to unit (or a unit
// below it) on every date of p.
func belongedThroughout(o *org.Org, unit, user string, p period.Period) bool {
	for _, sp := range o.Spans(unit) {
		if sp.Member == user && (sp.From == 0 || sp.From <= p.Start) && (sp.To == 0 || sp.To >= p.End) {
			return true
		}
	}
	return false
}

func show(d decimal.NullDecimal) string {
	if !d.Valid {
		return "undefined"
	}
	return d.Decimal.String()
}

// inputValue draws a value of an indicator in its declared range: counts
// are whole numbers from 0; sums and the rest decimals with two places,
// negative too (an amount may be a refund, and a value formula negative);
// averages, minimums, maximums and formulas may be undefined; 0 often.
func (c *checker) inputValue(t *rapid.T, ref formula.Ref) formula.Value {
	if ref.Func {
		return formula.Int(int64(rapid.IntRange(0, 31).Draw(t, ref.Name)))
	}
	name := ref.String()
	d, _ := c.indicatorDef(ref.Name)
	if rapid.IntRange(0, 3).Draw(t, name+" zero?") == 0 {
		return formula.Int(0) // where formulas break
	}
	switch d.Aggregate {
	case "count", "distinct":
		return formula.Int(int64(rapid.IntRange(0, 1000).Draw(t, name)))
	case "sum":
		return formula.Scaled(rapid.Int64Range(-10_000_000, 10_000_000).Draw(t, name), -2)
	}
	if rapid.IntRange(0, 9).Draw(t, name+" undefined?") == 0 {
		return formula.Undefined()
	}
	return formula.Scaled(rapid.Int64Range(-10_000_000, 10_000_000).Draw(t, name), -2)
}

func (c *checker) formulasDefined(t *rapid.T) (msg string) {
	fs := c.formulas()
	d := fs[rapid.IntRange(0, len(fs)-1).Draw(t, "formula")]
	var ids []string
	for _, x := range c.def.Indicators {
		ids = append(ids, x.ID)
	}
	p, err := formula.Compile(d.Formula, formula.IndicatorEnv(ids...), formula.TypeNumber)
	if err != nil {
		return fmt.Sprintf("indicator %s: compile %q: %v", d.ID, d.Formula, err)
	}
	in := map[string]formula.Value{}
	var refs []string
	for _, r := range p.Refs() {
		in[r.String()] = c.inputValue(t, r)
		refs = append(refs, r.String())
	}
	slices.Sort(refs)
	inputs := func() string {
		var parts []string
		for _, r := range refs {
			parts = append(parts, r+" = "+in[r].String())
		}
		return strings.Join(parts, ", ")
	}
	defer func() {
		if r := recover(); r != nil {
			msg = fmt.Sprintf("indicator %s: %q panics with %s: %v", d.ID, d.Formula, inputs(), r)
		}
	}()
	v, err := p.Eval(formula.ScopeFunc(func(r formula.Ref) formula.Value { return in[r.String()] }))
	if err != nil {
		return fmt.Sprintf("indicator %s: %q fails with %s: %v", d.ID, d.Formula, inputs(), err)
	}
	if !c.opts.RequireDefined || v.Defined() {
		return ""
	}
	for _, r := range refs {
		if !in[r].Defined() {
			return ""
		}
	}
	msg = fmt.Sprintf("indicator %s: %q is undefined with %s", d.ID, d.Formula, inputs())
	values := map[string]decimal.Decimal{}
	for _, r := range p.Refs() {
		n, ok := in[r.String()].Number()
		if r.Back != 0 || r.Func || !ok {
			return msg
		}
		values[r.Name] = n
	}
	if events, ok := c.eventsFor(values); ok {
		msg += "\n" + c.snippet(events, nil)
	}
	return msg
}
