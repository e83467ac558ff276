package goalkit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
)

// A record closes an instance from its ClosedAt on: a report before it
// does not count it (goal.Request.Records). A tracker's reports just before
// and just after the instant a goal was closed (CloseGoal at T, reports at
// T-1h and T+1h, in either order, both long after the period's end) must
// each be a fresh evaluation's: closed with the record's frozen values
// after T, not closed before. The tracker keeps the first report's row of
// the period over (goal.Memo: lasting) although a record's ClosedAt falls
// between the two instants.
func TestTrackerReportsAroundARecord(t *testing.T) {
	plan := callsPlan(t, "2025-02-01", "2025-04-01", "    participants: {users: [anna]}\n")
	closedAt := time.Date(2025, 3, 10, 12, 0, 0, 0, time.UTC)
	for _, order := range [][]time.Duration{{-time.Hour, time.Hour}, {time.Hour, -time.Hour}} {
		tr, recs := februaryClosedThenLate(t, plan, closedAt)
		for _, d := range order {
			at := closedAt.Add(d)
			sameAsFresh(t, plan, tr, at, []goalkit.EvalOption{goalkit.WithRecords(recs...)}, nil,
				fmt.Sprintf("reports at %v then %v: the one at %v", closedAt.Add(order[0]), closedAt.Add(order[1]), at))
		}
		tr.Close()
	}
}

// februaryClosedThenLate starts a tracker of plan (a goal g over calls,
// from February) with anna's three calls of early February and those of
// more, closes February's instance at closedAt, and then applies a late
// February call, which the record does not count (it freezes 3): the
// tracker and its record.
func februaryClosedThenLate(t *testing.T, plan *goalkit.Plan, closedAt time.Time, more ...kpi.Event) (*goalkit.Tracker, []goal.Record) {
	t.Helper()
	ctx := context.Background()
	tr := startTracker(t, plan)
	for i := range 3 {
		e := kpi.Event{ID: string(rune('a' + i)), Kind: "call", Actor: "anna", Time: time.Date(2025, 2, 3+i, 10, 0, 0, 0, time.UTC)}
		if err := tr.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
	}
	if len(more) > 0 {
		if err := tr.Apply(ctx, more...); err != nil {
			t.Fatal(err)
		}
	}
	if _, _, err := tr.CloseGoal(ctx, closedAt, "g", plan.Periods()[0]); err != nil {
		t.Fatal(err)
	}
	if err := tr.Apply(ctx, kpi.Event{ID: "late", Kind: "call", Actor: "anna", Time: time.Date(2025, 2, 20, 10, 0, 0, 0, time.UTC)}); err != nil {
		t.Fatal(err)
	}
	recs, err := trackerRecords(tr)
	if err != nil || len(recs) != 1 {
		t.Fatalf("records %v, %v", recs, err)
	}
	return tr, recs
}

// A record of the period before counts in the rows of the periods after
// it: their Previous is the record's frozen value from its ClosedAt on. A
// tracker's reports on either side of the close of February, both after
// the end of March, must each be a fresh evaluation's: March's Previous is
// February's live count before the close and the frozen one after it,
// although March's own rows are those of a period over by both instants.
func TestTrackerReportsAroundARecordOfThePeriodBefore(t *testing.T) {
	plan := callsPlan(t, "2025-02-01", "2025-05-01", "    participants: {users: [anna]}\n")
	closedAt := time.Date(2025, 4, 10, 12, 0, 0, 0, time.UTC)
	march := kpi.Event{ID: "march", Kind: "call", Actor: "anna", Time: time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)}
	for _, order := range [][]time.Duration{{-time.Hour, time.Hour}, {time.Hour, -time.Hour}} {
		// The record freezes February's 3, the live count is 4.
		tr, recs := februaryClosedThenLate(t, plan, closedAt, march)
		for _, d := range order {
			at := closedAt.Add(d)
			rep := sameAsFresh(t, plan, tr, at, []goalkit.EvalOption{goalkit.WithRecords(recs...)}, nil,
				fmt.Sprintf("reports at %v then %v: the one at %v", closedAt.Add(order[0]), closedAt.Add(order[1]), at))
			want := "4"
			if d > 0 {
				want = "3"
			}
			for _, r := range rep.Goals.Rows {
				if r.Period == plan.Periods()[1] && (!r.Previous.Valid || r.Previous.Decimal.String() != want) {
					t.Errorf("at %v: March's previous %v, want %s", at, r.Previous, want)
				}
			}
		}
		tr.Close()
	}
}
