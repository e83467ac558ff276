package kpi

import (
	"fmt"
	"slices"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/display"
)

// The evaluation plan of a Set: indicators that share kinds and filter share
// one filter group, so each event is tested once; indicators of a group that
// aggregate the same value share one value slot.

type valueKind uint8

const (
	valNone    valueKind = iota // count only
	valAmount                   // the stored amount, fast int64 path
	valGeneral                  // a formula per event, or a converted amount
)

type filterGroup struct {
	window  *window // a cumulative group: its cells are windows of days
	cohort  *cohort // a cohort group: its events count for their cohort's
	kinds   []string
	where   *formula.Program
	pred    *predNode
	slots   []*valueSlot
	members []*Indicator
}

// eval evaluates the slot's value for the event at row of seg, read
// through sc: the (converted) amount, or the value formula.
func (sl *valueSlot) eval(sc *rowScope, seg *colstore.Segment, row int) (formula.Value, error) {
	if sl.value == nil {
		return sc.Lookup(formula.Ref{Name: "amount"}), nil
	}
	v, err := sl.value.Eval(sc)
	if err != nil {
		return v, fmt.Errorf("indicator %s, value of event %s: %w", sl.indicator, display.QuoteID(seg.ID(row)), err)
	}
	return v, nil
}

type valueSlot struct {
	indicator string // the first indicator of the slot, for errors
	kind      valueKind
	value     *formula.Program // valGeneral: nil means the (converted) amount itself
	currency  string
	rate      RatePolicy
	minmax    bool
	distinct  bool
	sum       bool
	keep      bool // every value is kept: median and percentiles
	// readsAmount: the value reads unconverted amounts, so amounts in
	// different currencies must not be mixed in one cell.
	readsAmount bool
}

type binding struct {
	group, slot int // slot -1: the count of the group
}

type evalPlan struct {
	groups   []*filterGroup
	bindings []binding // by indicator index; unused for formulas
}

func sameKinds(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

func programSource(p *formula.Program) string {
	if p == nil {
		return ""
	}
	return p.Source()
}

func isBareAmount(p *formula.Program) bool {
	if p == nil {
		return false
	}
	id, ok := p.Node().(formula.Ident)
	return ok && id.Name == "amount"
}

func buildPlan(s *Set) *evalPlan {
	ep := &evalPlan{bindings: make([]binding, len(s.list))}
	for _, ix := range s.list {
		if ix.IsFormula() {
			continue
		}
		var g *filterGroup
		gi := -1
		for i, cand := range ep.groups {
			if sameKinds(cand.kinds, ix.Def.Kinds) && programSource(cand.where) == programSource(ix.where) && cand.window.key() == ix.window.key() && cohortKey(cand.cohort) == cohortKey(ix.cohort) {
				g, gi = cand, i
				break
			}
		}
		if g == nil {
			g = &filterGroup{kinds: ix.Def.Kinds, where: ix.where, pred: compilePredicate(ix.where), window: ix.window, cohort: ix.cohort}
			gi = len(ep.groups)
			ep.groups = append(ep.groups, g)
		}
		g.members = append(g.members, ix)
		if ix.Aggregate == Count {
			ep.bindings[ix.index] = binding{group: gi, slot: -1}
			continue
		}
		want := &valueSlot{indicator: ix.Def.ID, kind: valGeneral, value: ix.value, currency: ix.Def.Currency, rate: ix.Def.Rate}
		if want.rate == "" && want.currency != "" {
			want.rate = RateEventDate
		}
		if want.currency == "" && ix.value != nil && slices.ContainsFunc(ix.value.Refs(), func(r formula.Ref) bool { return r.Name == "amount" }) {
			want.readsAmount = true
		}
		if isBareAmount(ix.value) {
			want.value = nil
			if want.currency == "" && ix.Aggregate != Distinct && !ix.Aggregate.isPercentile() {
				want.kind = valAmount
			}
		}
		si := -1
		for i, sl := range g.slots {
			if sl.kind == want.kind && programSource(sl.value) == programSource(want.value) && sl.currency == want.currency && sl.rate == want.rate {
				si = i
				break
			}
		}
		if si < 0 {
			si = len(g.slots)
			g.slots = append(g.slots, want)
		}
		sl := g.slots[si]
		switch ix.Aggregate {
		case Sum, Avg:
			sl.sum = true
		case Min, Max:
			sl.minmax = true
		case Distinct:
			sl.distinct = true
		case Median, Percentile:
			sl.keep = true
		}
		ep.bindings[ix.index] = binding{group: gi, slot: si}
	}
	return ep
}

func cohortKey(c *cohort) string {
	if c == nil {
		return ""
	}
	return c.key
}
