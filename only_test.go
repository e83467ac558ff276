package goalkit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"pgregory.net/rapid"
)

// ownGoals is the goals section of rep kept to the participant id, as the
// test reads it: its rows (with their instants), notifications and
// corrections, in JSON.
func ownGoals(t interface{ Fatalf(string, ...any) }, g *goal.Result, id string) []byte {
	type row struct {
		Row  goal.Row
		AsOf time.Time
		Date string
	}
	var out struct {
		Rows          []row
		Notifications []goal.Notification
		Corrections   []goal.Correction
	}
	if g != nil {
		for _, r := range g.Rows {
			if r.Participant == id {
				out.Rows = append(out.Rows, row{*r, g.AsOf, r.Date.String()})
			}
		}
		for _, n := range g.Notifications {
			if n.Participant == id {
				out.Notifications = append(out.Notifications, n)
			}
		}
		for _, c := range g.Corrections {
			if c.Participant == id {
				out.Corrections = append(out.Corrections, c)
			}
		}
	}
	data, err := json.MarshalIndent(out, "", " ")
	if err != nil {
		t.Fatalf("%v", err)
	}
	return data
}

// A report narrowed to one participant (WithOnlyParticipant) holds exactly
// that participant's goal rows, notifications and corrections of the full
// report, ranks included: from Evaluate, and from a tracker whose reports,
// after each random batch, are now narrowed and now full (a narrowed
// report computes only the rows its ranks need, on the work of the last
// full one).
func TestOnlyParticipantIsItsPartOfTheFullReport(t *testing.T) {
	ctx := context.Background()
	rapid.Check(t, func(t *rapid.T) {
		plan, stream, opts, instants := goalScenario(t)
		who := rapid.SampledFrom(append([]string{"d1", "d2", org.Everyone, "nobody"}, viewActors...))
		check := func(what, id string, full, only *goalkit.Report) {
			if full.Goals == nil {
				if only.Goals != nil {
					t.Fatalf("%s: a narrowed report has goals, the full one none", what)
				}
				return
			}
			for _, r := range only.Goals.Rows {
				if r.Participant != id {
					t.Fatalf("%s: the report narrowed to %q has a row of %q", what, id, r.Participant)
				}
			}
			if a, b := ownGoals(t, only.Goals, id), ownGoals(t, full.Goals, id); !bytes.Equal(a, b) {
				t.Fatalf("%s: the report narrowed to %q differs from its part of the full report:\n%s\nfull:\n%s", what, id, a, b)
			}
			for _, n := range only.Goals.Notifications {
				if n.Participant != id {
					t.Fatalf("%s: the report narrowed to %q has a notification of %q", what, id, n.Participant)
				}
			}
			for _, c := range only.Goals.Corrections {
				if c.Participant != id {
					t.Fatalf("%s: the report narrowed to %q has a correction of %q", what, id, c.Participant)
				}
			}
		}

		asOf := instants.Draw(t, "asOf")
		store := storeOf(t, plan.Calendar().Location(), goalkittest.Final(stream)...)
		id := who.Draw(t, "participant")
		full := mustEvaluate(t, plan, store, asOf, opts...)
		only, err := plan.Evaluate(ctx, store, asOf, append(opts[:len(opts):len(opts)], goalkit.WithOnlyParticipant(id))...)
		if err != nil {
			t.Fatalf("evaluate narrowed: %v", err)
		}
		check("evaluate", id, full, only)

		eachBatch(t, plan, opts, stream, instants, func(tr *goalkit.Tracker, at time.Time) {
			what := fmt.Sprintf("tracker report at %s", at.Format(time.RFC3339))
			if rapid.Bool().Draw(t, "fullReport") {
				// A full report, whose work the next ones take.
				if _, err := tr.Report(ctx, at); err != nil {
					t.Fatalf("%s: %v", what, err)
				}
			}
			id := who.Draw(t, "participant")
			only, err := tr.Report(ctx, at, goalkit.WithOnlyParticipant(id))
			if err != nil {
				t.Fatalf("%s narrowed: %v", what, err)
			}
			// The full report computed afresh: neither the values nor the
			// last report's work.
			restore := goalkit.SetReuseValues(false)
			full, err := tr.Report(ctx, at)
			restore()
			if err != nil {
				t.Fatalf("%s: %v", what, err)
			}
			check(what, id, full, only)
		})
	})
}

