package cascade_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A target split by capacity among units and by working days over months;
// u3 moves from sales_a to support on 15 March, so their deal of 10 March is
// sales' and that of 20 March support's.
func TestEvaluateByCapacityAndMonths(t *testing.T) {
	e := newEnv(t)
	s := e.compile(t, cascade.Def{ID: "won_q1", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("100"),
		Split: &cascade.SplitDef{By: cascade.Capacity, Into: cascade.IntoUnits, Weights: map[string]decimal.Decimal{"support": dec("0.5")},
			Then: &cascade.SplitDef{By: cascade.WorkingDays, Into: "month"}}}})
	evs := events{
		e.event("1", "deal.won", "u1", "2025-01-10", ""),
		e.event("2", "deal.won", "u3", "2025-03-10", ""),
		e.event("3", "deal.won", "u3", "2025-03-20", ""),
		e.event("4", "deal.won", "u4", "2025-02-20", ""),
	}
	res := mustEvaluate(t, s, evs, sampleOrg)
	var got []string
	res.Trees[0].Root.Walk(func(n *cascade.Node) {
		got = append(got, n.ID+" "+n.Target.Decimal.String()+" "+n.Actual.Decimal.String()+" "+string(n.Origin))
	})
	// 100 by capacity 1 : 0.5 → 67 and 33; the months by 23, 20 and 21
	// working days.
	want := []string{
		"company 2025-Q1 100 4 declared",
		"sales 2025-Q1 67 2 split", "sales 2025-01 24 1 split", "sales 2025-02 21 0 split", "sales 2025-03 22 1 split",
		"support 2025-Q1 33 2 split", "support 2025-01 12 0 split", "support 2025-02 10 1 split", "support 2025-03 11 1 split",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Fatalf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	js, err := json.Marshal(res)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"issues":[]`) || !strings.Contains(string(js), `"contribution":"0.02"`) {
		t.Fatalf("json: %s", js)
	}
}

// A part with no working days gets target 0 and weight 0, reported: the
// weight is left out only where no split or roll-up weighs the node.
func TestZeroWeightReported(t *testing.T) {
	e := newEnv(t)
	s := e.compile(t, cascade.Def{ID: "w", Indicator: "won", Root: cascade.NodeDef{Period: "2025-W01", Target: dp("10"),
		Split: &cascade.SplitDef{By: cascade.WorkingDays, Into: "day"}}})
	res := mustEvaluate(t, s, events{}, nil)
	root := res.Trees[0].Root
	if root.Weight.Valid {
		t.Errorf("the root has a weight: %v", root.Weight)
	}
	var got []string
	for _, ch := range root.Children {
		got = append(got, ch.Period.Start.String()+" "+ch.Target.Decimal.String()+"/"+ch.Weight.Decimal.String()+fmt.Sprint(ch.Weight.Valid))
	}
	want := "[2024-12-30 2/1true 2024-12-31 2/1true 2025-01-01 2/1true 2025-01-02 2/1true 2025-01-03 2/1true 2025-01-04 0/0true 2025-01-05 0/0true]"
	if fmt.Sprint(got) != want {
		t.Fatalf("got  %v\nwant %s", got, want)
	}
	js, err := json.Marshal(root.Children[5])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(js), `"weight":"0"`) {
		t.Errorf("the JSON leaves the weight out: %s", js)
	}
}

// ruCalendar is Moscow's calendar with the built-in Russian working days,
// which cover 2024 to 2026.
func ruCalendar(t *testing.T) *period.Calendar {
	t.Helper()
	ru, err := period.BuiltinWorkCalendar("RU")
	if err != nil {
		t.Fatal(err)
	}
	cal, err := period.LoadCalendar("Europe/Moscow", period.WithWorkdays(ru))
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// TestTimeSplitOutsideTheCalendar: a split by working days needs the
// holidays of every day it splits.
func TestTimeSplitOutsideTheCalendar(t *testing.T) {
	cal := ruCalendar(t)
	q, _ := cal.ParseLabel("2026-Q4")
	if _, _, err := cascade.TimeSplit(cal, q, period.Month, decimal.NewFromInt(90), cascade.WorkingDays, 0); err != nil {
		t.Fatalf("2026-Q4: %v", err)
	}
	y, _ := cal.ParseLabel("2027")
	_, _, err := cascade.TimeSplit(cal, y, period.Month, decimal.NewFromInt(90), cascade.WorkingDays, 0)
	var oe *period.OutsideError
	if err == nil || !errors.As(err, &oe) || err.Error() != "split: the working days of 2027: 2027-01-01 is outside the working-day calendar RU (years 2024-2026): add the year to the calendar, or declare outside: weekends" {
		t.Fatalf("2027: %v", err)
	}
	// A host's period of no grain is named by its dates, as the other
	// errors of a split name it; the label of no grain is empty.
	jan := period.Period{Start: date.New(2027, time.January, 1), End: date.New(2027, time.February, 1)}
	_, _, err = cascade.TimeSplit(cal, jan, period.Day, decimal.NewFromInt(90), cascade.WorkingDays, 0)
	if err == nil || !errors.As(err, &oe) || err.Error() != "split: the working days of [2027-01-01, 2027-02-01): 2027-01-01 is outside the working-day calendar RU (years 2024-2026): add the year to the calendar, or declare outside: weekends" {
		t.Fatalf("a period of no grain: %v", err)
	}
	// By calendar days the calendar's years do not matter.
	if _, _, err := cascade.TimeSplit(cal, y, period.Month, decimal.NewFromInt(90), cascade.CalendarDays, 0); err != nil {
		t.Fatalf("2027 by calendar days: %v", err)
	}
	// Places are a cascade's, 0..9: 2^32+2 wrapped to 2 and split 90 into
	// cents, a negative count said 90 "is not a whole number of minor units".
	places := []int{-1, 10, math.MinInt}
	if strconv.IntSize == 64 {
		places = append(places, int(int64(one)<<32+2))
	}
	for _, places := range places {
		want := fmt.Sprintf("split: places must be 0..9, got %d", places)
		if _, _, err := cascade.TimeSplit(cal, q, period.Month, decimal.NewFromInt(90), cascade.Even, places); err == nil || err.Error() != want {
			t.Errorf("places %d: %v, want %s", places, err, want)
		}
	}
}

// A split that generates its children besides declared ones generates
// only those not declared: a declared unit or month keeps its own target
// and the others share the rest once, by history and by a profile read
// for each month in its place, not by its place among the children.
func TestGeneratedBesideDeclared(t *testing.T) {
	e := newEnv(t)
	q1 := func(sd *cascade.SplitDef, children ...cascade.NodeDef) cascade.Def {
		return cascade.Def{ID: "won", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("90"), Children: children, Split: sd}}
	}
	// In the quarter before: 1 deal in October, 5 in November, 3 in December.
	var hist events
	for i, day := range []string{"2024-10-07", "2024-11-04", "2024-11-05", "2024-11-06", "2024-11-07", "2024-11-08", "2024-12-02", "2024-12-03", "2024-12-04"} {
		hist = append(hist, e.event(fmt.Sprint("h", i), "deal.won", "u1", day, ""))
	}
	for _, tt := range []struct {
		name string
		def  cascade.Def
		want []string
	}{
		{"units", q1(&cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits}, cascade.NodeDef{Unit: "sales", Target: dp("70")}),
			[]string{"sales 2025-Q1 70 declared", "support 2025-Q1 20 split"}},
		// The declared unit takes the split of the generated ones: 70 to
		// sales' members u1, u2 and u3, 20 to support's u3 and u4.
		{"units, then members", q1(&cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits, Then: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoMembers}},
			cascade.NodeDef{Unit: "sales", Target: dp("70")}),
			[]string{"sales 2025-Q1 70 declared", "u1 2025-Q1 24 split", "u2 2025-Q1 23 split", "u3 2025-Q1 23 split",
				"support 2025-Q1 20 split", "u3 2025-Q1 10 split", "u4 2025-Q1 10 split"}},
		// The rest, 60, by January's and March's history, October's 1 and
		// December's 3: 15 and 45.
		{"months by history", q1(&cascade.SplitDef{By: cascade.History, Into: "month"}, cascade.NodeDef{Period: "2025-02", Target: dp("30")}),
			[]string{"company 2025-02 30 declared", "company 2025-01 15 split", "company 2025-03 45 split"}},
		// The rest, 60, by January's 1 and March's 2 of the profile.
		{"months by a profile", q1(&cascade.SplitDef{By: cascade.Seasonal, Into: "month", Profile: []decimal.Decimal{dec("1"), dec("5"), dec("2")}},
			cascade.NodeDef{Period: "2025-02", Target: dp("30")}),
			[]string{"company 2025-02 30 declared", "company 2025-01 20 split", "company 2025-03 40 split"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			res := mustEvaluate(t, e.compile(t, tt.def), hist, sampleOrg)
			var got []string
			res.Trees[0].Root.Walk(func(c *cascade.Node) {
				if c != res.Trees[0].Root {
					got = append(got, c.ID+" "+c.Target.Decimal.String()+" "+string(c.Origin))
				}
			})
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") || len(res.Issues) != 0 {
				t.Fatalf("got:\n%s\nwant:\n%s\nissues %v", strings.Join(got, "\n"), strings.Join(tt.want, "\n"), res.Issues)
			}
		})
	}
}

// A declared child without a unit or user is its parent's participant, so
// it splits as a node of that unit or user: a month of a unit into the
// unit's members, and a month of a user never into units (the company's).
func TestDeclaredChildSplitsAsItsParticipant(t *testing.T) {
	e := newEnv(t)
	month := func(label string, sd *cascade.SplitDef) cascade.NodeDef {
		return cascade.NodeDef{Period: label, Target: dp("10"), Split: sd}
	}
	def := cascade.Def{ID: "c", Indicator: "won", Root: cascade.NodeDef{Unit: "sales", Period: "2025-Q1", Target: dp("30"), Children: []cascade.NodeDef{
		month("2025-01", nil), month("2025-02", nil), month("2025-03", &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoMembers})}}}
	res := mustEvaluate(t, e.compile(t, def), events{}, sampleOrg)
	var got []string
	res.Trees[0].Root.Walk(func(c *cascade.Node) {
		got = append(got, c.ID+" "+c.Target.Decimal.String()+" "+string(c.Origin))
	})
	// March's members of sales: u1, u2 and u3 (in sales_a until the 15th);
	// 10 in whole deals by the largest remainder.
	want := []string{"sales 2025-Q1 30 declared", "sales 2025-01 10 declared", "sales 2025-02 10 declared", "sales 2025-03 10 declared",
		"u1 2025-03 4 split", "u2 2025-03 3 split", "u3 2025-03 3 split"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") || len(res.Issues) != 0 {
		t.Fatalf("got:\n%s\nwant:\n%s\nissues %v", strings.Join(got, "\n"), strings.Join(want, "\n"), res.Issues)
	}

	def.Root = cascade.NodeDef{User: "u1", Period: "2025-Q1", Target: dp("30"), Children: []cascade.NodeDef{
		month("2025-03", &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits})}}
	_, err := cascade.Compile([]cascade.Def{def}, cascade.Env{Calendar: e.cal, Indicators: e.inds})
	if want := "cascades[0].root.children[0].split.into: a user has no units below"; err == nil || err.Error() != want {
		t.Fatalf("a user's month into units: %v, want %s", err, want)
	}

	// So do generated children: members are users, the company's months
	// the company's.
	def.Root = cascade.NodeDef{Unit: "sales", Period: "2025-Q1", Target: dp("30"),
		Split: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoMembers, Then: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits}}}
	months := cascade.Def{ID: "m", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("30"),
		Split: &cascade.SplitDef{By: cascade.Even, Into: "month", Then: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoMembers}}}}
	_, err = cascade.Compile([]cascade.Def{def, months}, cascade.Env{Calendar: e.cal, Indicators: e.inds})
	if want := "cascades[0].root.split.then.into: a user has no units below\ncascades[1].root.split.then.into: into members needs a node with a unit"; err == nil || err.Error() != want {
		t.Fatalf("generated children: %v, want %s", err, want)
	}
}

// A part that a split clips to its parent is labelled with its range
// (2025-W05 [2025-01-27, 2025-02-01)); a declared interval is the whole
// period its label names, wherever it starts, so it keeps that label, and
// split.weights find it by it.
func TestIntervalLabels(t *testing.T) {
	e := newEnv(t)
	s := e.compile(t, cascade.Def{ID: "won", Indicator: "won", Root: cascade.NodeDef{Period: "2025-01", Target: dp("30"),
		Split: &cascade.SplitDef{By: cascade.Weights, Weights: map[string]decimal.Decimal{"2025-01-14/P10D": dec("2"), "2025-01-03/P7D": dec("1")}},
		Children: []cascade.NodeDef{
			{Period: "2025-01-14/P10D"}, // not on the anchor's 10-day grid
			{Period: "2025-01-03/P7D"},  // not on a week start either
			{Period: "2025-01-27/P5D", Target: dp("0"), Split: &cascade.SplitDef{By: cascade.Even, Into: "week"}},
		}}})
	res := mustEvaluate(t, s, events{}, nil)
	var got []string
	res.Trees[0].Root.Walk(func(n *cascade.Node) { got = append(got, n.Label+" = "+n.Target.Decimal.String()) })
	want := []string{"2025-01 = 30", "2025-01-14/P10D = 20", "2025-01-03/P7D = 10", "2025-01-27/P5D = 0", "2025-W05 [2025-01-27, 2025-02-01) = 0"}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	for _, is := range res.Issues {
		t.Errorf("issue %s", is)
	}
}

// Unit and user ids are the host's, any text: a unit whose id holds a "/"
// (emea/b), a person in one unit whose ids joined with a "/" read as
// another's (b/u1 in emea against u1 in emea/b), and a user whose id begins
// as the cascade names its groups (unit:north, who sold nothing) each count
// their own events. A member of emea/b counted nothing, and the user
// unit:north counted the unit north's.
func TestIdsWithSeparators(t *testing.T) {
	e := newEnv(t)
	dir := enginetest.Directory(
		[]org.Unit{{ID: "emea"}, {ID: "emea/b", Parent: "emea"}, {ID: "north"}},
		[]org.Membership{
			{User: "b/u1", Unit: "emea"},
			{User: "u1", Unit: "emea/b"},
			{User: "u2", Unit: "north"},
			{User: "unit:north", Unit: "emea"},
		},
	)
	s := e.compile(t, cascade.Def{ID: "won_q1", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("100"),
		Children: []cascade.NodeDef{
			{Unit: "emea", Children: []cascade.NodeDef{{User: "b/u1"}, {User: "unit:north"}}},
			{Unit: "emea/b", Children: []cascade.NodeDef{{User: "u1"}}},
			{Unit: "north"},
			{User: "unit:north", ID: "plain"},
		}}})
	evs := events{
		e.event("1", "deal.won", "b/u1", "2025-01-10", ""),
		e.event("2", "deal.won", "u1", "2025-01-11", ""),
		e.event("3", "deal.won", "u1", "2025-01-12", ""),
		e.event("4", "deal.won", "u2", "2025-02-10", ""),
		e.event("5", "deal.won", "u2", "2025-02-11", ""),
		e.event("6", "deal.won", "u2", "2025-02-12", ""),
	}
	res := mustEvaluate(t, s, evs, dir)
	// Counted by hand: emea holds b/u1, unit:north and, below it, u1.
	want := map[string]string{
		"company 2025-Q1": "6", "emea 2025-Q1": "3", "b/u1 2025-Q1": "1", "unit:north 2025-Q1": "0",
		"emea/b 2025-Q1": "2", "u1 2025-Q1": "2", "north 2025-Q1": "3", "plain": "0",
	}
	res.Trees[0].Root.Walk(func(n *cascade.Node) {
		if got := n.Actual.Decimal.String(); !n.Actual.Valid || got != want[n.ID] {
			t.Errorf("%s: actual %v, want %s", n.ID, n.Actual, want[n.ID])
		}
	})
}

// A compiled set is the host's definitions as they were: changing or
// reusing them afterwards, or the Def a cascade returns, changes nothing it
// evaluates. It read its nodes from the host's slice as it built the trees,
// so a target Compile would refuse (negative) and a changed participant or
// weight came through.
func TestSetKeepsItsDefinitions(t *testing.T) {
	e := newEnv(t)
	defs := []cascade.Def{{ID: "won_q1", Indicator: "won", Places: new(int), Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("100"),
		Split: &cascade.SplitDef{By: cascade.Weights, Weights: map[string]decimal.Decimal{"u1": dec("1"), "u2": dec("3")}},
		Children: []cascade.NodeDef{{User: "u1", Target: dp("20")}, {User: "u2"}, {User: "u3", Weight: dp("4"),
			Split: &cascade.SplitDef{By: cascade.Seasonal, Into: "month", Profile: []decimal.Decimal{dec("1"), dec("1"), dec("2")},
				Then: &cascade.SplitDef{By: cascade.Even, Into: "day"}}}}}}}
	s := e.compile(t, defs...)
	evs := events{e.event("1", "deal.won", "u1", "2025-01-10", ""), e.event("2", "deal.won", "u3", "2025-03-10", "")}
	report := func() string {
		t.Helper()
		res := mustEvaluate(t, s, evs, nil)
		js, err := json.Marshal(res)
		if err != nil {
			t.Fatal(err)
		}
		return string(js)
	}
	before := report()
	// Counted by hand: 80 left after u1's 20, by weights 3 : 4 (u2's 3,
	// u3's declared 4) gives u2 34.29 → 34 and u3 45.71 → 46; u3's 46 by
	// the profile 1 : 1 : 2 is 11.5, 11.5, 23 → 12, 11, 23.
	for _, want := range []string{`"id":"u2 2025-Q1"`, `"target":"34"`, `"id":"u3 2025-Q1"`, `"target":"46"`, `"target":"12"`, `"target":"23"`} {
		if !strings.Contains(before, want) {
			t.Fatalf("the report has no %s: %s", want, before)
		}
	}
	d := &defs[0]
	*d.Places = 2
	*d.Root.Target = dec("-7")
	*d.Root.Children[0].Target = dec("90")
	d.Root.Children[0].User = "u9"
	d.Root.Split.Weights["u2"] = dec("-5")
	d.Root.Split.By = cascade.Even
	*d.Root.Children[2].Weight = dec("0")
	d.Root.Children[2].Split.Profile[0] = dec("100")
	d.Root.Children[2].Split.Then.Into = "week"
	d.Root.Children = append(d.Root.Children[:1], cascade.NodeDef{User: "u7"})
	got := s.Cascades()[0].Def()
	*got.Root.Target = dec("1")
	got.Root.Children[1].User = "u8"
	got.Root.Split.Weights["u1"] = dec("9")
	if after := report(); after != before {
		t.Errorf("the report changed with the host's definitions:\nbefore %s\nafter  %s", before, after)
	}
}

// A request that names a cascade the set does not have fails, naming it; it
// gave a result without that tree and said nothing, as if a misspelt id
// were a cascade with no nodes.
func TestRequestOfAnUnknownCascade(t *testing.T) {
	e := newEnv(t)
	s := e.compile(t, cascade.Def{ID: "revenue_2025", Indicator: "won", Root: cascade.NodeDef{Period: "2025", Target: dp("10")}},
		cascade.Def{ID: "calls_2025", Indicator: "calls", Root: cascade.NodeDef{Period: "2025", Target: dp("10")}})
	tab := enginetest.Table(e.cal.Location(), events{})
	_, err := s.Evaluate(context.Background(), tab, cascade.Request{Cascades: []string{"calls_2025", "revenu_2025"}})
	if want := `cascade: unknown cascade "revenu_2025" in the request (did you mean "revenue_2025"?)`; err == nil || err.Error() != want {
		t.Errorf("error %v, want %s", err, want)
	}
	res, err := s.Evaluate(context.Background(), tab, cascade.Request{Cascades: []string{"calls_2025"}})
	if err != nil || len(res.Trees) != 1 || res.Trees[0].Cascade != "calls_2025" {
		t.Errorf("one cascade: %v, %v", res, err)
	}
}

// A weight whose key no child has is reported where the split is declared,
// with the key it likely meant: by capacity a misspelt key left its unit at
// the default 1 and said nothing. A then split serves many nodes: its key
// is used when any of them has the child.
func TestUnusedWeightKey(t *testing.T) {
	e := newEnv(t)
	s := e.compile(t, cascade.Def{ID: "won_q1", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("90"),
		Split: &cascade.SplitDef{By: cascade.Capacity, Into: cascade.IntoUnits, Weights: map[string]decimal.Decimal{"suport": dec("0.5"), "sales": dec("2")},
			Then: &cascade.SplitDef{By: cascade.Capacity, Into: cascade.IntoMembers, Weights: map[string]decimal.Decimal{"u1": dec("2"), "u4": dec("1"), "u99": dec("1")}}}}})
	res := mustEvaluate(t, s, events{}, sampleOrg)
	var got []string
	for _, is := range res.Issues {
		got = append(got, string(is.Code)+" "+is.String())
	}
	want := []string{
		`split_failed cascades[0].root.split.weights.suport: no child is suport: its weight is not used (did you mean "support"?)`,
		`split_failed cascades[0].root/sales.split.weights.u99: no child is u99: its weight is not used`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("issues:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	// sales 2 : support 1 (the default, for the misspelt 0.5) of 90.
	if sales := find(t, res.Trees[0].Root, "sales 2025-Q1"); sales.Target.Decimal.String() != "60" {
		t.Errorf("sales' target %s, want 60", sales.Target.Decimal)
	}
}

// one is 1 as a variable, so that a shift of it past 32 bits compiles
// where an int has 32 bits.
var one = 1

// DayWeights takes a nil calendar, a host's, as the default working week:
// Saturday and Sunday off, no holidays (March 2025 counted by hand: it
// starts on a Saturday, so ten of its 31 days fall on a weekend); it
// panicked. TimeSplit without a calendar fails.
func TestDayWeightsWithoutCalendar(t *testing.T) {
	march := period.Period{Grain: period.Month, Start: date.New(2025, 3, 1), End: date.New(2025, 4, 1)}
	week := period.Period{Grain: period.Week, Start: date.New(2025, 3, 3), End: date.New(2025, 3, 10)}
	parts := []period.Period{march, week}
	for _, c := range []struct {
		working bool
		want    []int64
	}{{false, []int64{31, 7}}, {true, []int64{21, 5}}} {
		got := cascade.DayWeights(nil, parts, c.working)
		if len(got) != len(c.want) {
			t.Fatalf("working %v: %v", c.working, got)
		}
		for i := range got {
			if !got[i].Equal(decimal.NewFromInt(c.want[i])) {
				t.Errorf("working %v: weights %v, want %v", c.working, got, c.want)
			}
		}
	}
	if _, _, err := cascade.TimeSplit(nil, march, period.Week, decimal.NewFromInt(90), cascade.WorkingDays, 0); err == nil || err.Error() != "split: no calendar" {
		t.Errorf("TimeSplit without a calendar: %v", err)
	}
}

// A split's weights, history and profile are read by one rule each
// (weights and capacity, history, seasonal); given to another they were
// ignored without a word, so a host who set by: even beside weights got
// an even split. Compile refuses them, naming the place.
func TestSplitFieldsItsRuleDoesNotRead(t *testing.T) {
	e := newEnv(t)
	w := map[string]decimal.Decimal{"sales": dec("2")}
	profile := []decimal.Decimal{dec("1"), dec("2"), dec("3")}
	for _, c := range []struct {
		split cascade.SplitDef
		want  string
	}{
		{cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits, Weights: w},
			"cascades[0].root.split.weights: weights apply to by: weights or capacity; by: even does not read them"},
		{cascade.SplitDef{By: cascade.History, Into: cascade.IntoUnits, Weights: w},
			"cascades[0].root.split.weights: weights apply to by: weights or capacity; by: history does not read them"},
		{cascade.SplitDef{By: cascade.CalendarDays, Into: "month", History: "2024-Q1"},
			"cascades[0].root.split.history: history applies to by: history; by: calendar_days does not read it"},
		{cascade.SplitDef{By: cascade.Capacity, Into: cascade.IntoUnits, Profile: profile},
			"cascades[0].root.split.profile: a profile applies to by: seasonal; by: capacity does not read it"},
		{cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits, Then: &cascade.SplitDef{By: cascade.WorkingDays, Into: "month", Weights: w}},
			"cascades[0].root.split.then.weights: weights apply to by: weights or capacity; by: working_days does not read them"},
	} {
		sd := c.split
		_, err := cascade.Compile([]cascade.Def{{ID: "won_q1", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("90"), Split: &sd}}},
			cascade.Env{Calendar: e.cal, Indicators: e.inds})
		if err == nil || err.Error() != c.want {
			t.Errorf("by %s: %v, want %s", sd.By, err, c.want)
		}
	}
	// Each with its own rule compiles.
	for _, sd := range []cascade.SplitDef{
		{By: cascade.Weights, Into: cascade.IntoUnits, Weights: w},
		{By: cascade.Capacity, Into: cascade.IntoUnits, Weights: w},
		{By: cascade.History, Into: "month", History: "2024-Q1"},
		{By: cascade.Seasonal, Into: "month", Profile: profile},
	} {
		e.compile(t, cascade.Def{ID: "won_q1", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("90"), Split: &sd}})
	}
}

// A host's Env without a calendar or indicators: Compile refuses cascades
// without a calendar, naming it, and Evaluate a set compiled without
// indicators (a plan whose indicators failed fails with them); both
// compiled, and Evaluate panicked.
func TestCompileWithoutCalendarOrIndicators(t *testing.T) {
	e := newEnv(t)
	def := cascade.Def{ID: "won_q1", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("90"),
		Split: &cascade.SplitDef{By: cascade.Even, Into: "month"}}}
	for _, env := range []cascade.Env{{Indicators: e.inds}, {}} {
		_, err := cascade.Compile([]cascade.Def{def}, env)
		if err == nil || !strings.Contains(err.Error(), "cascades: cascades need a calendar (Env.Calendar)") {
			t.Errorf("without a calendar: %v", err)
		}
	}
	if _, err := cascade.Compile(nil, cascade.Env{}); err != nil {
		t.Errorf("no cascades, no calendar: %v", err)
	}
	s, err := cascade.Compile([]cascade.Def{def}, cascade.Env{Calendar: e.cal})
	if err != nil {
		t.Fatal(err)
	}
	if ks := s.Kinds(); ks != nil {
		t.Errorf("kinds %v", ks)
	}
	if _, err := evaluate(s, events{}, sampleOrg); err == nil || err.Error() != "cascade: the set was compiled without indicators (Env.Indicators)" {
		t.Errorf("without indicators: %v", err)
	}
}

// A node that lists the same participant over the same period twice among
// its children (on the same indicator) does not compile, naming the
// second: the parent's target was split to both, so sales got two targets
// of 30 out of 90 and no issue said so. The same unit over another
// period, or on another indicator of a weighted roll-up, is another node.
func TestDuplicateChildren(t *testing.T) {
	e := newEnv(t)
	for _, c := range []struct {
		rollup   cascade.Rollup
		children []cascade.NodeDef
		want     string
	}{
		{"", []cascade.NodeDef{{Unit: "sales"}, {Unit: "support"}, {Unit: "sales", ID: "again"}},
			"cascades[0].root.children[2]: unit sales over 2025-Q1 is already children[0]: the parent's target would be split to it twice"},
		{"", []cascade.NodeDef{{User: "u1", Period: "2025-Q1"}, {User: "u1"}},
			"cascades[0].root.children[1]: user u1 over 2025-Q1 is already children[0]: the parent's target would be split to it twice"},
		{"", []cascade.NodeDef{{Period: "2025-01"}, {Period: "2025-02"}, {Period: "2025-01"}},
			"cascades[0].root.children[2]: the parent's participant over 2025-01 is already children[0]: the parent's target would be split to it twice"},
		{"", []cascade.NodeDef{{Unit: "sales"}, {Unit: "sales", Period: "2025-02"}}, ""},
		{cascade.ByWeights, []cascade.NodeDef{{Unit: "sales"}, {Unit: "sales", Indicator: "calls"}}, ""},
	} {
		_, err := cascade.Compile([]cascade.Def{{ID: "won_q1", Indicator: "won", Rollup: c.rollup, Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("90"),
			Split: &cascade.SplitDef{By: cascade.Even}, Children: c.children}}}, cascade.Env{Calendar: e.cal, Indicators: e.inds})
		if got := fmt.Sprint(err); c.want == "" && err != nil || c.want != "" && got != c.want {
			t.Errorf("%v: %v\nwant %s", c.children, err, c.want)
		}
	}
}

// A then split without into has nothing to split: the children it applies
// to were generated, or declared without children of their own. It did
// nothing without a word (sales and support kept their targets, with no
// children); it does not compile, naming the field.
func TestThenWithoutInto(t *testing.T) {
	e := newEnv(t)
	_, err := cascade.Compile([]cascade.Def{{ID: "won_q1", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("90"),
		Split: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits, Then: &cascade.SplitDef{By: cascade.Even,
			Then: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoMembers}}}}}}, cascade.Env{Calendar: e.cal, Indicators: e.inds})
	const want = "cascades[0].root.split.then.into: then splits generated children, which have none of their own: generate them with into\n" +
		"cascades[0].root.split.then.then: then applies to generated children: set into"
	if err == nil || err.Error() != want {
		t.Errorf("error %v\nwant %s", err, want)
	}
}

// A time split that cannot be made names the period: one without a working
// day, one that holds no period of the grain, a total finer than the
// places. They said "split: every weight is zero" and "split: no parts".
func TestTimeSplitErrorsNameThePeriod(t *testing.T) {
	e := newEnv(t)
	weekend, err := e.cal.ParseLabel("2025-03-15/P2D") // a Saturday and a Sunday
	if err != nil {
		t.Fatal(err)
	}
	clippedWeek := period.Period{Grain: period.Week, Start: d("2025-03-15"), End: d("2025-03-17")}
	for _, tc := range []struct {
		p      period.Period
		g      period.Grain
		total  string
		method cascade.Method
		want   string
	}{
		{weekend, period.Day, "10", cascade.WorkingDays, "split: 2025-03-15/P2D has no working day to split 10 over"},
		{weekend, period.Month, "10", cascade.WorkingDays, "split: 2025-03-15/P2D has no working day to split 10 over"},
		{period.Period{Start: d("2025-03-01"), End: d("2025-03-01")}, period.Day, "10", cascade.Even, "split: [2025-03-01, 2025-03-01) holds no day period"},
		{weekend, period.Day, "10.5", cascade.Even, "2025-03-15/P2D: split: amount 10.5 is not a whole number of minor units (0 decimal places)"},
		// A part of a week (its weekend, as Split clips the last week of a
		// month) is named by its dates: the week's label named days it
		// does not hold.
		{clippedWeek, period.Day, "10", cascade.WorkingDays, "split: [2025-03-15, 2025-03-17) has no working day to split 10 over"},
		{clippedWeek, period.Day, "10.5", cascade.Even, "[2025-03-15, 2025-03-17): split: amount 10.5 is not a whole number of minor units (0 decimal places)"},
	} {
		if _, _, err := cascade.TimeSplit(e.cal, tc.p, tc.g, dec(tc.total), tc.method, 0); err == nil || err.Error() != tc.want {
			t.Errorf("got %v, want %s", err, tc.want)
		}
	}
}

// The cascades a set returns are a slice of the caller's: filtering it in
// place changed the set's own list, and what Lookup found.
func TestCascadesIsTheCallersSlice(t *testing.T) {
	e := newEnv(t)
	s := e.compile(t, cascade.Def{ID: "first", Indicator: "won", Root: cascade.NodeDef{Period: "2025", Target: dp("10")}},
		cascade.Def{ID: "second", Indicator: "won", Root: cascade.NodeDef{Period: "2025", Target: dp("20")}})
	kept := s.Cascades()[:0]
	for _, c := range s.Cascades() {
		if c.ID() == "second" {
			kept = append(kept, c)
		}
	}
	if len(kept) != 1 {
		t.Fatalf("kept %d", len(kept))
	}
	if c, ok := s.Lookup("first"); !ok || c.ID() != "first" || len(s.Cascades()) != 2 || s.Cascades()[0].ID() != "first" {
		t.Fatalf("the set's cascades after a caller filtered them: %v %v", c.ID(), ok)
	}
}

// A split into the members of large units is evaluated in a fraction of a
// second: each member's node read the whole directory twice (its unit's
// members, its unit's memberships) and was looked for among the children
// generated before it, and two units of 4 000 people took about 40
// seconds.
func TestSplitIntoMembersOfLargeUnits(t *testing.T) {
	e := newEnv(t)
	units := []org.Unit{{ID: "sales"}, {ID: "support"}}
	var ms []org.Membership
	for i := range 4000 {
		ms = append(ms, org.Membership{User: fmt.Sprintf("s%d", i), Unit: "sales"}, org.Membership{User: fmt.Sprintf("p%d", i), Unit: "support"})
	}
	s := e.compile(t, cascade.Def{ID: "c", Indicator: "won", Root: cascade.NodeDef{Period: "2025-Q1", Target: dp("1000000"),
		Split: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoUnits, Then: &cascade.SplitDef{By: cascade.Even, Into: cascade.IntoMembers}}}})
	evs := events{e.event("1", "deal.won", "s7", "2025-02-10", ""), e.event("2", "deal.won", "p9", "2025-02-11", "")}
	start := time.Now()
	res := mustEvaluate(t, s, evs, enginetest.Directory(units, ms))
	// About 0.3 s, a few under the race detector; about 40 before.
	if took := time.Since(start); took > 15*time.Second {
		t.Errorf("evaluated in %s", took)
	}
	// By hand: 1 000 000 even to the two units, 500 000 each, then to
	// their 4 000 members, 125 each; s7 and p9 won a deal each.
	people := map[string]*cascade.Node{}
	res.Trees[0].Root.Walk(func(n *cascade.Node) {
		if n.Kind == cascade.UserKind {
			people[n.Participant] = n
		}
	})
	s7, p9, s8 := people["s7"], people["p9"], people["s8"]
	got := fmt.Sprintf("%d people; s7 %s/%s; p9 %s/%s; s8 %s/%s; %d issues", len(people), s7.Actual.Decimal, s7.Target.Decimal,
		p9.Actual.Decimal, p9.Target.Decimal, s8.Actual.Decimal, s8.Target.Decimal, len(res.Issues))
	if want := "8000 people; s7 1/125; p9 1/125; s8 0/125; 0 issues"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// A cascade split by working days into parts of weeks names the part the
// calendar does not cover as its node does, by the week and the dates it
// holds: the week's label alone (2026-W53) named days the calendar covers.
func TestCascadeOutsideTheCalendarNamesThePart(t *testing.T) {
	cal := ruCalendar(t)
	s, err := cascade.Compile([]cascade.Def{{ID: "t", Indicator: "won", Root: cascade.NodeDef{Period: "2027-01", Target: dp("100"),
		Split: &cascade.SplitDef{By: cascade.WorkingDays, Into: "week"}}}}, cascade.Env{Calendar: cal, Indicators: newEnv(t).inds})
	if err != nil {
		t.Fatal(err)
	}
	_, err = evaluate(s, events{}, nil)
	var oe *period.OutsideError
	const want = "cascades[0].root.split: the working days of 2026-W53 [2027-01-01, 2027-01-04): 2027-01-01 is outside the working-day calendar RU (years 2024-2026): add the year to the calendar, or declare outside: weekends"
	if err == nil || !errors.As(err, &oe) || err.Error() != want {
		t.Fatalf("error %v\nwant %s", err, want)
	}
}
