package goal

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Close closes the period p of a goal at req.AsOf: it finalises the result
// of every participant at once into an immutable Record, computes the next
// instance of a recurring goal with each participant's target (from the
// goal's next-target rule, when it has one), and returns the period_closed
// notifications the goal's rules ask for. The host stores the records and
// passes them to later evaluations (Request.Records).
//
// Closing is idempotent: the participants that already have a record in
// req.Records keep it unchanged (a closed result stands, whatever arrived
// since), so closing again gives the same Closing. The period must be one of
// the goal's and must have ended by req.AsOf.
func (s *Set) Close(ctx context.Context, tab *kpi.Table, req Request, goalID string, p period.Period) (*Closing, error) {
	g, ok := s.byID[goalID]
	if !ok {
		return nil, fmt.Errorf("goal: unknown goal %s", display.QuoteID(goalID))
	}
	if !g.isInstance(s.cal, p) {
		return nil, fmt.Errorf("goal %s: %s is not one of its periods", goalID, s.cal.Label(p))
	}
	if _, end := s.cal.Bounds(p); req.AsOf.Before(end) {
		return nil, fmt.Errorf("goal %s: %s has not ended (it ends at %s)", goalID, s.cal.Label(p), end.Format("2006-01-02 15:04 MST"))
	}
	req.Series = false
	req.Since = req.AsOf // no notification but those of the closing
	e, err := s.newEvaluator(ctx, tab, &req)
	if err != nil {
		return nil, err
	}
	e.closing = true
	in, err := e.instance(g, p)
	if err != nil {
		return nil, err
	}
	res, err := e.evaluate(ctx, tab, []*inst{in})
	if err != nil {
		return nil, err
	}
	c := &Closing{Goal: goalID, Period: p, Label: s.cal.Label(p), ClosedAt: req.AsOf}
	fresh := false
	for i := range res.Rows {
		r := res.Rows[i]
		if old := e.records[recordKey{goal: goalID, participant: r.Participant, start: p.Start, end: p.End}]; old != nil {
			c.Records = append(c.Records, *old)
			continue
		}
		fresh = true
		rec := Record{Goal: goalID, Participant: r.Participant, Kind: r.Kind, PeriodStart: p.Start, PeriodEnd: p.End,
			ClosedAt: req.AsOf, Target: r.Target, Actual: r.Actual, Achievement: r.Achievement.Uncapped, Status: r.Status}
		if g.next != nil {
			rec.NextTarget = r.nextTarget
		}
		c.Records = append(c.Records, rec)
	}
	if !fresh && len(c.Records) > 0 {
		c.ClosedAt = c.Records[0].ClosedAt
		for _, r := range c.Records {
			if r.ClosedAt.After(c.ClosedAt) {
				c.ClosedAt = r.ClosedAt
			}
		}
	}
	// The period_closed notifications, each at its record's closing.
	for i, r := range res.Rows {
		rec := c.Records[i]
		open := *r
		open.State = stateOf(g.def.State, rec.Status, false)
		closed := *r
		closed.State = stateOf(g.def.State, rec.Status, true)
		closed.Target, closed.Actual, closed.Status = rec.Target, rec.Actual, rec.Status
		closed.Achievement = score.Achieve(g.dir, rec.Actual, rec.Target)
		for _, n := range Notify(g.def.Notify, &open, &closed, rec.ClosedAt) {
			if n.Kind == NotifyPeriodClosed {
				c.Notifications = append(c.Notifications, n)
			}
		}
	}
	// The next instance, with the records in force.
	if np, ok := g.nextInstance(s.cal, p); ok {
		req2 := req
		req2.Records = append(slices.Clone(req.Records), c.Records...)
		req2.AsOf = c.ClosedAt
		e2, err := s.newEvaluator(ctx, tab, &req2)
		if err != nil {
			return nil, err
		}
		in2, err := e2.instance(g, np)
		if err != nil {
			return nil, err
		}
		if in2.dynamic {
			// Without a directory the members of a company goal for each
			// come from events: those measured in the instance that closed
			// and whoever acted in the next one by the closing.
			v := variant{asOf: req2.AsOf, knownAt: req2.KnownAt}
			e2.resolveDynamicOver(in2, tab, p, v)
			e2.resolveDynamicOver(in2, tab, np, v)
		}
		next := &NextInstance{Period: np, Label: s.cal.Label(np)}
		if len(in2.subjects) > 0 {
			res2, err := e2.evaluate(ctx, tab, []*inst{in2})
			if err != nil {
				return nil, err
			}
			for _, r := range res2.Rows {
				next.Targets = append(next.Targets, ParticipantTarget{Participant: r.Participant, Target: r.Target})
			}
		}
		c.Next = next
	}
	return c, nil
}

