package serve

import (
	"testing"

	"github.com/goalkit/goalkit/goalkittest"
)

// TestPeriodCutsUnpriced: ?period= keeps the unpriced events dated in
// that period only, as it keeps the value rows of that period: a deal in
// a currency without a rate in April is not listed for March.
func TestPeriodCutsUnpriced(t *testing.T) {
	plan := goalkittest.CompilePlan(t, `
timezone: Europe/Moscow
indicators:
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount, currency: EUR}
report: {grain: month, from: 2025-03-01, to: 2025-05-01}
`)
	f := planFixture(t, plan, nil, nil)
	body := []byte(`{"id": "m", "kind": "deal.won", "time": "2025-03-10T10:00:00Z", "actor": "n1", "amount": "5", "currency": "GBP"}
{"id": "a", "kind": "deal.won", "time": "2025-04-10T10:00:00Z", "actor": "n1", "amount": "7", "currency": "GBP"}
{"id": "e", "kind": "deal.won", "time": "2025-03-31T21:30:00Z", "actor": "n1", "amount": "9", "currency": "GBP"}
`)
	if w := f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", body); w.Code != 200 {
		t.Fatalf("POST: %d %s", w.Code, w.Body)
	}
	// e is on 1 April in Moscow: April's.
	for period, want := range map[string]string{"": "a e m", "2025-03": "m", "2025-04": "a e"} {
		for _, path := range []string{"/api/v1/report", "/api/v1/values"} {
			// As of late April, when every deal has happened.
			path += "?as_of=2025-04-20T00:00:00Z"
			if period != "" {
				path += "&period=" + period
			}
			var got struct {
				Unpriced []struct {
					Event string `json:"event"`
				} `json:"unpriced"`
			}
			f.getJSON(path, adminToken, &got)
			ids := ""
			for i, u := range got.Unpriced {
				if i > 0 {
					ids += " "
				}
				ids += u.Event
			}
			if ids != want {
				t.Errorf("%s: unpriced %q, want %q", path, ids, want)
			}
		}
	}
}
