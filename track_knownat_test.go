package goalkit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
)

// A tracker's Report with WithKnownAt counts, in its values as in its
// goals, only the versions known at that instant: it equals Plan.Evaluate
// over the same versions with the same option.
func TestTrackerReportKnownAt(t *testing.T) {
	ctx := context.Background()
	plan := seedPlan(t)
	loc := plan.Calendar().Location()
	tr, events := seedTracker(t, plan, nil)
	var applied []kpi.Event
	late := time.Date(2025, 3, 20, 12, 0, 0, 0, loc)
	for _, e := range events {
		e.Known = e.Time.Add(time.Minute)
		applied = append(applied, e)
	}
	// Corrections known late: every deal's amount doubled, the first
	// event retracted.
	for _, e := range events {
		if e.Amount.Valid && e.Time.Before(late) {
			e.Amount.Decimal = e.Amount.Decimal.Add(e.Amount.Decimal)
			e.Known = late
			applied = append(applied, e)
		}
	}
	applied = append(applied, kpi.Event{ID: events[0].ID, Deleted: true, Known: late})
	if err := tr.Apply(ctx, applied...); err != nil {
		t.Fatal(err)
	}
	store := storeOf(t, loc, applied...)
	asOf := time.Date(2025, 3, 31, 12, 0, 0, 0, loc)
	for _, known := range []time.Time{late.Add(-time.Hour), late, asOf} {
		opts := []goalkit.EvalOption{goalkit.WithDirectory(seedDirectory{}), goalkit.WithKnownAt(known)}
		want := mustEvaluate(t, plan, store, asOf, opts...)
		got := mustReport(t, tr, asOf, goalkit.WithKnownAt(known))
		sameReport(t, "known at "+known.String(), got, want)
	}
}

// A tracker's Report with WithParticipants of someone without events has
// their rows, as Plan.Evaluate has.
func TestTrackerReportAddedParticipant(t *testing.T) {
	ctx := context.Background()
	plan := seedPlan(t)
	tr, events := seedTracker(t, plan, nil)
	if err := tr.Apply(ctx, events...); err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2025, 3, 31, 12, 0, 0, 0, plan.Calendar().Location())
	for _, who := range []string{"anna", "newcomer"} {
		want := mustEvaluate(t, plan, storeOf(t, plan.Calendar().Location(), events...), asOf,
			goalkit.WithDirectory(seedDirectory{}), goalkit.WithParticipants(who))
		got := mustReport(t, tr, asOf, goalkit.WithParticipants(who))
		sameReport(t, who, got, want)
	}
}

// Track refuses WithKnownAt: the live values count every version applied
// and Tick reports what is known at each tick, so a tracker as of a fixed
// knowledge instant would give a report whose values count versions its
// goals do not (and a Tick that fails). A report's own WithKnownAt and
// AsKnownAt give that view.
func TestTrackRefusesKnownAt(t *testing.T) {
	plan := callsPlan(t, "2025-03-01", "2025-04-01", "    participants: {users: [anna]}\n")
	tr, err := plan.Track(context.Background(), nil, goalkit.WithKnownAt(time.Date(2025, 3, 15, 0, 0, 0, 0, time.UTC)))
	if err == nil {
		tr.Close()
		t.Fatal("Track took WithKnownAt")
	}
	if !strings.Contains(err.Error(), "WithKnownAt") {
		t.Errorf("the error does not name the option: %v", err)
	}
}
