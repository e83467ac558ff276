package scaleout_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
)

// Follow keeps a tracker equal to a batch evaluation of the log's current
// versions: at the catch-up (versions delivered out of order, by Known)
// and as later records arrive; it stops with ctx, and at a record it
// cannot decode, naming the partition and the offset.
func TestFollow(t *testing.T) {
	ctx := context.Background()
	plan, known, ev := wonPlan(t)
	log := scaleout.NewMemoryLog(3)
	if err := scaleout.Publish(ctx, log, "first", time.Time{}, []kpi.Event{
		ev("1", "bob", 200, 2), ev("1", "anna", 100, 1), // the correction first
		{ID: "2", Deleted: true, Known: known(5)}, ev("2", "anna", 300, 4), // the retraction first
		ev("3", "anna", 50, 1), ev("3", "anna", 50, 1), // a duplicate
	}); err != nil {
		t.Fatal(err)
	}
	tr, err := plan.Track(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	fctx, stop := context.WithCancel(ctx)
	caught := make(chan struct{})
	done := make(chan error, 1)
	go func() {
		done <- scaleout.Follow(fctx, log, func(ctx context.Context, events []kpi.Event) error {
			return tr.Apply(ctx, events...)
		}, func() { close(caught) })
	}()
	same := func(final []kpi.Event) bool {
		want, err := plan.Evaluate(ctx, kpi.Events(final), known(10))
		if err != nil {
			t.Fatal(err)
		}
		got, err := tr.Report(ctx, known(10))
		if err != nil {
			t.Fatal(err)
		}
		return reportJSON(t, "replica", got) == reportJSON(t, "batch", want)
	}
	select {
	case <-caught:
	case err := <-done:
		t.Fatalf("Follow: %v", err)
	}
	if final := []kpi.Event{ev("1", "bob", 200, 2), ev("3", "anna", 50, 1)}; !same(final) {
		t.Fatal("at the catch-up the tracker differs from a batch evaluation")
	}
	// Later: a correction, an event, and a stale version of event 1.
	if err := scaleout.Publish(ctx, log, "second", time.Time{}, []kpi.Event{
		ev("3", "carl", 70, 6), ev("4", "anna", 9, 6), ev("1", "anna", 1, 1),
	}); err != nil {
		t.Fatal(err)
	}
	final := []kpi.Event{ev("1", "bob", 200, 2), ev("3", "carl", 70, 6), ev("4", "anna", 9, 6)}
	for deadline := time.Now().Add(10 * time.Second); !same(final); {
		if time.Now().After(deadline) {
			t.Fatal("the tracker never caught up with the later records")
		}
		time.Sleep(10 * time.Millisecond)
	}
	stop()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Fatalf("Follow after ctx was done: %v", err)
	}

	// A record that is not an event stops Follow, named.
	bad := scaleout.NewMemoryLog(1)
	if err := bad.Append(ctx, []scaleout.Record{{Partition: 0, ID: "x", Data: []byte(`{"id":"x","bogus":1}`)}}); err != nil {
		t.Fatal(err)
	}
	err = scaleout.Follow(ctx, bad, func(context.Context, []kpi.Event) error { return nil }, func() {})
	if err == nil || !strings.HasPrefix(err.Error(), "partition 0: offset 1: event record") {
		t.Fatalf("a bad record: %v", err)
	}
}
