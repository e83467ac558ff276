package goalkit_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// Tick says every transition is noticed once "whatever the rate of the
// ticks", and an automatic close closes an instance "when it ends (plus
// after_days)", its result frozen by the record of the close. The record a
// tick makes is the tick's own instant and values (goal.Set.Tick calls
// Close as of req.AsOf): a late call for February, known on 2 March,
// after February closed on 1 March, is held against the frozen 3 (a
// correction) by a tracker that ticked on 1 March, and frozen into the
// result (4, closed on 3 March, no correction) by one that ticked only on
// 3 March. Two trackers of the same versions report differently as of the
// same instant, by the rate of their ticks alone. The record should be
// taken as of the close (closeAt, counting the versions known then).
func TestAutomaticCloseWhateverTheTickRate(t *testing.T) {
	ctx := context.Background()
	plan := callsPlan(t, "2025-02-01", "2025-04-01", "    participants: {users: [anna]}\n    close: {auto: true}\n")
	day := func(m time.Month, d, h int) time.Time { return time.Date(2025, m, d, h, 0, 0, 0, time.UTC) }
	var early []kpi.Event
	for i := range 3 {
		early = append(early, kpi.Event{ID: string(rune('a' + i)), Kind: "call", Actor: "anna", Time: day(2, 3+i, 10), Known: day(2, 3+i, 10)})
	}
	late := kpi.Event{ID: "late", Kind: "call", Actor: "anna", Time: day(2, 20, 10), Known: day(3, 2, 12)}
	report := func(ticks []time.Time) []byte {
		tr := startTracker(t, plan)
		if err := tr.Apply(ctx, early...); err != nil {
			t.Fatal(err)
		}
		applied := false
		for _, at := range ticks {
			if !applied && !at.Before(late.Known) {
				if err := tr.Apply(ctx, late); err != nil {
					t.Fatal(err)
				}
				applied = true
			}
			if _, err := tr.Tick(ctx, at); err != nil {
				t.Fatal(err)
			}
		}
		rep := mustReport(t, tr, day(3, 3, 12))
		return reportJSON(t, rep)
	}
	daily := report([]time.Time{day(2, 28, 12), day(3, 1, 12), day(3, 2, 12), day(3, 3, 12)})
	once := report([]time.Time{day(2, 28, 12), day(3, 3, 12)})
	if !bytes.Equal(daily, once) {
		t.Errorf("ticking daily and ticking once, the same versions report differently:\n%s", firstDiff(daily, once))
	}
}

// A tracker whose first tick comes after an automatic close (a service
// started in March, February's calls applied then, each known from the
// instant it was applied) closes February with every version it holds: it
// saw nothing before, so nothing was frozen earlier. The record holds the
// 3 calls, dated at the close.
func TestFirstTickAfterTheCloseCountsWhatIsKnown(t *testing.T) {
	ctx := context.Background()
	plan := callsPlan(t, "2025-02-01", "2025-04-01", "    participants: {users: [anna]}\n    close: {auto: true}\n")
	day := func(m time.Month, d, h int) time.Time { return time.Date(2025, m, d, h, 0, 0, 0, time.UTC) }
	tr := startTracker(t, plan)
	for i := range 3 {
		if err := tr.Apply(ctx, kpi.Event{ID: string(rune('a' + i)), Kind: "call", Actor: "anna", Time: day(2, 3+i, 10), Known: day(3, 5, 9)}); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := tr.Tick(ctx, day(3, 5, 12)); err != nil {
		t.Fatal(err)
	}
	recs, err := trackerRecords(tr)
	if err != nil || len(recs) != 1 {
		t.Fatalf("records %+v, %v", recs, err)
	}
	r := recs[0]
	if !r.Actual.Valid || !r.Actual.Decimal.Equal(decimal.NewFromInt(3)) || !r.ClosedAt.Equal(day(3, 1, 0)) {
		t.Errorf("record: actual %v closed at %v, want 3 closed at %v", r.Actual, r.ClosedAt, day(3, 1, 0))
	}
}
