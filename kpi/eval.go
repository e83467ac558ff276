package kpi

import (
	"context"
	"fmt"
	"iter"
	"math"
	"runtime"
	"slices"
	"sync"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

const chunkRows = 1024

// Evaluate computes every indicator of the set for every participant and
// period of the request, reading src once: in place when it is a
// TableSource in the calendar's zone, in the database when it is a Pusher
// that can aggregate every indicator, else by one Scan into a Snapshot.
func (s *Set) Evaluate(ctx context.Context, src Source, req Request) (*Result, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	if err := s.periodsProblem(&req); err != nil {
		return nil, err
	}
	if res, done, err := s.evaluatePartials(ctx, src, req); done {
		return res, err
	}
	if ps, ok := src.(Pusher); ok && !isTableIn(src, req.Calendar.Location()) {
		res, pushed, err := s.evaluatePushed(ctx, ps, req)
		if err != nil || pushed {
			return res, err
		}
	}
	var res *Result
	err := Snapshot(ctx, src, req.Calendar.Location(), s.query(&req), func(tab *Table) error {
		var err error
		res, err = s.evaluate(ctx, tab.t, req)
		return err
	})
	return res, err
}

// query is what the request reads of a source: the set's kinds, in the
// instants of the evaluated periods, lookback included.
func (s *Set) query(req *Request) Query {
	eps := s.evalPeriods(req)
	first := eps[0]
	for _, ix := range s.list {
		if w := ix.window; w != nil {
			if w.all {
				first.Start = date.Date(math.MinInt32)
				break
			}
			for _, p := range eps {
				first.Start = min(first.Start, w.start(req.Calendar, p, first.Start))
			}
		}
	}
	// A window of all reads every earlier event, and so does a cohort: an
	// entity's first cohort event may lie before the report.
	var from time.Time
	if first.Start != date.Date(math.MinInt32) && !s.hasCohorts() {
		from, _ = req.Calendar.Bounds(first)
	}
	_, to := req.Calendar.Bounds(eps[len(eps)-1])
	if s.hasCohorts() {
		to = time.Time{} // a conversion counts in its cohort's period, however late
	}
	return Query{Kinds: s.Kinds(), From: from, To: to}
}

// evalPeriods is the periods the request evaluates, lookback included.
// A running formula accumulates from the report's first period through
// every period after it, so the periods between two reported ones of one
// grain are evaluated too: a report of January and March reads February.
// So are those of a later reported period's grain that start within the
// report before it (a report of a week and a later day reads the days from
// the week's first), which periodsProblem then refuses where they overlap
// another reported period. A period given by its dates alone (no grain)
// has no period before it nor between it and another: prev() of it is
// undefined (the calendar's Shift gives the zero Period, which no events
// fall in, and which stepping on from would never reach a later date).
func (s *Set) evalPeriods(req *Request) []period.Period {
	if s.maxBack == 0 {
		return req.Periods
	}
	running := slices.ContainsFunc(s.formulas, func(ix *Indicator) bool { return ix.running })
	var ps []period.Period
	first := req.Periods[0].Start
	for i, p := range req.Periods {
		if running && i > 0 {
			// From the last reported period of its grain, else from the
			// first period of its grain that starts in the report.
			j := i - 1
			for j >= 0 && req.Periods[j].Grain != p.Grain {
				j--
			}
			var q period.Period
			if j >= 0 {
				q = req.Calendar.Next(req.Periods[j])
			} else if q = req.Calendar.Containing(p.Grain, first); q.Start < first {
				q = req.Calendar.Next(q)
			}
			for ; q != (period.Period{}) && q.Start < p.Start; q = req.Calendar.Next(q) {
				ps = append(ps, q)
			}
		}
		for k := s.maxBack; k > 0; k-- {
			if q := req.Calendar.Shift(p, -k); q != (period.Period{}) {
				ps = append(ps, q)
			}
		}
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b period.Period) int { return int(a.Start - b.Start) })
	return slices.CompactFunc(ps, func(a, b period.Period) bool { return a == b })
}