// A tracker's report after a change of one participant or two ranks
// everyone as the counts say, whether a change moves its participant up
// past others, down past them (a retraction), or to a tie, or adds a
// participant, and so does a report narrowed to any of them.
func TestTrackerRanksAfterChangesOfOne(t *testing.T) {
	ctx := context.Background()
	plan := parsePlan(t, `timezone: UTC
indicators:
  - id: calls
    kinds: [call]
    aggregate: count
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
goals:
  - id: g
    indicator: calls
    target: 10
    period: {from: 2025-03-01, every: month}
    participants: {company: true, mode: each}
`)
	tr := startTracker(t, plan)
	asOf := time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC)
	counts := map[string]int{}
	ids := map[string][]kpi.Event{}
	n := 0
	calls := func(actor string, k int) {
		t.Helper()
		var evs []kpi.Event
		for range k {
			n++
			evs = append(evs, kpi.Event{ID: fmt.Sprint(n), Kind: "call", Actor: actor, Time: time.Date(2025, 3, 1+n%15, 9, 0, 0, 0, time.UTC)})
		}
		if err := tr.Apply(ctx, evs...); err != nil {
			t.Fatal(err)
		}
		counts[actor] += k
		ids[actor] = append(ids[actor], evs...)
	}
	retract := func(actor string, k int) {
		t.Helper()
		evs := slices.Clone(ids[actor][len(ids[actor])-k:])
		for i := range evs {
			evs[i].Deleted = true
		}
		if err := tr.Apply(ctx, evs...); err != nil {
			t.Fatal(err)
		}
		counts[actor] -= k
		ids[actor] = ids[actor][:len(ids[actor])-k]
	}
	// want is the competition rank of each actor by its count.
	want := func(actor string) int {
		r := 1
		for _, c := range counts {
			if c > counts[actor] {
				r++
			}
		}
		return r
	}
	check := func(what string) {
		t.Helper()
		// Each participant's narrowed report first (they leave the last
		// full report's work as it was), then the full one.
		for a := range counts {
			only := mustReport(t, tr, asOf, goalkit.WithOnlyParticipant(a))
			if rows := only.Goals.Rows; len(rows) != 1 {
				t.Fatalf("%s: narrowed to %s: %d rows, want one", what, a, len(rows))
			} else if rows[0].Rank != want(a) {
				t.Fatalf("%s: narrowed to %s (%d calls): rank %d, want %d", what, a, counts[a], rows[0].Rank, want(a))
			}
		}
		rep := mustReport(t, tr, asOf)
		if len(rep.Goals.Rows) != len(counts) {
			t.Fatalf("%s: %d rows, want %d", what, len(rep.Goals.Rows), len(counts))
		}
		for _, r := range rep.Goals.Rows {
			if r.Rank != want(r.Participant) {
				t.Fatalf("%s: %s (%d calls) ranks %d, want %d", what, r.Participant, counts[r.Participant], r.Rank, want(r.Participant))
			}
		}
	}
	for i, a := range []string{"a", "b", "c", "d", "e"} {
		calls(a, 6-i)
	}
	check("first")
	calls("d", 4) // 3 → 7: first, past everyone
	check("d up")
	calls("b", 1) // 5 → 6: a tie with a
	check("b to a tie")
	calls("e", 1)
	calls("c", 4) // two changed: e 2 → 3, c 4 → 8
	check("c and e up")
	retract("d", 3) // 7 → 4: down past a and b
	check("d down")
	calls("f", 6) // a participant new to the month, to a tie with a and b
	check("f new")
}
