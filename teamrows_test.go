package goalkit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// With a directory, every unit has a row in the values beside the people
// and "*": its members' events on the dates they belonged, the units below
// it included, ratios from the pooled events. Explain explains a unit's
// cell; an unknown participant or indicator is an error with a did-you-mean.
func TestTeamRows(t *testing.T) {
	plan := parsePlan(t, `
timezone: Europe/Moscow
indicators:
  - {id: created, kinds: [deal.created], aggregate: count}
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: conversion, formula: won / created}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`)
	dir := moverDirectory(t, org.Unit{ID: "sales"}, org.Unit{ID: "north", Parent: "sales"}, org.Unit{ID: "south", Parent: "sales"})
	msk := plan.Calendar().Location()
	ev := func(id, kind, who string, day int) kpi.Event {
		return kpi.Event{ID: id, Kind: kind, Actor: who, Time: time.Date(2025, 3, day, 12, 0, 0, 0, msk)}
	}
	// north: ann 2 created 1 won; bob before the move 2 created 2 won.
	// south: cat 4 created 1 won; bob after the move 2 created 0 won.
	store := storeOf(t, msk,
		ev("a1", "deal.created", "ann", 2), ev("a2", "deal.created", "ann", 3), ev("a3", "deal.won", "ann", 4),
		ev("b1", "deal.created", "bob", 5), ev("b2", "deal.created", "bob", 6), ev("b3", "deal.won", "bob", 7), ev("b4", "deal.won", "bob", 14),
		ev("b5", "deal.created", "bob", 15), ev("b6", "deal.created", "bob", 20),
		ev("c1", "deal.created", "cat", 2), ev("c2", "deal.created", "cat", 3), ev("c3", "deal.created", "cat", 4), ev("c4", "deal.created", "cat", 5),
		ev("c5", "deal.won", "cat", 6))
	asOf := time.Date(2025, 4, 1, 0, 0, 0, 0, msk)
	ctx := context.Background()
	rep := mustEvaluate(t, plan, store, asOf, goalkit.WithDirectory(dir))
	march := plan.Periods()[0]
	want := map[string]string{
		"north": "4 3 0.75",
		"south": "6 1 0.1666666666666667",
		"sales": "10 4 0.4",
		"*":     "10 4 0.4",
		"bob":   "4 2 0.5",
	}
	for who, w := range want {
		var got []string
		for _, id := range []string{"created", "won", "conversion"} {
			v, ok := rep.Values.Value(id, who, march)
			if !ok {
				t.Fatalf("no row for %s", who)
			}
			got = append(got, v.Decimal.String())
		}
		if strings.Join(got, " ") != w {
			t.Errorf("%s: %s, want %s", who, strings.Join(got, " "), w)
		}
	}
	if !rep.Values.IsGroup("north") || rep.Values.IsGroup("bob") {
		t.Error("units are groups, people are not")
	}

	ex, err := plan.Explain(ctx, store, asOf, goalkit.Cell{Indicator: "won", Participant: "south", Period: march}, goalkit.WithDirectory(dir))
	if err != nil {
		t.Fatal(err)
	}
	var in []string
	for _, c := range ex.Included {
		in = append(in, c.Event)
	}
	if ex.Value.Decimal.String() != "1" || strings.Join(in, ",") != "c5" {
		t.Errorf("south's won: %s from %v, want 1 from c5 (bob's wins were before his move)", ex.Value.Decimal, in)
	}
	for _, tc := range []struct {
		cell goalkit.Cell
		want string
	}{
		{goalkit.Cell{Indicator: "won", Participant: "nroth", Period: march}, `unknown participant "nroth": no event of the indicator's kinds in 2025-03 and not a participant of the request (did you mean "north"?)`},
		{goalkit.Cell{Indicator: "wonn", Participant: "ann", Period: march}, `unknown indicator "wonn" (did you mean "won"?)`},
	} {
		_, err := plan.Explain(ctx, store, asOf, tc.cell, goalkit.WithDirectory(dir))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%+v: got %v\nwant %s", tc.cell, err, tc.want)
		}
	}
}

