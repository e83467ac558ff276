package goal

import (
	"cmp"
	"context"
	"maps"
	"slices"
	"sort"
	"time"

	"github.com/goalkit/goalkit/internal/winspan"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
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
// set of non-overlapping periods in one kpi request, except those the
// caller's values (known) hold exactly; in the second pass value()
// answers.
type fetcher struct {
	views []*kpi.Set
	// clock says, by view, whether its values follow the clock (-1), or
	// only the events (1); 0: not known yet (clockFree).
	clock     []int8
	base      kpi.Request
	recording bool
	needs     map[fetchKey]map[period.Period]bool
	results   map[fetchKey]map[period.Period]answer
	users     map[string]bool
	groups    map[string]org.Group
	// known are the caller's values (Request.Values), nil without.
	known *Values
	// actors are the participants found among the events (a company goal
	// for each member without a directory), which a kpi request reports
	// without being asked.
	actors map[string]bool
	// sameActors says actors are the users of the last evaluation of a
	// Memo (prior.state.users), shared: copied before one is added.
	sameActors bool
	// checked are the participants of known whose actors held every user
	// and actor (reusable); nil when they did not, or were not looked at.
	checked []string
	// teams notes, by need, the groups it asks for.
	teams map[fetchKey]map[string]bool
	// alias maps a group of the goals to the group of known with the same
	// members.
	alias map[string]string
	// prior is what the last evaluation of a Memo left (nil: nothing).
	prior *prior
	// read are, by view, the indicators the recording pass read; lean
	// narrows a view to them for the evaluations of run (nil: whole).
	read     map[int]map[string]bool
	lastRead struct {
		view int
		id   string
	}
	lean *leanSets
}

func newFetcher(views []*kpi.Set, base kpi.Request) *fetcher {
	f := &fetcher{views: views, base: base, recording: true,
		needs: map[fetchKey]map[period.Period]bool{}, results: map[fetchKey]map[period.Period]answer{},
		users: map[string]bool{}, groups: map[string]org.Group{}, actors: map[string]bool{},
		teams: map[fetchKey]map[string]bool{}, alias: map[string]string{}, read: map[int]map[string]bool{}}
	f.lastRead.view = -1
	return f
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
		if view != f.lastRead.view || indicator != f.lastRead.id {
			r := f.read[view]
			if r == nil {
				r = map[string]bool{}
				f.read[view] = r
			}
			r[indicator] = true
			f.lastRead.view, f.lastRead.id = view, indicator
		}
		if _, team := f.groups[participant]; team {
			if f.teams[k] == nil {
				f.teams[k] = map[string]bool{}
			}
			f.teams[k][participant] = true
		}
		return decimal.NullDecimal{}
	}
	a := f.results[k][p]
	res := a.res
	if res == nil {
		return decimal.NullDecimal{}
	}
	if id, ok := a.alias[participant]; ok {
		participant = id
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
// shifted as kpi shifts it), unless they are the same period. A span above
// 0 bounds the dates of a layer's periods, from the first start to the last
// end, where there are several (see windowSpan).
func layers(cal *period.Calendar, ps []period.Period, lookback, span int) [][]period.Period {
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
	// The covers of a layer are sorted by start: only those that start
	// within its longest cover's length before q can overlap q.
	type layer struct {
		periods []period.Period
		covers  []period.Period
		longest date.Date
		end     date.Date // the latest end of its covers
	}
	// wide reports whether q would take the layer's dates past span.
	wide := func(l *layer, q period.Period) bool {
		return span > 0 && len(l.covers) > 0 && int64(max(l.end, q.End))-int64(min(l.covers[0].Start, q.Start)) > int64(span)
	}
	byStart := func(r period.Period, d date.Date) int { return cmp.Compare(r.Start, d) }
	clash := func(l *layer, q period.Period) bool {
		i, _ := slices.BinarySearchFunc(l.covers, q.Start-l.longest, byStart)
		for _, r := range l.covers[i:] {
			if r.Start >= q.End {
				break
			}
			if q != r && q.Overlaps(r) {
				return true
			}
		}
		return false
	}
	var out []*layer
	for _, p := range ps {
		fp := footprint(p)
		var home *layer
		for _, l := range out {
			if !slices.ContainsFunc(fp, func(q period.Period) bool { return clash(l, q) || wide(l, q) }) {
				home = l
				break
			}
		}
		if home == nil {
			home = &layer{}
			out = append(out, home)
		}
		home.periods = append(home.periods, p)
		for _, q := range fp {
			i, _ := slices.BinarySearchFunc(home.covers, q.Start+1, byStart) // after those of its start
			home.covers = slices.Insert(home.covers, i, q)
			home.longest = max(home.longest, q.End-q.Start)
			home.end = max(home.end, q.End)
		}
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
	// The actors found are asked for too: a participant's row, and so a
	// formula's value without events (x + 1), must not depend on which
	// periods one request happens to hold.
	var users []string
	if f.prior != nil {
		// The prior's list, reused by the Memo's next report: the
		// requests of kpi copy it.
		users = slices.Grow(f.prior.users[:0], len(f.users)+len(f.actors))
		defer func() { f.prior.users = users[:0] }()
	} else {
		users = make([]string, 0, len(f.users)+len(f.actors))
	}
	for u := range f.users {
		users = append(users, u)
	}
	for a := range f.actors {
		if !f.users[a] {
			users = append(users, a)
		}
	}
	sorted := false // users, sorted once values are evaluated
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
	reuse := f.reusable()
	kept := f.kept(users)
	for _, k := range keys {
		ids := f.readIDs(k.view)
		out := map[period.Period]answer{}
		ps := make([]period.Period, 0, len(f.needs[k]))
		for p := range f.needs[k] {
			if reuse(k, p) {
				out[p] = answer{res: f.known.Result, alias: f.alias}
				continue
			}
			if a, ok := kept(k, p); ok && a.res != nil && holds(a.res.Set(), ids) {
				out[p] = a
				continue
			}
			ps = append(ps, p)
		}
		set := f.views[k.view]
		if len(ps) > 0 {
			set = f.lean.of(set, ids)
		}
		for _, layer := range layers(f.base.Calendar, ps, set.Lookback(), windowSpan(set)) {
			if err := ctx.Err(); err != nil {
				return err
			}
			req := f.base
			req.Periods = layer
			req.AsOf, req.KnownAt = k.v.asOf, k.v.knownAt
			if !sorted {
				slices.Sort(users)
				sorted = true
			}
			req.Participants = users
			req.Groups = groups
			res, err := set.EvaluateTable(ctx, tab, req)
			if err != nil {
				return err
			}
			for _, p := range layer {
				out[p] = answer{res: res}
			}
		}
		f.results[k] = out
	}
	return nil
}

// reusable returns whether the caller's values hold the need (k, p)
// exactly: the same compiled indicators, the same variant, p among their
// periods, every user the goals ask for with a row of their own, and every
// group of k the same members as a group of theirs.
func (f *fetcher) reusable() func(k fetchKey, p period.Period) bool {
	kv := f.known
	never := func(fetchKey, period.Period) bool { return false }
	if kv == nil || kv.Result == nil || len(kv.Result.Periods()) == 0 {
		return never
	}
	res := kv.Result
	ids := res.Set().IDs()
	if len(ids) == 0 {
		return never
	}
	// Every user and actor with a row of its own: as the last evaluation
	// of a Memo found, when they are its users and the participants are
	// its (a kpi.Result's participants do not change), and otherwise a
	// look-up of the ids, not of a value (which would turn a cell into a
	// decimal).
	parts := res.Participants()
	if pr := f.prior; !f.sameActors || pr == nil || !sameSlice(pr.state.checked, parts) || !within(f.users, f.actors) {
		// The actors' rows come first, sorted by id (Participants): found
		// by a binary search, not put in a map at every report.
		actors := parts[:sort.Search(len(parts), func(i int) bool { return res.IsGroup(parts[i]) })]
		for _, set := range []map[string]bool{f.users, f.actors} {
			for u := range set {
				if _, ok := slices.BinarySearch(actors, u); !ok {
					return never
				}
			}
		}
	}
	f.checked = parts
	for id, g := range f.groups {
		for _, h := range kv.Groups {
			if sameMembers(g, h) && res.IsGroup(h.ID) {
				f.alias[id] = h.ID
				break
			}
		}
	}
	periods := make(map[period.Period]bool, len(res.Periods()))
	for _, p := range res.Periods() {
		periods[p] = true
	}
	return func(k fetchKey, p period.Period) bool {
		if f.views[k.view] != res.Set() || !k.v.asOf.Equal(kv.AsOf) || !k.v.knownAt.Equal(kv.KnownAt) || !periods[p] {
			return false
		}
		for id := range f.teams[k] {
			if _, ok := f.alias[id]; !ok {
				return false
			}
		}
		return true
	}
}

// addActor adds an actor found among the events.
func (f *fetcher) addActor(a string) {
	if f.sameActors {
		f.actors, f.sameActors = maps.Clone(f.actors), false
	}
	f.actors[a] = true
}

// sameSlice reports whether a and b are the same slice (not only equal).
func sameSlice(a, b []string) bool {
	return len(a) == len(b) && len(a) > 0 && &a[0] == &b[0]
}

// within reports whether every key of a is a key of b.
func within(a, b map[string]bool) bool {
	for k := range a {
		if !b[k] {
			return false
		}
	}
	return true
}

// kept returns the answer of the last evaluation of a Memo to the need
// (k, p), when its value is the same now: the request that answered asked
// for every participant of users and the same groups, and no change since
// falls in the dates p's value reads.
func (f *fetcher) kept(users []string) func(k fetchKey, p period.Period) (answer, bool) {
	none := func(fetchKey, period.Period) (answer, bool) { return answer{}, false }
	pr := f.prior
	if pr == nil {
		return none
	}
	for _, u := range users {
		if !pr.state.users[u] {
			return none
		}
	}
	// later: the last evaluation, as of another instant of the same day,
	// counted the same events (quiet), and no value reads outside its
	// periods: its answers at its instant are those at this one's.
	later := pr.quiet && !pr.always && f.base.Calendar.Date(pr.at.asOf) == f.base.Calendar.Date(pr.state.at.asOf)
	return func(k fetchKey, p period.Period) (answer, bool) {
		a, ok := pr.state.answers[k][p]
		if !ok && later && k.v.asOf.Equal(pr.at.asOf) && f.clockFree(k.view) {
			was := k
			was.v.asOf = pr.state.at.asOf
			a, ok = pr.state.answers[was][p]
		}
		if !ok || !pr.unchanged(f.base.Calendar, f.views[k.view], k, p) {
			return answer{}, false
		}
		return a, true
	}
}

// windowSpan returns the most days the periods of one request of set may
// span so that its windows stay within kpi's bound (winspan.MaxDays): 0 (no
// bound) where set has no cumulative indicator; 1, each period alone, where
// a window reaches a century. A window of all reaches
// the first event, which no layering bounds; its periods are kept within
// the bound (kpi refuses, with every report, events of more than a century
// before them). Periods far apart (a goal of seventy years and the one
// before it) then go to requests of their own; in one, their windows
// spanned 140 years and kpi refused the whole evaluation.
func windowSpan(set *kpi.Set) int {
	reach := -1 // the most days a window starts before its period's end
	for _, ix := range set.Indicators() {
		d := ix.Def
		if d.ToDate == "" && d.Window == "" {
			continue
		}
		r, _ := winspan.Reach(d.ToDate, d.Window) // all: 0, the periods' own
		reach = max(reach, r)
	}
	if reach < 0 {
		return 0
	}
	return max(winspan.MaxDays-reach, 1) // 1: each period a request of its own
}
