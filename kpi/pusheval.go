package kpi

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// evaluatePushed evaluates with a source that aggregates in place. It
// reports pushed = false, and the caller scans, when any part of the plan or
// the request is beyond what pushing down can answer exactly: conversions,
// distinct counts, percentiles, formula values, filters without a simple
// shape or with arithmetic (which can go out of range on an event), dated
// group memberships, breakdowns, cumulative and cohort indicators,
// as-known-at replay, or a source that declines a query.
func (s *Set) evaluatePushed(ctx context.Context, src Pusher, req Request) (*Result, bool, error) {
	if !req.KnownAt.IsZero() || len(s.breakdowns) > 0 || s.cumulative() || s.hasCohorts() {
		return nil, false, nil
	}
	for _, g := range req.Groups {
		if len(g.Spans) > 0 {
			return nil, false, nil
		}
	}
	plan := buildPlan(s)
	type slotQuery struct{ group, slot int }
	var queries []PushQuery
	var targets []slotQuery
	ev := &evaluation{set: s, req: &req, plan: plan, logic: newLogicTables()}
	ev.periods = s.evalPeriods(&req)
	bounds, bucketPeriod := pushBounds(req.Calendar.Bounds, ev.periods)
	base := PushQuery{Bounds: bounds, AsOf: req.AsOf, Attributes: s.attrs}
	for gi, g := range plan.groups {
		var where formula.Node
		if g.where != nil {
			if where = g.where.Node(); where == nil || arithmetic(where) {
				return nil, false, nil
			}
		}
		q := base
		q.Kinds, q.Where = g.kinds, where
		queries = append(queries, q)
		targets = append(targets, slotQuery{gi, -1})
		for si, sl := range g.slots {
			if sl.currency != "" || sl.distinct || sl.keep {
				return nil, false, nil
			}
			q := q
			switch {
			case sl.kind == valAmount:
				q.Value = "amount"
			default:
				id, ok := sl.value.Node().(formula.Ident)
				if !ok || !slices.Contains(attrNames(s.attrs), id.Name) {
					return nil, false, nil
				}
				q.Value = id.Name
			}
			queries = append(queries, q)
			targets = append(targets, slotQuery{gi, si})
		}
	}
	// Who has an event of the plan's kinds at all: the participants.
	seenQ := base
	seenQ.Kinds = s.Kinds()
	queries = append(queries, seenQ)
	targets = append(targets, slotQuery{-1, -1})

	results := make([][]PushRow, len(queries))
	for i, q := range queries {
		rows, ok, err := src.Push(ctx, q)
		if err != nil {
			return nil, false, fmt.Errorf("push: %w", err)
		}
		if !ok {
			return nil, false, nil
		}
		results[i] = rows
	}
	// An empty table names the actors, so that finishing works as after a scan.
	tab := colstore.New(req.Calendar.Location())
	for _, rows := range results {
		for _, r := range rows {
			if err := pushedRowProblem(&r, len(bucketPeriod)); err != nil {
				return nil, false, err
			}
			if _, known := tab.ActorCode(r.Actor); !known {
				if err := pushedActorProblem(r.Actor); err != nil {
					return nil, false, err
				}
			}
			tab.AddActor(r.Actor)
		}
	}
	ev.tab = tab
	ev.layout(ev.periods)
	ev.nA = len(tab.Actors())
	w := ev.newWorker()
	curCodes := map[string]int32{}
	for i, rows := range results {
		t := targets[i]
		for _, r := range rows {
			if r.Bucket < 0 || r.Bucket >= len(bucketPeriod) || bucketPeriod[r.Bucket] < 0 {
				continue
			}
			code, _ := tab.ActorCode(r.Actor)
			cell := int(code)*ev.nP + bucketPeriod[r.Bucket]
			switch {
			case t.group < 0:
				if r.Count > 0 {
					w.seen[code] = true
				}
			case t.slot < 0:
				w.counts[t.group][cell] += r.Count
			default:
				sl := plan.groups[t.group].slots[t.slot]
				acc := w.slots[t.group][t.slot]
				if r.N == 0 {
					continue
				}
				d := acc.cell(cell)
				acc.nv[cell] += r.N
				if sl.sum {
					d.sum = d.sum.Add(r.Sum)
				}
				if sl.minmax {
					if d.n == 0 || r.Min.Cmp(d.min) < 0 {
						d.min = r.Min
					}
					if d.n == 0 || r.Max.Cmp(d.max) > 0 {
						d.max = r.Max
					}
				}
				d.n += r.N
				if acc.cur != nil || sl.readsAmount {
					if acc.cur == nil {
						acc.cur = make([]int32, len(acc.nv))
					}
					for _, c := range r.Currencies {
						cc, ok := curCodes[c]
						if !ok {
							cc = int32(len(curCodes) + 1)
							curCodes[c] = cc
						}
						acc.cur[cell] = mergeCur(acc.cur[cell], cc)
					}
				}
			}
		}
	}
	res, err := ev.finish(ctx, w)
	return res, true, err
}

// pushBounds turns sorted periods into contiguous bucket bounds; a gap
// between two periods becomes a bucket of its own, mapped to -1.
func pushBounds(bounds func(period.Period) (time.Time, time.Time), periods []period.Period) ([]time.Time, []int) {
	var out []time.Time
	var which []int
	for i, p := range periods {
		start, end := bounds(p)
		if len(out) > 0 && !out[len(out)-1].Equal(start) {
			out = append(out, start)
			which = append(which, -1)
		}
		if len(out) == 0 {
			out = append(out, start)
		}
		out = append(out, end)
		which = append(which, i)
	}
	return out, which
}

func attrNames(m map[string]AttrType) []string {
	names := make([]string, 0, len(m))
	for n, t := range m {
		if t == AttrInt || t == AttrDecimal {
			names = append(names, n)
		}
	}
	return names
}

// pushedRowProblem checks the numbers of a row a Pusher returned: a bucket
// of the query's n, counts no event could make (negative, more events with
// a value than events), or a value whose exponent no event's amount may
// have. Such a row was dropped (a bucket outside) or counted as it was.
func pushedRowProblem(r *PushRow, n int) error {
	switch {
	case r.Bucket < 0 || r.Bucket >= n:
		return fmt.Errorf("push: actor %s: bucket %d is not one of the query's %d", display.QuoteID(r.Actor), r.Bucket, n)
	case r.Count < 0 || r.N < 0 || r.N > r.Count:
		return fmt.Errorf("push: actor %s, bucket %d: %d events, %d with a value (want 0 ≤ with a value ≤ events)", display.QuoteID(r.Actor), r.Bucket, r.Count, r.N)
	}
	for _, v := range [...]decimal.Decimal{r.Sum, r.Min, r.Max} {
		if x := v.Exponent(); x > colstore.MaxExponent || x < -colstore.MaxExponent {
			return fmt.Errorf("push: actor %s, bucket %d: a value's exponent %d is outside ±%d", display.QuoteID(r.Actor), r.Bucket, x, colstore.MaxExponent)
		}
	}
	return nil
}

// pushedActorProblem checks an actor a Pusher returned as an event's actor
// is checked (Event.Validate): a host's aggregate may hold what no event
// could, "*" (the whole company's row) or an id with a control character.
func pushedActorProblem(actor string) error {
	if actor == org.Everyone {
		return fmt.Errorf("push: actor %q is the whole company's row in reports, not an actor", actor)
	}
	if bad := display.IDProblem(actor); actor != "" && bad != "" {
		return fmt.Errorf("push: actor %s %s", display.QuoteID(actor), bad)
	}
	return nil
}
