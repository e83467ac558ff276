package goalkit_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
)

// A tick at an instant before the previous tick's (a host clock stepped
// back, or two tickers of one tracker whose calls cross, as in
// TestTrackerConcurrentTicks) notices nothing that did not happen: no
// event changed, the goal achieved on 5 March (its 5 calls) stays achieved, and the
// report says so. Today the tick back at 3 March judges the instance
// before the call that achieved it and emits achievement_revoked; the
// achieved key being in the ledger, the ticks after it never say
// achieved again, so the participant's last word is a revocation that
// never happened.
func TestTrackerTickBackInTimeRevokesNothing(t *testing.T) {
	plan := callsPlan(t, "2025-03-01", "2025-05-01", `    participants: {users: [anna]}
    notify: [{on: achieved}]
`)
	tr := startTracker(t, plan)
	day := func(d int) time.Time { return time.Date(2025, 3, d, 12, 0, 0, 0, time.UTC) }
	for i := range 5 { // the goal's 5 calls
		annaCall(t, tr, strconv.Itoa(i), day(5), time.Time{})
	}
	var kinds []goal.NotifyKind
	for _, d := range []int{10, 3, 11} {
		ns := mustTick(t, tr, day(d))
		for _, n := range ns {
			kinds = append(kinds, n.Kind)
			if n.Kind == goal.NotifyKind("achievement_revoked") {
				t.Errorf("the tick at %s (after one at %s) emitted %s, though no event changed", day(d).Format(time.DateOnly), day(10).Format(time.DateOnly), n.Key)
			}
		}
	}
	t.Logf("notifications: %v", kinds)
	rep := mustReport(t, tr, day(11))
	if rows := rep.Goals.Rows; len(rows) == 0 || rows[0].Status != goal.Status("achieved") {
		t.Fatalf("the report of 11 March: %+v", rows)
	}
}
