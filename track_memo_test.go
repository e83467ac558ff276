package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// A version applied before one report and known only after its instant
// reaches the rows at Since of a later report: a report on the next day
// must not take the rows at Since of the one before (they were computed
// without it). anna's web lead of 6 January becomes known on 10 February:
// as of 2 February (Since 1 February) the week is achieved at AsOf only, an
// achieved notification; as of 3 March (Since 2 March) the lead is known at
// both instants and nothing is emitted, as Evaluate says.
func TestTrackerReportSinceCountsVersionsKnownSince(t *testing.T) {
	ctx := context.Background()
	plan := parsePlan(t, `timezone: Europe/Berlin
indicators:
  - id: leads
    kinds: [lead.created]
    aggregate: count
report: {grain: week, from: 2025-01-06, to: 2025-03-10}
goals:
  - id: g
    indicator: leads
    target: 1
    period: {from: 2025-01-06, every: week}
    participants: {users: [anna]}
    notify: [{on: achieved}]
`)
	loc := plan.Calendar().Location()
	lead := kpi.Event{ID: "1", Kind: "lead.created", Actor: "anna", Time: time.Date(2025, 1, 6, 10, 0, 0, 0, loc),
		Known: time.Date(2025, 2, 10, 0, 0, 0, 0, loc)}
	later := kpi.Event{ID: "2", Kind: "lead.created", Actor: "boris", Time: time.Date(2025, 2, 20, 10, 0, 0, 0, loc)}
	tr, err := plan.Track(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	check := func(asOf time.Time, want int, events ...kpi.Event) {
		t.Helper()
		got, err := tr.Report(ctx, asOf)
		if err != nil {
			t.Fatal(err)
		}
		fresh, err := plan.Evaluate(ctx, storeOf(t, loc, events...), asOf)
		if err != nil {
			t.Fatal(err)
		}
		sameReport(t, asOf.String(), got, fresh)
		if n := len(got.Goals.Notifications); n != want {
			t.Fatalf("as of %s: %d notifications, want %d: %+v", asOf, n, want, got.Goals.Notifications)
		}
	}
	if err := tr.Apply(ctx, lead); err != nil {
		t.Fatal(err)
	}
	check(time.Date(2025, 2, 2, 12, 0, 0, 0, loc), 1, lead)
	if err := tr.Apply(ctx, later); err != nil {
		t.Fatal(err)
	}
	check(time.Date(2025, 3, 3, 12, 0, 0, 0, loc), 0, lead, later)
	// The same again without the Apply between: no change noted at all.
	check(time.Date(2025, 2, 2, 12, 0, 0, 0, loc), 1, lead, later)
	check(time.Date(2025, 3, 3, 12, 0, 0, 0, loc), 0, lead, later)
}
