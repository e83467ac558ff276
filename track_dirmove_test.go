package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
)

// A tracker loads the directory at each report (its goals follow a person
// who moves to another team, memory.Directory.Move), and a report is "the
// same as Plan.Evaluate over the applied events": the values of the
// teams' rows too, not only the goals'. After bob moves from d2 to d1 on
// 10 March, his calls from then on count for d1.
func TestTrackerReportAfterDirectoryMove(t *testing.T) {
	ctx := context.Background()
	plan := callsPlan(t, "2025-03-01", "2025-04-01", "    participants: {teams: [d1]}\n")
	dir, err := memory.NewDirectory([]org.Unit{{ID: "co"}, {ID: "d1", Parent: "co"}, {ID: "d2", Parent: "co"}},
		[]org.Membership{{User: "anna", Unit: "d1"}, {User: "bob", Unit: "d2"}})
	if err != nil {
		t.Fatal(err)
	}
	opts := []goalkit.EvalOption{goalkit.WithDirectory(dir)}
	tr := startTracker(t, plan, opts...)
	var evs []kpi.Event
	for i, a := range []string{"anna", "bob", "bob", "bob"} {
		evs = append(evs, kpi.Event{ID: string(rune('a' + i)), Kind: "call", Actor: a, Time: time.Date(2025, 3, 11+i, 10, 0, 0, 0, time.UTC)})
	}
	if err := tr.Apply(ctx, evs...); err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC)
	check := func(what string) {
		t.Helper()
		sameAsFresh(t, plan, tr, at, opts, nil, what+": the tracker's report")
	}
	check("before the move")
	if err := dir.Move("bob", "d1", date.New(2025, 3, 10)); err != nil {
		t.Fatal(err)
	}
	check("after bob moved to d1")
}
