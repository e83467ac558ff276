package goal

import (
	"slices"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// dayValue is the value of an additive goal's indicator (a count or a sum
// of events, not over a window) for sj on the day d at v, undefined where
// it has no event (as for a participant without a row). quiet says which
// days have none: a goal of a century reads its earlier periods and draws
// its chart day by day, and asks kpi only for the days with events.
func (e *evaluator) dayValue(g *Goal, sj subject, v variant, d date.Date, quiet func(date.Date) bool) decimal.NullDecimal {
	if quiet != nil && quiet(d) {
		return decimal.NullDecimal{}
	}
	return e.f.value(g.view, v, g.def.Indicator, sj.pid, period.Period{Grain: period.Day, Start: d, End: d + 1})
}

// quietDaysOn is whether quietDays finds the days without events; a test
// switches it off to compare.
var quietDaysOn = true

// quietDays returns, for the days of [from, to) that an additive goal reads
// one by one, whether a day has no live event of the kinds the goal's
// indicator counts (those of its cohort too): its count or sum there is 0,
// and it is not asked for. Over fewer days than the table holds events,
// reading each day costs less than finding the days with events: quietDays is
// nil then, and every day is asked for.
func (e *evaluator) quietDays(g *Goal, from, to date.Date) func(date.Date) bool {
	if !quietDaysOn || e.tab == nil || int64(to)-int64(from) <= int64(e.tab.Len()) {
		return nil
	}
	busy, ok := e.busyDays(g)
	if !ok {
		return nil
	}
	lo, _ := slices.BinarySearch(busy, from)
	hi, _ := slices.BinarySearch(busy, to)
	busy = busy[lo:hi]
	return func(d date.Date) bool {
		_, found := slices.BinarySearch(busy, d)
		return !found
	}
}

// busyDays returns the local dates, sorted, of the live events of the
// kinds the goal's indicator counts; false when they are not known (the
// indicator is not one over events, or the scan was cancelled).
func (e *evaluator) busyDays(g *Goal) ([]date.Date, bool) {
	ix, ok := e.f.views[g.view].Lookup(g.def.Indicator)
	if !ok || ix.IsFormula() {
		return nil, false
	}
	if busy, ok := e.busy[g.def.Indicator]; ok {
		return busy, busy != nil
	}
	kinds := slices.Clone(ix.Def.Kinds)
	if c := ix.Def.Cohort; c != nil {
		kinds = append(kinds, c.Of...)
	}
	var busy []date.Date
	err := e.tab.Scan(e.ctx, kpi.Query{Kinds: kinds}, func(ev *kpi.Event) error {
		busy = append(busy, e.cal.Date(ev.Time))
		return nil
	})
	if err != nil {
		busy = nil // read every day: the evaluation meets the error
	} else {
		slices.Sort(busy)
		busy = slices.Compact(busy)
		if busy == nil {
			busy = []date.Date{}
		}
	}
	if e.busy == nil {
		e.busy = map[string][]date.Date{}
	}
	e.busy[g.def.Indicator] = busy
	return busy, busy != nil
}
