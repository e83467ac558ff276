package goalkit_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
)

// failingSource fails its scan after handing over some events.
type failingSource struct{ inner kpi.Source }

func (s failingSource) Scan(ctx context.Context, q kpi.Query, fn func(*kpi.Event) error) error {
	n := 0
	return s.inner.Scan(ctx, q, func(e *kpi.Event) error {
		if n++; n > 5 {
			return errors.New("source went away")
		}
		return fn(e)
	})
}

// nilSource passes a nil event.
type nilSource struct{}

func (nilSource) Scan(ctx context.Context, q kpi.Query, fn func(*kpi.Event) error) error {
	return fn(nil)
}

// TestTrackerWithSeed: a tracker seeded from a plain Source reports what
// Plan.Evaluate over that source reports; the seed is the store's first
// batch, so a tracker started again on the store has the events without
// reading the source again, and later applications add to them; a seed
// that fails leaves the store empty and free for the next tracker.
func TestTrackerWithSeed(t *testing.T) {
	ctx := context.Background()
	plan := seedPlan(t)
	loc := plan.Calendar().Location()
	src := seedEvents(t, loc)
	events := eventsOf(t, src)
	asOf := time.Date(2025, 3, 20, 12, 0, 0, 0, loc)
	dir := goalkit.WithDirectory(seedDirectory{})
	evaluate := func(evs ...kpi.Event) *goalkit.Report {
		rep := mustEvaluate(t, plan, storeOf(t, loc, evs...), asOf, dir)
		return rep
	}
	report := func(tr *goalkit.Tracker) *goalkit.Report {
		rep := mustReport(t, tr, asOf)
		return rep
	}

	t.Run("in memory", func(t *testing.T) {
		counting := &countingSource{inner: src}
		tr := startTracker(t, plan, dir, goalkit.WithSeed(counting))
		if n := counting.scans.Load(); n != 1 {
			t.Fatalf("the seed was scanned %d times", n)
		}
		if tr.Indicators().Len() != len(events) {
			t.Fatalf("%d live events, want %d", tr.Indicators().Len(), len(events))
		}
		sameReport(t, "seeded", report(tr), evaluate(events...))
	})

	t.Run("durable store", func(t *testing.T) {
		store := memory.NewTrackStore()
		tr := startTrackerOn(t, plan, store, dir, goalkit.WithSeed(src))
		// A correction after the seed, then a restart with the seed again.
		fixed := events[0]
		fixed.Actor = "ivan"
		fixed.Time = fixed.Time.Add(time.Hour)
		if err := tr.Apply(ctx, fixed); err != nil {
			t.Fatal(err)
		}
		counting := &countingSource{inner: src}
		tr = restartTracker(t, plan, tr, store, dir, goalkit.WithSeed(counting))
		if n := counting.scans.Load(); n != 0 {
			t.Fatalf("a store seeded before was seeded again (%d scans)", n)
		}
		want := append([]kpi.Event{}, events...)
		want = append(want, fixed)
		sameReport(t, "restarted", report(tr), evaluate(want...))
		// Without the option, the seeded events are there too.
		tr = restartTracker(t, plan, tr, store, dir)
		sameReport(t, "restarted without the seed", report(tr), evaluate(want...))
		if err := tr.Close(); err != nil {
			t.Fatal(err)
		}
	})

	t.Run("failed seed", func(t *testing.T) {
		store := memory.NewTrackStore()
		_, err := plan.Track(ctx, store, dir, goalkit.WithSeed(failingSource{src}))
		if err == nil || !strings.Contains(err.Error(), "seed: source went away") {
			t.Fatalf("got %v, want the source's error", err)
		}
		// A nil event fails the seed, saying so; it panicked.
		_, err = plan.Track(ctx, store, dir, goalkit.WithSeed(nilSource{}))
		if err == nil || err.Error() != "seed: a nil event passed (a Source passes an event to each call)" {
			t.Fatalf("got %v, want an error naming the nil event", err)
		}
		bad := append([]kpi.Event{}, events[:3]...)
		bad[2].Time = time.Time{}
		_, err = plan.Track(ctx, store, dir, goalkit.WithSeed(sliceSource(bad)))
		if err == nil || !strings.Contains(err.Error(), "seed: event 2") {
			t.Fatalf("got %v, want an error naming the event", err)
		}
		// Nothing was committed, and the store is free.
		tr := startTrackerOn(t, plan, store, dir)
		if n := tr.Indicators().Len(); n != 0 {
			t.Fatalf("%d events after failed seeds", n)
		}
		if err := tr.Close(); err != nil {
			t.Fatal(err)
		}
	})
}

// sliceSource hands over its events as they are, unchecked.
type sliceSource []kpi.Event

func (s sliceSource) Scan(ctx context.Context, q kpi.Query, fn func(*kpi.Event) error) error {
	for i := range s {
		e := s[i]
		if err := fn(&e); err != nil {
			return err
		}
	}
	return nil
}
