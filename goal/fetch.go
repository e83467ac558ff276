package goal

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// variant is what an evaluation counts: events up to asOf, in the versions
// known at knownAt (zero: every version).
type variant struct {
	asOf, knownAt time.Time
}

type fetchKey struct {
	view int
	v    variant
}

// fetcher gathers the indicator values goal progress needs and computes
// them with kpi's evaluation. It works in two passes over the same code: in
// the recording pass value() notes what is needed and returns undefined;
// run() then evaluates every need over one snapshot of the events, each
// set of non-overlapping periods in one kpi request; in the second pass
// value() answers.
type fetcher struct {
	views     []*kpi.Set
	base      kpi.Request
	recording bool
	needs     map[fetchKey]map[period.Period]bool
	results   map[fetchKey]map[period.Period]*kpi.Result
	users     map[string]bool
	groups    map[string]org.Group
}

func newFetcher(views []*kpi.Set, base kpi.Request) *fetcher {
	return &fetcher{views: views, base: base, recording: true,
		needs: map[fetchKey]map[period.Period]bool{}, results: map[fetchKey]map[period.Period]*kpi.Result{},
		users: map[string]bool{}, groups: map[string]org.Group{}}
}

// value returns an indicator's value of a view for a participant (a user,
// an internal group id or org.Everyone) and period.
func (f *fetcher) value(view int, v variant, indicator, participant string, p period.Period) decimal.NullDecimal {
	k := fetchKey{view: view, v: v}
	if f.recording {
		m := f.needs[k]
		if m == nil {
			m = map[period.Period]bool{}
			f.needs[k] = m
		}
		m[p] = true
		return decimal.NullDecimal{}
	}
	res := f.results[k][p]
	if res == nil {
		return decimal.NullDecimal{}
	}
	val, ok := res.Value(indicator, participant, p)
	if ok {
		return val
	}
	// A participant without a row has no event: an empty count or sum is 0.
	if ix, found := f.views[view].Lookup(indicator); found && !ix.IsFormula() {
		switch ix.Aggregate {
		case kpi.Count, kpi.Sum, kpi.Distinct:
			return decimal.NewNullDecimal(decimal.Zero)
		}
	}
	return decimal.NullDecimal{}
}

// needed reports whether the recording pass asked for any value.
func (f *fetcher) needed() bool { return len(f.needs) > 0 }

// layers splits periods into lists of sorted periods that one kpi request
// can evaluate together: no two of them overlap, and neither do the earlier
// periods kpi adds for the prev() of formulas (lookback periods back, each
// shifted as kpi shifts it), unless they are the same period.
func layers(cal *period.Calendar, ps []period.Period, lookback int) [][]period.Period {
	slices.SortFunc(ps, func(a, b period.Period) int {
		return cmp.Or(cmp.Compare(a.Start, b.Start), cmp.Compare(a.End, b.End), cmp.Compare(a.Grain.String(), b.Grain.String()))
	})
	footprint := func(p period.Period) []period.Period {
		fp := []period.Period{p}
		for k := 1; k <= lookback; k++ {
			if q := cal.Shift(p, -k); !q.IsZero() {
				fp = append(fp, q)
			}
		}
		return fp
	}
	type layer struct {
		periods []period.Period
		covers  []period.Period
	}
	var out []*layer
	for _, p := range ps {
		fp := footprint(p)
		var home *layer
		for _, l := range out {
			clash := false
			for _, q := range fp {
				for _, r := range l.covers {
					if q != r && q.Overlaps(r) {
						clash = true
						break
					}
				}
				if clash {
					break
				}
			}
			if !clash {
				home = l
				break
			}
		}
		if home == nil {
			home = &layer{}
			out = append(out, home)
		}
		home.periods = append(home.periods, p)
		home.covers = append(home.covers, fp...)
	}
	res := make([][]period.Period, len(out))
	for i, l := range out {
		res[i] = l.periods // sorted: ps was sorted and kept its order
	}
	return res
}

// run evaluates every need over tab.
func (f *fetcher) run(ctx context.Context, tab *kpi.Table) error {
	f.recording = false
	users := make([]string, 0, len(f.users))
	for u := range f.users {
		users = append(users, u)
	}
	slices.Sort(users)
	gids := make([]string, 0, len(f.groups))
	for id := range f.groups {
		gids = append(gids, id)
	}
	slices.Sort(gids)
	groups := make([]org.Group, len(gids))
	for i, id := range gids {
		groups[i] = f.groups[id]
	}
	keys := make([]fetchKey, 0, len(f.needs))
	for k := range f.needs {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b fetchKey) int {
		return cmp.Or(cmp.Compare(a.view, b.view), a.v.asOf.Compare(b.v.asOf), a.v.knownAt.Compare(b.v.knownAt))
	})
	for _, k := range keys {
		ps := make([]period.Period, 0, len(f.needs[k]))
		for p := range f.needs[k] {
			ps = append(ps, p)
		}
		out := map[period.Period]*kpi.Result{}
		for _, layer := range layers(f.base.Calendar, ps, f.views[k.view].Lookback()) {
			if err := ctx.Err(); err != nil {
				return err
			}
			req := f.base
			req.Periods = layer
			req.AsOf, req.KnownAt = k.v.asOf, k.v.knownAt
			req.Participants = users
			req.Groups = groups
			res, err := f.views[k.view].EvaluateTable(ctx, tab, req)
			if err != nil {
				return err
			}
			for _, p := range layer {
				out[p] = res
			}
		}
		f.results[k] = out
	}
	return nil
}
