package serve

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

func day(d, h int) time.Time { return time.Date(2025, 3, d, h, 0, 0, 0, time.UTC) }

// The report's values after ingestion equal sums computed here from the
// events posted.
func TestIngestThenReport(t *testing.T) {
	f := newFixture(t, nil)
	events := []kpi.Event{
		deal("d1", "n1", "50000.50", day(3, 10)), deal("d2", "n2", "20000", day(4, 10)),
		deal("d3", "n1", "1.25", day(5, 10)), call("c1", "s2", day(5, 11)),
		deal("d4", "s3", "999", time.Date(2025, 4, 2, 10, 0, 0, 0, time.UTC)),
	}
	f.post(events...)
	var rep map[string]any
	f.getJSON("/api/v1/report", adminToken, &rep)
	want := map[string]decimal.Decimal{}
	for _, e := range events {
		if e.Kind == "deal.won" && e.Time.Month() == time.March {
			want[e.Actor] = want[e.Actor].Add(e.Amount.Decimal)
			want["*"] = want["*"].Add(e.Amount.Decimal)
		}
	}
	for p, sum := range want {
		got, ok := valueOf(t, rep, "revenue", p, "2025-03-01")
		if !ok || !mustDecimal(got).Equal(sum) {
			t.Errorf("revenue of %s: got %q, want %s", p, got, sum)
		}
	}
	// A JSON array is the same batch.
	body := `[
  {"id": "d5", "kind": "deal.won", "time": "2025-03-06T10:00:00Z", "actor": "n3", "amount": "7"}
]`
	w := f.do("POST", "/api/v1/events", writerToken, "application/json", []byte(body))
	if w.Code != 200 || !contains(w.Body.Bytes(), `"applied":1`) {
		t.Fatalf("array: %d %s", w.Code, w.Body)
	}
	f.getJSON("/api/v1/report?period=2025-03", adminToken, &rep)
	if got, _ := valueOf(t, rep, "revenue", "n3", "2025-03-01"); got != "7" {
		t.Errorf("n3 after the array: %q", got)
	}
	if _, ok := valueOf(t, rep, "revenue", "n3", "2025-04-01"); ok {
		t.Errorf("period=2025-03 kept April's rows")
	}
}

// A batch posted again changes nothing and applies nothing; a changed
// version is applied; a retraction too.
func TestIngestIdempotent(t *testing.T) {
	f := newFixture(t, nil)
	batch := ndjson(t, []kpi.Event{deal("d1", "n1", "100", day(3, 10)), deal("d2", "n2", "200", day(3, 11))})
	var res ingestResult
	for i, want := range []ingestResult{{2, 2, 0}, {2, 0, 2}} {
		w := f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", batch)
		if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || res != want {
			t.Fatalf("post %d: %s, want %+v", i, w.Body, want)
		}
	}
	if n := f.tr.Indicators().Len(); n != 2 {
		t.Fatalf("live events: %d", n)
	}
	// A correction, the same event twice in one batch, a retraction.
	body := ndjson(t, []kpi.Event{deal("d1", "n1", "150", day(3, 10)), deal("d1", "n1", "150", day(3, 10)), {ID: "d2", Deleted: true}})
	w := f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", body)
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || res != (ingestResult{3, 2, 1}) {
		t.Fatalf("corrections: %s", w.Body)
	}
	var rep map[string]any
	f.getJSON("/api/v1/values", adminToken, &rep)
	if got, _ := valueOf(t, rep, "revenue", "*", "2025-03-01"); got != "150" {
		t.Errorf("revenue after the correction and the retraction: %q, want 150", got)
	}
}

// A batch with bad lines is refused whole, each bad line named by its line
// in the body, in both shapes.
func TestIngestBadLines(t *testing.T) {
	f := newFixture(t, nil)
	f.post(deal("d0", "n1", "1", day(3, 10)))
	cases := []struct {
		name, ctype, body string
		lines             []int
	}{
		{"ndjson", "application/x-ndjson", `{"id":"d1","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"n1","amount":"5"}

{"id":"d2","kind":"deal.won","time":"2025-02-30T10:00:00Z","actor":"n1"}
{"id":"d3","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"n1","amount":"x"}
`, []int{3, 4}},
		{"array", "application/json", `[
  {"id":"d1","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"n1","amount":"5"},
  {"id":"d2","kind":"deal.won",
   "time":"2025-03-03T10:00:00Z","actor":"n1","unknown":1},
  {"id":"d3","kind":"deal.won","time":"2025-03-03T10:00:00Z"}
]`, []int{3, 5}},
		{"array syntax", "application/json", "[\n{\"id\":\"d1\",\n\"kind\" \"x\"}]", []int{3}},
		{"sniffed array", "", `[{"id":"d1","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"*"}]`, []int{1}},
	}
	for _, c := range cases {
		w := f.do("POST", "/api/v1/events", writerToken, c.ctype, []byte(c.body))
		var eb errorBody
		if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil || w.Code != 400 {
			t.Errorf("%s: %d %s", c.name, w.Code, w.Body)
			continue
		}
		var got []int
		for _, l := range eb.Lines {
			got = append(got, l.Line)
			if l.Message == "" {
				t.Errorf("%s: line %d without a message", c.name, l.Line)
			}
		}
		if fmt.Sprint(got) != fmt.Sprint(c.lines) {
			t.Errorf("%s: bad lines %v, want %v (%s)", c.name, got, c.lines, w.Body)
		}
	}
	if n := f.tr.Indicators().Len(); n != 1 {
		t.Errorf("live events after refused batches: %d, want 1", n)
	}
}

