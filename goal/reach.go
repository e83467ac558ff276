package goal

import (
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// A row of a goal instance reads the events of a few spans of dates, not
// of every date before the end of its period: its period, the periods its
// Previous and its target formula's prev() read, and the period a year
// before, each widened by the lookback of the goal's indicators. A version
// noted since the last evaluation of a Memo and dated outside them leaves
// the row as it was (a writer adding this month's events does not make
// the rows of the months after it, nor of those long before, computed
// again). Goals whose rows read further (a next-target rule, a chance, a
// seasonal profile) or whose indicators read outside their periods
// (cumulative and cohort ones) read every date before the end of the
// period.

// dateSpan is a span of local dates, [from, to).
type dateSpan struct{ from, to date.Date }

// dates are the first and the last local date of an actor's changes.
type dates struct{ lo, hi date.Date }

// reach returns the spans of dates whose events the rows of an instance
// read, true; false when they may read any date before the end of its
// period. The answer is kept in the instance.
func (e *evaluator) reach(in *inst) ([2]dateSpan, bool) {
	if in.reach == 0 {
		in.reach = -1
		if s, ok := e.reachOf(in); ok {
			in.spans, in.reach = s, 1
		}
	}
	return in.spans, in.reach > 0
}

// reachOf is reach, computed.
func (e *evaluator) reachOf(in *inst) ([2]dateSpan, bool) {
	g := in.g
	if e.prior == nil || e.prior.always || g.next != nil || g.chance != nil || g.pace == PaceSeasonal || g.forecast == ForecastSeasonal {
		return [2]dateSpan{}, false
	}
	// k: the target formula's furthest prev(), read at the period, at
	// the one before (Previous, when it is an instance of the goal) and
	// at the one a year before.
	k := 0
	if g.target != nil {
		for _, r := range g.target.Refs() {
			if !r.Func {
				k = max(k, r.Back)
			}
		}
	}
	n := e.f.views[g.view].Lookback()
	if len(g.items) > 0 && e.itemsView >= 0 {
		n = max(n, e.f.views[e.itemsView].Lookback())
	}
	cal := e.cal
	// from returns the first date read by the values of q and of the k
	// periods before it.
	from := func(q period.Period, k int) (date.Date, bool) {
		q = back(cal, q, k)
		if q.IsZero() {
			return 0, false
		}
		if n == 0 {
			return q.Start, true
		}
		s := cal.Shift(q, -n)
		if s.IsZero() {
			return 0, false
		}
		return min(s.Start, q.Start), true
	}
	p, ya := in.p, yearAgo(cal, in.p)
	a, ok1 := from(p, k+1)
	b, ok2 := from(ya, k)
	if !ok1 || !ok2 {
		return [2]dateSpan{}, false
	}
	return [2]dateSpan{{a, p.End}, {b, ya.End}}, true
}

// touched reports whether changes of an actor dated d may change the
// rows of an instance.
func (e *evaluator) touched(in *inst, d dates) bool {
	spans, ok := e.reach(in)
	if !ok {
		return d.lo < in.p.End
	}
	for _, s := range spans {
		if d.lo < s.to && d.hi >= s.from {
			return true
		}
	}
	return false
}

// changedIn reports whether a change since the last evaluation of a Memo
// may change a row of an instance, whoever its participant.
func (e *evaluator) changedIn(in *inst) bool {
	pr := e.prior
	spans, ok := e.reach(in)
	if !ok {
		return pr.first < in.p.End
	}
	return pr.dated(spans[0].from, spans[0].to) || pr.dated(spans[1].from, spans[1].to)
}

// clean reports whether none of the events a subject's row of an instance
// reads changed: a user's own, a team's members', anyone's for the
// company, dated where the row reads (reach).
func (e *evaluator) clean(sj subject, in *inst, groups map[string]org.Group) bool {
	pr := e.prior
	changed := func(actor string) bool {
		d, ok := pr.dirty[actor]
		return ok && e.touched(in, d)
	}
	switch {
	case sj.pid == org.Everyone:
		return !e.changedIn(in)
	case sj.kind == Team:
		g := groups[sj.pid]
		for _, m := range g.Members {
			if changed(m) {
				return false
			}
		}
		for _, sp := range g.Spans {
			if changed(sp.Member) {
				return false
			}
		}
		return true
	}
	return !changed(sj.pid)
}
