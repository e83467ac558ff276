package goal

import (
	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// windowsByDay is whether the chart of a goal over a window reads each day
// alone (series); a test switches it off to compare.
var windowsByDay = true

// series is the daily cumulative actual of an instance against plan, from
// its first day to the date of v (or its last day).
func (e *evaluator) series(g *Goal, sj subject, p period.Period, v variant, target decimal.NullDecimal, pr *forecast.Profile) []Point {
	cal := e.cal
	last := min(cal.Date(v.asOf), p.End-1)
	// A count or sum adds up day by day, unless each day's value is itself
	// a window (to date, trailing): then the value over the days so far.
	additive := len(g.items) == 0 && (g.aggregate == kpi.Count || g.aggregate == kpi.Sum) && !g.windowed
	var out []Point
	cum := decimal.Zero
	counts := make([]int64, len(g.items))
	var quiet func(date.Date) bool
	if additive {
		quiet = e.quietDays(g, p.Start, last+1)
	}
	for d := p.Start; d <= last; d++ {
		at := cal.Midnight(d + 1)
		if v.asOf.Before(at) {
			at = v.asOf
		}
		var actual decimal.NullDecimal
		switch {
		case additive:
			if x := e.dayValue(g, sj, v, d, quiet); x.Valid {
				cum = cum.Add(x.Decimal)
			}
			actual = decimal.NewNullDecimal(cum)
		case len(g.items) == 0:
			q := period.Period{Grain: period.Days(int(d + 1 - p.Start)), Start: p.Start, End: d + 1}
			if g.windowed && windowsByDay {
				// A window ends with the period it is read for and starts
				// where its end says (kpi: window.start): the day d reads
				// the same events as the days so far. The days do not
				// overlap, and kpi reads them in one request; the days so
				// far each took a request of their own.
				q = period.Period{Grain: period.Day, Start: d, End: d + 1}
			}
			actual = e.f.value(g.view, v, g.def.Indicator, sj.pid, q)
		default:
			done := decimal.Zero
			for i, it := range g.items {
				ok := false
				if it.def.Manual {
					ok = e.marked(g, it, sj, p, at)
				} else if e.itemsView >= 0 {
					x := e.f.value(e.itemsView, v, it.id, sj.pid, period.Period{Grain: period.Day, Start: d, End: d + 1})
					if x.Valid {
						counts[i] += x.Decimal.IntPart()
					}
					ok = counts[i] >= it.count
				}
				if ok {
					done = done.Add(it.weight)
				}
			}
			actual = decimal.NewNullDecimal(done)
		}
		frac, _ := PaceFraction(cal, p, at, g.pace, pr)
		out = append(out, Point{Date: d, Actual: actual, Plan: Expected(g.measure, target, frac)})
	}
	return out
}
