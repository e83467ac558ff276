package kpi_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestTrackerSingleEventsMatchBatch applies random versions one per Apply
// (the check then hands the table the codes of the attribute values its
// cache holds) to a tracker without a store, whose events share attribute
// values boxed once (found in the cache, as a host replaying a buffer
// does) or carry values boxed anew, with refused events in between, and
// compares every read with a batch evaluation of the versions applied.
func TestTrackerSingleEventsMatchBatch(t *testing.T) {
	// Values boxed once, shared by every event that draws them.
	shared := map[string][]any{
		"source":   {"web", "partner", "ads"},
		"pipeline": {int64(1), int64(2), int64(300)},
		"vip":      {true, false},
		"score":    {decimal.RequireFromString("0.5"), decimal.RequireFromString("12.25")},
	}
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		set, req := drawTracking(t)
		tr, err := set.Track(ctx, req, nil)
		if err != nil {
			t.Fatal(err)
		}
		var applied []kpi.Event
		for _, e := range genStream(t, req.Calendar, req.Periods) {
			if !e.Deleted && len(e.Attrs) > 0 {
				attrs := make(map[string]any, len(e.Attrs))
				for name, v := range e.Attrs {
					if pool := shared[name]; len(pool) > 0 && rapid.Bool().Draw(t, "shared") {
						v = pool[rapid.IntRange(0, len(pool)-1).Draw(t, "value")]
					}
					attrs[name] = v
				}
				e.Attrs = attrs
			}
			if !e.Deleted && rapid.IntRange(0, 9).Draw(t, "refused") == 0 {
				bad := e
				bad.Attrs = map[string]any{"source": "web", "weight": 1.5} // float64: refused
				if err := tr.Apply(ctx, bad); err == nil {
					t.Fatalf("event %q with a float attribute applied", bad.ID)
				}
			}
			if err := tr.Apply(ctx, e); err != nil {
				t.Fatal(err)
			}
			applied = append(applied, e)
			if rapid.IntRange(0, 3).Draw(t, "read") == 0 {
				sameResult(t, "read", must(t)(tr.Result(ctx, time.Time{})), batchOf(t, set, req, applied))
			}
		}
		sameResult(t, "end", must(t)(tr.Result(ctx, time.Time{})), batchOf(t, set, req, applied))
	})
}
