package serve

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
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
		side := "past"
		if now.UTC().Year() < 0 {
			side = "before"
		}
		want := "the server's clock reads " + reading + ", " + side + " the years 0000 to 9999 a report can be as of: set its clock, or the instant it serves as of, within them"
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

// Each version posted is known from the server's clock on, and a table
// keeps its known instant only in the years 1678 to 2261: a clock past
// them had every batch refused 422 ("the batch was refused … event 0 …
// outside the years 1678–2261"), an answer that blames the events. Then
// it was 503, "set the host's clock; send it again": under goalkit serve
// -as-of 2300 the clock is that fixed instant, which no retry moves and
// no setting of the machine's clock either. It is 503 naming the instant
// and the years the service supports and what its host sets (500 is a
// failure of the service's own), nothing applied, and the batch sent
// again once the clock reads in them is applied.
func TestIngestClockOutsideTheYears(t *testing.T) {
	ev := kpi.Event{ID: "late1", Kind: "deal.won", Actor: "n1", Time: time.Date(2025, 3, 10, 10, 0, 0, 0, time.UTC),
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(5)), Currency: "RUB"}
	body := ndjson(t, []kpi.Event{ev})
	for _, c := range []struct {
		now  time.Time
		want string
	}{
		{time.Date(2300, 1, 2, 0, 0, 0, 0, time.UTC), "the batch was not applied: the server's clock reads 2300-01-02T00:00:00Z, past the years 1678 to 2261 in which a version is known: set its clock, or the instant it serves as of, within them"},
		{time.Date(1600, 1, 2, 0, 0, 0, 0, time.UTC), "the batch was not applied: the server's clock reads 1600-01-02T00:00:00Z, before the years 1678 to 2261 in which a version is known: set its clock, or the instant it serves as of, within them"},
	} {
		now := c.now
		f := newFixture(t, func(c *Config) { c.Now = func() time.Time { return now } })
		w := f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", body)
		var eb errorBody
		if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil || w.Code != 503 || eb.Error != c.want {
			t.Fatalf("POST at %s: %d %s, want 503 %q", now, w.Code, w.Body, c.want)
		}
		if n := f.tr.Indicators().Len(); n != 0 {
			t.Fatalf("POST at %s: %d events live after the refused batch", now, n)
		}
		now = time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC)
		var res ingestResult
		if w := f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", body); w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &res) != nil || res.Applied != 1 {
			t.Fatalf("POST again at 2025: %d %s, want 200 with the version applied", w.Code, w.Body)
		}
	}
}

// A period closes as of the server's clock, and a clock outside the years
// a record is stamped in (1678 to 2261, in UTC or in its own zone) had the
// close refused 422 in the engine's words ("goalkit: Tracker.CloseGoal:
// asOf … is outside the years"), an answer a client takes as final, then
// 503 "send it again", which no retry satisfies under a fixed -as-of. It
// is 503 naming the instant and the years, nothing closed, and the close
// sent again once the clock reads in them closes.
func TestCloseClockOutsideTheYears(t *testing.T) {
	for _, out := range []time.Time{
		time.Date(2300, 1, 2, 0, 0, 0, 0, time.UTC),
		time.Date(1600, 1, 2, 0, 0, 0, 0, time.UTC),
		time.Date(10000, 1, 2, 0, 0, 0, 0, time.UTC),
		time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("", -2*3600)), // 10000 in UTC
		time.Date(-1, 6, 1, 0, 0, 0, 0, time.UTC),
	} {
		now := out
		f := newFixture(t, func(c *Config) { c.Now = func() time.Time { return now } })
		const target = "/api/v1/goals/revenue_user/close?period=2025-03"
		before := f.srv.changes.current()
		w := f.do("POST", target, writerToken, "", nil)
		side := "past"
		if out.Year() < 1678 {
			side = "before"
		}
		want := "the period was not closed: the server's clock reads " + out.Format(time.RFC3339) +
			", " + side + " the years 1678 to 2261 a record or a notification is stamped in: set its clock, or the instant it serves as of, within them"
		var eb errorBody
		if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil || w.Code != 503 || eb.Error != want {
			t.Fatalf("close at %s: %d %s, want 503 %q", out, w.Code, w.Body, want)
		}
		if !strings.Contains(f.logs.String(), "the server's clock reads "+out.Format(time.RFC3339)) {
			t.Errorf("the log does not name the clock:\n%s", f.logs)
		}
		if n := f.srv.changes.current(); n != before || len(f.tr.Indicators().Closed()) != 0 {
			t.Errorf("the refused close made %d changes and left %d records", n-before, len(f.tr.Indicators().Closed()))
		}
		now = time.Date(2025, 4, 2, 9, 0, 0, 0, time.UTC)
		if w := f.do("POST", target, writerToken, "", nil); w.Code != 200 {
			t.Errorf("the close sent again at %s: %d %s, want 200", now, w.Code, w.Body)
		}
	}
}

// The goals move along to the server's clock at each tick, and a clock
// outside the years a notification is stamped in (1678 to 2261) had each
// tick log the engine's refusal of an instant no operator gave
// ("Tracker.TickCommitted: asOf …"). The tick says it is the clock, and
// moves nothing.
func TestTickClockOutsideTheYears(t *testing.T) {
	now := time.Date(2300, 1, 2, 0, 0, 0, 0, time.UTC)
	f := newFixture(t, func(c *Config) { c.Now = func() time.Time { return now } })
	f.logs.Reset()
	f.srv.tick(t.Context())
	want := "the server's clock reads 2300-01-02T00:00:00Z, past the years 1678 to 2261 a record or a notification is stamped in: set its clock, or the instant it serves as of, within them"
	if logs := f.logs.String(); !strings.Contains(logs, want) || strings.Contains(logs, "TickCommitted") {
		t.Errorf("the tick's log does not name the clock:\n%s", logs)
	}
}

// An event file seeded at start is known from the server's clock on, as a
// posted batch is: a clock past 2261 refused the file as if its first
// event were bad ("event 0: event "late1": known 2300-… is outside the
// years 1678–2261"). The error names the clock, nothing is applied, and
// the file seeds once the clock is set; a file with nothing new seeds at
// any clock.
func TestSeedClockOutsideTheYears(t *testing.T) {
	now := time.Date(2300, 1, 2, 0, 0, 0, 0, time.UTC)
	f := newFixture(t, func(c *Config) { c.Now = func() time.Time { return now } })
	events := []kpi.Event{{ID: "late1", Kind: "deal.won", Actor: "n1", Time: time.Date(2025, 3, 10, 10, 0, 0, 0, time.UTC),
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(5)), Currency: "RUB"}}
	want := "the server's clock reads 2300-01-02T00:00:00Z, past the years 1678 to 2261 in which a version is known: set its clock, or the instant it serves as of, within them"
	if n, err := f.srv.Seed(t.Context(), events); err == nil || err.Error() != want || n != 0 {
		t.Fatalf("seed at 2300: %d %v, want %q", n, err, want)
	}
	if n := f.tr.Indicators().Len(); n != 0 {
		t.Fatalf("%d events live after the refused seed", n)
	}
	now = testNow
	if n, err := f.srv.Seed(t.Context(), events); err != nil || n != 1 {
		t.Fatalf("seed at %s: %d %v, want 1 applied", now, n, err)
	}
	now = time.Date(2300, 1, 2, 0, 0, 0, 0, time.UTC)
	if n, err := f.srv.Seed(t.Context(), events); err != nil || n != 0 {
		t.Fatalf("the same file again at 2300: %d %v, want nothing to apply and no error", n, err)
	}
}