// Past the size limit: 413, nothing applied; a wrong Content-Type: 415.
func TestIngestLimits(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.MaxBody = 1024 })
	var events []kpi.Event
	for i := range 30 {
		events = append(events, deal(fmt.Sprintf("d%d", i), "n1", "1", day(3, 10)))
	}
	w := f.do("POST", "/api/v1/events", writerToken, "application/x-ndjson", ndjson(t, events))
	if w.Code != 413 || !contains(w.Body.Bytes(), "1 KiB") {
		t.Errorf("large body: %d %s", w.Code, w.Body)
	}
	w = f.do("POST", "/api/v1/events", writerToken, "application/xml", []byte("<x/>"))
	if w.Code != 415 {
		t.Errorf("xml: %d %s", w.Code, w.Body)
	}
	if n := f.tr.Indicators().Len(); n != 0 {
		t.Errorf("live events: %d", n)
	}
	// CSV is an event file too.
	csv := "id,kind,time,actor,amount\nc1,deal.won,2025-03-03T10:00:00Z,s1,12\n"
	if w := f.do("POST", "/api/v1/events", writerToken, "text/csv", []byte(csv)); w.Code != 200 {
		t.Errorf("csv: %d %s", w.Code, w.Body)
	}
}

// Who may do what: 401 without credentials (the same body for a wrong
// token as for none), 403 for a reader's write, and no token in the logs.
func TestAccess(t *testing.T) {
	f := newFixture(t, nil)
	none := f.do("GET", "/api/v1/report", "", "", nil)
	wrong := f.do("GET", "/api/v1/report", "not-a-token-0123456789", "", nil)
	almost := f.do("GET", "/api/v1/report", adminToken[:len(adminToken)-1]+"X", "", nil)
	for _, w := range []int{none.Code, wrong.Code, almost.Code} {
		if w != 401 {
			t.Errorf("unauthenticated: %d", w)
		}
	}
	if none.Body.String() != wrong.Body.String() || wrong.Body.String() != almost.Body.String() {
		t.Errorf("401 bodies differ: %q %q %q", none.Body, wrong.Body, almost.Body)
	}
	body := ndjson(t, []kpi.Event{deal("d1", "n1", "1", day(3, 10))})
	for _, tok := range []string{n2Token, kioskToken, n3Token} {
		if w := f.do("POST", "/api/v1/events", tok, "application/x-ndjson", body); w.Code != 403 || w.Body.String() != "{\"error\":\"forbidden\"}\n" {
			t.Errorf("reader's write: %d %s", w.Code, w.Body)
		}
		if w := f.do("POST", "/api/v1/goals/revenue_user/close?period=2025-03", tok, "", nil); w.Code != 403 {
			t.Errorf("reader's close: %d %s", w.Code, w.Body)
		}
	}
	for _, tok := range []string{adminToken, writerToken} {
		if w := f.do("POST", "/api/v1/events", tok, "application/x-ndjson", body); w.Code != 200 {
			t.Errorf("writer's write: %d %s", w.Code, w.Body)
		}
	}
	logs := f.logs.String()
	for _, tok := range []string{adminToken, writerToken, n2Token, kioskToken, n3Token, "not-a-token-0123456789"} {
		if strings.Contains(logs, tok[:12]) {
			t.Errorf("the logs hold a token: %s", logs)
		}
	}
	if !strings.Contains(logs, "user=n1") || !strings.Contains(logs, "status=403") {
		t.Errorf("the logs say too little: %s", logs)
	}
}

// Server.Apply leaves the caller's batch as it was: a version equal to one
// applied before is left out of what the tracker gets, not out of the
// caller's slice, and Known is set on the versions applied, not on the
// caller's.
func TestApplyLeavesTheBatchAsItWas(t *testing.T) {
	f := newFixture(t, nil)
	ctx := t.Context()
	if _, err := f.srv.Apply(ctx, []kpi.Event{deal("d1", "n1", "10", day(3, 10))}); err != nil {
		t.Fatal(err)
	}
	batch := []kpi.Event{deal("d1", "n1", "10", day(3, 10)), deal("d2", "n2", "20", day(4, 10))}
	before := fmt.Sprint(batch)
	n, err := f.srv.Apply(ctx, batch)
	if err != nil || n != 1 {
		t.Fatalf("Apply = %d, %v; want 1 version applied (d1 is unchanged)", n, err)
	}
	if after := fmt.Sprint(batch); after != before {
		t.Errorf("the caller's batch changed:\nbefore %s\nafter  %s", before, after)
	}
	known := 0
	if err := f.tr.Indicators().Scan(ctx, kpi.Query{}, func(e *kpi.Event) error {
		if !e.Known.Equal(testNow) {
			t.Errorf("%s known at %v, want the server's now %v", e.ID, e.Known, testNow)
		}
		known++
		return nil
	}); err != nil || known != 2 {
		t.Errorf("the tracker holds %d versions (%v), want 2", known, err)
	}
}
