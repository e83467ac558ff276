package goal

import (
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// The notifications compare each row at AsOf with the row of the same
// participant at Since. For an instance whose period was over by Since the
// two rows are the same, as Notify reads them, when nothing they read
// differs between the two instants: every event of the periods they read
// lies before Since, so with no version known only later (no version of
// the table has a Known instant) both count the same versions; no record
// of the instance closed between the two, nor did it close automatically;
// and the goal reads nothing else that moves (no next-target rule, chance,
// checklist, seasonal profile, elapsed(), cumulative or cohort indicator).
// Those rows at Since are then the rows at AsOf: neither computed nor
// fetched again. Notify finds no transition between a row and itself, as
// it finds none between two equal rows of a period over.

// sinceFromAsOf switches the rows at Since taken from the rows at AsOf
// (sinceAsAsOf); a test switches it off to compare.
var sinceFromAsOf = true

// sinceAsAsOf marks the instances whose rows at Since are their rows at
// AsOf, since being the instant of the notifications.
func (e *evaluator) sinceAsAsOf(tab *kpi.Table, insts []*inst, since time.Time) {
	if !sinceFromAsOf || e.closing || tab.HasKnown() {
		return
	}
	for _, in := range insts {
		in.sinceAsOf = e.overBy(in, since)
	}
}

// overBy reports whether the rows of an instance are the same at since
// and at AsOf (see sinceAsAsOf), the known versions aside.
func (e *evaluator) overBy(in *inst, since time.Time) bool {
	g := in.g
	if g.next != nil || g.chance != nil || len(g.items) > 0 || g.pace == PaceSeasonal || g.forecast == ForecastSeasonal ||
		readsClock(g.target) || !e.f.clockFree(g.view) || windowed(e.f.views[g.view]) {
		return false
	}
	asOf := e.req.AsOf
	if _, end := e.cal.Bounds(in.p); since.Before(end) || asOf.Before(since) {
		return false
	}
	if g.def.Close.Auto && g.def.State != StateDraft {
		if at := e.closeAt(g, in.p); since.Before(at) != asOf.Before(at) {
			return false
		}
	}
	for i := range e.req.Records {
		r := &e.req.Records[i]
		if r.Goal == g.def.ID && r.PeriodStart == in.p.Start && r.PeriodEnd == in.p.End && r.ClosedAt.After(since) && !r.ClosedAt.After(asOf) {
			return false
		}
	}
	return true
}
