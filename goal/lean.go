package goal

import (
	"slices"
	"strings"
	"sync"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// leanSets are the views narrowed to the indicators an evaluation reads:
// the fetcher evaluates those, not every indicator of the plan, where the
// caller's values (Request.Values) or a Memo do not answer. A view's
// indicators are evaluated each on its own events, so an indicator's value
// in a narrowed view is its value in the whole view; only plain event
// indicators are narrowed (a formula reads others, and a cumulative or
// cohort indicator reads events outside its period: their views stay
// whole). The sets are compiled once and shared by every evaluation of a
// Set.
type leanSets struct {
	attrs map[string]kpi.AttrType
	cal   *period.Calendar
	mu    sync.Mutex
	sets  map[leanKey]*kpi.Set
}

type leanKey struct {
	view *kpi.Set
	ids  string // sorted, joined by NUL
}

// narrowViews is whether fetches evaluate narrowed views; a test switches
// it off to compare.
var narrowViews = true

// maxLeanSets bounds the narrowed views kept: past it, a fetch evaluates
// the whole view.
const maxLeanSets = 64

func newLeanSets(attrs map[string]kpi.AttrType, cal *period.Calendar) *leanSets {
	return &leanSets{attrs: attrs, cal: cal, sets: map[leanKey]*kpi.Set{}}
}

// of returns view narrowed to the indicators ids (sorted), or view itself
// when it cannot be narrowed or would lose nothing.
func (l *leanSets) of(view *kpi.Set, ids []string) *kpi.Set {
	if l == nil || !narrowViews || len(ids) == 0 || len(ids) >= len(view.Indicators()) {
		return view
	}
	defs := make([]kpi.IndicatorDef, 0, len(ids))
	for _, id := range ids {
		ix, ok := view.Lookup(id)
		if !ok || ix.IsFormula() || ix.Def.Cohort != nil || ix.Def.ToDate != "" || ix.Def.Window != "" {
			return view
		}
		defs = append(defs, ix.Def)
	}
	k := leanKey{view: view, ids: strings.Join(ids, "\x00")}
	l.mu.Lock()
	defer l.mu.Unlock()
	if set, ok := l.sets[k]; ok {
		return set
	}
	if len(l.sets) >= maxLeanSets {
		return view
	}
	set, err := kpi.Compile(defs, kpi.Env{Attributes: l.attrs, Calendar: l.cal})
	if err != nil {
		// The indicators compiled in the whole view; were one not to
		// alone, the whole view answers.
		set = view
	}
	l.sets[k] = set
	return set
}

// holds reports whether set has every indicator of ids.
func holds(set *kpi.Set, ids []string) bool {
	for _, id := range ids {
		if _, ok := set.Lookup(id); !ok {
			return false
		}
	}
	return true
}

// readIDs returns the indicators the recording pass read of a view,
// sorted.
func (f *fetcher) readIDs(view int) []string {
	m := f.read[view]
	ids := make([]string, 0, len(m))
	for id := range m {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	return ids
}