// periodsProblem reports two periods the request evaluates that overlap:
// each date counts in one evaluated period, so a formula's prev() of a
// reported period, which reads the period of its grain before it, must
// not reach into another reported period of another grain (a week of
// March and April, whose prev() reads March).
func (s *Set) periodsProblem(req *Request) error {
	if s.maxBack == 0 {
		return nil // the reported periods, which do not overlap
	}
	ps := s.evalPeriods(req)
	last := 0 // the period of the latest end so far
	for i := 1; i < len(ps); i++ {
		if ps[i].Start < ps[last].End {
			return fmt.Errorf("periods %s and %s overlap: the formulas read prev(), so the request evaluates the periods before those it reports, and each date counts in one period; ask for the periods of each grain in a request of its own",
				periodText(req.Calendar, ps[last]), periodText(req.Calendar, ps[i]))
		}
		if ps[i].End > ps[last].End {
			last = i
		}
	}
	return nil
}

// evaluation is the state of one EvaluateTable call.
type evaluation struct {
	set     *Set
	req     *Request
	tab     *colstore.Table
	plan    *evalPlan
	periods []period.Period // evaluated, lookback included
	// cellPeriods are the periods of the current layout's cells (their ends
	// date period-end conversions): periods, or a day each for the scan by
	// day of the cumulative groups.
	cellPeriods []period.Period
	// In a scan by day (scanByDay), the cells are actors' dates: cellDays
	// is the date of each, dayParent the evaluated period of each date (by
	// date - base; -1 outside them all), nil for the cumulative groups'
	// scan, whose cells' periods are their days.
	cellDays  []int32
	dayParent []int32
	base      int32   // local date of dayTab[0]
	dayTab    []int32 // period index by local date - base, -1 outside
	asOfNs    int64
	checkTS   bool
	known     knownLimit
	nP        int
	nA        int // actor codes
	preds     []*preparedPred
	marker    map[*colstore.Segment]int // the group that marks presence for a segment
	logic     *logicTables
	// keys, in a breakdown, replaces the actor codes of each segment's rows
	// with virtual participants (see virtual).
	keys map[*colstore.Segment][]uint32
	// only, when set, is the groups a scan aggregates (by index).
	only []bool
	// keep, when set, is the indicators (by index) whose values sparse
	// rows return (see values): the others are needed within a cell only.
	keep []bool
	// markOnly are segments no group reads (a cohort's kinds) whose actors
	// are participants all the same.
	markOnly []*colstore.Segment
	// cumEv, cumW and cumCells are the scan by day of the cumulative groups.
	cumEv    *evaluation
	cumW     *worker
	cumCells *dayCells
	first    *date.Date // the first event's date, once known (firstDay)
	// cohorts, by group, is the date and actor each row of a cohort
	// group's segments counts for (see cohortOverrides).
	cohorts []map[*colstore.Segment]*cohortRows
}

// EvaluateTable evaluates over the events of a table, such as a Snapshot
// that other engines of the same report read too. The caller keeps tab
// unchanged until it returns.
func (s *Set) EvaluateTable(ctx context.Context, tab *Table, req Request) (*Result, error) {
	if err := req.validateFor(tab); err != nil {
		return nil, err
	}
	if err := s.periodsProblem(&req); err != nil {
		return nil, err
	}
	return s.evaluate(ctx, tab.t, req)
}

// evaluate evaluates a validated request over tab, breakdowns included.
func (s *Set) evaluate(ctx context.Context, tab *colstore.Table, req Request) (*Result, error) {
	ev, res, err := s.totals(ctx, tab, req)
	if err != nil {
		return nil, err
	}
	return res, ev.breakdowns(ctx, res)
}

