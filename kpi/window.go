package kpi

import (
	"context"
	"fmt"
	"slices"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/winspan"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/rickb777/date/v2"
)

// window makes an aggregate over events cumulative: its value in a period
// aggregates the events from the window's start to the period's end.
type window struct {
	all    bool         // since the first event, or
	toDate period.Grain // to date within this grain (year to date…), or
	n      int          // the last n units
	unit   string       // "day", "week", "month" (a quarter is 3, a year 12)
}

// toDateGrains are the grains a to_date names.
var toDateGrains = []period.Grain{period.Year, period.Quarter, period.Month, period.Week, period.FiscalYear, period.FiscalQuarter}

// compileWindow checks ToDate and Window: one of them, on an aggregate over
// events, with a rate that a cumulative value can use.
func (ix *Indicator) compileWindow(path string, ps *problem.List) {
	d := ix.Def
	if d.ToDate == "" && d.Window == "" {
		return
	}
	switch {
	case d.ToDate != "" && d.Window != "":
		ps.Add(path+".window", problem.Conflict, "to_date and window exclude each other: to date within a grain, or the last days, weeks, months")
		return
	case d.Formula != "":
		key := "to_date"
		if d.Window != "" {
			key = "window"
		}
		ps.Add(path+"."+key, problem.Conflict, key+" applies to an aggregate over events: make the formula read cumulative indicators (won_ytd / created_ytd)")
		return
	case d.Rate == RatePeriodEnd:
		ps.Add(path+".rate", problem.Conflict, "a cumulative indicator spans several periods: convert at the event's date (event_date) or the budget rate")
	}
	if d.ToDate != "" {
		g, err := period.ParseGrain(d.ToDate)
		// To date within a calendar grain: a day to date is the period's
		// last day, and a custom grain is no calendar's unit.
		if err != nil || !slices.Contains(toDateGrains, g) {
			ps.Add(path+".to_date", problem.Invalid, fmt.Sprintf("to_date %q is not a grain (year, quarter, month, week, fiscal_year, fiscal_quarter)", d.ToDate))
			return
		}
		ix.window = &window{toDate: g}
		return
	}
	if d.Window == "all" {
		ix.window = &window{all: true}
		return
	}
	n, unit, ok := winspan.Length(d.Window)
	if !ok {
		ps.Add(path+".window", problem.Invalid, fmt.Sprintf("window %q is not a length such as 7 days, 2 weeks, 3 months, 1 quarter or 1 year, or all", d.Window))
		return
	}
	w := &window{n: n}
	if days, _ := winspan.Reach("", d.Window); days > winspan.MaxDays {
		ps.Add(path+".window", problem.Invalid, fmt.Sprintf("window %q is longer than a century (%d days, the longest period)", d.Window, winspan.MaxDays))
		return
	}
	switch unit {
	case 'd':
		w.unit = "day"
	case 'w':
		w.unit = "week"
	case 'm':
		w.unit = "month"
	case 'q':
		w.unit, w.n = "month", 3*n
	case 'y':
		w.unit, w.n = "month", 12*n
	}
	ix.window = w
}

// start returns the first date of the window that ends with period p; first
// is the date of the first event (the start of a window of all).
func (w *window) start(cal *period.Calendar, p period.Period, first date.Date) date.Date {
	switch {
	case w.all:
		return min(first, p.Start)
	case !w.toDate.IsZero():
		return cal.Containing(w.toDate, p.End-1).Start
	case w.unit == "day":
		return p.End - date.Date(w.n)
	case w.unit == "week":
		return p.End - date.Date(7*w.n)
	}
	// n months before the end, the day of the month kept where the month
	// has it (the last day where it has not: 31 March - 1 month = 28 Feb).
	y, m, d := p.End.Date()
	month := date.New(y, m, 1).AddDate(0, -w.n, 0)
	return month + date.Date(min(d, month.LastDayOfMonth())-1)
}

// key identifies the window for grouping indicators: those of one filter
// group share it.
func (w *window) key() string {
	if w == nil {
		return ""
	}
	if w.all {
		return "all"
	}
	if !w.toDate.IsZero() {
		return "to_date " + w.toDate.String()
	}
	return fmt.Sprintf("%d %s", w.n, w.unit)
}

