package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
)

// trackerSince is a tracker of plan, without a store, that tells the
// notifications from since (WithNotificationsSince); the test closes it.
func trackerSince(t *testing.T, plan *goalkit.Plan, since time.Time) *goalkit.Tracker {
	t.Helper()
	tr, err := plan.Track(context.Background(), nil, goalkit.WithNotificationsSince(since))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = tr.Close() })
	return tr
}

// annaCall applies anna's call id at the instant at, known at known (zero:
// always).
func annaCall(t *testing.T, tr *goalkit.Tracker, id string, at, known time.Time) {
	t.Helper()
	if err := tr.Apply(context.Background(), kpi.Event{ID: id, Kind: "call", Actor: "anna", Time: at, Known: known}); err != nil {
		t.Fatal(err)
	}
}
