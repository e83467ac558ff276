package goalkit

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math/big"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/suggest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// ChangeRequest says which change of an indicator ExplainChange splits.
type ChangeRequest struct {
	Indicator string
	// Base and Current are the two periods compared: the change is the
	// value in Current minus the value in Base.
	Base, Current period.Period
	// Participant is whose value changed; "" or "*" is everyone, and then
	// the change is also split among the participants.
	Participant string
	// By, when set, splits the change among the values of this event
	// attribute too.
	By string
}

// ChangeKind says how a change was split.
type ChangeKind string

// The change kinds.
const (
	// ChangeAdditive: a count or a sum, whose parts add up to the whole:
	// each part's contribution is its own change, and they add back to the
	// total exactly.
	ChangeAdditive ChangeKind = "additive"
	// ChangeRatio: a ratio N/D (a formula `a / b` of two counts or sums, or
	// an average): each segment's contribution is split into mix (its
	// share of D moved) and rate (its own N/D moved).
	ChangeRatio ChangeKind = "ratio"
)

// Change is the change of an indicator between two periods, split among
// the participants (for everyone) and among the values of an attribute.
type Change struct {
	Indicator   string          `json:"indicator"`
	Participant string          `json:"participant"`
	Base        string          `json:"base"`
	Current     string          `json:"current"`
	Kind        ChangeKind      `json:"kind"`
	BaseValue   decimal.Decimal `json:"base_value"`
	Value       decimal.Decimal `json:"value"`
	Delta       decimal.Decimal `json:"delta"`
	// Participants splits the change among the participants (everyone
	// only); By names the attribute of Values.
	Participants *Split `json:"participants,omitempty"`
	By           string `json:"by,omitempty"`
	Values       *Split `json:"values,omitempty"`
}

// Split is one split of a change: its parts' contributions add back to the
// change. For a ratio, Mix and Rate are the totals of the parts' mix and
// rate effects.
type Split struct {
	Mix   *decimal.Decimal `json:"mix,omitempty"`
	Rate  *decimal.Decimal `json:"rate,omitempty"`
	Parts []Contribution   `json:"parts"`
}

// Contribution is one part's share of a change: a participant or an
// attribute value ("(none)" for events without it). For a ratio, Base and
// Value are the part's own ratio (null where it has no denominator),
// Weight its share of the denominator, and Delta = Mix + Rate.
type Contribution struct {
	Key         string           `json:"key"`
	Base        *decimal.Decimal `json:"base"`
	Value       *decimal.Decimal `json:"value"`
	BaseWeight  *decimal.Decimal `json:"base_weight,omitempty"`
	ValueWeight *decimal.Decimal `json:"weight,omitempty"`
	Mix         *decimal.Decimal `json:"mix,omitempty"`
	Rate        *decimal.Decimal `json:"rate,omitempty"`
	Delta       decimal.Decimal  `json:"delta"`
	// Group says which part stands for no one participant or value:
	// empty for one's own part. A key alone cannot say it: an actor id may
	// be any printable text, "(rest)" included.
	Group PartGroup `json:"group,omitempty"`
}

// PartGroup names a part of a split that is not one participant's or
// value's own; its constants are their wire values.
type PartGroup string

const (
	// PartRest is what the parts leave of the total (events without an
	// actor), keyed "(rest)".
	PartRest PartGroup = "rest"
	// PartOthers, in a viewer's report, is the participants the viewer may
	// not see, merged, keyed "(others)".
	PartOthers PartGroup = "others"
)

// The keys of the parts of PartRest and PartOthers.
const (
	restKey   = "(rest)"
	othersKey = "(others)"
)

// gap reports whether c is a goal's gap (ExplainGap: plan against fact,
// split among the goal's rows) rather than a change between periods.
func (c *Change) gap() bool { return c.Base == "plan" && c.Current == "fact" }

