package kpi

import (
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/colstore"
)

// rowScope exposes one stored event to formulas.
type rowScope struct {
	tab *colstore.Table
	seg *colstore.Segment
	i   int
	// amount, when set, replaces the stored amount (a converted amount).
	amount    formula.Value
	hasAmount bool
	// cohortNs, when hasCohort, is the instant of the row's cohort event
	// (cohort_time).
	cohortNs  int64
	hasCohort bool
}

func (s *rowScope) Lookup(r formula.Ref) formula.Value {
	if r.Back != 0 || r.Func {
		return formula.Undefined()
	}
	seg, i := s.seg, s.i
	switch r.Name {
	case "kind":
		return formula.String(seg.Kind)
	case "actor":
		return formula.String(s.tab.Actors()[seg.Actor[i]])
	case "id":
		return formula.String(seg.ID(i))
	case "time":
		return formula.Time(time.Unix(0, seg.TS[i]).In(s.tab.Location()))
	case "amount":
		if s.hasAmount {
			return s.amount
		}
		if a, ok := seg.AmountOf(i, s.tab.Scale); ok {
			return formula.Number(a)
		}
		return formula.Undefined()
	case "cohort_time":
		if s.hasCohort {
			return cohortValue(s)
		}
	case "currency":
		if c := seg.Cur.Get(i); c != 0 {
			return formula.String(s.tab.Currencies()[c])
		}
		return formula.Undefined()
	}
	ai, ok := s.tab.Attr(r.Name)
	if !ok || ai >= len(seg.Attrs) {
		return formula.Undefined()
	}
	c := seg.Attrs[ai].Get(i)
	if c == 0 {
		return formula.Undefined()
	}
	return formula.ValueOf(s.tab.AttrValues(ai)[c])
}
