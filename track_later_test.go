package goalkit_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"pgregory.net/rapid"
)

// A dashboard reports as of the moment it polls: a tracker's reports at
// instants that move on by a second, a minute or an hour, to just before
// or after a local midnight or the end of a period, now and then back,
// with batches applied between them, are each the report a fresh
// evaluation of the same events gives at that instant (Plan.Evaluate over
// the tracker's events): its JSON, the instant of its goals and the date
// and rank of each row.
func TestTrackerReportsLater(t *testing.T) {
	ctx := context.Background()
	rapid.Check(t, func(t *rapid.T) {
		plan, stream, opts, instants := goalScenario(t)
		cal := plan.Calendar()
		periods := plan.Periods()
		at := instants.Draw(t, "start")
		// next moves at on as a poll would, or to just around the next
		// local midnight or period end, or back a little.
		next := func() time.Time {
			switch rapid.IntRange(0, 5).Draw(t, "step") {
			case 0:
				return at.Add(time.Second)
			case 1:
				return at.Add(time.Duration(rapid.IntRange(1, 3600).Draw(t, "seconds")) * time.Second)
			case 2:
				midnight := cal.Midnight(cal.Date(at) + 1)
				return midnight.Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "aroundMidnight")) * time.Second)
			case 3:
				for _, p := range periods {
					if _, end := cal.Bounds(p); end.After(at) {
						return end.Add(time.Duration(rapid.IntRange(-1, 1).Draw(t, "aroundEnd")) * time.Second)
					}
				}
				return at.Add(time.Hour)
			case 4:
				return at.Add(-time.Duration(rapid.IntRange(1, 7200).Draw(t, "back")) * time.Second)
			}
			return at
		}
		tr, err := plan.Track(ctx, nil, opts...)
		if err != nil {
			t.Fatalf("track: %v", err)
		}
		defer tr.Close()
		for len(stream) > 0 {
			n := rapid.IntRange(0, len(stream)).Draw(t, "batch")
			if n > 0 {
				if err := tr.Apply(ctx, stream[:n]...); err != nil {
					t.Fatalf("apply: %v", err)
				}
				stream = stream[n:]
			}
			for range rapid.IntRange(1, 3).Draw(t, "reports") {
				at = next()
				what := "report at " + at.Format(time.RFC3339)
				rep, err := tr.Report(ctx, at)
				if err != nil {
					t.Fatalf("%s: %v", what, err)
				}
				fresh, err := plan.Evaluate(ctx, tr.Indicators(), at, opts...)
				if err != nil {
					t.Fatalf("%s, fresh: %v", what, err)
				}
				if got, want := reportJSON(t, rep), reportJSON(t, fresh); !bytes.Equal(got, want) {
					t.Fatalf("%s differs from a fresh evaluation:\n%s\nwant:\n%s", what, got, want)
				}
				if rows, want := rowStamps(rep), rowStamps(fresh); rows != want {
					t.Fatalf("%s: rows\n%s\nfresh\n%s", what, rows, want)
				}
			}
		}
	})
}
