package scaleouttest_test

import (
	"context"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// fatalTB records the first failure of the code under test and ends its
// goroutine, as testing.T does.
type fatalTB struct {
	testing.TB
	msg string
}

func (f *fatalTB) Helper() {}

func (f *fatalTB) Fatal(args ...any) { f.msg = fmt.Sprint(args...); runtime.Goexit() }

func (f *fatalTB) Fatalf(format string, args ...any) {
	f.msg = fmt.Sprintf(format, args...)
	runtime.Goexit()
}

// sameReport runs SameReport in a goroutine of its own and returns its
// failure message, "" when it passed.
func sameReport(what string, got, want *goalkit.Report) string {
	tb := &fatalTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		scaleouttest.SameReport(tb, what, got, want)
	}()
	<-done
	return tb.msg
}

// SameReport passes reports of one JSON, and fails on reports that differ
// with the name given, the count of differing lines and the first of them.
func TestSameReport(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, `timezone: UTC
indicators:
  - {id: calls, kinds: [call], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`)
	calls := func(ids ...string) *goalkit.Report {
		var events []kpi.Event
		for _, id := range ids {
			events = append(events, kpi.Event{ID: id, Kind: "call", Time: time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC), Actor: "anna"})
		}
		rep, err := plan.Evaluate(ctx, kpi.Events(events), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		return rep
	}
	if msg := sameReport("merged report", calls("a", "b"), calls("b", "a")); msg != "" {
		t.Fatalf("reports of the same events: %s", msg)
	}
	got, want := calls("a"), calls("a", "b")
	var g, w strings.Builder
	if err := got.WriteJSON(&g); err != nil {
		t.Fatal(err)
	}
	if err := want.WriteJSON(&w); err != nil {
		t.Fatal(err)
	}
	gl, wl := strings.Split(g.String(), "\n"), strings.Split(w.String(), "\n")
	if len(gl) != len(wl) {
		t.Fatalf("the reports have %d and %d lines", len(gl), len(wl))
	}
	differ, first := 0, -1
	for i := range wl {
		if gl[i] != wl[i] {
			differ++
			if first < 0 {
				first = i
			}
		}
	}
	if differ == 0 {
		t.Fatal("the reports of one and two calls have one JSON")
	}
	msg := sameReport("the restarted report", got, want)
	head := fmt.Sprintf("the restarted report differs from the batch evaluation (%d of %d lines):\nline %d:\n got %s\nwant %s", differ, len(wl), first+1, gl[first], wl[first])
	if !strings.HasPrefix(msg, head) {
		t.Fatalf("reports of other events:\n%s\nwant it to start with\n%s", msg, head)
	}
}
