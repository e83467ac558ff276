package kpi_test

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// drawBatches cuts a stream into batches of one to four versions, with
// Known instants on a clock that moves forward, ledger keys (each new) and
// closed records (a few keys, restated).
func drawBatches(t *rapid.T, stream []kpi.Event, clock time.Time) []kpi.TrackBatch {
	var out []kpi.TrackBatch
	keys := 0
	for len(stream) > 0 {
		n := rapid.IntRange(1, min(4, len(stream))).Draw(t, "batch")
		b := kpi.TrackBatch{Events: slices.Clone(stream[:n])}
		stream = stream[n:]
		clock = clock.Add(time.Duration(rapid.IntRange(0, 36).Draw(t, "hours")) * time.Hour)
		for i := range b.Events {
			if rapid.IntRange(0, 4).Draw(t, "known") > 0 {
				b.Events[i].Known = clock
			}
		}
		if rapid.IntRange(0, 3).Draw(t, "ledger") == 0 {
			keys++
			b.Ledger = []kpi.TrackRecord{{Key: fmt.Sprintf("sent/%d", keys), Data: []byte(fmt.Sprint(clock.Unix()))}}
		}
		if rapid.IntRange(0, 4).Draw(t, "closed") == 0 {
			key := rapid.SampledFrom([]string{"q1", "q2"}).Draw(t, "closed key")
			b.Closed = []kpi.TrackRecord{{Key: key, Data: []byte(fmt.Sprint(len(out)))}}
		}
		out = append(out, b)
	}
	return out
}

// knownAt lists the Known instants of batches, and an instant before each.
func knownAt(batches []kpi.TrackBatch) []time.Time {
	var ts []time.Time
	for _, b := range batches {
		for _, e := range b.Events {
			if !e.Known.IsZero() {
				ts = append(ts, e.Known, e.Known.Add(-time.Nanosecond))
			}
		}
	}
	return ts
}

