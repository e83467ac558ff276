package sqlcoretest

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goalkittest"
)

// The checks of a host's table (TestNullColumns, TestPushActors,
// TestDuplicateIDs) put their rows in March 2025, in UTC.

// marchBounds are the bounds of March 2025 for a push.
func marchBounds() []time.Time {
	return []time.Time{time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)}
}

// marchPlan compiles a plan of March 2025 whose one indicator, id, counts
// the events of kind.
func marchPlan(t *testing.T, id, kind string) *goalkit.Plan {
	t.Helper()
	return goalkittest.CompilePlan(t, `
timezone: UTC
indicators:
  - {id: `+id+`, kinds: [`+kind+`], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`)
}
