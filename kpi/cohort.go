package kpi

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/problem"
)

// CohortDef makes an indicator a cohort conversion, as dbt MetricFlow's
// conversion metrics: the indicator's events (Kinds, Where: the
// conversions, deal.won) count in the period, and for the participant, of
// an earlier event of the same entity (Of: the cohort's, deal.created),
// within a window of it or at any later time. Each entity converts once:
// by its first conversion event after its first cohort event.
type CohortDef struct {
	// Of lists the kinds of the events that make the cohort.
	Of []string `json:"of"`
	// Entity is the attribute that both events carry and that names what
	// converts (the deal's id).
	Entity string `json:"entity"`
	// Within, when set, counts a conversion only on the cohort event's
	// local date or up to that many days or weeks after it ("30 days",
	// "2 weeks"); empty: at any later time.
	Within string `json:"within,omitempty"`
}

// cohort is a compiled CohortDef.
type cohort struct {
	of     []string
	entity string
	within int // days; 0: any time later
	key    string
}

var withinPattern = regexp.MustCompile(`^([1-9][0-9]{0,4}) ?(days?|weeks?|d)$`)

// compileCohort checks the indicator's Cohort.
func (ix *Indicator) compileCohort(path string, attrs map[string]AttrType, ps *problem.List) {
	c := ix.Def.Cohort
	if c == nil {
		return
	}
	path += ".cohort"
	if ix.Def.Formula != "" {
		ps.Add(path, problem.Conflict, "cohort applies to an aggregate over events: make the formula read cohort indicators (won_in_30d / created)")
		return
	}
	for _, k := range []struct {
		name string
		set  bool
	}{{"to_date", ix.Def.ToDate != ""}, {"window", ix.Def.Window != ""}, {"by", len(ix.Def.By) > 0}} {
		if k.set {
			ps.Add(path, problem.Conflict, "a cohort indicator has no "+k.name)
		}
	}
	co := &cohort{of: c.Of, entity: c.Entity}
	if len(c.Of) == 0 {
		ps.Add(path+".of", problem.Required, "of is required: the kinds of the events that make the cohort (deal.created)")
	}
	for j, k := range c.Of {
		if bad := kindProblem(k); bad != "" {
			ps.Add(fmt.Sprintf("%s.of[%d]", path, j), problem.Invalid, bad)
		}
	}
	switch {
	case c.Entity == "":
		ps.Add(path+".entity", problem.Required, "entity is required: the attribute both events carry that names what converts (the deal's id)")
	case attrs[c.Entity] == 0:
		ps.Add(path+".entity", problem.Unknown, fmt.Sprintf("unknown attribute %q: declare it in the plan's attributes", c.Entity))
	}
	if c.Within != "" {
		m := withinPattern.FindStringSubmatch(c.Within)
		if m == nil {
			ps.Add(path+".within", problem.Invalid, fmt.Sprintf("within %q is not a number of days or weeks (30 days, 2 weeks)", c.Within))
		} else {
			n, _ := strconv.Atoi(m[1])
			if m[2][0] == 'w' {
				n *= 7
			}
			co.within = n
		}
	}
	co.key = fmt.Sprintf("%s|%s|%d", strings.Join(co.of, ","), co.entity, co.within)
	ix.cohort = co
}

// cohortRows is a cohort group's view of one segment of conversions: the
// date and actor each row counts for (its cohort event's), or DeadDay for a
// row that does not count, and the cohort event's instant.
type cohortRows struct {
	day   []int32
	actor []uint32
	ts    []int64
}