// forViewer is the change as a viewer sees it, whose see refuses some
// participants: their parts of the participants' split are merged into one
// part, "(others)", so that the parts still add back to the change and no
// hidden participant's share is shown (the viewer sees the total, and so
// what the others add up to, and no more). A merged ratio part has its
// weights and effects and no rate of its own (Base and Value nil).
func (c *Change) forViewer(see func(participant string) bool) *Change {
	if c.Participants == nil {
		return c
	}
	var kept []Contribution
	others := Contribution{Key: othersKey, Group: PartOthers}
	merged := 0
	for _, p := range c.Participants.Parts {
		if p.Group == PartRest || see(p.Key) {
			kept = append(kept, p)
			continue
		}
		merged++
		others.Delta = others.Delta.Add(p.Delta)
		others.BaseWeight, others.ValueWeight = addOptional(others.BaseWeight, p.BaseWeight), addOptional(others.ValueWeight, p.ValueWeight)
		others.Mix, others.Rate = addOptional(others.Mix, p.Mix), addOptional(others.Rate, p.Rate)
		if c.Kind == ChangeAdditive {
			others.Base, others.Value = addOptional(others.Base, p.Base), addOptional(others.Value, p.Value)
		}
	}
	if merged == 0 {
		return c
	}
	out := *c
	sp := *c.Participants
	sp.Parts = append(kept, others)
	out.Participants = &sp
	return &out
}

// addOptional is a + b where either may be absent (nil): absent when both
// are.
func addOptional(a, b *decimal.Decimal) *decimal.Decimal {
	switch {
	case b == nil:
		return a
	case a == nil:
		x := *b
		return &x
	}
	x := a.Add(*b)
	return &x
}

// changePlaces is how many decimal places a ratio's split is written with;
// its parts add back exactly as fractions, and to within the last place
// as written.
const changePlaces = 6

var ratioFormula = regexp.MustCompile(`^\s*([a-z][a-z0-9_]*)\s*/\s*([a-z][a-z0-9_]*)\s*$`)

// knownParticipant refuses the participant of a change that is no one the
// report knows, as Explain refuses it: not a participant of res, an actor
// of tab (with events of kinds at any date) nor a user of the directory in
// either period. A misspelt name read as a change of 0 to 0.
func knownParticipant(ctx context.Context, tab *kpi.Table, kinds []string, res *kpi.Result, o *org.Org, req ChangeRequest) error {
	who := req.Participant
	if who == org.Everyone || res.IsGroup(who) || slices.Contains(res.Participants(), who) {
		return nil
	}
	if o != nil && (slices.Contains(o.Users(req.Base), who) || slices.Contains(o.Users(req.Current), who)) {
		return nil
	}
	seen := map[string]bool{}
	err := tab.Scan(ctx, kpi.Query{Kinds: kinds}, func(e *kpi.Event) error {
		seen[e.Actor] = true
		return nil
	})
	if err != nil || seen[who] {
		return err
	}
	names := append(slices.Collect(maps.Keys(seen)), res.Participants()...)
	slices.Sort(names)
	return fmt.Errorf("goalkit: explain change: unknown participant %q: no event of the indicator's kinds and not a participant of the request%s", who, suggest.Hint(who, names))
}