// record returns the host's record of an instance known at v.
func (e *evaluator) record(g *Goal, sj subject, p period.Period, v variant) *Record {
	r := e.records[recordKey{goal: g.def.ID, participant: sj.id, start: p.Start, end: p.End}]
	if r == nil || r.ClosedAt.After(v.asOf) {
		return nil
	}
	return r
}

// closeAt is when an automatically closing instance closes.
func (e *evaluator) closeAt(g *Goal, p period.Period) time.Time {
	return e.cal.Midnight(p.End + date.Date(g.def.Close.AfterDays))
}

// settled is what an instance reports: its target and actual, frozen or
// restated when it is closed.
type settled struct {
	target, actual decimal.NullDecimal
	items          []ItemProgress
	closed         bool
	closedAt       time.Time
	correction     *Correction
	// frozen: the row keeps the result of its closing record, so what it
	// draws of its period (the daily series) is what was known at closedAt.
	frozen bool
}

// settle returns the target and actual an instance reports at v, following
// its closing: a record of the host (frozen, under the goal's correction
// policy), or the automatic close some days after its end (closed by time;
// the values stand as they are, since without a record nothing was frozen).
func (e *evaluator) settle(g *Goal, sj subject, p period.Period, v variant) settled {
	target := e.targetOf(g, sj, p, v)
	actual, items := e.measure(g, sj, p, v)
	st := settled{target: target, actual: actual, items: items}
	var frozen Outcome
	switch rec := e.record(g, sj, p, v); {
	case rec != nil:
		frozen = Outcome{Target: rec.Target, Actual: rec.Actual, Achievement: rec.Achievement, Status: rec.Status}
		st.closedAt = rec.ClosedAt
	case g.def.Close.Auto && g.def.State != StateDraft:
		// Closed by time; without a record there is no frozen result to
		// hold against later corrections.
		if at := e.closeAt(g, p); !v.asOf.Before(at) {
			st.closed, st.closedAt = true, at
		}
		return st
	default:
		return st
	}
	st.closed = true
	cur := e.outcome(g, target, actual)
	if !frozen.equal(cur) {
		st.correction = &Correction{Goal: g.def.ID, Participant: sj.id, ParticipantKind: sj.kind, Period: e.cal.Label(p), PeriodStart: p.Start, PeriodEnd: p.End,
			Policy: g.policy, ClosedAt: st.closedAt, Before: frozen, After: cur, Applied: g.policy == Restate}
	}
	if g.policy != Restate {
		st.target, st.actual = frozen.Target, frozen.Actual
		st.frozen = true
	}
	return st
}

// seriesVariant returns the variant the daily series of a row settled at v
// reads: for a row that keeps its frozen result, only the event versions
// known when it closed (as kpi.Request.KnownAt counts them), so that the
// series ends at that result rather than counting events entered after the
// close. A version that replaced another after the close counts neither
// way, since a table holds current versions only: a Tracker's SourceAt
// replays the versions known then.
func (st *settled) seriesVariant(v variant) variant {
	if st.frozen {
		v.knownAt = earliest(st.closedAt, v.knownAt)
	}
	return v
}

// outcome is the final result of a target and an actual.
func (e *evaluator) outcome(g *Goal, target, actual decimal.NullDecimal) Outcome {
	a := score.Achieve(g.dir, actual, target)
	st := Failed
	if a.Met {
		st = Achieved
	}
	return Outcome{Target: target, Actual: actual, Achievement: a.Uncapped, Status: st}
}
