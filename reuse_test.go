package goalkit_test

import (
	"bytes"
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// goalPlans draws plans of goalkittest.Plans with one to three goals: on any
// of their indicators, sometimes narrowed by a filter, for users, teams,
// the company or each of its members, recurring by the report's grain or
// another, or over a fixed range, with a fixed target or one of the
// period before, sometimes closing automatically, sometimes with
// notifications.
func goalPlans() *rapid.Generator[*goalkit.Definition] {
	return rapid.Custom(func(t *rapid.T) *goalkit.Definition {
		def := goalkittest.Plans().Draw(t, "plan")
		if rapid.Bool().Draw(t, "growth") {
			// A formula that reads the period before.
			def.Indicators = append(def.Indicators, kpi.IndicatorDef{ID: "growth", Formula: def.Indicators[0].ID + " - prev(" + def.Indicators[0].ID + ")"})
		}
		if rapid.Bool().Draw(t, "toDate") {
			// A value that counts the events of earlier periods too.
			first := def.Indicators[0]
			def.Indicators = append(def.Indicators, kpi.IndicatorDef{ID: "ytd", Kinds: first.Kinds, Aggregate: kpi.Count, ToDate: "year"})
		}
		if rapid.Bool().Draw(t, "plusOne") {
			// A formula defined for a participant without events.
			def.Indicators = append(def.Indicators, kpi.IndicatorDef{ID: "plus_one", Formula: def.Indicators[0].ID + " + 1"})
		}
		var ids []string
		for _, d := range def.Indicators {
			ids = append(ids, d.ID)
		}
		from := date.New(2025, 1, 1)
		for i := range rapid.IntRange(1, 3).Draw(t, "goals") {
			target := decimal.NewFromInt(int64(rapid.IntRange(1, 30).Draw(t, "target")))
			g := goal.Def{ID: fmt.Sprintf("g%d", i+1), Indicator: rapid.SampledFrom(ids).Draw(t, "indicator"), Target: &target}
			if ids[len(ids)-1] == "plus_one" && rapid.Bool().Draw(t, "onPlusOne") {
				g.Indicator = "plus_one"
			}
			if rapid.IntRange(0, 3).Draw(t, "filter") == 0 {
				g.Filter = `source == "web"`
			}
			if rapid.IntRange(0, 3).Draw(t, "formula") == 0 {
				g.TargetFormula = "prev(" + g.Indicator + ") * 1.1"
			}
			switch rapid.IntRange(0, 2).Draw(t, "period") {
			case 0:
				g.Period = goal.Every(def.Report.Grain, from)
			case 1:
				g.Period = goal.Every(rapid.SampledFrom([]period.Grain{period.Week, period.Month}).Draw(t, "every"), from)
			default:
				g.Period = goal.PeriodDef{From: from.AddDate(0, 0, rapid.IntRange(0, 20).Draw(t, "start")), To: from.AddDate(0, 1, rapid.IntRange(0, 20).Draw(t, "end"))}
			}
			switch rapid.IntRange(0, 3).Draw(t, "participants") {
			case 0:
				g.Participants.Users = rapid.SliceOfNDistinct(rapid.SampledFrom(viewActors), 1, 3, rapid.ID[string]).Draw(t, "users")
			case 1:
				g.Participants.Teams = []string{rapid.SampledFrom([]string{"d1", "d2"}).Draw(t, "team")}
			case 2:
				g.Participants.Company = true
			default:
				g.Participants.Company, g.Participants.Mode = true, goal.Each
			}
			if rapid.IntRange(0, 3).Draw(t, "autoClose") == 0 {
				g.Close = goal.CloseDef{Auto: true, AfterDays: rapid.IntRange(0, 3).Draw(t, "afterDays")}
			}
			if rapid.Bool().Draw(t, "notify") {
				g.Notify = []goal.NotifyRule{{On: goal.NotifyAchieved}, {On: goal.NotifyAtRisk}}
			}
			def.Goals = append(def.Goals, g)
		}
		return def
	})
}

// The goals read the values of the report's indicators where they hold the
// cells the goals need (goal.Request.Values), and a tracker's report takes
// from the last one what the events applied since leave as it was
// (goal.Memo): whatever the plan, events, directory and instants, a report
// is byte for byte the report without either, from Evaluate and from a
// tracker after each batch.
func TestGoalsReadingReportValuesChangeNothing(t *testing.T) {
	ctx := context.Background()
	rapid.Check(t, func(t *rapid.T) {
		plan, stream, opts, instants := goalScenario(t)
		if rapid.Bool().Draw(t, "participants") {
			opts = append(opts, goalkit.WithParticipants(viewActors...))
		}
		both := func(what string, report func() (*goalkit.Report, error)) {
			with, err := report()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			restore := goalkit.SetReuseValues(false)
			without, err := report()
			restore()
			if err != nil {
				t.Fatalf("%s without reading the values: %v", what, err)
			}
			if a, b := reportJSON(t, with), reportJSON(t, without); !bytes.Equal(a, b) {
				t.Fatalf("%s: the report differs when the goals read its values:\n%s\nwithout:\n%s", what, a, b)
			}
			// What the JSON leaves out: the goals' instant and the date of
			// each row.
			if with.Goals != nil {
				if !with.Goals.AsOf.Equal(without.Goals.AsOf) {
					t.Fatalf("%s: the goals are as of %s, without reading the values %s", what, with.Goals.AsOf, without.Goals.AsOf)
				}
				for i, r := range with.Goals.Rows {
					if w := without.Goals.Rows[i]; r.Date != w.Date {
						t.Fatalf("%s: row %d is of %s, without reading the values %s", what, i, r.Date, w.Date)
					}
				}
			}
		}

		asOf := instants.Draw(t, "asOf")
		evalOpts := opts
		if rapid.IntRange(0, 3).Draw(t, "knownAt") == 0 {
			evalOpts = append(evalOpts[:len(evalOpts):len(evalOpts)], goalkit.WithKnownAt(instants.Draw(t, "known")))
		}
		store := storeOf(t, plan.Calendar().Location(), goalkittest.Final(stream)...)
		both("evaluate", func() (*goalkit.Report, error) { return plan.Evaluate(ctx, store, asOf, evalOpts...) })

		eachBatch(t, plan, opts, stream, instants, func(tr *goalkit.Tracker, at time.Time) {
			var reportOpts []goalkit.EvalOption
			if rapid.IntRange(0, 3).Draw(t, "reportKnownAt") == 0 {
				reportOpts = append(reportOpts, goalkit.WithKnownAt(instants.Draw(t, "reportKnown")))
			}
			both(fmt.Sprintf("tracker report at %s", at.Format(time.RFC3339)), func() (*goalkit.Report, error) { return tr.Report(ctx, at, reportOpts...) })
		})
	})
}

// eachBatch starts a tracker of plan with opts, applies stream to it in
// random batches and calls report after each, with an instant drawn among
// one to three instants (reports as of the same instant reuse the last
// one's work).
func eachBatch(t *rapid.T, plan *goalkit.Plan, opts []goalkit.EvalOption, stream []kpi.Event, instants *rapid.Generator[time.Time], report func(tr *goalkit.Tracker, at time.Time)) {
	ctx := context.Background()
	reportAt := rapid.SliceOfN(instants, 1, 3).Draw(t, "reportsAt")
	tr := startTracker(t, plan, opts...)
	for len(stream) > 0 {
		n := rapid.IntRange(1, len(stream)).Draw(t, "batch")
		if err := tr.Apply(ctx, stream[:n]...); err != nil {
			t.Fatalf("apply: %v", err)
		}
		stream = stream[n:]
		report(tr, rapid.SampledFrom(reportAt).Draw(t, "reportAt"))
	}
}

// goalScenario draws a plan of goalPlans, a stream of its events (some
// known only from a random instant), a directory when the goals name teams
// and at random otherwise (without one, each member of the company is
// whoever has events), notifications since a random instant or not, and
// the generator of instants in the plan's periods.
func goalScenario(t *rapid.T) (*goalkit.Plan, []kpi.Event, []goalkit.EvalOption, *rapid.Generator[time.Time]) {
	return goalScenarioOf(t, goalPlans().Draw(t, "plan"))
}

// goalScenarioOf is goalScenario with the plan def.
func goalScenarioOf(t *rapid.T, def *goalkit.Definition) (*goalkit.Plan, []kpi.Event, []goalkit.EvalOption, *rapid.Generator[time.Time]) {
	plan := compile(t, def)
	periods := plan.Periods()
	stream := goalkittest.PlanStream(plan, viewActors...).Draw(t, "events")
	opts := drawDirectory(t, def, periods)
	instants := goalkittest.Instants(plan.Calendar(), periods)
	for i := range stream {
		if rapid.Bool().Draw(t, "learnt") {
			stream[i].Known = instants.Draw(t, "known")
		}
	}
	if rapid.Bool().Draw(t, "since") {
		opts = append(opts, goalkit.WithNotificationsSince(instants.Draw(t, "sinceAt")))
	}
	return plan, stream, opts, instants
}

// drawDirectory draws the directory option of def's goals over periods:
// always when a goal names teams, at random otherwise (without one, each
// member of the company is whoever has events).
func drawDirectory(t *rapid.T, def *goalkit.Definition, periods []period.Period) []goalkit.EvalOption {
	if !namesTeams(def) && !rapid.Bool().Draw(t, "directory") {
		return nil
	}
	dir := goalkittest.Directories(viewActors, periods[0].Start, periods[len(periods)-1].End).Draw(t, "directory")
	addTeams(dir, def)
	return []goalkit.EvalOption{goalkit.WithDirectory(dir)}
}

// namesTeams reports whether a goal of def names teams.
func namesTeams(def *goalkit.Definition) bool {
	for _, g := range def.Goals {
		if len(g.Participants.Teams) > 0 {
			return true
		}
	}
	return false
}

// An actor found among the events (a company goal for each member without
// a directory) has a row in every period, events or not, as a listed user
// has: plus_one = calls + 1 is 1 in December 2024, when anna made no call,
// whichever way the goals read their values.
func TestFoundActorsHaveRowsWithoutEvents(t *testing.T) {
	plan := parsePlan(t, `timezone: UTC
indicators:
  - id: calls
    kinds: [call]
    aggregate: count
  - id: plus_one
    formula: calls + 1
report: {grain: month, from: 2025-01-01, to: 2025-03-01}
goals:
  - id: g
    indicator: plus_one
    target: 5
    period: {from: 2025-01-01, every: month}
    participants: {company: true, mode: each}
`)
	store := storeOf(t, time.UTC, kpi.Event{ID: "1", Kind: "call", Actor: "anna", Time: time.Date(2025, 1, 5, 0, 0, 0, 0, time.UTC)})
	asOf := time.Date(2025, 2, 20, 0, 0, 0, 0, time.UTC)
	for _, reuse := range []bool{true, false} {
		restore := goalkit.SetReuseValues(reuse)
		rep, err := plan.Evaluate(context.Background(), store, asOf)
		restore()
		if err != nil {
			t.Fatal(err)
		}
		jan := rep.Goals.Rows[0]
		if jan.Participant != "anna" || jan.Period.Start != date.New(2025, 1, 1) {
			t.Fatalf("first row is %s %s", jan.Participant, jan.Label)
		}
		if !jan.Actual.Valid || jan.Actual.Decimal.String() != "2" || !jan.Previous.Valid || jan.Previous.Decimal.String() != "1" {
			t.Fatalf("reading values %v: January's actual %v, previous %v; want 2 and 1", reuse, jan.Actual, jan.Previous)
		}
	}
}

// A tracker's reports as of one instant follow every change, whichever way
// it came: a new event and a correction through Apply, a new event through
// the kpi tracker itself. Each report equals a batch evaluation of the
// same events.
func TestTrackerReportsFollowChangesAtOneInstant(t *testing.T) {
	ctx := context.Background()
	plan := seedPlan(t)
	loc := plan.Calendar().Location()
	tr, events := seedTracker(t, plan, nil)
	if err := tr.Apply(ctx, events...); err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2025, 3, 14, 18, 0, 0, 0, loc)
	check := func(what string) {
		t.Helper()
		got := mustReport(t, tr, asOf)
		want := mustEvaluate(t, plan, storeOf(t, loc, eventsOf(t, tr.Indicators())...), asOf, goalkit.WithDirectory(seedDirectory{}))
		if a, b := reportJSON(t, got), reportJSON(t, want); !bytes.Equal(a, b) {
			t.Fatalf("%s: the tracker's report differs from a batch evaluation:\n%s\nwant:\n%s", what, a, b)
		}
	}
	check("first")
	won := kpi.Event{ID: "late", Kind: "deal.won", Actor: "boris", Time: time.Date(2025, 3, 13, 12, 0, 0, 0, loc),
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(500000)), Currency: "RUB"}
	if err := tr.Apply(ctx, won); err != nil {
		t.Fatal(err)
	}
	check("after a deal of boris")
	won.Actor = "vera"
	if err := tr.Apply(ctx, won); err != nil {
		t.Fatal(err)
	}
	check("after the deal moved to vera")
	other := won
	other.ID, other.Actor = "direct", "anna"
	if err := tr.Indicators().Apply(ctx, other); err != nil {
		t.Fatal(err)
	}
	check("after a deal of anna applied to the kpi tracker")
}
