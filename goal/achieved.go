package goal

import (
	"context"
	"slices"
	"time"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
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
// the events it may come from.
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
// Every achieved row reads its own events only: one scan of tab gathers
// them into a small table per row, which Explain reads. With KnownAt the
// event versions of tab matter, and each row is explained over tab itself.
func (e *evaluator) achievedAt(ctx context.Context, tab *kpi.Table, insts []*inst, rows []Row, v variant) error {
	var cs []*crossing
	i := 0
	for _, in := range insts {
		for _, sj := range in.measured() {
			r := &rows[i]
			i++
			if r.Status != Achieved || !in.g.achievableEarly() {
				continue
			}
			start, end := e.cal.Bounds(in.p)
			if limit := v.asOf.Add(time.Nanosecond); limit.Before(end) {
				end = limit
			}
			cs = append(cs, &crossing{row: r, g: in.g, sj: sj, start: start, end: end, kinds: e.goalKinds(in.g)})
		}
	}
	if len(cs) == 0 {
		return nil
	}
	if v.knownAt.IsZero() {
		if err := e.gather(ctx, tab, cs); err != nil {
			return err
		}
	}
	for _, c := range cs {
		src := tab
		if v.knownAt.IsZero() {
			src = kpi.NewTable(tab.Location())
			src.Grow(len(c.events))
			for k := range c.events {
				if err := src.Apply(&c.events[k]); err != nil {
					return err
				}
			}
		}
		at, ok, err := e.crossed(ctx, src, c, v)
		if err != nil {
			return err
		}
		if ok {
			c.row.AchievedAt = at
		}
	}
	return nil
}

// gather scans tab once and gives every crossing the events of its kinds
// in its time range whose actor may count for its participant.
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
		switch c.sj.kind {
		case Company:
			everyone = append(everyone, c)
		case Team:
			for _, m := range e.f.groups[c.sj.pid].People() {
				byActor[m] = append(byActor[m], c)
			}
		default:
			byActor[c.sj.id] = append(byActor[c.sj.id], c)
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
// the events of tab; false when the events do not meet it (a closed
// result the events no longer give, say).
func (e *evaluator) crossed(ctx context.Context, tab *kpi.Table, c *crossing, v variant) (time.Time, bool, error) {
	g, p := c.g, c.row.Period
	req := kpi.Request{Calendar: e.cal, Rates: e.req.Rates, BudgetRates: e.req.BudgetRates, AsOf: v.asOf, KnownAt: v.knownAt, Workers: 1}
	if grp, ok := e.f.groups[c.sj.pid]; ok && c.sj.kind == Team {
		req.Groups = []org.Group{grp}
	}
	explain := func(set *kpi.Set, indicator string) ([]kpi.Contribution, error) {
		if v.knownAt.IsZero() && len(c.events) == 0 {
			return nil, nil // no event: nobody to explain
		}
		if c.sj.kind == User {
			req.Participants = []string{c.sj.pid}
		}
		ex, err := set.Explain(ctx, tab, req, indicator, c.sj.pid, p, 1)
		if err != nil {
			return nil, err
		}
		return ex.Included, nil
	}
	if len(g.items) > 0 {
		return e.checklistCrossed(c, explain)
	}
	contribs, err := explain(e.f.views[g.view], g.def.Indicator)
	if err != nil {
		return time.Time{}, false, err
	}
	return accrue(g.aggregate, contribs, c.row.Target, c.start)
}

// accrue accrues contributions (in time order) into an aggregate and
// returns the instant from which it meets target: the time of the event
// after which it met it last (events of one instant counted together), or
// start when it met it before any event; false when it does not meet it
// after the last event.
func accrue(agg kpi.Aggregate, contribs []kpi.Contribution, target decimal.NullDecimal, start time.Time) (time.Time, bool, error) {
	var (
		n        int64
		sum      decimal.Decimal
		min, max decimal.Decimal
		seen     = map[string]bool{}
	)
	value := func() decimal.NullDecimal {
		switch agg {
		case kpi.Count:
			return decimal.NewNullDecimal(decimal.NewFromInt(n))
		case kpi.Sum:
			return decimal.NewNullDecimal(sum)
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
		q, _ := decimalx.Div(sum, decimal.NewFromInt(n))
		return decimal.NewNullDecimal(q)
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
			sum = sum.Add(d)
			if n == 1 || d.LessThan(min) {
				min = d
			}
			if n == 1 || d.GreaterThan(max) {
				max = d
			}
		}
		switch now := met(); {
		case now && !ok:
			since, ok = at, true
		case !now:
			ok = false
		}
	}
	return since, ok, nil
}

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