// ExplainChange splits the change of an indicator between two periods (see
// Change and docs/forecast.md). A count or a sum is split exactly; a ratio
// (a formula `a / b` of two counts or sums, or an average) into mix and
// rate effects. Other indicators are refused. It reads src once. The values
// are those of the report (Evaluate) with the same options: amounts are
// converted at the plan's budget rates and those of WithRates, a team of
// WithGroups or WithDirectory may be the participant, and WithKnownAt
// counts only the versions known then. A participant the report does not
// know (no event of the indicator's kinds, not one of WithParticipants, a
// group or a user of the directory) is an error with a did-you-mean, as
// for Explain, never a change from 0 to 0.
func (p *Plan) ExplainChange(ctx context.Context, src kpi.Source, asOf time.Time, req ChangeRequest, opts ...EvalOption) (*Change, error) {
	if err := needAsOf("ExplainChange", "asOf", asOf); err != nil {
		return nil, err
	}
	ix, ok := p.indicators.Lookup(req.Indicator)
	if !ok {
		return nil, fmt.Errorf("goalkit: explain change: no indicator %q", req.Indicator)
	}
	if req.Participant == "" {
		req.Participant = org.Everyone
	}
	if req.Base.Overlaps(req.Current) {
		return nil, fmt.Errorf("goalkit: explain change: the periods %s and %s overlap", p.cal.Label(req.Base), p.cal.Label(req.Current))
	}
	if req.By != "" && p.def.Attributes[req.By] == 0 {
		return nil, fmt.Errorf("goalkit: explain change: unknown attribute %q: declare it in the plan's attributes", req.By)
	}
	defs := slices.Clone(p.def.Indicators)
	byID := map[string]kpi.IndicatorDef{}
	for _, d := range defs {
		byID[d.ID] = d
	}
	additive := func(d kpi.IndicatorDef) bool {
		return d.Formula == "" && (d.Aggregate == kpi.Count || d.Aggregate == kpi.Sum)
	}
	const num, den = "change_numerator_", "change_denominator_"
	kind := ChangeAdditive
	var parts []string // the indicators read: the indicator, or N and D
	d := ix.Def
	switch {
	case additive(d):
		parts = []string{d.ID}
	case d.Formula != "" && ratioFormula.MatchString(d.Formula):
		m := ratioFormula.FindStringSubmatch(d.Formula)
		a, b := byID[m[1]], byID[m[2]]
		if !additive(a) || !additive(b) {
			return nil, fmt.Errorf("goalkit: explain change: %s = %s: both sides must be counts or sums", d.ID, d.Formula)
		}
		kind, parts = ChangeRatio, []string{m[1], m[2]}
	case d.Formula == "" && d.Aggregate == kpi.Avg:
		n, c := d, d
		n.ID, n.Aggregate, n.By, n.Top = num, kpi.Sum, nil, 0
		// The denominator counts the events the average takes in: those
		// whose value is defined (and priced), 1 each.
		c.ID, c.Aggregate, c.Value, c.By, c.Top = den, kpi.Sum, "("+d.Value+") * 0 + 1", nil, 0
		defs = append(defs, n, c)
		kind, parts = ChangeRatio, []string{num, den}
	default:
		return nil, fmt.Errorf("goalkit: explain change: %s is neither a count or sum nor a ratio of two (a formula a / b, or an average): its change cannot be split", d.ID)
	}
	if req.By != "" {
		for i := range defs {
			if slices.Contains(parts, defs[i].ID) {
				defs[i].By, defs[i].Top = []string{req.By}, 0
			}
		}
	}
	set, err := kpi.Compile(defs, kpi.Env{Attributes: p.def.Attributes, Calendar: p.cal})
	if err != nil {
		return nil, fmt.Errorf("goalkit: explain change: %w", err)
	}
	ps := []period.Period{req.Base, req.Current}
	slices.SortFunc(ps, func(a, b period.Period) int { return int(a.Start - b.Start) })
	// The two periods after the options' (a WithPeriods of the caller's
	// is replaced): their check is the one above, not WithPeriods'.
	cfg := p.config(asOf, opts)
	cfg.req.Periods, cfg.periodsGiven = ps, false
	if err := p.loadOrg(ctx, &cfg); err != nil {
		return nil, err
	}
	var res *kpi.Result
	err = kpi.Snapshot(ctx, src, p.cal.Location(), kpi.Query{Kinds: set.Kinds()}, func(tab *kpi.Table) error {
		var err error
		if res, err = set.EvaluateTable(ctx, tab, cfg.req); err != nil {
			return err
		}
		return knownParticipant(ctx, tab, set.Kinds(), res, cfg.org, req)
	})
	if err != nil {
		return nil, err
	}
	val := func(id, who string, q period.Period) decimal.Decimal {
		v, _ := res.Value(id, who, q)
		if !v.Valid {
			return decimal.Zero
		}
		return v.Decimal
	}
	c := &Change{Indicator: d.ID, Participant: req.Participant, Base: p.cal.Label(req.Base), Current: p.cal.Label(req.Current), Kind: kind, By: req.By}
	// The segments of each split: for an additive indicator one value per
	// period, for a ratio a numerator and a denominator.
	type seg struct {
		key    string
		group  PartGroup
		v1, v2 [2]decimal.Decimal // [N, D] or [value, _]
	}
	read := func(who string) seg {
		s := seg{key: who}
		for i, id := range parts {
			s.v1[i], s.v2[i] = val(id, who, req.Base), val(id, who, req.Current)
		}
		return s
	}
	total := read(req.Participant)
	split := func(segs []seg) *Split {
		// Whatever the parts leave of the total (events without an actor)
		// is a part of its own, so that they always add back.
		rest := seg{key: restKey, group: PartRest, v1: total.v1, v2: total.v2}
		for _, s := range segs {
			for i := range parts {
				rest.v1[i], rest.v2[i] = rest.v1[i].Sub(s.v1[i]), rest.v2[i].Sub(s.v2[i])
			}
		}
		if !rest.v1[0].IsZero() || !rest.v2[0].IsZero() || !rest.v1[1].IsZero() || !rest.v2[1].IsZero() {
			segs = append(segs, rest)
		}
		if kind == ChangeAdditive {
			out := &Split{}
			for _, s := range segs {
				b, v := s.v1[0], s.v2[0]
				out.Parts = append(out.Parts, Contribution{Key: s.key, Base: &b, Value: &v, Delta: v.Sub(b), Group: s.group})
			}
			return out
		}
		rs := make([]ratioSegment, len(segs))
		for i, s := range segs {
			rs[i] = ratioSegment{N1: s.v1[0], D1: s.v1[1], N2: s.v2[0], D2: s.v2[1]}
		}
		sp, ok := splitRatio(rs)
		if !ok {
			return nil
		}
		out := &Split{Mix: roundRat(sp.mix), Rate: roundRat(sp.rate)}
		for i, s := range segs {
			e := sp.parts[i]
			out.Parts = append(out.Parts, Contribution{Key: s.key, Group: s.group, Base: roundRat(e.r1), Value: roundRat(e.r2),
				BaseWeight: roundRat(e.w1), ValueWeight: roundRat(e.w2), Mix: roundRat(e.mix), Rate: roundRat(e.rate),
				Delta: *roundRat(new(big.Rat).Add(e.mix, e.rate))})
		}
		return out
	}
	if kind == ChangeAdditive {
		c.BaseValue, c.Value = total.v1[0], total.v2[0]
		c.Delta = c.Value.Sub(c.BaseValue)
	} else {
		if total.v1[1].IsZero() || total.v2[1].IsZero() {
			return nil, fmt.Errorf("goalkit: explain change: %s is undefined in %s or %s (its denominator is 0)", d.ID, c.Base, c.Current)
		}
		r1, r2 := ratOf(total.v1[0], total.v1[1]), ratOf(total.v2[0], total.v2[1])
		c.BaseValue, c.Value, c.Delta = *roundRat(r1), *roundRat(r2), *roundRat(new(big.Rat).Sub(r2, r1))
	}
	if req.Participant == org.Everyone {
		var segs []seg
		for _, who := range res.Participants() {
			if who != org.Everyone && !res.IsGroup(who) {
				segs = append(segs, read(who))
			}
		}
		c.Participants = split(segs)
	}
	if req.By != "" {
		// A part is one value of the attribute: keyed by its type as well
		// as its text (the string "5" and the integer 5 are two values),
		// and events without the attribute are a part apart from any value
		// (a string "(none)" included).
		type valueKey struct {
			none bool
			typ  string
			text string
		}
		byKey := map[valueKey]*seg{}
		var keys []valueKey
		for _, row := range res.Rows() {
			i := slices.Index(parts, row.Indicator)
			if i < 0 || row.By == nil || row.Participant != req.Participant || (row.Period != req.Base && row.Period != req.Current) {
				continue
			}
			k := valueKey{none: true}
			if v := row.By[0]; v != nil {
				k = valueKey{typ: fmt.Sprintf("%T", v), text: AttrText(v)}
			}
			s := byKey[k]
			if s == nil {
				s = &seg{key: k.text}
				if k.none {
					s.key = "(none)"
				}
				byKey[k] = s
				keys = append(keys, k)
			}
			x := decimal.Zero
			if row.Value.Valid {
				x = row.Value.Decimal
			}
			if row.Period == req.Base {
				s.v1[i] = s.v1[i].Add(x)
			} else {
				s.v2[i] = s.v2[i].Add(x)
			}
		}
		// By text, the part without the attribute last, values of one
		// text by type.
		slices.SortFunc(keys, func(a, b valueKey) int {
			if a.none != b.none {
				if a.none {
					return 1
				}
				return -1
			}
			if c := strings.Compare(a.text, b.text); c != 0 {
				return c
			}
			return strings.Compare(a.typ, b.typ)
		})
		segs := make([]seg, len(keys))
		for i, k := range keys {
			segs[i] = *byKey[k]
		}
		c.Values = split(segs)
	}
	return c, nil
}

