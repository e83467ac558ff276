package serve

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/internal/enginetest"
)

// A tick that closes goals without a notification to emit (a goal that
// closes itself and notifies nobody) still makes the reports cached before
// it stale: the next report shows the instance closed.
func TestTickWithRecordsOnlyDropsCachedReports(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, enginetest.ClosingPlan)
	now := time.Date(2025, 3, 31, 12, 0, 0, 0, time.UTC)
	f := planFixture(t, plan, nil, func(c *Config) { c.Now = func() time.Time { return now } })
	srv := f.srv
	srv.tick(ctx) // March is open
	// A March deal posted on 2 April: known after March closed, so the
	// record of the close (1 April) holds 0 and the deal is a correction.
	now = time.Date(2025, 4, 2, 12, 0, 0, 0, time.UTC)
	f.post(deal("d1", "n1", "5", time.Date(2025, 3, 20, 10, 0, 0, 0, time.UTC)))
	corrected := func() bool {
		w := f.do("GET", "/api/v1/report", adminToken, "", nil)
		if w.Code != 200 {
			t.Fatalf("report: %d %s", w.Code, w.Body)
		}
		return strings.Contains(w.Body.String(), `"corrections"`)
	}
	if corrected() {
		t.Fatal("a correction before the tick that closed March")
	}
	srv.tick(ctx)
	if !corrected() {
		t.Error("after the tick that closed March, the report shows no correction of its record (a report cached before the tick)")
	}
}
