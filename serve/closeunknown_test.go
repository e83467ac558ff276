package serve

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// A goal the plan does not have is no such thing: every other route
// answers it 404, and closing it answered 422 in the engine's words
// (`goal: unknown goal "nosuch"`), as a period that cannot be closed yet
// is. It is 404 naming the goal, whether the period is given, missing or
// not a label, and nothing is closed.
func TestCloseUnknownGoal(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Now = func() time.Time { return time.Date(2025, 4, 2, 9, 0, 0, 0, time.UTC) } })
	if w := f.do("GET", "/api/v1/goals/nosuch/progress/n1", adminToken, "", nil); w.Code != 404 {
		t.Fatalf("progress of an unknown goal: %d %s, want 404", w.Code, w.Body)
	}
	before := f.srv.changes.current()
	for _, target := range []string{
		"/api/v1/goals/nosuch/close?period=2025-02",
		"/api/v1/goals/nosuch/close",
		"/api/v1/goals/nosuch/close?period=March",
		"/api/v1/goals/revenue_usr/close?period=2025-02",
	} {
		w := f.do("POST", target, writerToken, "", nil)
		var eb errorBody
		if err := json.Unmarshal(w.Body.Bytes(), &eb); err != nil || w.Code != 404 {
			t.Errorf("POST %s: %d %s, want 404", target, w.Code, w.Body)
			continue
		}
		id := map[bool]string{true: "revenue_usr", false: "nosuch"}[target == "/api/v1/goals/revenue_usr/close?period=2025-02"]
		if want := `no goal "` + id + `" in the plan`; eb.Error != want {
			t.Errorf("POST %s: %q, want %q", target, eb.Error, want)
		}
	}
	if n := f.srv.changes.current(); n != before {
		t.Errorf("closing unknown goals made %d changes", n-before)
	}
	// A goal the plan has still closes.
	if w := f.do("POST", "/api/v1/goals/revenue_user/close?period=2025-03", writerToken, "", nil); w.Code != 200 {
		t.Errorf("close of a known goal: %d %s", w.Code, w.Body)
	}
}

// A front of a scale-out (Config.Ingest) closes nothing: every close is
// 409 saying so, a goal it does not know included, as before the lookup
// of the goal.
func TestFrontCloseUnknownGoal(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Ingest = func(context.Context, []kpi.Event) error { return nil }
	})
	for _, target := range []string{"/api/v1/goals/nosuch/close?period=2025-02", "/api/v1/goals/revenue_user/close?period=2025-02"} {
		if w := f.do("POST", target, writerToken, "", nil); w.Code != 409 || !strings.Contains(w.Body.String(), "fronts state that others own") {
			t.Errorf("POST %s on a front: %d %s, want 409", target, w.Code, w.Body)
		}
	}
}