// ratioSegment is one segment of a ratio N/D in the base period (1) and
// the current one (2).
type ratioSegment struct {
	N1, D1, N2, D2 decimal.Decimal
}

// ratioEffect is a segment's weights, rates and effects, as fractions.
type ratioEffect struct {
	w1, w2, r1, r2 *big.Rat // r1, r2 nil where the segment has no denominator
	mix, rate      *big.Rat
}

type ratioSplit struct {
	mix, rate *big.Rat
	parts     []ratioEffect
}

// splitRatio splits the change of R = ΣN/ΣD between two periods among the
// segments: with weights w = D/ΣD and rates r = N/D, a segment with a
// denominator in both periods contributes
//
//	mix  = (w₂ − w₁) · (r₁ + r₂) / 2
//	rate = (r₂ − r₁) · (w₁ + w₂) / 2
//
// (the symmetric, midpoint split: mix + rate = w₂r₂ − w₁r₁ = N₂/ΣD₂ −
// N₁/ΣD₁); a segment without a denominator in either period (it appeared,
// vanished, or counts a numerator alone) contributes all of its N₂/ΣD₂ −
// N₁/ΣD₁ as mix. The effects add back exactly to R₂ − R₁. ok is false when
// either period's ΣD is 0.
func splitRatio(segs []ratioSegment) (ratioSplit, bool) {
	d1, d2 := new(big.Rat), new(big.Rat)
	for _, s := range segs {
		d1.Add(d1, s.D1.Rat())
		d2.Add(d2, s.D2.Rat())
	}
	if d1.Sign() == 0 || d2.Sign() == 0 {
		return ratioSplit{}, false
	}
	out := ratioSplit{mix: new(big.Rat), rate: new(big.Rat)}
	half := big.NewRat(1, 2)
	for _, s := range segs {
		e := ratioEffect{w1: new(big.Rat).Quo(s.D1.Rat(), d1), w2: new(big.Rat).Quo(s.D2.Rat(), d2)}
		if !s.D1.IsZero() {
			e.r1 = new(big.Rat).Quo(s.N1.Rat(), s.D1.Rat())
		}
		if !s.D2.IsZero() {
			e.r2 = new(big.Rat).Quo(s.N2.Rat(), s.D2.Rat())
		}
		if e.r1 != nil && e.r2 != nil {
			dw := new(big.Rat).Sub(e.w2, e.w1)
			e.mix = dw.Mul(dw, new(big.Rat).Add(e.r1, e.r2))
			e.mix.Mul(e.mix, half)
			dr := new(big.Rat).Sub(e.r2, e.r1)
			e.rate = dr.Mul(dr, new(big.Rat).Add(e.w1, e.w2))
			e.rate.Mul(e.rate, half)
		} else {
			t2 := new(big.Rat).Quo(s.N2.Rat(), d2)
			t1 := new(big.Rat).Quo(s.N1.Rat(), d1)
			e.mix, e.rate = t2.Sub(t2, t1), new(big.Rat)
		}
		out.mix.Add(out.mix, e.mix)
		out.rate.Add(out.rate, e.rate)
		out.parts = append(out.parts, e)
	}
	return out, true
}

