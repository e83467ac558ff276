package goalkit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalkittest"
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
				out.Rows = append(out.Rows, row{r, r.AsOf, r.Date.String()})
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
		def := goalPlans().Draw(t, "plan")
		plan := compile(t, def)
		periods := plan.Periods()
		stream := goalkittest.PlanStream(plan, viewActors...).Draw(t, "events")
		var opts []goalkit.EvalOption
		if namesTeams(def) || rapid.Bool().Draw(t, "directory") {
			dir := goalkittest.Directories(viewActors, periods[0].Start, periods[len(periods)-1].End).Draw(t, "directory")
			addTeams(dir, def)
			opts = append(opts, goalkit.WithDirectory(dir))
		}
		instants := goalkittest.Instants(plan.Calendar(), periods)
		for i := range stream {
			if rapid.Bool().Draw(t, "learnt") {
				stream[i].Known = instants.Draw(t, "known")
			}
		}
		if rapid.Bool().Draw(t, "since") {
			opts = append(opts, goalkit.WithNotificationsSince(instants.Draw(t, "sinceAt")))
		}
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
		full, err := plan.Evaluate(ctx, store, asOf, opts...)
		if err != nil {
			t.Fatalf("evaluate: %v", err)
		}
		only, err := plan.Evaluate(ctx, store, asOf, append(opts[:len(opts):len(opts)], goalkit.WithOnlyParticipant(id))...)
		if err != nil {
			t.Fatalf("evaluate narrowed: %v", err)
		}
		check("evaluate", id, full, only)

		reportAt := rapid.SliceOfN(instants, 1, 3).Draw(t, "reportsAt")
		tr, err := plan.Track(ctx, nil, opts...)
		if err != nil {
			t.Fatalf("track: %v", err)
		}
		defer tr.Close()
		for len(stream) > 0 {
			n := rapid.IntRange(1, len(stream)).Draw(t, "batch")
			if err := tr.Apply(ctx, stream[:n]...); err != nil {
				t.Fatalf("apply: %v", err)
			}
			stream = stream[n:]
			at := rapid.SampledFrom(reportAt).Draw(t, "reportAt")
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
		}
	})
}
