package serve

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// The same event file given at every start changes nothing: a version it
// applied before is not applied again, even once the API has corrected or
// retracted its event since, before and after a restart; a version the
// file has newly is applied.
func TestSeedAppliesAVersionOnce(t *testing.T) {
	f := newFixture(t, nil)
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	file := []kpi.Event{deal("a", "n2", "1000", at), deal("b", "n2", "500", at), deal("c", "n2", "20", at)}
	// c came through the API first: the file's c is the same version.
	f.post(deal("c", "n2", "20", at))
	f.wantSeeded(file, 2)
	f.wantRevenue("n2", "1520") // 1000 + 500 + 20
	// a corrected, b retracted through the API.
	f.post(deal("a", "n2", "7000", at), kpi.Event{ID: "b", Deleted: true})
	f.wantRevenue("n2", "7020")
	f.wantSeeded(file, 0)
	f.wantRevenue("n2", "7020")

	f.restart()
	f.wantRevenue("n2", "7020")
	f.wantSeeded(file, 0)
	f.wantRevenue("n2", "7020")
	// The file edited: c's new version is applied, the others are not.
	file[2] = deal("c", "n2", "30", at)
	f.wantSeeded(file, 1)
	f.wantRevenue("n2", "7030")
	f.wantSeeded(file, 0)
	// Every version of the file unchanged: nothing to commit.
	f.post(deal("c", "n2", "40", at))
	f.wantSeeded(file, 0)
	f.wantRevenue("n2", "7040")
}

// wantRevenue fails the test unless the participant's revenue in the plan's
// first period, as an admin's explanation gives it, is want.
func (f *fixture) wantRevenue(participant, want string) {
	f.t.Helper()
	ex, err := f.srv.Explain(context.Background(), goal.Viewer{Admin: true}, testNow, cellOf(f, "revenue", participant))
	if err != nil {
		f.t.Fatal(err)
	}
	if !ex.Value.Valid || !ex.Value.Decimal.Equal(decimal.RequireFromString(want)) {
		f.t.Fatalf("%s's revenue is %v, want %s", participant, ex.Value, want)
	}
}

// wantSeeded seeds the server with events and fails the test unless it
// applies want of their versions.
func (f *fixture) wantSeeded(events []kpi.Event, want int) {
	f.t.Helper()
	n, err := f.srv.Seed(context.Background(), events)
	if err != nil || n != want {
		f.t.Fatalf("Seed of %d events: %d applied (%v), want %d", len(events), n, err, want)
	}
}
