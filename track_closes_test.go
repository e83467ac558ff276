package goalkit_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"pgregory.net/rapid"
)

// A tracker's reports, with goals closed by the host (CloseGoal) at any
// instant after the end of any of their periods between them, late
// versions of the periods closed, and the reports going back and forth
// around the closings, are each a fresh evaluation's with the same
// records: a record counts from its ClosedAt on, in the rows of its own
// period and in those that read it (Previous, YearAgo, a next target).
func TestTrackerReportsAroundHostCloses(t *testing.T) {
	ctx := context.Background()
	rapid.Check(t, func(t *rapid.T) {
		def := goalPlans().Draw(t, "plan")
		drawClosing(t, def, true)
		plan, stream, opts, instants := goalScenarioOf(t, def)
		cal := plan.Calendar()
		periods := plan.Periods()
		at := instants.Draw(t, "start")
		tr := startTracker(t, plan, opts...)
		var closings []time.Time
		applyInBatches(t, tr, stream, func() {
			if rapid.IntRange(0, 1).Draw(t, "close?") == 0 {
				rep := mustEvaluate(t, plan, tr.Indicators(), at, opts...)
				if rep.Goals != nil && len(rep.Goals.Rows) > 0 {
					r := rapid.SampledFrom(rep.Goals.Rows).Draw(t, "instance")
					_, end := cal.Bounds(r.Period)
					closeAt := end.Add(time.Duration(rapid.IntRange(0, 20*86400).Draw(t, "closeAfter")) * time.Second)
					if _, _, err := tr.CloseGoal(ctx, closeAt, r.Goal, r.Period); err != nil && !strings.Contains(err.Error(), "has not ended") {
						t.Fatalf("close %s %s at %s: %v", r.Goal, r.Label, closeAt, err)
					}
					closings = append(closings, closeAt)
				}
			}
			for range rapid.IntRange(1, 3).Draw(t, "reports") {
				if len(closings) > 0 && rapid.Bool().Draw(t, "aroundClose?") {
					c := rapid.SampledFrom(closings).Draw(t, "closing")
					at = c.Add(time.Duration(rapid.IntRange(-7200, 7200).Draw(t, "aroundClose")) * time.Second)
				} else {
					at = moveOn(t, cal, periods, at, instants)
				}
				ropts, what := drawReport(t, at)
				recs, err := trackerRecords(tr)
				if err != nil {
					t.Fatal(err)
				}
				sameAsFresh(t, plan, tr, at, append(slices.Clone(opts), goalkit.WithRecords(recs...)), ropts, what)
			}
		})
	})
}