// scanned returns the live events of a tracker as text, sorted by id.
func scanned(t *rapid.T, tr *kpi.Tracker) []string {
	var out []string
	err := tr.Scan(context.Background(), kpi.Query{}, func(e *kpi.Event) error {
		names := slices.Sorted(maps.Keys(e.Attrs))
		var attrs []string
		for _, n := range names {
			v := e.Attrs[n]
			if x, ok := v.(time.Time); ok {
				_, off := x.Zone()
				v = fmt.Sprint(x.UnixNano(), off)
			}
			attrs = append(attrs, fmt.Sprintf("%s=%v(%T)", n, v, v))
		}
		out = append(out, fmt.Sprintf("%s %s %d %s %v %s %s known %d", e.ID, e.Kind, e.Time.UnixNano(), e.Actor, e.Amount, e.Currency, strings.Join(attrs, ","), e.Known.UnixNano()))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(out)
	return out
}

// sameTracker fails unless got and want give the same values (now, as of
// instants, as known at the batches' Known instants), the same live events,
// ledger and closed records, and the same part.
func sameTracker(t *rapid.T, what string, got, want *kpi.Tracker, req kpi.Request, knowns []time.Time) {
	ctx := context.Background()
	sameResult(t, what+": now", must(t)(got.Result(ctx, time.Time{})), must(t)(want.Result(ctx, time.Time{})))
	start, _ := req.Calendar.Bounds(req.Periods[0])
	_, end := req.Calendar.Bounds(req.Periods[len(req.Periods)-1])
	asOf := start.Add(time.Duration(rapid.Int64Range(0, int64(end.Sub(start))).Draw(t, "as of")))
	sameResult(t, what+": as of", must(t)(got.Result(ctx, asOf)), must(t)(want.Result(ctx, asOf)))
	if len(knowns) > 0 {
		at := rapid.SampledFrom(knowns).Draw(t, "known at")
		sameResult(t, what+": as known at", must(t)(got.AsKnownAt(ctx, at)), must(t)(want.AsKnownAt(ctx, at)))
	}
	if g, w := scanned(t, got), scanned(t, want); !slices.Equal(g, w) {
		t.Fatalf("%s: scan gives\n%s\nwant\n%s", what, strings.Join(g, "\n"), strings.Join(w, "\n"))
	}
	if got.Len() != want.Len() {
		t.Fatalf("%s: %d live events, want %d", what, got.Len(), want.Len())
	}
	ledger := func(tr *kpi.Tracker) string {
		m := map[string]string{}
		tr.LedgerRange(func(k string, d []byte) bool { m[k] = string(d); return true })
		return fmt.Sprint(m)
	}
	if g, w := ledger(got), ledger(want); g != w {
		t.Fatalf("%s: ledger %s, want %s", what, g, w)
	}
	if g, w := fmt.Sprint(got.Closed()), fmt.Sprint(want.Closed()); g != w {
		t.Fatalf("%s: closed %s, want %s", what, g, w)
	}
	gp, gerr := got.Partial(ctx)
	wp, werr := want.Partial(ctx)
	if fmt.Sprint(gerr) != fmt.Sprint(werr) || string(gp) != string(wp) {
		t.Fatalf("%s: part %s (%v), want %s (%v)", what, gp, gerr, wp, werr)
	}
}

// TestTrackerRestartsFromSnapshot: a tracker that commits random batches
// (corrections, retractions, out of order, Known instants, ledger keys and
// closed records) takes a snapshot at a random batch and goes on; a tracker
// restarted from the snapshot and the batches after it, and one that
// replays every batch, give what the tracker that never stopped gives, and
// keep giving it as more batches come (a duplicate ledger key refused by
// all), through a second snapshot of the restarted tracker, and under a
// changed plan.
func TestTrackerRestartsFromSnapshot(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		set, req := drawTracking(t)
		start, _ := req.Calendar.Bounds(req.Periods[0])
		batches := drawBatches(t, genStream(t, req.Calendar, req.Periods), start)
		knowns := knownAt(batches)
		at := rapid.IntRange(0, len(batches)).Draw(t, "snapshot after")
		restart := rapid.IntRange(at, len(batches)).Draw(t, "restart after")
		commit := func(tr *kpi.Tracker, b kpi.TrackBatch) {
			if err := tr.Commit(ctx, &b); err != nil {
				t.Fatal(err)
			}
		}
		store := kpi.NewSnapStore()
		live, err := set.Track(ctx, req, store)
		if err != nil {
			t.Fatal(err)
		}
		for i, b := range batches[:restart] {
			if i == at {
				if err := live.Snapshot(ctx); err != nil {
					t.Fatal(err)
				}
			}
			commit(live, b)
		}
		if at == restart {
			if err := live.Snapshot(ctx); err != nil {
				t.Fatal(err)
			}
		}
		if _, n := store.Snapshot(); n != int64(at) {
			t.Fatalf("the snapshot covers %d batches, want %d", n, at)
		}
		restoredStore := store.Clone()
		restored, err := set.Track(ctx, req, restoredStore)
		if err != nil {
			t.Fatal(err)
		}
		replayed, err := set.Track(ctx, req, kpi.LoadOnly{TrackStore: store.Clone()})
		if err != nil {
			t.Fatal(err)
		}
		sameTracker(t, "restored", restored, live, req, knowns)
		sameTracker(t, "replayed", replayed, live, req, knowns)

		trackers := []*kpi.Tracker{live, restored, replayed}
		for _, b := range batches[restart:] {
			for _, tr := range trackers {
				commit(tr, b)
			}
		}
		if len(batches) > 0 && len(batches[0].Ledger) > 0 {
			dup := kpi.TrackBatch{Events: batches[0].Events[:1], Ledger: batches[0].Ledger}
			for _, tr := range trackers {
				if err := tr.Commit(ctx, &dup); !errors.Is(err, kpi.ErrDuplicateKey) {
					t.Fatalf("a committed ledger key again: %v, want ErrDuplicateKey", err)
				}
			}
		}
		sameTracker(t, "restored, then more batches", restored, live, req, knowns)
		sameTracker(t, "replayed, then more batches", replayed, live, req, knowns)

		// The restarted tracker's own snapshot.
		if err := restored.Snapshot(ctx); err != nil {
			t.Fatal(err)
		}
		again, err := set.Track(ctx, req, restoredStore.Clone())
		if err != nil {
			t.Fatal(err)
		}
		sameTracker(t, "restored twice", again, live, req, knowns)

		// Another plan over the same store: other indicators, periods,
		// groups and zone.
		set2, req2 := drawTracking(t)
		changed, err := set2.Track(ctx, req2, restoredStore.Clone())
		if err != nil {
			t.Fatal(err)
		}
		full, err := set2.Track(ctx, req2, kpi.LoadOnly{TrackStore: restoredStore.Clone()})
		if err != nil {
			t.Fatal(err)
		}
		sameTracker(t, "restored under a changed plan", changed, full, req2, knowns)
	})
}