// totals evaluates a validated request over tab without its breakdowns,
// and returns the evaluation for them.
func (s *Set) totals(ctx context.Context, tab *colstore.Table, req Request) (*evaluation, *Result, error) {
	ev := &evaluation{set: s, req: &req, tab: tab, plan: buildPlan(s), logic: newLogicTables()}
	ev.periods = s.evalPeriods(&req)
	ev.layout(ev.periods)
	ev.known = knownLimitOf(req.KnownAt)
	ev.nA = len(tab.Actors())
	ev.prepare()
	if err := ev.cohortOverrides(); err != nil {
		return nil, nil, err
	}
	acc, err := ev.scan(ctx)
	if err != nil {
		return nil, nil, err
	}
	res, err := ev.finish(ctx, acc)
	return ev, res, err
}

// prepare compiles the filters of the plan against the table and marks, for
// each segment, the one group that records its actors' presence.
func (ev *evaluation) prepare() {
	ev.marker = map[*colstore.Segment]int{}
	ev.preds = nil
	for gi, g := range ev.plan.groups {
		ev.preds = append(ev.preds, preparePredicate(g.pred, ev.tab))
		for _, k := range g.kinds {
			if seg := ev.tab.Segment(k); seg != nil {
				if _, ok := ev.marker[seg]; !ok {
					ev.marker[seg] = gi
				}
			}
		}
	}
	ev.markOnly = nil
	for _, k := range ev.set.cohortKinds() {
		if seg := ev.tab.Segment(k); seg != nil && !slices.Contains(ev.markOnly, seg) {
			if _, ok := ev.marker[seg]; !ok {
				ev.markOnly = append(ev.markOnly, seg)
			}
		}
	}
}

// layout maps local dates to the cells of periods: dayTab[d - base] is the
// index of the period holding d, or -1 (outside them all, or after as-of).
// The table covers only the dates a table's rows can have (colstore's
// FirstDay to EndDay), whatever the periods' range: a date outside it
// reads -1 as one outside the table.
func (ev *evaluation) layout(periods []period.Period) {
	req := ev.req
	ev.cellPeriods = periods
	ev.nP = len(periods)
	ev.base = colstore.FirstDay
	last := ev.base
	if len(periods) > 0 { // a scan by day of periods past every row's date has none
		ev.base = max(int32(periods[0].Start), colstore.FirstDay)
		last = max(min(int32(periods[len(periods)-1].End), colstore.EndDay), ev.base)
	}
	ev.dayTab = make([]int32, last-ev.base)
	for i := range ev.dayTab {
		ev.dayTab[i] = -1
	}
	for pi, p := range periods {
		for d := max(int32(p.Start), ev.base); d < min(int32(p.End), last); d++ {
			ev.dayTab[d-ev.base] = int32(pi)
		}
	}
	ev.checkTS = false
	if !req.AsOf.IsZero() {
		asOfDay := req.Calendar.Date(req.AsOf)
		ev.asOfNs = nanos(req.AsOf)
		if int32(asOfDay) < last {
			// Dates after as-of's date hold nothing; its own date is checked per event.
			for d := max(int32(asOfDay)+1, ev.base); d < last; d++ {
				ev.dayTab[d-ev.base] = -1
			}
			ev.checkTS = int32(asOfDay) >= ev.base
		}
	}
}

