package kpi

import (
	"context"
	"fmt"
	"io/fs"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/suggest"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Reasons an event of an indicator's kinds did not count.
const (
	ReasonRetracted   = "retracted"
	ReasonOutside     = "outside the period"
	ReasonAfterAsOf   = "after as-of"
	ReasonNotKnown    = "not known yet"
	ReasonParticipant = "another participant"
	ReasonFilter      = "filter false"
	ReasonUnpriced    = "unpriced"
	ReasonNoValue     = "value undefined"
)

// Reasons of breakdown rows and cohort conversions, as Explanation names
// them (kept unexported: the exported API of the package is at its limit).
const (
	reasonBreakdown = "another breakdown row"                                    // an event of another combination of values
	reasonCohort    = "not its entity's first conversion in the cohort's window" // not the conversion of its entity
)

// Explanation says how one value came about: the events that made it and the
// events of the same kinds that were left out, with the reason.
type Explanation struct {
	Indicator   string              `json:"indicator"`
	Participant string              `json:"participant"`
	Period      period.Period       `json:"-"`
	Label       string              `json:"period"`
	Value       decimal.NullDecimal `json:"value"`
	// By, for a breakdown row, holds its attributes' values by name (nil
	// for events without the attribute).
	By        map[string]any `json:"by,omitempty"`
	Aggregate string         `json:"aggregate,omitempty"`
	// From, for a cumulative indicator, is the first date of its window
	// (the period's end closes it).
	From string `json:"from,omitempty"`
	// Cohort, for a cohort conversion, is the kinds of its cohort's events:
	// each event listed counts for its cohort event's date and actor.
	Cohort  []string `json:"cohort,omitempty"`
	Formula string   `json:"formula,omitempty"`
	// Inputs explain the indicators a formula reads, each in the period it
	// reads it: an input read with prev(id, n) is explained in the period n
	// before the formula's (its Period and Label), with Back n; the same
	// indicator read in the formula's own period is another input. A
	// running formula read with prev() (one that reads its own prev()) has
	// its value and formula and no inputs: explaining it in its period
	// gives them; before the report's first period its value is undefined.
	Inputs []*Explanation `json:"inputs,omitempty"`
	// Back, for an input a formula reads with prev(), is how many periods
	// before the formula's it is read; 0 for the formula's own period.
	Back     int            `json:"back,omitempty"`
	Included []Contribution `json:"included,omitempty"`
	// Excluded lists at most Set.Explain's limit of events per reason;
	// ExcludedCounts counts them all, by reason (the Reason constants and
	// the words of the others, as Exclusion.Reason has them).
	Excluded       []Exclusion    `json:"excluded,omitempty"`
	ExcludedCounts map[string]int `json:"excluded_counts,omitempty"`
}

// Contribution is one event that counts towards a value.
type Contribution struct {
	Event string `json:"event"`
	// Time is the event's time in the table's zone, or in UTC where that
	// zone's offset then had seconds, which RFC 3339 cannot write (as for
	// an Exclusion's).
	Time     time.Time `json:"time"`
	Actor    string    `json:"actor"`
	Value    string    `json:"value,omitempty"` // what was aggregated; empty for counts
	Amount   string    `json:"amount,omitempty"`
	Currency string    `json:"currency,omitempty"`
	// Rate is the exchange rate the amount was converted at, as it was
	// applied: a decimal it was multiplied by, or "1/R" where a fixed rate
	// R given the other way round (budget_rates: {USD/EUR: 0.92} for an
	// amount in euros) divided it. Empty when not converted.
	Rate string `json:"rate,omitempty"`
}

// Exclusion is one event that does not count, and why.
type Exclusion struct {
	Event  string    `json:"event"`
	Time   time.Time `json:"time"`
	Actor  string    `json:"actor"`
	Reason string    `json:"reason"`
}

// ExplainLimit is the default number of excluded events listed per reason.
const ExplainLimit = 20

// Explain explains the value of one indicator for one participant (an actor,
// a group of req, or org.Everyone) and one period, from the events of tab
// (a Snapshot): the events counted, each with its part, and those left out
// with the reason (at most limit per reason; 0 means ExplainLimit).
//
// req is the report's request, and the value is the report's: where p is
// one of req.Periods, a running formula (one that reads its own prev())
// accumulates from the first of them, as in the report; a p of none of
// them is explained as the report of p alone (req.Periods may be empty).
// Periods the report refuses (their prev() overlapping another) are
// refused so where the explanation evaluates them.
//
// by names one breakdown row of an indicator declared with By: its
// attribute values in the order of By (as Row.By gives them, an int or
// int32 also for an int64; nil for events without the attribute; a value
// of no type attributes take is an error); the participant's events with other values are
// left out as "another breakdown row", and a formula's inputs are explained
// for the same row, which need not be in the indicator's top. A nil by
// explains the total.
//
// An indicator or participant the report does not have, or a by of
// another length than the indicator's By, is an error for which
// errors.Is(err, fs.ErrNotExist) holds: a "not found" told apart from a
// failure to evaluate.
func (s *Set) Explain(ctx context.Context, tab *Table, req Request, indicator, participant string, p period.Period, by []any, limit int) (*Explanation, error) {
	by, err := s.typedBy(indicator, by)
	if err != nil {
		return nil, err
	}
	ix, res, err := s.explainCell(ctx, tab, &req, indicator, participant, p, by)
	if err != nil {
		return nil, err
	}
	var names []string
	if by != nil {
		names = ix.Def.By
	}
	return s.explain(ctx, tab.t, &req, res, ix, participant, p, names, by, explainLimit(limit), true)
}

// typedBy returns the values of a breakdown row as the table holds them
// (an int or int32 as an int64, as an event's attribute), and refuses a
// value of no type attributes take (a float64): it would match no row, or
// the events without the attribute. A value of another attribute type than
// the declared one names a row of its own: events may hold such values, and
// the result keeps their rows apart by type.
func (s *Set) typedBy(indicator string, by []any) ([]any, error) {
	ix, ok := s.byID[indicator]
	if by == nil || !ok || len(by) != len(ix.Def.By) {
		return by, nil // explainCell says what is wrong
	}
	out := slices.Clone(by)
	for j, v := range out {
		switch x := v.(type) {
		case int:
			out[j] = int64(x)
		case int32:
			out[j] = int64(x)
		case nil, string, int64, decimal.Decimal, bool, time.Time:
		default:
			return nil, fmt.Errorf("indicator %s is broken down by %s: the value %d is %T %s, want a string, int64, decimal.Decimal, bool or time.Time (or nil for none)", indicator, strings.Join(ix.Def.By, ", "), j, v, colstore.ValueText(v))
		}
	}
	return out, nil
}

// noCell is Explain's refusal of a cell the report does not have: an
// unknown indicator or participant, a breakdown row of an indicator not
// broken down so. errors.Is(err, fs.ErrNotExist) tells it from a failure to
// read (a source's, a directory's, the context's), so that a service can
// answer the one "not found" and log the other.
type noCell struct{ msg string }

func (e noCell) Error() string { return e.msg }

func (noCell) Is(target error) bool { return target == fs.ErrNotExist }

func explainLimit(limit int) int {
	if limit <= 0 {
		return ExplainLimit
	}
	return limit
}

// explainCell evaluates req for the period p as the report of req does
// (explainPeriods) and checks the indicator and the participant. For a
// breakdown row (by not nil), it checks by against the indicator's By and
// evaluates the breakdown that holds the indicator with every indicator it
// reads, every row, no top.
func (s *Set) explainCell(ctx context.Context, tab *Table, req *Request, indicator, participant string, p period.Period, by []any) (*Indicator, *Result, error) {
	req.Periods = s.explainPeriods(req.Periods, p)
	if err := req.validateFor(tab); err != nil {
		return nil, nil, err
	}
	if err := s.periodsProblem(req); err != nil {
		return nil, nil, err // the report is refused so too
	}
	ix, ok := s.byID[indicator]
	if !ok {
		return nil, nil, noCell{fmt.Sprintf("unknown indicator %s%s", display.QuoteID(indicator), suggest.Hint(indicator, s.IDs()))}
	}
	if by != nil && len(ix.Def.By) == 0 {
		return nil, nil, noCell{fmt.Sprintf("indicator %s is not broken down (it has no by)", indicator)}
	}
	if by != nil && len(by) != len(ix.Def.By) {
		return nil, nil, noCell{fmt.Sprintf("indicator %s is broken down by %s: want %d values, got %d", indicator, strings.Join(ix.Def.By, ", "), len(ix.Def.By), len(by))}
	}
	// An actor of the table is a participant of the report even where it has
	// no event in p (its zero there is worth explaining: its events were
	// after as-of, not known yet, or in another period).
	if participant != org.Everyone && !slices.Contains(req.Participants, participant) && slices.Contains(tab.t.Actors(), participant) {
		req.Participants = append(slices.Clip(req.Participants), participant)
	}
	ev, res, err := s.totals(ctx, tab.t, *req)
	if err != nil {
		return nil, nil, err
	}
	if _, ok := res.pindex[participant]; !ok {
		return nil, nil, noCell{fmt.Sprintf("unknown participant %s: no event of the indicator's kinds in %s and not a participant of the request%s",
			display.QuoteID(participant), periodText(req.Calendar, p), suggest.Hint(participant, append(slices.Clip(res.participants), tab.t.Actors()...)))}
	}
	for _, bd := range s.breakdowns {
		if by != nil && slices.Contains(bd.shown, bd.set.byID[indicator]) {
			if err := ev.breakdown(ctx, &breakdown{by: bd.by, set: bd.set, shown: bd.set.list, all: true}, res); err != nil {
				return nil, nil, err
			}
		}
	}
	return ix, res, nil
}

// explainPeriods is the periods a report of periods evaluates up to p, as
// far as p's values need them: where the set has a running formula and p is
// one of periods, those up to p, for the running total starts in the
// report's first period (and the periods after p change nothing of p's);
// else p alone, which gives p's values as any report of it does.
func (s *Set) explainPeriods(periods []period.Period, p period.Period) []period.Period {
	i := slices.Index(periods, p)
	if i < 0 || !slices.ContainsFunc(s.formulas, func(ix *Indicator) bool { return ix.running }) {
		return []period.Period{p}
	}
	return slices.Clone(periods[:i+1])
}

// explainBack explains dep in the earlier period p that a formula reads
// with prev(): req evaluated for its periods before p and p (its
// participants, groups, as-of and known-at), so that a running formula
// accumulates from the same first period, the participant one of them
// where it is an actor of the table with no event in p, and for a
// breakdown row the breakdown by the row's attributes (names), every row.
// A running formula's value is given with its formula, not explained again
// (that would follow its own prev() back to the report's first period);
// before that period it is undefined.
func (s *Set) explainBack(ctx context.Context, tab *colstore.Table, req *Request, dep *Indicator, participant string, p period.Period, names []string, by []any, limit int) (*Explanation, error) {
	if p == (period.Period{}) {
		// No period n before one given by its dates alone (the
		// calendar's Shift of it): undefined, as the report reads it.
		return &Explanation{Indicator: dep.Def.ID, Participant: participant}, nil
	}
	if dep.running && p.Start < req.Periods[0].Start {
		return &Explanation{Indicator: dep.Def.ID, Participant: participant, Period: p, Label: req.Calendar.Label(p), Formula: dep.formula.Source()}, nil
	}
	r := *req
	r.Periods = append(slices.DeleteFunc(slices.Clone(req.Periods), func(q period.Period) bool { return q.End > p.Start }), p)
	if participant != org.Everyone && !slices.Contains(r.Participants, participant) && slices.Contains(tab.Actors(), participant) {
		r.Participants = append(slices.Clip(r.Participants), participant)
	}
	ev, res, err := s.totals(ctx, tab, r)
	if err != nil {
		return nil, err
	}
	for _, bd := range s.breakdowns {
		if by != nil && bd.set.byID[dep.Def.ID] != nil && slices.Equal(bd.by, names) {
			if err := ev.breakdown(ctx, &breakdown{by: bd.by, set: bd.set, shown: bd.set.list, all: true}, res); err != nil {
				return nil, err
			}
		}
	}
	return s.explain(ctx, tab, &r, res, dep, participant, p, names, by, limit, !dep.running)
}

// IDs returns the indicators' ids in definition order.
func (s *Set) IDs() []string {
	out := make([]string, len(s.list))
	for i, ix := range s.list {
		out[i] = ix.Def.ID
	}
	return out
}

// explain explains a cell of res; by, when not nil, names the breakdown
// row of the attributes names (the By of the indicator explained first:
// a formula's inputs are explained for the formula's row, whatever their
// own By), unless inputs is false.
func (s *Set) explain(ctx context.Context, tab *colstore.Table, req *Request, res *Result, ix *Indicator, participant string, p period.Period, names []string, by []any, limit int, inputs bool) (*Explanation, error) {
	v, _ := res.Value(ix.Def.ID, participant, p)
	ex := &Explanation{Indicator: ix.Def.ID, Participant: participant, Period: p, Label: req.Calendar.Label(p), Value: v}
	var ais []int // the attributes of a breakdown row
	if by != nil {
		ex.By = map[string]any{}
		v = decimal.NullDecimal{}
		if ix.Aggregate == Count || ix.Aggregate == Sum || ix.Aggregate == Distinct {
			v = decimal.NewNullDecimal(decimal.Zero) // a row with no event of its own
		}
		for _, r := range res.breakdownRows(ix.Def.ID) {
			if r.Participant == participant && r.Period == p && !r.Other && compareCombos(r.By, by) == 0 {
				v = r.Value
			}
		}
		ex.Value = v
		for j, n := range names {
			ex.By[n] = by[j]
			ai, ok := tab.Attr(n)
			if !ok {
				ai = -1
			}
			ais = append(ais, ai)
		}
	}
	if ix.IsFormula() {
		ex.Formula = ix.formula.Source()
		if !inputs {
			return ex, nil
		}
		for _, r := range ix.deps {
			if r.Func {
				continue
			}
			dep := s.byID[r.Name]
			if dep == nil || slices.ContainsFunc(ex.Inputs, func(e *Explanation) bool { return e.Indicator == r.Name && e.Back == r.Back }) {
				continue
			}
			var sub *Explanation
			var err error
			if r.Back > 0 {
				sub, err = s.explainBack(ctx, tab, req, dep, participant, req.Calendar.Shift(p, -r.Back), names, by, limit)
			} else {
				sub, err = s.explain(ctx, tab, req, res, dep, participant, p, names, by, limit, true)
			}
			if err != nil {
				return nil, err
			}
			sub.Back = r.Back
			ex.Inputs = append(ex.Inputs, sub)
		}
		return ex, nil
	}
	ex.Aggregate = string(ix.Aggregate)
	in := p // the dates whose events count: a cumulative indicator's window
	if ix.window != nil {
		// A window of all starts at the first event it reads, or at the
		// period's start.
		first := p.Start
		for _, k := range ix.Def.Kinds {
			if seg := tab.Segment(k); seg != nil {
				for _, d := range seg.Day {
					if d != colstore.DeadDay && date.Date(d) < first {
						first = date.Date(d)
					}
				}
			}
		}
		in.Start = ix.window.start(req.Calendar, p, first)
		ex.From = in.Start.String()
	}
	if ix.cohort != nil {
		ex.Cohort = ix.cohort.of
	}
	everyone := participant == org.Everyone
	member := func(actor string, _ date.Date) bool { return actor == participant }
	for _, g := range req.Groups {
		if g.ID == participant && res.IsGroup(participant) { // an actor's id is the actor's row
			member = func(actor string, d date.Date) bool {
				if slices.Contains(g.Members, actor) {
					return true
				}
				return slices.ContainsFunc(g.Spans, func(sp org.Span) bool {
					return sp.Member == actor && d >= sp.From && (sp.To == 0 || d < sp.To)
				})
			}
		}
	}
	ex.ExcludedCounts = map[string]int{}
	exclude := func(seg *colstore.Segment, i int, reason string) {
		ex.ExcludedCounts[reason]++
		if ex.ExcludedCounts[reason] <= limit {
			ex.Excluded = append(ex.Excluded, Exclusion{Event: string([]byte(seg.ID(i))), Time: colstore.InZone(seg.TS[i], tab.Location()),
				Actor: tab.Actors()[seg.Actor[i]], Reason: reason})
		}
	}
	sc := &rowScope{tab: tab}
	cache := &rateCache{rates: req.Rates}
	if ix.Def.Rate == RateBudget {
		cache.rates = req.BudgetRates
	}
	// A cohort conversion counts for its cohort event's date and actor.
	var cohorts map[*colstore.Segment]*cohortRows
	if ix.cohort != nil {
		oev := &evaluation{set: s, tab: tab, plan: buildPlan(s)}
		oev.known = knownLimitOf(req.KnownAt)
		if err := oev.cohortOverrides(); err != nil {
			return nil, err
		}
		cohorts = oev.cohorts[oev.plan.bindings[ix.index].group]
	}
	asOfNs := nanos(req.AsOf)
	for _, kind := range ix.Def.Kinds {
		seg := tab.Segment(kind)
		if seg == nil {
			continue
		}
		co := cohorts[seg]
		for i := 0; i < seg.N; i++ {
			if i%4096 == 0 {
				if err := ctx.Err(); err != nil {
					return nil, err
				}
			}
			day := seg.LocalDay(i)
			actor := tab.Actors()[seg.Actor[i]]
			if co != nil && seg.Alive(i) {
				if co.day[i] == colstore.DeadDay {
					exclude(seg, i, reasonCohort)
					continue
				}
				day, actor = date.Date(co.day[i]), tab.Actors()[co.actor[i]]
				sc.hasCohort, sc.cohortNs = true, co.ts[i]
			}
			if !seg.Alive(i) {
				// A retracted event is worth naming only where it would count.
				if seg.Retracted(i) && in.Contains(day) && (everyone || member(tab.Actors()[seg.Actor[i]], day)) {
					exclude(seg, i, ReasonRetracted)
				}
				continue
			}
			switch {
			case !in.Contains(day):
				exclude(seg, i, ReasonOutside)
				continue
			case !req.AsOf.IsZero() && seg.TS[i] > asOfNs:
				exclude(seg, i, ReasonAfterAsOf)
				continue
			case !req.KnownAt.IsZero() && seg.Known(i).After(req.KnownAt):
				exclude(seg, i, ReasonNotKnown)
				continue
			case !everyone && !member(actor, day):
				exclude(seg, i, ReasonParticipant)
				continue
			}
			if ais != nil && !rowHas(tab, seg, i, ais, by) {
				exclude(seg, i, reasonBreakdown)
				continue
			}
			sc.seg, sc.i, sc.hasAmount = seg, i, false
			if ix.where != nil {
				t, err := ix.where.Eval(sc)
				if err != nil {
					return nil, err
				}
				if b, ok := t.Bool(); !ok || !b {
					exclude(seg, i, ReasonFilter)
					continue
				}
			}
			c := Contribution{Event: string([]byte(seg.ID(i))), Time: colstore.InZone(seg.TS[i], tab.Location()), Actor: tab.Actors()[seg.Actor[i]]}
			amt, hasAmt := seg.AmountOf(i, tab.Scale)
			if hasAmt {
				c.Amount = amt.String()
				c.Currency = tab.Currencies()[seg.Cur.Get(i)]
			}
			if ix.Aggregate == Count {
				ex.Included = append(ex.Included, c)
				continue
			}
			if ix.Def.Currency != "" && hasAmt && c.Currency != "" && c.Currency != ix.Def.Currency {
				on := seg.LocalDay(i) // the event's own date, a cohort conversion's too
				if ix.Def.Rate == RatePeriodEnd {
					on = p.End - 1
				}
				r, err := cache.rate(ctx, c.Currency, ix.Def.Currency, on)
				if err != nil {
					return nil, err
				}
				if !r.ok {
					exclude(seg, i, ReasonUnpriced)
					continue
				}
				c.Rate = r.text()
				sc.amount, sc.hasAmount = formula.Number(r.convert(amt)), true
			}
			var val formula.Value
			if ix.value == nil || isBareAmount(ix.value) {
				val = sc.Lookup(formula.Ref{Name: "amount"})
			} else {
				var err error
				if val, err = ix.value.Eval(sc); err != nil {
					return nil, err
				}
			}
			if !val.Defined() {
				exclude(seg, i, ReasonNoValue)
				continue
			}
			if n, ok := val.Number(); ok {
				c.Value = n.String()
			} else {
				c.Value = val.String()
			}
			ex.Included = append(ex.Included, c)
		}
	}
	slices.SortFunc(ex.Included, func(a, b Contribution) int { return a.Time.Compare(b.Time) })
	slices.SortStableFunc(ex.Excluded, func(a, b Exclusion) int { return a.Time.Compare(b.Time) })
	return ex, nil
}

// rowHas reports whether row i of seg carries the attribute values by (nil:
// absent) of the attributes ais (-1: none in the table).
func rowHas(tab *colstore.Table, seg *colstore.Segment, i int, ais []int, by []any) bool {
	for j, ai := range ais {
		var v any
		if ai >= 0 && ai < len(seg.Attrs) {
			if c := seg.Attrs[ai].Get(i); c != 0 {
				v = tab.AttrValues(ai)[c]
			}
		}
		if compareAttr(v, by[j]) != 0 {
			return false
		}
	}
	return true
}
