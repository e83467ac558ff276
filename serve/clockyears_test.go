package serve

import (
	"encoding/json"
	"strings"
	"testing"
	"time"
)

// A host whose clock reads past the year 9999 (or before 0000, in UTC or
// in its own zone) had every read that names no instant, and every
// dashboard page, answered with a bare 500 ("internal error", "cannot
// show this now"): the engine reports no such instant. They answer 503
// naming the clock's reading; a read that names its as_of still answers.
func TestClockOutsideTheYears(t *testing.T) {
	for _, now := range []time.Time{
		time.Date(10000, 1, 2, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("", -2*3600)), // 10000 in UTC
		time.Date(0, 1, 1, 1, 0, 0, 0, time.FixedZone("", 3*3600)),        // -0001 in UTC
	} {
		f := newFixture(t, func(c *Config) { c.Now = func() time.Time { return now } })
		reading := now.Format(time.RFC3339)
		want := "the server's clock reads " + reading + ", outside the years 0000 to 9999 a report can be as of: set the host's clock"
		for _, target := range []string{"/api/v1/report", "/api/v1/notifications", "/api/v1/goals/revenue_user/progress/n1"} {
			w := f.do("GET", target, adminToken, "", nil)
			var eb errorBody
			if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil || w.Code != 503 || eb.Error != want {
				t.Errorf("%s at %s: %d %s, want 503 %q", target, reading, w.Code, w.Body, want)
			}
		}
		for _, target := range []string{"/", "/ranking", "/scorecards"} {
			w := f.do("GET", target, adminToken, "", nil)
			if w.Code != 503 || !strings.Contains(w.Body.String(), "its clock reads "+strings.ReplaceAll(reading, "+", "&#43;")+", outside the years 0000 to 9999") {
				t.Errorf("dashboard %s at %s: %d, want 503 naming the clock", target, reading, w.Code)
			}
		}
		if w := f.do("GET", "/api/v1/report?as_of=2025-03-20T12:00:00Z", adminToken, "", nil); w.Code != 200 {
			t.Errorf("a report as of a given instant at %s: %d %s", reading, w.Code, w.Body)
		}
		if !strings.Contains(f.logs.String(), reading) || strings.Contains(f.logs.String(), "internal error") {
			t.Errorf("the log does not name the clock:\n%s", f.logs)
		}
	}
}