// cumulative reports whether the set has a cumulative indicator.
func (s *Set) cumulative() bool {
	return slices.ContainsFunc(s.list, func(ix *Indicator) bool { return ix.window != nil })
}

// windowFrom returns the first date any cumulative group of the plan reads
// for the evaluated periods (the first period's start when there is none).
func (ev *evaluation) windowFrom() date.Date {
	from := ev.periods[0].Start
	for _, g := range ev.plan.groups {
		if g.window == nil {
			continue
		}
		for _, p := range ev.periods {
			from = min(from, g.window.start(ev.req.Calendar, p, ev.firstDay()))
		}
	}
	return from
}

// cumScan scans the cumulative groups once more with a cell per day, from
// the first date their windows read to the last evaluated period's end:
// a window's value merges the cells of its days. It is made once, before
// the values of rows are computed.
func (ev *evaluation) cumScan(ctx context.Context) error {
	if ev.cumW != nil || !slices.ContainsFunc(ev.plan.groups, func(g *filterGroup) bool { return g.window != nil }) {
		return nil
	}
	dev := *ev
	dev.cumW, dev.cumEv = nil, nil
	from, to := ev.windowFrom(), ev.periods[len(ev.periods)-1].End
	if to-from > winspan.MaxDays {
		return fmt.Errorf("the windows of the cumulative indicators span %d days, from %s (at most %d, about a century: the longest period)", to-from, from, winspan.MaxDays)
	}
	dev.only = make([]bool, len(ev.plan.groups))
	for gi, g := range ev.plan.groups {
		dev.only[gi] = g.window != nil
	}
	var cells *dayCells
	var w *worker
	var err error
	if ev.denseDays(int64(to - from)) { // a cell for every actor and date
		var days []period.Period
		for d := from; d < to; d++ {
			days = append(days, period.Period{Grain: period.Day, Start: d, End: d + 1})
		}
		dev.layout(days)
		cells = &dayCells{dense: &dev}
		w, err = dev.scan(ctx)
	} else {
		dev.layout([]period.Period{{Grain: period.Days(int(to - from)), Start: from, End: to}})
		cells, w, err = dev.scanByDay(ctx, ev)
	}
	if err != nil {
		return err
	}
	ev.cumEv, ev.cumW, ev.cumCells = &dev, w, cells
	return nil
}

// windowCells appends to buf the day cells of [from, to) of the members
// static (whole) and dated (on the days of their spans), from the scan by
// day: those of the dates with events, or of every date where it is dense.
func (ev *evaluation) windowCells(buf []cellRef, static []int, dated []datedCode, from, to date.Date) []cellRef {
	cells, w := ev.cumCells, ev.cumW
	if dev := cells.dense; dev != nil {
		for d := from; d < to; d++ {
			x := int32(d) - dev.base
			if x < 0 || int(x) >= len(dev.dayTab) || dev.dayTab[x] < 0 {
				continue
			}
			cell := int(dev.dayTab[x])
			for _, c := range static {
				buf = append(buf, cellRef{w, c*dev.nP + cell})
			}
			for _, dc := range dated {
				if d >= dc.span.From && (dc.span.To == 0 || d < dc.span.To) {
					buf = append(buf, cellRef{w, dc.code*dev.nP + cell})
				}
			}
		}
		return buf
	}
	add := func(code int, from, to date.Date) {
		lo, hi := cells.between(code, from, to)
		for c := lo; c < hi; c++ {
			buf = append(buf, cellRef{w, c})
		}
	}
	for _, c := range static {
		add(c, from, to)
	}
	for _, dc := range dated {
		end := to
		if dc.span.To != 0 {
			end = min(end, dc.span.To)
		}
		if f := max(from, dc.span.From); f < end {
			add(dc.code, f, end)
		}
	}
	return buf
}

// firstDay returns the local date of the table's first live event of the
// set's kinds (the first evaluated period's start when it has none).
func (ev *evaluation) firstDay() date.Date {
	if ev.first != nil {
		return *ev.first
	}
	first := ev.periods[0].Start
	for _, k := range ev.set.Kinds() {
		if seg := ev.tab.Segment(k); seg != nil {
			for _, d := range seg.Day {
				if d != colstore.DeadDay && date.Date(d) < first {
					first = date.Date(d)
				}
			}
		}
	}
	ev.first = &first
	return first
}
