package goalkit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// A running formula (one that reads its own prev(): total =
// coalesce(prev(total), 0) + calls) reads every period from the first one
// requested, not just the one prev() names: kpi.Set.Lookback counts 1 for
// it, but a call in January changes the total of every month after. The
// reach of a goal row (goal/reach.go) is its period, Previous and the year
// before, each widened by Lookback: for June, April to June. A second call
// dated January is outside it, so a tracker's report as of 15 June kept
// the April..June rows of the report before (actual 1 where a fresh
// evaluation counts 2). A set with a formula that reads a formula's prev()
// is now treated as cumulative indicators are (every row after a change is
// computed again), and the report is the fresh evaluation's.
func TestTrackerReportsKeepRowsOfRunningFormulasOutsideReach(t *testing.T) {
	ctx := context.Background()
	plan := compile(t, parseDef(t, `timezone: UTC
indicators:
  - id: calls
    kinds: [call]
    aggregate: count
  - id: total
    formula: coalesce(prev(total), 0) + calls
report: {grain: month, from: 2024-01-01, to: 2025-01-01}
goals:
  - id: g
    indicator: total
    target: 3
    period: {from: 2024-01-01, every: month}
    participants: {users: [u1]}
`))
	tr := startTracker(t, plan)
	call := func(id string) kpi.Event {
		return kpi.Event{ID: id, Kind: "call", Actor: "u1", Time: time.Date(2024, 1, 10, 12, 0, 0, 0, time.UTC)}
	}
	at := time.Date(2024, 6, 15, 0, 0, 0, 0, time.UTC)
	for i, id := range []string{"a", "b"} {
		if err := tr.Apply(ctx, call(id)); err != nil {
			t.Fatal(err)
		}
		sameAsFresh(t, plan, tr, at, nil, nil, fmt.Sprintf("report %d", i+1))
	}
}