// scan runs the kernel over the table with the current layout, on every
// worker, and returns the merged accumulators.
func (ev *evaluation) scan(ctx context.Context) (*worker, error) {
	workers := ev.req.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	total := 0
	for seg := range ev.marker {
		total += seg.N
	}
	workers = max(1, min(workers, total/(4*chunkRows)))
	// Each worker has accumulators for every cell: where there are fewer
	// events than cells (a breakdown's), more workers cost more memory
	// than they save time.
	if cells := ev.nA * ev.nP; total < cells {
		workers = 1
	}
	ws := make([]*worker, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range ws {
		ws[w] = ev.newWorker()
		wg.Add(1)
		go func() {
			defer wg.Done()
			errs[w] = ws[w].run(ctx, w, workers)
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return nil, err
		}
	}
	acc := ws[0]
	for _, o := range ws[1:] {
		acc.merge(o)
	}
	return acc, nil
}

// worker holds one goroutine's accumulators and buffers.
type worker struct {
	ev       *evaluation
	counts   [][]int64    // by group: selected events per cell
	slots    [][]*slotAcc // by group, slot
	seen     []bool       // actor codes with an event in range
	unpriced []Unpriced
	rates    map[RatePolicy]*rateCache
	// ctx is the context of the call the worker computes for, which a
	// host's Rates is asked under; nil: none (context.Background).
	ctx      context.Context
	pidx     []int32
	bufs     [][]uint8
	scope    rowScope
	err      error
	cohortTS []int64 // the cohort events' instants of the chunk's segment, in a cohort group
	// everyone, when not nil, holds org.Everyone's cells as those of its
	// actor 0, for the last row of a finish (whose members are every
	// actor): a tracker keeps them (see trackAggs).
	everyone *worker
}

func (ev *evaluation) newWorker() *worker {
	cells := ev.nA * ev.nP
	w := &worker{ev: ev, seen: make([]bool, ev.nA), pidx: make([]int32, chunkRows)}
	for gi, g := range ev.plan.groups {
		n := cells
		if ev.only != nil && !ev.only[gi] {
			n = 0 // not scanned
		}
		w.counts = append(w.counts, make([]int64, n))
		var sa []*slotAcc
		for _, sl := range g.slots {
			trackCur := tracksCurrencies(ev.tab, g, sl)
			sa = append(sa, newSlotAcc(sl, n, trackCur))
		}
		w.slots = append(w.slots, sa)
	}
	w.rates = map[RatePolicy]*rateCache{}
	w.scope.tab = ev.tab
	return w
}

func (w *worker) buf(depth int) []uint8 {
	for len(w.bufs) <= depth {
		w.bufs = append(w.bufs, make([]uint8, chunkRows))
	}
	return w.bufs[depth]
}

// scanned yields the index of each group the scan aggregates (all, or
// those of only) with each segment of its kinds the table holds, in the
// scan's order.
func (ev *evaluation) scanned() iter.Seq2[int, *colstore.Segment] {
	return func(yield func(int, *colstore.Segment) bool) {
		for gi, g := range ev.plan.groups {
			if ev.only != nil && !ev.only[gi] {
				continue
			}
			for _, k := range g.kinds {
				if seg := ev.tab.Segment(k); seg != nil && !yield(gi, seg) {
					return
				}
			}
		}
	}
}

func (w *worker) run(ctx context.Context, wi, nw int) error {
	ev := w.ev
	w.ctx = ctx
	defer func() { w.ctx = nil }()
	for gi, seg := range ev.scanned() {
		lo, hi := seg.N*wi/nw, seg.N*(wi+1)/nw
		mark := ev.marker[seg] == gi
		for c := lo; c < hi; c += chunkRows {
			if err := ctx.Err(); err != nil {
				return err
			}
			w.chunk(gi, seg, c, min(c+chunkRows, hi), mark)
			if w.err != nil {
				return w.err
			}
		}
	}
	if ev.only == nil {
		for _, seg := range ev.markOnly {
			w.markSeen(seg, seg.N*wi/nw, seg.N*(wi+1)/nw)
		}
	}
	return nil
}

// markSeen marks the actors of the rows [lo, hi) of seg that fall in the
// evaluated periods, as-of and known-at: participants.
func (w *worker) markSeen(seg *colstore.Segment, lo, hi int) {
	ev := w.ev
	for i := lo; i < hi; i++ {
		x := seg.Day[i] - ev.base
		if uint32(x) >= uint32(len(ev.dayTab)) || ev.dayTab[x] < 0 || (ev.checkTS && seg.TS[i] > ev.asOfNs) {
			continue
		}
		if ev.known.hides(seg.Known(i)) {
			continue
		}
		a := seg.Actor[i]
		if ev.keys != nil {
			a = ev.keys[seg][i]
		}
		w.seen[a] = true
	}
}

// chunk processes rows [lo, hi) of seg for group gi.
func (w *worker) chunk(gi int, seg *colstore.Segment, lo, hi int, mark bool) {
	ev := w.ev
	n := hi - lo
	pidx := w.pidx[:n]
	days := seg.Day[lo:hi]
	var co *cohortRows
	if ev.cohorts != nil && ev.cohorts[gi] != nil {
		co = ev.cohorts[gi][seg]
		days = co.day[lo:hi]
	}
	tab := ev.dayTab
	base := ev.base
	for i, d := range days {
		x := d - base
		if uint32(x) < uint32(len(tab)) {
			pidx[i] = tab[x]
		} else {
			pidx[i] = -1
		}
	}
	if ev.checkTS || (co != nil && !ev.req.AsOf.IsZero()) {
		ts := seg.TS[lo:hi]
		for i := range pidx {
			if ts[i] > ev.asOfNs {
				pidx[i] = -1
			}
		}
	}
	if ev.known.set {
		for i := range pidx {
			if ev.known.hides(seg.Known(lo + i)) {
				pidx[i] = -1
			}
		}
	}
	actors := seg.Actor[lo:hi]
	if ev.keys != nil {
		actors = ev.keys[seg][lo:hi]
	}
	if co != nil {
		actors = co.actor[lo:hi]
		w.cohortTS = co.ts
	} else {
		w.cohortTS = nil
	}
	nP := int32(ev.nP)
	switch {
	case mark && co != nil:
		w.markSeen(seg, lo, hi) // by the rows' own dates and actors
	case mark:
		for i, p := range pidx {
			if p >= 0 {
				w.seen[actors[i]] = true
			}
		}
	}
	if pp := ev.preds[gi]; pp != nil {
		sel := w.evalPred(pp, seg, lo, hi, 0)
		if w.err != nil {
			w.err = fmt.Errorf("indicator %s, %w", ev.plan.groups[gi].members[0].Def.ID, w.err)
			return
		}
		for i, t := range sel[:n] {
			if t != tvTrue {
				pidx[i] = -1
			}
		}
	}
	counts := w.counts[gi]
	for i, p := range pidx {
		if p >= 0 {
			counts[int32(actors[i])*nP+p]++
		}
	}
	g := ev.plan.groups[gi]
	for si, sl := range g.slots {
		acc := w.slots[gi][si]
		if sl.kind == valAmount {
			w.amounts(acc, seg, lo, pidx, actors)
		} else {
			w.general(g, sl, acc, seg, lo, pidx, actors)
		}
	}
}

// amounts aggregates stored amounts: the fast path.
func (w *worker) amounts(acc *slotAcc, seg *colstore.Segment, lo int, pidx []int32, actors []uint32) {
	if seg.Amount == nil {
		return
	}
	nP := int32(w.ev.nP)
	amt := seg.Amount[lo : lo+len(pidx)]
	scale := w.ev.tab.Scale
	for i, p := range pidx {
		if p < 0 {
			continue
		}
		a := amt[i]
		if a == colstore.NoAmount {
			continue
		}
		cell := int(int32(actors[i])*nP + p)
		if acc.cur != nil {
			acc.cur[cell] = mergeCur(acc.cur[cell], int32(seg.Cur.Get(lo+i)))
		}
		if a == colstore.BigAmount {
			d, _ := seg.AmountOf(lo+i, scale)
			acc.addDec(&valueSlot{sum: acc.lo != nil, minmax: acc.mn != nil}, cell, formula.Number(d))
			continue
		}
		if acc.lo == nil && acc.mn == nil {
			acc.nv[cell]++
			continue
		}
		acc.addInt(cell, a)
	}
}

// general aggregates a value computed per event: a formula, or a converted
// amount.
func (w *worker) general(g *filterGroup, sl *valueSlot, acc *slotAcc, seg *colstore.Segment, lo int, pidx []int32, actors []uint32) {
	ev := w.ev
	nP := int32(ev.nP)
	sc := &w.scope
	sc.seg = seg
	for i, p := range pidx {
		if p < 0 {
			continue
		}
		row := lo + i
		sc.i = row
		sc.hasAmount = false
		if w.cohortTS != nil {
			sc.hasCohort, sc.cohortNs = true, w.cohortTS[row]
		} else {
			sc.hasCohort = false
		}
		if sl.currency != "" {
			v, ok := w.convert(g, sl, seg, row, ev.cellPeriod(actors[i], p))
			if w.err != nil {
				return
			}
			sc.amount, sc.hasAmount = v, true
			if !ok {
				continue
			}
		}
		v, err := sl.eval(sc, seg, row)
		if err != nil {
			w.err = err
			return
		}
		if !v.Defined() {
			continue
		}
		cell := int(int32(actors[i])*nP + p)
		if acc.cur != nil {
			if _, has := seg.AmountOf(row, ev.tab.Scale); has {
				acc.cur[cell] = mergeCur(acc.cur[cell], int32(seg.Cur.Get(row)))
			}
		}
		acc.addDec(sl, cell, v)
	}
}

// cellPeriod returns the evaluated period of the cells of actor a (a scan
// by day's cell) in period p of the layout.
func (ev *evaluation) cellPeriod(a uint32, p int32) period.Period {
	if ev.cellDays != nil {
		d := ev.cellDays[a]
		if ev.dayParent == nil { // a day of a cumulative group's windows
			return period.Period{Grain: period.Day, Start: date.Date(d), End: date.Date(d) + 1}
		}
		return ev.periods[ev.dayParent[d-ev.base]]
	}
	return ev.cellPeriods[p]
}

// convert returns the event's amount in the slot's currency. ok is false when
// the event has an amount but no rate: the event is then unpriced.
func (w *worker) convert(g *filterGroup, sl *valueSlot, seg *colstore.Segment, row int, p period.Period) (formula.Value, bool) {
	ev := w.ev
	amt, ok := seg.AmountOf(row, ev.tab.Scale)
	if !ok {
		return formula.Undefined(), true
	}
	cur := ev.tab.Currencies()[seg.Cur.Get(row)]
	if cur == "" || cur == sl.currency {
		return formula.Number(amt), true
	}
	rc := w.rates[sl.rate]
	if rc == nil {
		rates := ev.req.Rates
		if sl.rate == RateBudget {
			rates = ev.req.BudgetRates
		}
		rc = &rateCache{rates: rates}
		w.rates[sl.rate] = rc
	}
	on := seg.LocalDay(row)
	if sl.rate == RatePeriodEnd {
		on = p.End - 1
	}
	ctx := w.ctx
	if ctx == nil {
		ctx = context.Background()
	}
	r, err := rc.rate(ctx, cur, sl.currency, on)
	if err != nil {
		w.err = err
		return formula.Undefined(), false
	}
	if !r.ok {
		u := Unpriced{Event: seg.ID(row), Currency: cur, Amount: amt.String(),
			Date: date.Date(seg.LocalDay(row)).String(), actor: w.ev.tab.Actors()[seg.Actor[row]]}
		if on != seg.LocalDay(row) {
			u.RateDate = date.Date(on).String()
		}
		for _, ix := range g.members {
			// Only the indicators of this slot's currency and rate policy
			// miss the rate: one of another policy looked for another date's.
			rate := ix.Def.Rate
			if rate == "" {
				rate = RateEventDate
			}
			if ix.Def.Currency == sl.currency && rate == sl.rate && ix.Aggregate != Count {
				u.Indicator = ix.Def.ID
				w.unpriced = append(w.unpriced, u)
			}
		}
		return formula.Undefined(), false
	}
	return formula.Number(r.convert(amt)), true
}

// merge adds o's accumulators into w's.
func (w *worker) merge(o *worker) {
	for gi := range w.counts {
		for c, n := range o.counts[gi] {
			w.counts[gi][c] += n
		}
		for si, a := range w.slots[gi] {
			oa := o.slots[gi][si]
			for c := range a.nv {
				if oa.nv[c] != 0 || (oa.cur != nil && oa.cur[c] != 0) {
					a.mergeCell(c, oa, c)
				}
			}
			for c := range oa.dec {
				if oa.nv[c] == 0 {
					a.mergeCell(c, oa, c)
				}
			}
		}
	}
	for i, s := range o.seen {
		w.seen[i] = w.seen[i] || s
	}
	w.unpriced = append(w.unpriced, o.unpriced...)
}
