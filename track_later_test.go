package goalkit_test

import (
	"bytes"
	"context"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A dashboard reports as of the moment it polls: a tracker's reports at
// instants that move on by a second, a minute or an hour, to just before
// or after a local midnight or the end of a period, now and then back or
// anywhere in the plan's periods, with batches applied between them, full or narrowed to a participant,
// now and then with options of their own (known at, participants, periods, a team),
// are each the report a fresh evaluation of the same events gives at that
// instant (Plan.Evaluate over the tracker's events): its JSON, the instant
// of its goals and the date and rank of each row.
func TestTrackerReportsLater(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		plan, stream, opts, instants := goalScenario(t)
		cal := plan.Calendar()
		periods := plan.Periods()
		at := instants.Draw(t, "start")
		tr := startTracker(t, plan, opts...)
		applyInBatches(t, tr, stream, func() {
			for range rapid.IntRange(1, 3).Draw(t, "reports") {
				at = moveOn(t, cal, periods, at, instants)
				ropts, what := drawReport(t, at)
				if rapid.IntRange(0, 3).Draw(t, "own options") == 0 {
					ropts, what = drawOwnOptions(t, periods, instants, ropts, what)
				}
				sameAsFresh(t, plan, tr, at, opts, ropts, what)
			}
		})
	})
}

// A value that follows the clock (a formula over elapsed(), an indicator's
// or a goal's target's) moves between two reports with no event between
// them: the rows reading it are computed again, not retimed, and their
// values read again, not taken from the last report.
func TestTrackerReportsLaterFollowElapsed(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct{ name, goals string }{
		{"indicator", `  - id: g
    indicator: share
    target: 5
    period: {from: 2025-03-01, every: month}
    participants: {users: [anna, bob]}
`},
		{"target", `  - id: g
    indicator: calls
    target_formula: 10 * elapsed()
    period: {from: 2025-03-01, every: month}
    participants: {users: [anna, bob]}
`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			plan := compile(t, parseDef(t, `timezone: UTC
indicators:
  - id: calls
    kinds: [call]
    aggregate: count
  - id: share
    formula: calls / elapsed()
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
goals:
`+tc.goals))
			tr := startTracker(t, plan)
			for i, actor := range []string{"anna", "anna", "bob"} {
				e := kpi.Event{ID: strconv.Itoa(i), Kind: "call", Actor: actor, Time: time.Date(2025, 3, 3+i, 10, 0, 0, 0, time.UTC)}
				if err := tr.Apply(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			at := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
			for _, step := range []time.Duration{0, time.Second, time.Hour, 5 * time.Hour} {
				at = at.Add(step)
				rep := mustReport(t, tr, at)
				fresh := mustEvaluate(t, plan, tr.Indicators(), at)
				if got, want := reportJSON(t, rep), reportJSON(t, fresh); !bytes.Equal(got, want) {
					t.Fatalf("report at %s differs from a fresh evaluation:\n%s\nwant:\n%s", at, got, want)
				}
			}
		})
	}
}

// drawReport draws the options of a report at an instant: none, or now
// and then narrowed to one participant; and what it is, for messages.
func drawReport(t *rapid.T, at time.Time) ([]goalkit.EvalOption, string) {
	what := "report at " + at.Format(time.RFC3339)
	if rapid.IntRange(0, 3).Draw(t, "narrowed") != 0 {
		return nil, what
	}
	id := rapid.SampledFrom(viewActors).Draw(t, "participant")
	return []goalkit.EvalOption{goalkit.WithOnlyParticipant(id)}, what + " of " + id
}

// drawOwnOptions adds to a report's options some of those that change what
// its values are evaluated with: known at an instant, a participant (one
// without events, perhaps), a run of the periods, a team.
func drawOwnOptions(t *rapid.T, periods []period.Period, instants *rapid.Generator[time.Time], ropts []goalkit.EvalOption, what string) ([]goalkit.EvalOption, string) {
	if rapid.Bool().Draw(t, "known at") {
		k := instants.Draw(t, "knownAt")
		ropts = append(ropts, goalkit.WithKnownAt(k))
		what += " known at " + k.Format(time.RFC3339)
	}
	if rapid.Bool().Draw(t, "participants") {
		ropts = append(ropts, goalkit.WithParticipants(rapid.SampledFrom(slices.Concat(viewActors, []string{"nobody"})).Draw(t, "who")))
		what += " with a participant"
	}
	if rapid.Bool().Draw(t, "periods") {
		i := rapid.IntRange(0, len(periods)-1).Draw(t, "from")
		j := rapid.IntRange(i+1, len(periods)).Draw(t, "to")
		ropts = append(ropts, goalkit.WithPeriods(periods[i:j]...))
		what += " of some periods"
	}
	if rapid.Bool().Draw(t, "group") {
		ropts = append(ropts, goalkit.WithGroups(org.Group{ID: "pair", Members: rapid.SliceOfNDistinct(rapid.SampledFrom(viewActors), 1, 2, rapid.ID[string]).Draw(t, "members")}))
		what += " with a team"
	}
	return ropts, what
}

// The milestones of a budget (a cumulative goal where lower is better) are
// judged on its final value, once its period has ended: a tracker that
// reported the month just before its end, and then at its end with no event
// between, shows them reached at the end, as a fresh evaluation does.
func TestTrackerReportsLaterBudgetMilestonesAtTheEnd(t *testing.T) {
	ctx := context.Background()
	plan := compile(t, parseDef(t, `timezone: Europe/Berlin
indicators:
  - id: spend
    kinds: [expense]
    aggregate: sum
    value: amount
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
goals:
  - id: budget
    indicator: spend
    direction: lower
    target: 10
    milestones: ["25%", "50%", 2]
    period: {from: 2025-03-01, every: month}
    participants: {users: [anna]}
`))
	tr := startTracker(t, plan)
	e := kpi.Event{ID: "1", Kind: "expense", Actor: "anna", Time: time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC), Amount: decimal.NewNullDecimal(decimal.NewFromInt(4))}
	if err := tr.Apply(ctx, e); err != nil {
		t.Fatal(err)
	}
	berlin, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	end := time.Date(2025, 4, 1, 0, 0, 0, 0, berlin)
	// 4 spent of 10: 10/4 = 250 % of the target, so 25 % and 50 % are
	// reached at the end; 2 is not (4 > 2).
	for _, tc := range []struct {
		at   time.Time
		want []string
	}{
		{end.Add(-time.Hour), nil},
		{end, []string{"25%", "50%"}},
	} {
		rep := mustReport(t, tr, tc.at)
		if got := rep.Goals.Rows[0].Milestones; !slices.Equal(got, tc.want) {
			t.Errorf("at %s: milestones %q, want %q", tc.at, got, tc.want)
		}
		fresh := mustEvaluate(t, plan, tr.Indicators(), tc.at)
		if got, want := reportJSON(t, rep), reportJSON(t, fresh); !bytes.Equal(got, want) {
			t.Fatalf("report at %s differs from a fresh evaluation:\n%s\nwant:\n%s", tc.at, got, want)
		}
	}
}
