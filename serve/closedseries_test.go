package serve

import (
	"testing"
	"time"
)

// TestClosedRowSeriesEndsAtItsResult: a closed row that keeps its frozen
// result after a correction draws the series of the events known when it
// closed, which ends at that result. The series counted the correction
// and ended at a number the row does not have (120000 frozen, the line
// ending at 1).
func TestClosedRowSeriesEndsAtItsResult(t *testing.T) {
	now := time.Date(2025, 4, 2, 9, 0, 0, 0, time.UTC)
	f := newFixture(t, func(c *Config) { c.Now = func() time.Time { return now } })
	f.post(deal("d1", "n1", "120000", day(3, 10)))
	if w := f.do("POST", "/api/v1/goals/revenue_user/close?period=2025-03", adminToken, "", nil); w.Code != 200 {
		t.Fatalf("close: %d %s", w.Code, w.Body)
	}
	now = now.Add(time.Hour)
	f.post(deal("d1", "n1", "1", day(3, 10)))
	var row struct {
		Actual string `json:"actual"`
		State  string `json:"state"`
		Series []struct {
			Actual string `json:"actual"`
		} `json:"series"`
	}
	f.getJSON("/api/v1/goals/revenue_user/progress/n1?period=2025-03", adminToken, &row)
	if row.Actual != "120000" || row.State != "closed" || len(row.Series) == 0 {
		t.Fatalf("n1's row after the close and a correction: %+v", row)
	}
	if last := row.Series[len(row.Series)-1].Actual; last != row.Actual {
		t.Errorf("the series ends at %s, the row's frozen actual is %s", last, row.Actual)
	}
}
