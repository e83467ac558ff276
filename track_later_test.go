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
	"pgregory.net/rapid"
)

// A dashboard reports as of the moment it polls: a tracker's reports at
// instants that move on by a second, a minute or an hour, to just before
// or after a local midnight or the end of a period, now and then back,
// with batches applied between them, full or narrowed to a participant,
// are each the report a fresh evaluation of the same events gives at that
// instant (Plan.Evaluate over the tracker's events): its JSON, the instant
// of its goals and the date and rank of each row.
func TestTrackerReportsLater(t *testing.T) {
	ctx := context.Background()
	rapid.Check(t, func(t *rapid.T) {
		plan, stream, opts, instants := goalScenario(t)
		cal := plan.Calendar()
		periods := plan.Periods()
		at := instants.Draw(t, "start")
		// next moves at on as a poll would, or to just around the next
		// local midnight or period end, or back a little.
		next := func() time.Time {
			switch rapid.IntRange(0, 5).Draw(t, "step") {
			case 0:
				return at.Add(time.Second)
			case 1:
				return at.Add(time.Duration(rapid.IntRange(1, 3600).Draw(t, "seconds")) * time.Second)
			case 2:
				midnight := cal.Midnight(cal.Date(at) + 1)
				return midnight.Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "aroundMidnight")) * time.Second)
			case 3:
				for _, p := range periods {
					if _, end := cal.Bounds(p); end.After(at) {
						return end.Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "aroundEnd")) * time.Second)
					}
				}
				return at.Add(time.Hour)
			case 4:
				return at.Add(-time.Duration(rapid.IntRange(1, 7200).Draw(t, "back")) * time.Second)
			}
			return at
		}
		tr, err := plan.Track(ctx, nil, opts...)
		if err != nil {
			t.Fatalf("track: %v", err)
		}
		defer tr.Close()
		for len(stream) > 0 {
			n := rapid.IntRange(0, len(stream)).Draw(t, "batch")
			if n > 0 {
				if err := tr.Apply(ctx, stream[:n]...); err != nil {
					t.Fatalf("apply: %v", err)
				}
				stream = stream[n:]
			}
			for range rapid.IntRange(1, 3).Draw(t, "reports") {
				at = next()
				ropts, what := drawReport(t, at)
				rep, err := tr.Report(ctx, at, ropts...)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				fresh, err := plan.Evaluate(ctx, tr.Indicators(), at, append(slices.Clone(opts), ropts...)...)
				if err != nil {
					t.Fatalf("%s, fresh: %v", what, err)
				}
				if got, want := reportJSON(t, rep), reportJSON(t, fresh); !bytes.Equal(got, want) {
					t.Fatalf("%s differs from a fresh evaluation:\n%s\nwant:\n%s", what, got, want)
				}
				if rows, want := rowStamps(rep), rowStamps(fresh); rows != want {
					t.Fatalf("%s: rows\n%s\nfresh\n%s", what, rows, want)
				}
			}
		}
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
			tr, err := plan.Track(ctx, nil)
			if err != nil {
				t.Fatal(err)
			}
			defer tr.Close()
			for i, actor := range []string{"anna", "anna", "bob"} {
				e := kpi.Event{ID: strconv.Itoa(i), Kind: "call", Actor: actor, Time: time.Date(2025, 3, 3+i, 10, 0, 0, 0, time.UTC)}
				if err := tr.Apply(ctx, e); err != nil {
					t.Fatal(err)
				}
			}
			at := time.Date(2025, 3, 10, 9, 0, 0, 0, time.UTC)
			for _, step := range []time.Duration{0, time.Second, time.Hour, 5 * time.Hour} {
				at = at.Add(step)
				rep, err := tr.Report(ctx, at)
				if err != nil {
					t.Fatal(err)
				}
				fresh, err := plan.Evaluate(ctx, tr.Indicators(), at)
				if err != nil {
					t.Fatal(err)
				}
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
