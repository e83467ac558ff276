package goal

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// TestClosedRowSeriesEndsAtItsResult: the daily series of a closed row that
// keeps its frozen result counts the events known when it closed, so it
// ends at the result the row shows; a late event (known after the close)
// counted and the line ended above it. A restated row draws every event,
// as its result does.
func TestClosedRowSeriesEndsAtItsResult(t *testing.T) {
	for _, policy := range []Policy{Freeze, Restate} {
		t.Run(string(policy), func(t *testing.T) {
			s, cal := salesPlan(t, func(d *Def) { d.Close.Corrections = policy; d.Close.NextTarget = "" })
			closedAt := enginetest.At(cal, "2025-02-01 09:00")
			known := func(e kpi.Event, at time.Time) kpi.Event { e.Known = at; return e }
			src := events{known(deal(cal, "d1", "anna", "2025-01-10 10:00", "1200"), enginetest.At(cal, "2025-01-10 10:00"))}
			jan := cal.Containing(period.Month, d("2025-01-15"))
			ctx := context.Background()
			c, err := s.Close(ctx, snapshot(s, src), Request{AsOf: closedAt}, "sales", jan)
			if err != nil {
				t.Fatal(err)
			}
			// A deal of January that was entered after the close.
			late := append(src, known(deal(cal, "d2", "anna", "2025-01-20 10:00", "300"), enginetest.At(cal, "2025-02-03 10:00")))
			req := Request{AsOf: enginetest.At(cal, "2025-02-05 12:00"), From: d("2025-01-01"), To: d("2025-02-01"), Records: c.Records, Series: true}
			res, err := s.Evaluate(ctx, snapshot(s, late), req)
			if err != nil {
				t.Fatal(err)
			}
			r := rowFor(t, res, "sales", "anna")
			want := "1200"
			if policy == Restate {
				want = "1500"
			}
			if str(r.Actual) != want || r.State != StateClosed {
				t.Fatalf("row: actual %s, state %s; want %s closed", str(r.Actual), r.State, want)
			}
			if len(r.Series) != 31 {
				t.Fatalf("series of %d days, want 31", len(r.Series))
			}
			for _, pt := range r.Series {
				// The deals counted by the day: d1 from the 10th, d2 (only
				// when the row restates) from the 20th.
				w := 0
				if pt.Date >= d("2025-01-10") {
					w += 1200
				}
				if policy == Restate && pt.Date >= d("2025-01-20") {
					w += 300
				}
				if got := str(pt.Actual); got != strconv.Itoa(w) {
					t.Errorf("%s: series %s, want %d", pt.Date, got, w)
				}
			}
			if last := str(r.Series[len(r.Series)-1].Actual); last != str(r.Actual) {
				t.Errorf("the series ends at %s, the row's actual is %s", last, str(r.Actual))
			}
		})
	}
}
