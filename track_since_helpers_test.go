package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
)

// annaCall applies anna's call id at the instant at, known at known (zero:
// always).
func annaCall(t *testing.T, tr *goalkit.Tracker, id string, at, known time.Time) {
	t.Helper()
	if err := tr.Apply(context.Background(), kpi.Event{ID: id, Kind: "call", Actor: "anna", Time: at, Known: known}); err != nil {
		t.Fatal(err)
	}
}

// evaluatedSince is what Plan.Evaluate of tr's events as of at, with the
// notifications from since (WithNotificationsSince), notifies.
func evaluatedSince(t tb, plan *goalkit.Plan, tr *goalkit.Tracker, at, since time.Time) []goal.Notification {
	t.Helper()
	rep := mustEvaluate(t, plan, tr.Indicators(), at, goalkit.WithNotificationsSince(since))
	return rep.Goals.Notifications
}
