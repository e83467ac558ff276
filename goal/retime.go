package goal

import (
	"context"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/shopspring/decimal"

	"github.com/goalkit/goalkit/kpi"
)

// A row depends on its instant in two ways: through the events up to it
// (its actual, target, previous and year-ago values, the records and
// marks in force) and through the clock (how much of its period has
// passed: the time and days left, the value expected by now, the forecast,
// and the status and state that follow). Between two instants at which
// none of its events, records or marks differ, only the clock moves: the
// last evaluation's row, retimed, is the row (retime). A live dashboard
// reports as of each moment it polls, and so the rows of the current
// period are retimed rather than computed again, but for the participants
// whose events changed.

// quiet reports whether the last evaluation of a Memo (pr) and this one,
// as of another instant, count the same events, records and marks but for
// the versions noted since, whose actors' rows are computed again (they
// are pr's changes, dated): no event the last evaluation held falls
// between the two instants (pr.state.latest bounds their times), nor any
// record's closing or mark. A version noted since and dated between the
// two instants makes only its actor's rows (and those of the teams and
// the company it counts in) unclean, not the whole evaluation.
func (e *evaluator) quiet(pr *prior) bool {
	was, now := pr.state.at.asOf, pr.at.asOf
	lo, hi := earliest(was, now), was
	if now.After(hi) {
		hi = now
	}
	if pr.same() || pr.state.latest.After(lo) {
		return false
	}
	between := func(t time.Time) bool { return t.After(lo) && !t.After(hi) }
	for i := range e.req.Records {
		if between(e.req.Records[i].ClosedAt) {
			return false
		}
	}
	for _, m := range e.req.Marks {
		if between(m.Time) {
			return false
		}
	}
	return true
}

// retimable reports whether the rows of an instance at AsOf may be
// retimed: its goal's rows read nothing but the events and the clock (no
// chance, checklist or seasonal profile, no series, not closing, no
// elapsed()), and an automatic close is on the same side of both instants.
// The answer is kept in the instance.
func (e *evaluator) retimable(in *inst) bool {
	if in.retime == 0 {
		in.retime = -1
		if e.canRetime(in) {
			in.retime = 1
		}
	}
	return in.retime > 0
}

// canRetime is retimable, computed.
func (e *evaluator) canRetime(in *inst) bool {
	g := in.g
	if e.req.Series || e.closing || g.chance != nil || len(g.items) > 0 || g.pace == PaceSeasonal || g.forecast == ForecastSeasonal || g.fromStart() ||
		readsClock(g.target) || readsClock(g.next) || !e.f.clockFree(g.view) {
		return false
	}
	if g.def.Close.Auto && g.def.State != StateDraft {
		at := e.closeAt(g, in.p)
		return e.prior.state.at.asOf.Before(at) == e.prior.at.asOf.Before(at)
	}
	return true
}

// readsClock reports whether a goal's formula (nil: none) calls
// elapsed(), whose value follows the instant.
func readsClock(prog *formula.Program) bool {
	return prog != nil && slices.ContainsFunc(prog.Refs(), func(r formula.Ref) bool { return r.Func && r.Name == "elapsed" })
}

// clockFree reports whether the values of a view follow nothing but the
// events: none of its formulas may call elapsed() (its text names it).
// The answer is kept by view.
func (f *fetcher) clockFree(view int) bool {
	if f.clock == nil {
		f.clock = make([]int8, len(f.views))
	}
	if c := f.clock[view]; c != 0 {
		return c > 0
	}
	f.clock[view] = 1
	for _, ix := range f.views[view].Indicators() {
		if ix.IsFormula() && strings.Contains(ix.Def.Formula, "elapsed") {
			f.clock[view] = -1
		}
	}
	return f.clock[view] > 0
}

// retimed returns the row at AsOf of subject i of an instance (sj) that
// the last evaluation of a Memo computed, and its place there, when only
// the clock moved it since (quiet, retimable, none of its events changed,
// open); nil and -1 otherwise. The row is the last evaluation's: retime a
// copy.
func (e *evaluator) retimed(mr *memoRows, in *inst, i int, sj subject, since bool) (*Row, int) {
	pr := e.prior
	if since || pr == nil || !pr.quiet || mr == nil || mr.at == nil || !e.retimable(in) {
		return nil, -1
	}
	j := e.priorPlace(mr, in, in.at(i), sj)
	if j < 0 {
		return nil, -1
	}
	r := mr.at.rows[j]
	if !r.ClosedAt.IsZero() || r.State == StateClosed || !e.clean(sj, in, e.f.groups) || !slices.Equal(r.Members, sj.members) {
		return nil, -1
	}
	return r, j
}

// retime sets the fields of an open row that follow the clock to those as
// of asOf: what row computes of them, without a chance or a profile. The
// milestones follow it too: those of a cumulative lower-is-better goal are
// judged once its period has ended.
func (e *evaluator) retime(r *Row, g *Goal, asOf time.Time) {
	e.clock(r, g, asOf, nil, decimal.NullDecimal{})
	r.Status = Classify(r.statusInput(g))
	r.State = stateOf(g.def.State, r.Status, false)
	if !g.milestonesNow() { // those judged now follow the values, not the clock
		r.Milestones = g.milestonesOf(r)
	}
}

// latest returns a bound of the times of the events of tab the goals
// read: the last evaluation's with the versions noted since, or else asOf
// or the latest event after it.
func (e *evaluator) latest(ctx context.Context, tab *kpi.Table) (time.Time, error) {
	if e.prior != nil {
		return e.prior.latest, nil
	}
	t := e.req.AsOf
	err := tab.Scan(ctx, kpi.Query{Kinds: e.s.Kinds(), From: t.Add(time.Nanosecond)}, func(ev *kpi.Event) error {
		if ev.Time.After(t) {
			t = ev.Time
		}
		return nil
	})
	return t, err
}
