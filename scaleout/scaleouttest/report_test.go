package scaleouttest_test

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// callsPlan counts calls in March 2025.
const callsPlan = `timezone: UTC
indicators:
  - {id: calls, kinds: [call], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`

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

// fails runs fn with a fatalTB in a goroutine of its own and returns its
// failure message, "" when it passed.
func fails(fn func(tb testing.TB)) string {
	tb := &fatalTB{}
	done := make(chan struct{})
	go func() {
		defer close(done)
		fn(tb)
	}()
	<-done
	return tb.msg
}

// sameReport runs SameReport in a goroutine of its own and returns its
// failure message, "" when it passed.
func sameReport(what string, got, want *goalkit.Report) string {
	return fails(func(tb testing.TB) { scaleouttest.SameReport(tb, what, got, want) })
}

// SameReport passes reports of one JSON, and fails on reports that differ
// with the name given, the count of differing lines and the first of them.
func TestSameReport(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, callsPlan)
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

// EventuallySameAsBatch waits for a worker that starts late to merge the
// events, and fails, once its time is up, on events the merged parts never
// hold.
func TestEventuallySameAsBatch(t *testing.T) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(t, callsPlan)
	asOf := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	var events []kpi.Event
	for i := range 50 {
		events = append(events, kpi.Event{ID: fmt.Sprint("c", i), Kind: "call", Time: time.Date(2025, 3, 1+i%28, 10, 0, 0, 0, time.UTC), Actor: []string{"anna", "boris"}[i%2]})
	}
	log := scaleout.NewMemoryLog(2)
	parts := &scaleout.MemoryParts{}
	if err := scaleout.Publish(ctx, log, "1", time.Time{}, events); err != nil {
		t.Fatal(err)
	}
	src := &scaleout.Source{Log: log, Parts: parts}
	if msg := fails(func(tb testing.TB) { scaleouttest.SameAsBatch(tb, plan, src, events, asOf) }); msg == "" {
		t.Fatal("the parts match before any worker ran")
	}
	done := make(chan error, 1)
	go func() {
		time.Sleep(200 * time.Millisecond)
		w := &scaleout.Worker{Plan: plan, Log: log, Store: (&scaleouttest.Stores{}).Open, Parts: parts, Partitions: []int{0, 1}, Drain: true}
		done <- w.Run(ctx)
	}()
	var rep *goalkit.Report
	if msg := fails(func(tb testing.TB) {
		rep = scaleouttest.EventuallySameAsBatch(tb, plan, src, events, asOf, 30*time.Second)
	}); msg != "" {
		t.Fatalf("after the worker merged the events: %s", msg)
	}
	if err := <-done; err != nil {
		t.Fatal(err)
	}
	if v, ok := rep.Values.Value("calls", "anna", plan.Periods()[0]); !ok || !v.Valid || v.Decimal.IntPart() != 25 {
		t.Fatalf("anna's calls in the returned report: %v %v, want 25", v, ok)
	}
	more := append(slices.Clone(events), kpi.Event{ID: "late", Kind: "call", Time: time.Date(2025, 3, 31, 10, 0, 0, 0, time.UTC), Actor: "anna"})
	start := time.Now()
	msg := fails(func(tb testing.TB) {
		scaleouttest.EventuallySameAsBatch(tb, plan, src, more, asOf, 300*time.Millisecond)
	})
	if !strings.HasPrefix(msg, "merged report differs from the batch evaluation (") {
		t.Fatalf("an event never merged: %q", msg)
	}
	if waited := time.Since(start); waited < 300*time.Millisecond {
		t.Fatalf("failed after %s, before its time was up", waited)
	}
}