func ratOf(n, d decimal.Decimal) *big.Rat {
	return new(big.Rat).Quo(n.Rat(), d.Rat())
}

// roundRat writes a fraction with changePlaces decimal places (half away
// from zero); nil stays nil.
func roundRat(r *big.Rat) *decimal.Decimal {
	if r == nil {
		return nil
	}
	scaled := new(big.Rat).Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(changePlaces), nil)))
	q, m := new(big.Int).QuoRem(scaled.Num(), scaled.Denom(), new(big.Int))
	if new(big.Int).Mul(new(big.Int).Abs(m), big.NewInt(2)).Cmp(scaled.Denom()) >= 0 {
		if scaled.Sign() < 0 {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	x := decimal.NewFromBigInt(q, -changePlaces)
	return &x
}

// WriteChange writes a change as text: the total, then each split.
func WriteChange(w io.Writer, c *Change) error {
	if c == nil {
		return errors.New("goalkit: no change to write")
	}
	who := c.Participant
	if who == org.Everyone {
		who = "everyone"
	}
	fmt.Fprintf(w, "%s for %s: %s in %s, %s in %s, change %s\n", display.Text(c.Indicator), display.Text(who), c.BaseValue, c.Base, c.Value, c.Current, signed(c.Delta))
	block := func(title string, sp *Split) {
		if sp == nil {
			return
		}
		fmt.Fprintf(w, "\nby %s", title)
		if sp.Mix != nil {
			fmt.Fprintf(w, ": mix %s, rate %s", signed(*sp.Mix), signed(*sp.Rate))
		}
		fmt.Fprintln(w)
		var lines [][]string
		if c.Kind == ChangeAdditive {
			lines = append(lines, []string{title, c.Base, c.Current, "change"})
			for _, p := range sp.Parts {
				lines = append(lines, []string{display.Text(p.Key), p.Base.String(), p.Value.String(), signed(p.Delta)})
			}
		} else {
			lines = append(lines, []string{title, "share " + c.Base, "share " + c.Current, "rate " + c.Base, "rate " + c.Current, "mix", "rate", "change"})
			for _, p := range sp.Parts {
				lines = append(lines, []string{display.Text(p.Key), decText(p.BaseWeight), decText(p.ValueWeight), decText(p.Base), decText(p.Value), signed(*p.Mix), signed(*p.Rate), signed(p.Delta)})
			}
		}
		writeAligned(w, lines)
	}
	block("participant", c.Participants)
	if c.By != "" {
		block(c.By, c.Values)
	}
	return nil
}

func decText(d *decimal.Decimal) string {
	if d == nil {
		return "—"
	}
	return d.String()
}

func signed(d decimal.Decimal) string {
	if d.Sign() > 0 {
		return "+" + d.String()
	}
	return d.String()
}

// writeChanges writes the report's changes after its other sections.
func writeChanges(w io.Writer, cs []*Change) {
	for _, c := range cs {
		fmt.Fprintln(w)
		_ = WriteChange(w, c)
	}
}

// ExplainGap splits the gap between plan and fact of a cumulative goal in
// the period p: fact minus plan, each participant's row contributing its
// actual minus its target, exactly. The rows are the goal's users when it
// has any (a team or company goal for each member), else its teams and the
// company; rows without a target are left out. Base is "plan" and Current
// "fact". It reads src once, as Evaluate does.
func (p *Plan) ExplainGap(ctx context.Context, src kpi.Source, asOf time.Time, goalID string, per period.Period, opts ...EvalOption) (*Change, error) {
	if err := needAsOf("ExplainGap", "asOf", asOf); err != nil {
		return nil, err
	}
	if p.goals == nil {
		return nil, errors.New("goalkit: explain gap: the plan has no goals")
	}
	g, ok := p.goals.Lookup(goalID)
	if !ok {
		return nil, fmt.Errorf("goalkit: explain gap: no goal %q", goalID)
	}
	if g.Measure() != goal.Cumulative || len(g.Def().Checklist) > 0 {
		return nil, fmt.Errorf("goalkit: explain gap: goal %s is not a cumulative count or sum: its gap does not split among participants", goalID)
	}
	rep, err := p.Evaluate(ctx, src, asOf, append(slices.Clone(opts), WithPeriods(per))...)
	if err != nil {
		return nil, err
	}
	var rows []goal.Row
	users := false
	for _, r := range rep.Goals.Rows {
		if r.Goal == goalID && r.Period == per && r.Target.Valid && r.Actual.Valid {
			rows = append(rows, *r)
			users = users || r.Kind == goal.User
		}
	}
	if len(rows) == 0 {
		return nil, fmt.Errorf("goalkit: explain gap: goal %s has no row with a target in %s", goalID, p.cal.Label(per))
	}
	c := &Change{Indicator: goalID, Participant: org.Everyone, Base: "plan", Current: "fact", Kind: ChangeAdditive, Participants: &Split{}}
	for _, r := range rows {
		if users && r.Kind != goal.User {
			continue
		}
		b, v := r.Target.Decimal, r.Actual.Decimal
		c.BaseValue, c.Value = c.BaseValue.Add(b), c.Value.Add(v)
		c.Participants.Parts = append(c.Participants.Parts, Contribution{Key: r.Participant, Base: &b, Value: &v, Delta: v.Sub(b)})
	}
	c.Delta = c.Value.Sub(c.BaseValue)
	return c, nil
}
