package sqlcoretest

import (
	"context"
	"database/sql"
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

// row is a call of a host's table for refill: its id, kind, time (as the
// test's at gives it), actor and offset (in the pipeline column, which a
// Mapping may read as the offset); its other columns are empty.
type row struct{ id, kind, at, actor, off any }

// refill empties the host's table and inserts rows into it with insert (as
// for InsertMapped), in order. It returns the error of an insert, which a
// column that takes only its type gives; the table then holds the rows
// before it.
func refill(t *testing.T, db *sql.DB, table, insert string, rows ...row) error {
	t.Helper()
	ctx := context.Background()
	if _, err := db.ExecContext(ctx, "DELETE FROM "+table); err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if _, err := db.ExecContext(ctx, insert, r.id, r.kind, r.at, r.actor, nil, "", nil, r.off, nil); err != nil {
			return err
		}
	}
	return nil
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
