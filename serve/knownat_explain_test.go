package serve

import (
	"testing"
	"time"
)

// An explanation as known at an instant lists the event versions known
// then, as the report as known at that instant counts them: a deal
// ingested later is neither in the value nor among the events.
func TestExplainAsKnownAt(t *testing.T) {
	now := testNow
	f := newFixture(t, func(c *Config) { c.Now = func() time.Time { return now } })
	first := now
	f.post(deal("early", "n2", "1000", time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)))
	now = now.Add(time.Hour)
	f.post(deal("late", "n2", "500", time.Date(2025, 3, 4, 10, 0, 0, 0, time.UTC)))

	at := first.Format(time.RFC3339)
	var rep map[string]any
	f.getJSON("/api/v1/report?as_known_at="+at, adminToken, &rep)
	if v, _ := valueOf(t, rep, "revenue", "n2", "2025-03-01"); v != "1000" {
		t.Fatalf("report as known at %s: n2's revenue %q, want 1000", at, v)
	}
	for _, tok := range []string{adminToken, n2Token} {
		var ex struct {
			Value    string `json:"value"`
			Included []struct {
				Event string `json:"event"`
			} `json:"included"`
		}
		f.getJSON("/api/v1/explain?indicator=revenue&participant=n2&period=2025-03&as_known_at="+at, tok, &ex)
		if ex.Value != "1000" || len(ex.Included) != 1 || ex.Included[0].Event != "early" {
			t.Errorf("explanation as known at %s: %+v, want the value 1000 of the event early only", at, ex)
		}
	}
}
