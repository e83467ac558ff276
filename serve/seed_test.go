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
	ctx := context.Background()
	f := newFixture(t, nil)
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	file := []kpi.Event{deal("a", "n2", "1000", at), deal("b", "n2", "500", at), deal("c", "n2", "20", at)}
	revenue := func(want string) {
		t.Helper()
		ex, err := f.srv.Explain(ctx, goal.Viewer{Admin: true}, testNow, cellOf(f, "revenue", "n2"))
		if err != nil {
			t.Fatal(err)
		}
		if !ex.Value.Valid || !ex.Value.Decimal.Equal(decimal.RequireFromString(want)) {
			t.Fatalf("n2's revenue is %v, want %s", ex.Value, want)
		}
	}
	seed := func(events []kpi.Event, want int) {
		t.Helper()
		n, err := f.srv.Seed(ctx, events)
		if err != nil || n != want {
			t.Fatalf("Seed: %d applied (%v), want %d", n, err, want)
		}
	}
	// c came through the API first: the file's c is the same version.
	f.post(deal("c", "n2", "20", at))
	seed(file, 2)
	revenue("1520") // 1000 + 500 + 20
	// a corrected, b retracted through the API.
	f.post(deal("a", "n2", "7000", at), kpi.Event{ID: "b", Deleted: true})
	revenue("7020")
	seed(file, 0)
	revenue("7020")

	f.restart()
	revenue("7020")
	seed(file, 0)
	revenue("7020")
	// The file edited: c's new version is applied, the others are not.
	file[2] = deal("c", "n2", "30", at)
	seed(file, 1)
	revenue("7030")
	seed(file, 0)
	// Every version of the file unchanged: nothing to commit.
	f.post(deal("c", "n2", "40", at))
	seed(file, 0)
	revenue("7040")
}
