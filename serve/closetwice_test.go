package serve

import (
	"testing"
	"time"
)

// A period closed again changes nothing, and is no change: the change
// streams stay quiet and goalkit_changes_total stays as it was, as for a
// batch applied before; every dashboard read its numbers again.
func TestCloseAgainIsNoChange(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Now = func() time.Time { return time.Date(2025, 4, 2, 9, 0, 0, 0, time.UTC) } })
	f.post(deal("d1", "n1", "120000", day(3, 10)))
	const close = "/api/v1/goals/revenue_user/close?period=2025-03"
	before := f.srv.changes.current()
	if w := f.do("POST", close, writerToken, "", nil); w.Code != 200 {
		t.Fatalf("close: %d %s", w.Code, w.Body)
	}
	if n := f.srv.changes.current(); n != before+1 {
		t.Fatalf("the close made %d changes, want 1", n-before)
	}
	ch := f.srv.Changed()
	for range 2 {
		if w := f.do("POST", close, writerToken, "", nil); w.Code != 200 {
			t.Fatalf("close again: %d %s", w.Code, w.Body)
		}
	}
	if n := f.srv.changes.current(); n != before+1 {
		t.Errorf("closing again made %d changes, want none", n-before-1)
	}
	select {
	case <-ch:
		t.Error("closing again woke the change streams")
	default:
	}
}