// cohortOverrides computes, for each cohort group of the plan, the rows of
// its conversion segments: each entity's first cohort event (the earliest
// live event of the cohort's kinds with the entity's value; ties by id),
// and its first conversion (the earliest live event of the group's kinds
// that passes its filter, at or after the cohort event's instant), which
// counts for the cohort event's date and actor when it falls within the
// window; every other row counts nowhere. Replaying a KnownAt, only the
// rows known then take part.
func (ev *evaluation) cohortOverrides() error {
	tab := ev.tab
	ev.cohorts = nil
	for gi, g := range ev.plan.groups {
		co := g.cohort
		if co == nil {
			continue
		}
		if ev.cohorts == nil {
			ev.cohorts = make([]map[*colstore.Segment]*cohortRows, len(ev.plan.groups))
		}
		// Every row counts nowhere until it is an entity's first conversion.
		rows := map[*colstore.Segment]*cohortRows{}
		for _, k := range g.kinds {
			if seg := tab.Segment(k); seg != nil {
				r := &cohortRows{day: make([]int32, seg.N), actor: make([]uint32, seg.N), ts: make([]int64, seg.N)}
				for i := range r.day {
					r.day[i] = colstore.DeadDay
				}
				rows[seg] = r
			}
		}
		ev.cohorts[gi] = rows
		ai, ok := tab.Attr(co.entity)
		if !ok {
			continue
		}
		type first struct {
			ts    int64
			id    string
			day   int32
			actor uint32
		}
		cohorts := map[uint32]first{} // entity value code → cohort event
		eachEntityRow(tab, co.of, ai, ev.known, func(seg *colstore.Segment, i int, e uint32) error {
			if f, seen := cohorts[e]; !seen || before(seg, i, f.ts, f.id) {
				cohorts[e] = first{seg.TS[i], seg.ID(i), seg.Day[i], seg.Actor[i]}
			}
			return nil
		})
		// The first conversion of each entity.
		type conv struct {
			seg *colstore.Segment
			row int
		}
		firsts := map[uint32]conv{}
		sc := &rowScope{tab: tab}
		err := eachEntityRow(tab, g.kinds, ai, ev.known, func(seg *colstore.Segment, i int, e uint32) error {
			c, ok := cohorts[e]
			if !ok || seg.TS[i] < c.ts {
				return nil
			}
			if g.where != nil {
				sc.seg, sc.i = seg, i
				v, err := g.where.Eval(sc)
				if err != nil {
					return fmt.Errorf("indicator %s, filter of event %s: %w", g.members[0].Def.ID, display.QuoteID(seg.ID(i)), err)
				}
				if b, ok := v.Bool(); !ok || !b {
					return nil
				}
			}
			if f, seen := firsts[e]; !seen || before(seg, i, f.seg.TS[f.row], f.seg.ID(f.row)) {
				firsts[e] = conv{seg, i}
			}
			return nil
		})
		if err != nil {
			return err
		}
		for e, f := range firsts {
			c := cohorts[e]
			if co.within > 0 && f.seg.Day[f.row] > c.day+int32(co.within) {
				continue
			}
			r := rows[f.seg]
			r.day[f.row], r.actor[f.row], r.ts[f.row] = c.day, c.actor, c.ts
		}
	}
	return nil
}

// eachEntityRow calls fn with every live row of the segments of kinds that
// carries a value of attribute ai (its code e), until fn fails. With
// a known limit set (a request's KnownAt), a row not known by then is not there,
// as the scan leaves it out: neither a cohort event nor a conversion.
func eachEntityRow(tab *colstore.Table, kinds []string, ai int, known knownLimit, fn func(seg *colstore.Segment, i int, e uint32) error) error {
	for _, k := range kinds {
		seg := tab.Segment(k)
		if seg == nil || ai >= len(seg.Attrs) {
			continue
		}
		for i := range seg.N {
			if !seg.Alive(i) {
				continue
			}
			if known.hides(seg.Known(i)) {
				continue
			}
			if e := seg.Attrs[ai].Get(i); e != 0 {
				if err := fn(seg, i, e); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// before reports whether row i of seg comes before the event at ts with
// id: by instant, then id.
func before(seg *colstore.Segment, i int, ts int64, id string) bool {
	return seg.TS[i] < ts || (seg.TS[i] == ts && seg.ID(i) < id)
}

// cohortKinds returns the cohort kinds the set reads.
func (s *Set) cohortKinds() []string {
	var ks []string
	for _, ix := range s.list {
		if ix.cohort != nil {
			ks = append(ks, ix.cohort.of...)
		}
	}
	return ks
}

// hasCohorts reports whether the set has a cohort indicator.
func (s *Set) hasCohorts() bool {
	return slices.ContainsFunc(s.list, func(ix *Indicator) bool { return ix.cohort != nil })
}

// cohortValue is the cohort event's instant for value formulas: the name
// cohort_time.
func cohortValue(sc *rowScope) formula.Value {
	if !sc.hasCohort {
		return formula.Undefined()
	}
	return formula.Time(time.Unix(0, sc.cohortNs).In(sc.tab.Location()))
}
