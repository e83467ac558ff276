package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/internal/enginetest"
)

// A tick says what it committed: its instant when it moves time on, the
// records of the goals it closed, the notifications it emitted; nothing
// (and no batch) for a tick at or before the last one's instant, also
// after a restart. The goal closes itself and notifies nobody, so that a
// tick closes it with no notification.
func TestTickCommitted(t *testing.T) {
	ctx := context.Background()
	plan := parsePlan(t, enginetest.ClosingPlan)
	store := memory.NewTrackStore()
	tr := startTrackerOn(t, plan, store)
	// A zone of an odd offset: the instant committed is the same, in UTC.
	zone := time.FixedZone("", 5*3600+45*60)
	march31 := time.Date(2025, 3, 31, 12, 0, 0, 0, time.UTC)
	april2 := time.Date(2025, 4, 2, 12, 0, 0, 0, time.UTC)
	type want struct {
		records       []string // goal/participant/period start of each record
		notifications int
		tick          time.Time
	}
	step := func(what string, at time.Time, w want) {
		t.Helper()
		batches := store.Len()
		c, err := tr.TickCommitted(ctx, at)
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		var recs []string
		for _, r := range c.Records {
			recs = append(recs, r.Goal+"/"+r.Participant+"/"+r.PeriodStart.String())
		}
		if len(recs) != len(w.records) || len(c.Notifications) != w.notifications || !c.Tick.Equal(w.tick) || c.Tick.Location() != time.UTC {
			t.Errorf("%s: committed records %v, %d notifications, tick %v; want %v, %d, %v", what, recs, len(c.Notifications), c.Tick, w.records, w.notifications, w.tick)
		}
		for i := range recs {
			if i < len(w.records) && recs[i] != w.records[i] {
				t.Errorf("%s: record %d is %s, want %s", what, i, recs[i], w.records[i])
			}
		}
		// Something committed is one batch; nothing, none.
		nothing := len(w.records) == 0 && w.notifications == 0 && w.tick.IsZero()
		if grew := store.Len() - batches; nothing && grew != 0 || !nothing && grew != 1 {
			t.Errorf("%s: %d batches committed", what, grew)
		}
	}
	step("a first tick in March", march31.In(zone), want{tick: march31})
	step("the same instant again", march31, want{})
	step("the tick that closes March", april2, want{records: []string{"won_user/n1/2025-03-01"}, tick: april2})
	step("a tick back in time", march31, want{})
	tr = restartTracker(t, plan, tr, store)
	step("the same instant after a restart", april2, want{})
	later := april2.Add(time.Hour)
	step("an hour later", later, want{tick: later})
}
