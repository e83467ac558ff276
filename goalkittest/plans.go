package goalkittest

import (
	"fmt"
	"iter"
	"slices"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Directories draws org directories over users: a tree of up to four units
// (each under an earlier one or at the top), every user a member of a unit,
// and some users moving to another unit on a date in [from, to). The user
// "" (events without an actor, as Shape.Actors and CheckOptions.Actors
// may hold) is in no unit.
func Directories(users []string, from, to date.Date) *rapid.Generator[*memory.Directory] {
	return rapid.Custom(func(t *rapid.T) *memory.Directory {
		n := rapid.IntRange(1, 4).Draw(t, "units")
		units := make([]org.Unit, n)
		for i := range units {
			units[i] = org.Unit{ID: fmt.Sprintf("d%d", i+1)}
			if i > 0 && rapid.Bool().Draw(t, "nested") {
				units[i].Parent = units[rapid.IntRange(0, i-1).Draw(t, "parent")].ID
			}
		}
		var ms []org.Membership
		for _, u := range users {
			if u == "" {
				continue
			}
			unit := units[rapid.IntRange(0, n-1).Draw(t, "unit")].ID
			if n > 1 && to > from+1 && rapid.IntRange(0, 2).Draw(t, "moves") == 0 {
				on := from + date.Date(rapid.IntRange(1, int(to-from)-1).Draw(t, "moveOn"))
				next := units[rapid.IntRange(0, n-1).Draw(t, "to")].ID
				if next != unit {
					ms = append(ms, org.Membership{User: u, Unit: unit, To: on}, org.Membership{User: u, Unit: next, From: on})
					continue
				}
			}
			ms = append(ms, org.Membership{User: u, Unit: unit})
		}
		d, err := memory.NewDirectory(units, ms)
		if err != nil {
			t.Fatalf("directory: %v", err)
		}
		return d
	})
}

// planKinds and planAttrs are the event kinds and attributes of Plans.
var (
	planKinds   = []string{"lead.created", "deal.won", "call"}
	planSources = []string{"web", "partner", "cold"}
)

// Plans draws valid plan definitions: a zone of Zones, one to four
// indicators (counts, sums, averages, minimums, maximums, distinct counts,
// filtered by attributes and amounts) and, with two or more, sometimes a
// ratio formula of the first over the second, a report of months, weeks or
// quarters of 2025, and sometimes a scorecard with a bonus. Every definition
// compiles.
func Plans() *rapid.Generator[*goalkit.Definition] {
	return rapid.Custom(func(t *rapid.T) *goalkit.Definition {
		def := &goalkit.Definition{
			Timezone:   rapid.SampledFrom(Zones).Draw(t, "zone"),
			Attributes: map[string]kpi.AttrType{"source": kpi.AttrString, "pipeline": kpi.AttrInt},
		}
		if rapid.Bool().Draw(t, "sunday") {
			def.WeekStart = "sunday"
		}
		n := rapid.IntRange(1, 4).Draw(t, "indicators")
		var additive []string
		for i := range n {
			d := kpi.IndicatorDef{ID: fmt.Sprintf("i%d", i+1), Kinds: []string{rapid.SampledFrom(planKinds).Draw(t, "kind")}}
			switch rapid.IntRange(0, 3).Draw(t, "where") {
			case 0:
				d.Where = fmt.Sprintf("source == %q", rapid.SampledFrom(planSources).Draw(t, "source"))
			case 1:
				d.Where = fmt.Sprintf("amount >= %d", rapid.IntRange(0, 5000).Draw(t, "min"))
			case 2:
				d.Where = fmt.Sprintf("pipeline in [%d, %d]", rapid.IntRange(0, 3).Draw(t, "p1"), rapid.IntRange(0, 3).Draw(t, "p2"))
			}
			d.Aggregate = rapid.SampledFrom([]kpi.Aggregate{kpi.Count, kpi.Count, kpi.Sum, kpi.Avg, kpi.Min, kpi.Max, kpi.Distinct}).Draw(t, "aggregate")
			switch d.Aggregate {
			case "count":
				additive = append(additive, d.ID)
			case "distinct":
				d.Value = rapid.SampledFrom([]string{"actor", "source"}).Draw(t, "distinctOf")
			case "sum":
				d.Value = "amount"
				additive = append(additive, d.ID)
			default:
				d.Value = rapid.SampledFrom([]string{"amount", "pipeline"}).Draw(t, "value")
			}
			def.Indicators = append(def.Indicators, d)
		}
		if n >= 2 && rapid.Bool().Draw(t, "ratio") {
			def.Indicators = append(def.Indicators, kpi.IndicatorDef{ID: "ratio", Formula: "i1 / i2"})
		}
		g := rapid.SampledFrom([]string{"month", "week", "quarter"}).Draw(t, "grain")
		grain, err := period.ParseGrain(g)
		if err != nil {
			t.Fatal(err)
		}
		from := date.New(2025, 1, 1)
		def.Report = goalkit.ReportDef{Grain: grain, From: from, To: from.AddDate(0, rapid.IntRange(1, 3).Draw(t, "months"), 0)}
		if len(additive) > 0 && rapid.Bool().Draw(t, "scorecard") {
			addScorecard(t, def, additive)
		}
		if _, err := goalkit.Compile(def); err != nil {
			t.Fatalf("generated plan does not compile: %v", err)
		}
		return def
	})
}

// addScorecard adds a scorecard of three KPIs on additive indicators whose
// weights sum to 100, and a bonus over it.
func addScorecard(t *rapid.T, def *goalkit.Definition, additive []string) {
	sc := score.ScorecardDef{ID: "card", Grain: def.Report.Grain}
	weights := []int64{50, 30, 20}
	for i, w := range weights {
		target := decimal.New(int64(rapid.IntRange(1, 100).Draw(t, "target")), 0)
		k := score.KPIDef{ID: fmt.Sprintf("k%d", i+1), Indicator: additive[i%len(additive)], Target: &target, Weight: decimal.New(w, 0)}
		if rapid.Bool().Draw(t, "capped") {
			c := decimal.New(150, 0)
			k.Cap = &c
		}
		sc.KPIs = append(sc.KPIs, k)
	}
	def.Scorecards = append(def.Scorecards, sc)
	base := decimal.New(int64(rapid.IntRange(100, 5000).Draw(t, "base")), 0)
	b := score.BonusDef{ID: "bonus", Scorecard: "card", Currency: "EUR", Base: &base}
	if rapid.Bool().Draw(t, "tiers") {
		b.Tiers = []score.TierDef{{From: decimal.New(100, 0), Rate: decimal.New(10, 0)}, {From: decimal.New(120, 0), Rate: decimal.New(25, 0)}}
	}
	def.Bonuses = append(def.Bonuses, b)
}

// groups returns the groups the plan names, in order of appearance.
func (c *checker) groups() []string {
	var out []string
	for _, sc := range c.def.Scorecards {
		for _, g := range sc.MembersOf {
			out = appendNew(out, g)
		}
	}
	for _, b := range c.def.Bonuses {
		if b.Pool != nil {
			for _, g := range b.Pool.Teams {
				out = appendNew(out, g)
			}
		}
	}
	for _, g := range c.def.Goals {
		for _, t := range g.Participants.Teams {
			out = appendNew(out, t)
		}
	}
	for n := range c.cascadeNodes() {
		if n.Unit != "" {
			out = appendNew(out, n.Unit)
		}
	}
	return out
}

// cascadeNodes yields every node of the plan's cascades, parents first.
func (c *checker) cascadeNodes() iter.Seq[*cascade.NodeDef] {
	return func(yield func(*cascade.NodeDef) bool) {
		var walk func(n *cascade.NodeDef) bool
		walk = func(n *cascade.NodeDef) bool {
			if !yield(n) {
				return false
			}
			for i := range n.Children {
				if !walk(&n.Children[i]) {
					return false
				}
			}
			return true
		}
		for i := range c.def.Cascades {
			if !walk(&c.def.Cascades[i].Root) {
				return
			}
		}
	}
}

// defaultDirectory is the directory of CheckOptions.Directory's default:
// flat units, actors spread over them round-robin, the last one moving from
// their unit to the next (from the last to the first) halfway through
// [from, to).
func defaultDirectory(units, actors []string, from, to date.Date) (org.Directory, error) {
	us := make([]org.Unit, len(units))
	for i, u := range units {
		us[i] = org.Unit{ID: u}
	}
	var ms []org.Membership
	for i, a := range actors {
		unit := units[i%len(units)]
		if i == len(actors)-1 && len(units) > 1 && to > from+1 {
			mid := from + (to-from)/2
			ms = append(ms, org.Membership{User: a, Unit: unit, To: mid}, org.Membership{User: a, Unit: units[(i+1)%len(units)], From: mid})
			continue
		}
		ms = append(ms, org.Membership{User: a, Unit: unit})
	}
	d, err := memory.NewDirectory(us, ms)
	if err != nil {
		return nil, err
	}
	return d, nil
}

// users returns the users the plan names: goals' users, scorecards'
// participants that are not groups, and cascade nodes' users.
func (c *checker) users() []string {
	var out []string
	groups := c.groups()
	for _, g := range c.def.Goals {
		for _, u := range g.Participants.Users {
			out = appendNew(out, u)
		}
	}
	for _, sc := range c.def.Scorecards {
		for _, p := range sc.Participants {
			if !slices.Contains(groups, p) {
				out = appendNew(out, p)
			}
		}
	}
	for n := range c.cascadeNodes() {
		if n.User != "" {
			out = appendNew(out, n.User)
		}
	}
	return out
}
