package serve

import (
	"bufio"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"
)

// The stream tells an open page of every applied batch, through a real
// server.
func TestStreamChanges(t *testing.T) {
	f := newFixture(t, nil)
	base, cancel, done := f.listen(t)
	req, _ := http.NewRequest("GET", base+"/api/v1/stream", nil)
	req.Header.Set("Authorization", "Bearer "+n2Token)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if ct := resp.Header.Get("Content-Type"); ct != "text/event-stream" {
		t.Fatalf("Content-Type %q", ct)
	}
	events := make(chan string, 10)
	go func() {
		sc := bufio.NewScanner(resp.Body)
		for sc.Scan() {
			if e, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				events <- e
			}
		}
		close(events)
	}()
	if e := <-events; e != "hello" {
		t.Fatalf("first event %q", e)
	}
	post, _ := http.NewRequest("POST", base+"/api/v1/events", strings.NewReader(string(ndjson(t, nil))+`{"id":"d1","kind":"deal.won","time":"2025-03-03T10:00:00Z","actor":"n1","amount":"5"}`))
	post.Header.Set("Authorization", "Bearer "+writerToken)
	post.Header.Set("Content-Type", "application/x-ndjson")
	pr, err := http.DefaultClient.Do(post)
	if err != nil {
		t.Fatal(err)
	}
	pr.Body.Close()
	select {
	case e := <-events:
		if e != "change" {
			t.Fatalf("event %q after a batch", e)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("no change event after a batch")
	}
	// A graceful shutdown ends the stream and the server.
	cancel()
	select {
	case err := <-done:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the server did not shut down")
	}
	for range events {
	}
	if f.srv.ready.Load() {
		t.Error("ready after the shutdown")
	}
}

// Closing a period freezes the participants' results in records, stored
// with the tracker; closing again emits nothing new.
func TestClosePeriod(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Now = func() time.Time { return time.Date(2025, 4, 2, 9, 0, 0, 0, time.UTC) } })
	f.post(deal("d1", "n1", "120000", day(3, 10)), deal("d2", "s2", "10", day(3, 10)))
	w := f.do("POST", "/api/v1/goals/revenue_user/close?period=2025-03", writerToken, "", nil)
	if w.Code != 200 {
		t.Fatalf("%d %s", w.Code, w.Body)
	}
	var res closeResult
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil {
		t.Fatal(err)
	}
	// n1 heads north: the records of north's people only.
	var who []string
	for _, r := range res.Records {
		who = append(who, r.Participant)
		if r.Participant == "n1" && (r.Actual.Decimal.String() != "120000" || r.Status != "achieved") {
			t.Errorf("n1's record: %+v", r)
		}
	}
	if strings.Join(who, ",") != "n1,n2,n3" {
		t.Errorf("records of %v", who)
	}
	// A correction after the close leaves the frozen result (freeze is the
	// default policy).
	f.post(deal("d1", "n1", "1", day(3, 10)))
	var row map[string]any
	f.getJSON("/api/v1/goals/revenue_user/progress/n1?period=2025-03", adminToken, &row)
	if row["actual"] != "120000" || row["state"] != "closed" {
		t.Errorf("n1's row after the close and a correction: actual %v state %v", row["actual"], row["state"])
	}
	if s, _ := row["series"].([]any); len(s) == 0 {
		t.Errorf("no series: %v", row)
	}
	w = f.do("POST", "/api/v1/goals/revenue_user/close?period=2025-03", adminToken, "", nil)
	if err := json.Unmarshal(w.Body.Bytes(), &res); err != nil || w.Code != 200 || len(res.Notifications) != 0 || len(res.Records) != 6 {
		t.Errorf("second close: %d %s", w.Code, w.Body)
	}
}

// /metrics: request and tracker metrics; per participant only for admins.
func TestMetrics(t *testing.T) {
	f := newFixture(t, nil)
	f.post(deal("d1", "n1", "120000", day(3, 10)))
	w := f.do("GET", "/metrics", "", "", nil)
	body := w.Body.String()
	for _, want := range []string{`goalkit_events_live 1`, `goalkit_goal_rows{goal="revenue_user",status="achieved"} 1`,
		`goalkit_http_requests_total{code="200",route="events"} 1`, `goalkit_events_applied_total 1`} {
		if !strings.Contains(body, want) {
			t.Errorf("no %s in\n%s", want, grep(body, "goalkit_"))
		}
	}
	if strings.Contains(body, "goalkit_goal_achievement_ratio") {
		t.Error("per-participant metrics without asking")
	}
	f = newFixture(t, func(c *Config) { c.ParticipantMetrics = true })
	f.post(deal("d1", "n1", "50000", day(3, 10)))
	if w := f.do("GET", "/metrics", n2Token, "", nil); w.Code != 403 {
		t.Errorf("a reader scrapes per-participant metrics: %d", w.Code)
	}
	w = f.do("GET", "/metrics", adminToken, "", nil)
	if !strings.Contains(w.Body.String(), `goalkit_goal_achievement_ratio{goal="revenue_user",participant="n1",period="2025-03"} 0.5`) {
		t.Errorf("no achievement of n1:\n%s", grep(w.Body.String(), "goalkit_goal"))
	}
}

func grep(s, prefix string) string {
	var out []string
	for l := range strings.SplitSeq(s, "\n") {
		if strings.HasPrefix(l, prefix) {
			out = append(out, l)
		}
	}
	return strings.Join(out, "\n")
}