// Explain reads a team's members as the report does, over the report's
// dates: bob joined sales on 15 January, so his call of 10 January is not
// the team's in its calls to date of March (the report says 1), though he
// belonged to sales for all of March.
func TestExplainTeamOfACumulativeIndicatorAsTheReport(t *testing.T) {
	plan := parsePlan(t, `timezone: UTC
indicators:
  - {id: calls_ytd, kinds: [call], aggregate: count, to_date: year}
report: {grain: month, from: 2025-01-01, to: 2025-04-01}
`)
	dir := bobJoinsSales(t)
	store := storeOf(t, time.UTC, call("c1", 1, 10), call("c2", 3, 5))
	ctx, asOf := context.Background(), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	rep, err := plan.Evaluate(ctx, store, asOf, goalkit.WithDirectory(dir))
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := rep.Values.Value("calls_ytd", "sales", month(3)); !v.Valid || v.Decimal.String() != "1" {
		t.Fatalf("the report's calls to date of sales in March: %v, want 1", v)
	}
	ex, err := plan.Explain(ctx, store, asOf, goalkit.Cell{Indicator: "calls_ytd", Participant: "sales", Period: month(3)}, goalkit.WithDirectory(dir))
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, c := range ex.Included {
		ids = append(ids, c.Event)
	}
	if !ex.Value.Valid || ex.Value.Decimal.String() != "1" || strings.Join(ids, " ") != "c2" {
		t.Errorf("the explanation says %v counting %v, want 1 counting c2", ex.Value, ids)
	}
}

// A team's values that read dates before the report (to date, prev())
// count a member's events from the day they joined, however the report's
// range cuts the membership: bob joined sales on 15 January and belongs
// for all of a report from February, so his call of 10 January is not the
// team's in its calls to date of February (1), nor in January's calls
// that February's growth reads (from 0 to 1). A tracker says the same.
func TestTeamValuesBeforeTheReportFollowMemberships(t *testing.T) {
	plan := parsePlan(t, `timezone: UTC
indicators:
  - {id: calls, kinds: [call], aggregate: count}
  - {id: calls_ytd, kinds: [call], aggregate: count, to_date: year}
  - {id: growth, formula: calls - prev(calls)}
report: {grain: month, from: 2025-02-01, to: 2025-04-01}
`)
	dir := bobJoinsSales(t)
	events := []kpi.Event{call("c1", 1, 10), call("c2", 2, 5)}
	ctx, asOf := context.Background(), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	rep, err := plan.Evaluate(ctx, storeOf(t, time.UTC, events...), asOf, goalkit.WithDirectory(dir))
	if err != nil {
		t.Fatal(err)
	}
	tr, err := plan.Track(ctx, nil, goalkit.WithDirectory(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if err := tr.Apply(ctx, events...); err != nil {
		t.Fatal(err)
	}
	live, err := tr.Report(ctx, asOf)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range []*goalkit.Report{rep, live} {
		for id, want := range map[string]string{"calls": "1", "calls_ytd": "1", "growth": "1"} {
			if v, _ := r.Values.Value(id, "sales", month(2)); !v.Valid || v.Decimal.String() != want {
				t.Errorf("%s of sales in February: %v, want %s", id, v, want)
			}
		}
	}
}

// bobJoinsSales is a directory of one unit, sales, that bob joined on 15
// January 2025.
func bobJoinsSales(t *testing.T) *memory.Directory {
	t.Helper()
	dir, err := memory.NewDirectory([]org.Unit{{ID: "sales"}}, []org.Membership{{User: "bob", Unit: "sales", From: date.New(2025, 1, 15)}})
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// call is bob's call of a day of 2025.
func call(id string, m time.Month, d int) kpi.Event {
	return kpi.Event{ID: id, Kind: "call", Actor: "bob", Time: time.Date(2025, m, d, 10, 0, 0, 0, time.UTC)}
}

// An explanation's value is the report's, whatever the cell: people, the
// directory's teams with members who move, everyone, as known at an
// instant or not.
func TestPropExplainSaysTheReportsValue(t *testing.T) {
	ctx := context.Background()
	rapid.Check(t, func(t *rapid.T) {
		plan, stream, opts, instants := goalScenario(t)
		if rapid.Bool().Draw(t, "known at") {
			opts = append(opts, goalkit.WithKnownAt(instants.Draw(t, "knownAt")))
		}
		store := storeOf(t, plan.Calendar().Location(), stream...)
		asOf := instants.Draw(t, "asOf")
		rep, err := plan.Evaluate(ctx, store, asOf, opts...)
		if err != nil {
			t.Fatal(err)
		}
		for range 3 {
			ix := rapid.SampledFrom(plan.Indicators().Indicators()).Draw(t, "indicator")
			who := rapid.SampledFrom(rep.Values.Participants()).Draw(t, "participant")
			p := rapid.SampledFrom(rep.Values.Periods()).Draw(t, "period")
			ex, err := plan.Explain(ctx, store, asOf, goalkit.Cell{Indicator: ix.ID(), Participant: who, Period: p}, opts...)
			if err != nil {
				t.Fatalf("explain %s of %s in %s: %v", ix.ID(), who, p.Start, err)
			}
			want, _ := rep.Values.Value(ix.ID(), who, p)
			if ex.Value.Valid != want.Valid || ex.Value.Valid && !ex.Value.Decimal.Equal(want.Decimal) {
				t.Fatalf("explanation of %s of %s in %s says %v, the report %v", ix.ID(), who, p.Start, ex.Value, want)
			}
		}
	})
}
