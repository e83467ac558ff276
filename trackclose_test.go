package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
)

// Tracker.CloseGoal gives what Plan.CloseGoal gives over the same events,
// commits the records with the tracker's store, so that the report and a
// restarted tracker freeze the closed instance, and emits each period_closed
// notification once.
func TestTrackerCloseGoal(t *testing.T) {
	ctx := context.Background()
	def := seedDef(t)
	notifyLeadsClosed(def)
	plan := compile(t, def)
	loc := plan.Calendar().Location()
	store := memory.NewTrackStore()
	opts := []goalkit.EvalOption{goalkit.WithDirectory(seedDirectory{})}
	tr, events := seedTracker(t, plan, store)
	if err := tr.Apply(ctx, events...); err != nil {
		t.Fatal(err)
	}
	march, err := plan.Calendar().ParseLabel("2025-03")
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 4, 2, 9, 0, 0, 0, loc)
	want, err := plan.CloseGoal(ctx, kpi.Events(events), at, "leads50", march, opts...)
	if err != nil {
		t.Fatal(err)
	}
	got, committed, err := tr.CloseGoal(ctx, at, "leads50", march)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Records) == 0 || len(got.Records) != len(want.Records) || len(got.Notifications) != len(want.Notifications) || len(want.Notifications) == 0 {
		t.Fatalf("records %d (want %d), notifications %d (want %d)", len(got.Records), len(want.Records), len(got.Notifications), len(want.Notifications))
	}
	// The first close commits every record and notification of the
	// closing: none was committed before.
	if len(committed.Records) != len(want.Records) || len(committed.Notifications) != len(want.Notifications) || !committed.Tick.IsZero() {
		t.Errorf("the first close committed %d records, %d notifications and the tick %v; want %d, %d and none",
			len(committed.Records), len(committed.Notifications), committed.Tick, len(want.Records), len(want.Notifications))
	}
	for i := range committed.Records {
		if committed.Records[i].Participant != want.Records[i].Participant {
			t.Errorf("committed record %d of %s, want %s", i, committed.Records[i].Participant, want.Records[i].Participant)
		}
	}
	for i := range want.Records {
		w, g := want.Records[i], got.Records[i]
		if w.Participant != g.Participant || w.Actual.Decimal.String() != g.Actual.Decimal.String() || w.Actual.Valid != g.Actual.Valid || w.Status != g.Status {
			t.Errorf("record %d: got %+v, want %+v", i, g, w)
		}
	}
	// A correction after the close: the instance stays frozen, also after
	// a restart.
	fix := events[0]
	fix.ID = "late-lead"
	fix.Time = time.Date(2025, 3, 30, 10, 0, 0, 0, loc)
	if err := tr.Apply(ctx, fix); err != nil {
		t.Fatal(err)
	}
	check := func(tr *goalkit.Tracker) {
		t.Helper()
		rep := mustReport(t, tr, at)
		for _, row := range rep.Goals.Rows {
			if row.Goal != "leads50" || row.Period != march {
				continue
			}
			for _, r := range got.Records {
				if r.Participant == row.Participant && (row.State != goal.StateClosed || !row.Actual.Decimal.Equal(r.Actual.Decimal)) {
					t.Errorf("%s: state %s actual %s, want closed at %s", row.Participant, row.State, row.Actual.Decimal, r.Actual.Decimal)
				}
			}
		}
	}
	check(tr)
	batches := store.Len()
	again, committed, err := tr.CloseGoal(ctx, at, "leads50", march)
	if err != nil || len(again.Notifications) != 0 {
		t.Fatalf("closing again: %v, %d notifications", err, len(again.Notifications))
	}
	if committed.Records != nil || committed.Notifications != nil || !committed.Tick.IsZero() || store.Len() != batches {
		t.Errorf("closing again committed %+v, %d batches (%d before); want nothing", committed, store.Len(), batches)
	}
	check(restartTracker(t, plan, tr, store, opts...))
}

// A tick or a close at an instant outside the years 1678 to 2261, which a
// tracker's store keeps as int64 nanoseconds, is refused naming it, and
// nothing is committed; a close at 2300 succeeded and committed records
// whose closed_at an SQL store could not keep or read back. A report as of
// such an instant commits nothing and is answered; instants at the ends of
// the years are kept.
func TestTrackerRefusesInstantsItsStoreCannotKeep(t *testing.T) {
	ctx := context.Background()
	plan := parsePlan(t, enginetest.ClosingPlan)
	store := memory.NewTrackStore()
	tr := startTrackerOn(t, plan, store)
	if err := tr.Apply(ctx, kpi.Event{ID: "w1", Kind: "deal.won", Actor: "n1", Time: time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	march, err := plan.Calendar().ParseLabel("2025-03")
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []time.Time{
		time.Date(2300, 1, 2, 0, 0, 0, 0, time.UTC),
		time.Date(2262, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(1677, 12, 31, 23, 0, 0, 0, time.UTC),
		time.Date(1600, 1, 2, 0, 0, 0, 0, time.UTC),
		// 2261-12-31 22:00 UTC, in a zone where the year 2262 has begun.
		time.Date(2262, 1, 1, 1, 0, 0, 0, time.FixedZone("", 3*3600)),
	} {
		tail := " " + at.Format(time.RFC3339Nano) + " is outside the years 1678 to 2261 in which a tracker's store keeps instants: give one inside them (a clock that reads so is set wrong)"
		batches := store.Len()
		if _, _, err := tr.CloseGoal(ctx, at, "won_user", march); err == nil || err.Error() != "goalkit: Tracker.CloseGoal: asOf"+tail {
			t.Errorf("CloseGoal at %s: %v", at, err)
		}
		if _, err := tr.Tick(ctx, at); err == nil || err.Error() != "goalkit: Tracker.Tick: asOf"+tail {
			t.Errorf("Tick at %s: %v", at, err)
		}
		if _, err := tr.TickCommitted(ctx, at); err == nil || err.Error() != "goalkit: Tracker.TickCommitted: asOf"+tail {
			t.Errorf("TickCommitted at %s: %v", at, err)
		}
		if got := store.Len() - batches; got != 0 {
			t.Errorf("at %s: %d batches committed", at, got)
		}
		if _, err := tr.Report(ctx, at); err != nil {
			t.Errorf("Report as of %s: %v", at, err)
		}
	}
	if recs := len(tr.Indicators().Closed()); recs != 0 {
		t.Errorf("%d closed records or ticks kept", recs)
	}
	// The last instant of 2261 is kept, and so is its record's closed_at.
	last := time.Date(2261, 12, 31, 23, 59, 59, 999999999, time.UTC)
	cl, c, err := tr.CloseGoal(ctx, last, "won_user", march)
	if err != nil {
		t.Fatal(err)
	}
	if len(c.Records) != 1 || !cl.Records[0].ClosedAt.Equal(last) {
		t.Errorf("close at %s: %d records committed, closed at %v", last, len(c.Records), cl.Records[0].ClosedAt)
	}
	if c, err := tr.TickCommitted(ctx, last); err != nil || !c.Tick.Equal(last) {
		t.Errorf("tick at %s: %v, committed tick %v", last, err, c.Tick)
	}
}
