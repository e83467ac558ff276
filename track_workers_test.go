package goalkit_test

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
)

// WithWorkers says how many goroutines a report scans with (Report's
// doc: a report beside the writer leaves it a core "unless WithWorkers
// says how many"); it changes nothing a report holds. A tracker's report
// with it takes the live values and the goals' work of the last report
// as one without it does: it costs about the same, not an evaluation of
// every event again.
func TestTrackerReportWithWorkersTakesTheLiveValues(t *testing.T) {
	ctx := context.Background()
	plan := callsPlan(t, "2025-01-01", "2026-01-01", "    participants: {users: [anna, bob], company: true}\n")
	tr := startTracker(t, plan)
	start := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	batch := make([]kpi.Event, 0, 20000)
	for i := range 20000 {
		actor := []string{"anna", "bob"}[i%2]
		batch = append(batch, kpi.Event{ID: strconv.Itoa(i), Kind: "call", Actor: actor, Time: start.Add(time.Duration(i) * 20 * time.Minute)})
	}
	if err := tr.Apply(ctx, batch...); err != nil {
		t.Fatal(err)
	}
	at := start.Add(200 * 24 * time.Hour)
	cost := func(opts ...goalkit.EvalOption) float64 {
		return testing.AllocsPerRun(5, func() {
			if _, err := tr.Report(ctx, at, opts...); err != nil {
				t.Fatal(err)
			}
		})
	}
	elapsed := func(opts ...goalkit.EvalOption) time.Duration {
		start := time.Now()
		for range 5 {
			if _, err := tr.Report(ctx, at, opts...); err != nil {
				t.Fatal(err)
			}
		}
		return time.Since(start) / 5
	}
	plain, workers := cost(), cost(goalkit.WithWorkers(1))
	t.Logf("allocations a report: %.0f, with WithWorkers(1): %.0f; time %v and %v", plain, workers, elapsed(), elapsed(goalkit.WithWorkers(1)))
	if workers > 2*plain+100 {
		t.Errorf("a report with WithWorkers(1) allocates %.0f times, one without %.0f: it evaluates the events again", workers, plain)
	}
}
