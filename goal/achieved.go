package goal

import (
	"context"
	"slices"
	"time"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// achievableEarly reports whether a goal can be achieved before its end,
// and so has an instant at which its target was met: a cumulative,
// higher-is-better measure of an event indicator (not a formula) or of a
// checklist. Every other goal is judged at its end (Classify).
func (g *Goal) achievableEarly() bool {
	if g.measure != Cumulative || g.dir == score.LowerIsBetter {
		return false
	}
	return len(g.items) > 0 || (!g.formulaIx && g.aggregate != "")
}

// crossing is an achieved row whose instant of achievement is sought, with
// the events it may come from (gathered for a team's or the company's).
type crossing struct {
	row    *Row
	g      *Goal
	sj     subject
	start  time.Time // the instance's first instant
	end    time.Time // its end, or just after the as-of instant
	kinds  []string
	events []kpi.Event
}

// achievedAt sets Row.AchievedAt on every achieved row of a goal that can
// be achieved early: the instant from which its actual, accrued event by
// event in time order (as kpi.Set.Explain lists the events that count),
// meets the target and keeps meeting it up to the row's instant. rows are
// the rows of insts, in the order pass makes them.
//
// The rows of people are explained together, over tab: one explanation of
// everyone's events of a goal's indicator (or checklist item) and period,
// told apart by actor. The rows of teams and of the company read their own
// events only: one scan of tab gathers them into small tables, which each
// row's explanation reads. With KnownAt the event versions of tab matter,
// and those rows are explained over tab too, as are the rows of goals
// whose indicator counts events outside the instance's time (to date, a
// trailing window, a cohort): the gathered tables would miss them.
func (e *evaluator) achievedAt(ctx context.Context, tab *kpi.Table, insts []*inst, rows []*Row, v variant) error {
	var overTab, groups []*crossing
	i := 0
	for _, in := range insts {
		for _, sj := range in.measured() {
			r := rows[i]
			i++
			if r.Status != Achieved || !in.g.achievableEarly() {
				continue
			}
			start, end := e.cal.Bounds(in.p)
			if limit := v.asOf.Add(time.Nanosecond); limit.Before(end) {
				end = limit
			}
			c := &crossing{row: r, g: in.g, sj: sj, start: start, end: end, kinds: e.goalKinds(in.g)}
			if sj.kind == User || e.countsOutside(in.g) {
				overTab = append(overTab, c)
			} else {
				groups = append(groups, c)
			}
		}
	}
	newBatch := func(tab *kpi.Table) *batch {
		return &batch{tab: tab, req: kpi.Request{Calendar: e.cal, Rates: e.req.Rates, BudgetRates: e.req.BudgetRates,
			AsOf: v.asOf, KnownAt: v.knownAt, Workers: 1}, byActor: map[batchKey]map[string][]kpi.Contribution{}}
	}
	if err := e.setCrossed(ctx, newBatch(tab), overTab); err != nil {
		return err
	}
	if len(groups) == 0 || !v.knownAt.IsZero() {
		return e.setCrossed(ctx, newBatch(tab), groups)
	}
	if err := e.gather(ctx, tab, groups); err != nil {
		return err
	}
	// A small table holds every event its crossings may count, so
	// explaining one over it gives what explaining it over tab gives: the
	// other crossings' events fail its participant, kinds or period, or
	// count for it anyway (a company's crossing gathered them all).
	for cs := groups; len(cs) > 0; {
		seen := map[string]bool{}
		small := kpi.NewTable(tab.Location())
		n := 0
		for ; n < len(cs) && (n == 0 || len(seen) < chunkEvents); n++ {
			for k := range cs[n].events {
				if ev := &cs[n].events[k]; !seen[ev.ID] {
					seen[ev.ID] = true
					if err := small.Apply(ev); err != nil {
						return err
					}
				}
			}
		}
		if err := e.setCrossed(ctx, newBatch(small), cs[:n]); err != nil {
			return err
		}
		cs = cs[n:]
	}
	return nil
}

// countsOutside reports whether a goal's indicator counts events outside
// the time of its instance: a cumulative one (to date, a trailing window)
// or a cohort's.
func (e *evaluator) countsOutside(g *Goal) bool {
	ix, ok := e.f.views[g.view].Lookup(g.def.Indicator)
	return ok && (ix.Def.ToDate != "" || ix.Def.Window != "" || ix.Def.Cohort != nil)
}

// setCrossed sets the instant of each crossing from the events of its
// batch.
func (e *evaluator) setCrossed(ctx context.Context, b *batch, cs []*crossing) error {
	for _, c := range cs {
		at, ok, err := e.crossed(ctx, b, c)
		if err != nil {
			return err
		}
		if ok {
			c.row.AchievedAt = at
		}
	}
	return nil
}

// chunkEvents is about how many events a small table of achievedAt holds:
// explaining a team's or the company's row reads its whole table, and
// every table has a fixed cost. (A variable for the tests, which make
// tables of a few events.)
var chunkEvents = 4096

// batch is the crossings explained over one table.
type batch struct {
	tab *kpi.Table
	req kpi.Request
	// byActor holds the contributions of everyone's events to an
	// indicator of a view in a period, by actor.
	byActor map[batchKey]map[string][]kpi.Contribution
}

type batchKey struct {
	set       *kpi.Set
	indicator string
	p         period.Period
}

// contributions returns the events that count for an indicator of set, for
// a crossing's participant in its period, in time order.
func (b *batch) contributions(ctx context.Context, set *kpi.Set, indicator string, c *crossing, groups map[string]org.Group) ([]kpi.Contribution, error) {
	p := c.row.Period
	switch c.sj.kind {
	case User:
		k := batchKey{set, indicator, p}
		m, ok := b.byActor[k]
		if !ok {
			ex, err := set.Explain(ctx, b.tab, b.req, indicator, org.Everyone, p, nil, 1)
			if err != nil {
				return nil, err
			}
			m = map[string][]kpi.Contribution{}
			for _, x := range ex.Included {
				m[x.Actor] = append(m[x.Actor], x)
			}
			b.byActor[k] = m
		}
		return m[c.sj.pid], nil
	case Team:
		req := b.req
		req.Groups = []org.Group{groups[c.sj.pid]}
		ex, err := set.Explain(ctx, b.tab, req, indicator, c.sj.pid, p, nil, 1)
		if err != nil {
			return nil, err
		}
		return ex.Included, nil
	}
	ex, err := set.Explain(ctx, b.tab, b.req, indicator, org.Everyone, p, nil, 1)
	if err != nil {
		return nil, err
	}
	return ex.Included, nil
}

// gather scans tab once and gives every crossing of a team or the company
// the events of its kinds in its time range whose actor may count for it.
func (e *evaluator) gather(ctx context.Context, tab *kpi.Table, cs []*crossing) error {
	byActor := map[string][]*crossing{}
	var everyone []*crossing
	var kinds []string
	from, to := cs[0].start, cs[0].end
	for _, c := range cs {
		kinds = append(kinds, c.kinds...)
		if c.start.Before(from) {
			from = c.start
		}
		if c.end.After(to) {
			to = c.end
		}
		if c.sj.kind == Company {
			everyone = append(everyone, c)
			continue
		}
		for _, m := range e.f.groups[c.sj.pid].People() {
			byActor[m] = append(byActor[m], c)
		}
	}
	slices.Sort(kinds)
	kinds = slices.Compact(kinds)
	return tab.Scan(ctx, kpi.Query{Kinds: kinds, From: from, To: to}, func(ev *kpi.Event) error {
		for _, list := range [][]*crossing{byActor[ev.Actor], everyone} {
			for _, c := range list {
				if ev.Time.Before(c.start) || !ev.Time.Before(c.end) || !slices.Contains(c.kinds, ev.Kind) {
					continue
				}
				c.events = append(c.events, ev.Clone())
			}
		}
		return nil
	})
}

// crossed returns the instant a crossing's target was met for good, from
// the events of its batch; false when the events do not meet it (a closed
// result the events no longer give, say).
func (e *evaluator) crossed(ctx context.Context, b *batch, c *crossing) (time.Time, bool, error) {
	g := c.g
	explain := func(set *kpi.Set, indicator string) ([]kpi.Contribution, error) {
		return b.contributions(ctx, set, indicator, c, e.f.groups)
	}
	if len(g.items) > 0 {
		return e.checklistCrossed(c, explain)
	}
	contribs, err := explain(e.f.views[g.view], g.def.Indicator)
	if err != nil {
		return time.Time{}, false, err
	}
	return accrue(g.aggregate, g.p, contribs, c.row.Target, c.start)
}

// accrue accrues contributions (in time order) into an aggregate and
// returns the instant from which it meets target: the time of the event
// after which it met it last (events of one instant counted together), or
// start when it met it before any event or with events before start (a
// year-to-date count met by the months before); false when it does not
// meet it after the last event. A median's or percentile's actual is the
// running p-th percentile (runningPercentile), as kpi computes it. A mean
// without a decimal's 32-bit exponent (of values near 10^-2147483648, read
// where a host raises decimal.MaxDecodeExponent) is undefined, and meets
// no target, as is a sum or mean of values more than 100,000 places apart
// (addNear).
func accrue(agg kpi.Aggregate, p decimal.Decimal, contribs []kpi.Contribution, target decimal.NullDecimal, start time.Time) (time.Time, bool, error) {
	var (
		n        int64
		sum      decimal.Decimal
		min, max decimal.Decimal
		far      bool // the sum is past what addNear writes: undefined
		seen     = map[string]bool{}
		pct      runningPercentile
		pctile   = agg == kpi.Median || agg == kpi.Percentile
	)
	if pctile {
		pct = newRunningPercentile(p)
	}
	value := func() decimal.NullDecimal {
		if pctile {
			return pct.value()
		}
		switch agg {
		case kpi.Count:
			return decimal.NewNullDecimal(decimal.NewFromInt(n))
		case kpi.Sum:
			return decimal.NullDecimal{Decimal: sum, Valid: !far}
		case kpi.Distinct:
			return decimal.NewNullDecimal(decimal.NewFromInt(int64(len(seen))))
		}
		if n == 0 {
			return decimal.NullDecimal{}
		}
		switch agg {
		case kpi.Min:
			return decimal.NewNullDecimal(min)
		case kpi.Max:
			return decimal.NewNullDecimal(max)
		}
		// n > 0: undefined only when the mean has no decimal's 32-bit
		// exponent (values near ±2^31, which a host that raises
		// decimal.MaxDecodeExponent may pass) or its sum is too long to
		// write (addNear), never 0.
		if far {
			return decimal.NullDecimal{}
		}
		q, ok := decimalx.Div(sum, decimal.NewFromInt(n))
		return decimal.NullDecimal{Decimal: q, Valid: ok}
	}
	met := func() bool { return score.Achieve(score.HigherIsBetter, value(), target).Met }
	since, ok := start, met()
	for i := 0; i < len(contribs); {
		at := contribs[i].Time
		for ; i < len(contribs) && contribs[i].Time.Equal(at); i++ {
			x := contribs[i]
			n++
			if agg == kpi.Count {
				continue
			}
			if agg == kpi.Distinct {
				seen[x.Value] = true
				continue
			}
			d, err := decimal.NewFromString(x.Value)
			if err != nil {
				return time.Time{}, false, err
			}
			if pctile {
				pct.add(d)
				continue
			}
			switch agg {
			case kpi.Min:
				// By orders of magnitude first: LessThan scaled one value
				// to the other's exponent, and 1e-2147483648 beside
				// 1e2147483647 never returned.
				if n == 1 || decimalx.Cmp(d, min) < 0 {
					min = d
				}
			case kpi.Max:
				if n == 1 || decimalx.Cmp(d, max) > 0 {
					max = d
				}
			default:
				sum, far = addNear(sum, d, n == 1, far)
			}
		}
		switch now := met(); {
		case now && !ok:
			since, ok = at, true
			if at.Before(start) {
				since = start
			}
		case !now:
			ok = false
		}
	}
	return since, ok, nil
}

// addNear is sum + d, or d for the first value (not 0 + d: Add scales 0 to
// d's exponent, 10^2147483647 for 1e-2147483647). The sum is exact, as
// many digits as its terms span, up to maxSpan: far reports a sum of
// terms whose exponents are more than maxSpan apart, undefined from then
// on (numbers a host passes; a plan's events' are within ±10000), where
// Add of 1e-2147483648 and 1e2147483647 built a power of ten of four
// billion digits and never returned. A zero adds nothing whatever its
// exponent.
func addNear(sum, d decimal.Decimal, first, far bool) (decimal.Decimal, bool) {
	switch e := int64(sum.Exponent()) - int64(d.Exponent()); {
	case first:
		return d, false
	case far:
		return sum, true
	case e <= maxSpan && e >= -maxSpan:
		return sum.Add(d), false
	case d.IsZero():
		return sum, false
	case sum.IsZero():
		return d, false
	}
	return sum, true
}

// maxSpan is how many places apart two exponents may be for a sum of
// their numbers to be written exactly: as far as score.Remaining
// subtracts (100,000 places), five times what two numbers of a plan file
// (exponents within ±10000) span.
const maxSpan = 100_000

// checklistCrossed returns the instant a checklist's done weight met its
// target: each item is done at its count-th matching event, or at the first
// mark of a manual item in the period.
func (e *evaluator) checklistCrossed(c *crossing, explain func(*kpi.Set, string) ([]kpi.Contribution, error)) (time.Time, bool, error) {
	g := c.g
	type done struct {
		at     time.Time
		weight decimal.Decimal
	}
	var ds []done
	for _, it := range g.items {
		if it.def.Manual {
			var first time.Time
			for _, at := range e.marks[markKey{g.def.ID, it.def.ID, c.sj.id}] {
				if !at.Before(c.start) && at.Before(c.end) && (first.IsZero() || at.Before(first)) {
					first = at
				}
			}
			if !first.IsZero() {
				ds = append(ds, done{first, it.weight})
			}
			continue
		}
		if e.s.items == nil {
			continue
		}
		contribs, err := explain(e.s.items, it.id)
		if err != nil {
			return time.Time{}, false, err
		}
		if k := it.count; k >= 1 && int64(len(contribs)) >= k {
			ds = append(ds, done{contribs[k-1].Time, it.weight})
		} else if k < 1 {
			ds = append(ds, done{c.start, it.weight})
		}
	}
	slices.SortStableFunc(ds, func(a, b done) int { return a.at.Compare(b.at) })
	total := decimal.Zero
	met := func() bool {
		return score.Achieve(score.HigherIsBetter, decimal.NewNullDecimal(total), c.row.Target).Met
	}
	if met() {
		return c.start, true, nil
	}
	for _, d := range ds {
		total = total.Add(d.weight)
		if met() {
			return d.at, true, nil
		}
	}
	return time.Time{}, false, nil
}
