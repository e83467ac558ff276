package scaleout_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
	"pgregory.net/rapid"
)

// redelivering is a log whose cursors start back records before the
// offset asked for, as a log that redelivers what was acknowledged.
type redelivering struct {
	scaleout.Log
	back uint64
}

func (l redelivering) Open(ctx context.Context, p int, from uint64) (scaleout.Cursor, error) {
	return l.Log.Open(ctx, p, max(from, l.back+1)-l.back)
}

// TestRestartFromSnapshots publishes a random stream in chunks, each
// maybe twice (copies at later offsets, as a log that keeps duplicates
// stores them) and maybe with an earlier chunk again (stale versions:
// originals of what was corrected or retracted since), and after each
// chunk drains it with workers that snapshot and prune their stores (or
// not), through a log that redelivers records before the committed
// position. Workers restart from the snapshots and the batches after
// them; the merged report equals Plan.Evaluate over the stream's final
// events.
func TestRestartFromSnapshots(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		def, plan, stream := drawPlan(t)
		mem := scaleout.NewMemoryLog(rapid.IntRange(1, 4).Draw(t, "partitions"))
		log := redelivering{mem, uint64(rapid.IntRange(0, 5).Draw(t, "redelivered"))}
		st, parts := &scaleouttest.PruningStores{}, &scaleout.MemoryParts{}
		var chunks [][]kpi.Event
		for rest := stream; len(rest) > 0; {
			k := rapid.IntRange(1, len(rest)).Draw(t, "chunk")
			chunks, rest = append(chunks, rest[:k]), rest[k:]
		}
		at := func(i int) time.Time { return time.Date(2026, 1, 1, i, 0, 0, 0, time.UTC) }
		for i, chunk := range chunks {
			if err := scaleout.Publish(ctx, mem, fmt.Sprint("chunk ", i), at(i), chunk); err != nil {
				t.Fatal(err)
			}
			if rapid.Bool().Draw(t, "copy") {
				if err := scaleout.Publish(ctx, mem, fmt.Sprint("copy of chunk ", i), at(i), chunk); err != nil {
					t.Fatal(err)
				}
			}
			if j := rapid.IntRange(-1, i).Draw(t, "stale"); j >= 0 {
				if err := scaleout.Publish(ctx, mem, fmt.Sprint("chunk ", j, " again after ", i), at(j), chunks[j]); err != nil {
					t.Fatal(err)
				}
			}
			n := rapid.IntRange(1, 3).Draw(t, "workers")
			for a := range n {
				owned := scaleout.Assignment{I: a, N: n}.Owned(mem.Partitions())
				if len(owned) == 0 {
					continue // more workers than partitions: Run refuses one of none
				}
				w := &scaleout.Worker{Plan: plan, Log: log, Store: st.Open, Parts: parts, Partitions: owned,
					Batch: rapid.IntRange(1, 9).Draw(t, "batch"), Drain: true}
				if rapid.Bool().Draw(t, "snapshots") {
					w.SnapshotEvery = time.Nanosecond
				}
				if err := w.Run(ctx); err != nil {
					t.Fatal(err)
				}
			}
		}
		asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		want, err := plan.Evaluate(ctx, kpi.Events(goalkittest.Final(stream)), asOf)
		if err != nil {
			t.Fatal(err)
		}
		// The parts alone, unless the plan has scorecards (which parts
		// do not answer).
		var src kpi.Source = scaleouttest.PartsOnly{Source: &scaleout.Source{Log: log, Parts: parts}}
		if len(def.Scorecards) > 0 {
			src = &scaleout.Source{Log: log, Parts: parts}
		}
		got, err := plan.Evaluate(ctx, src, asOf)
		if err != nil {
			t.Fatal(err)
		}
		sameReport(t, "merged", got, want)
	})
}

// opening is a log that notes the offset each cursor is opened at.
type opening struct {
	scaleout.Log
	from []uint64
}

func (l *opening) Open(ctx context.Context, p int, from uint64) (scaleout.Cursor, error) {
	l.from = append(l.from, from)
	return l.Log.Open(ctx, p, from)
}

// TestWorkerRestartsFromSnapshot drains a partition with a worker that
// snapshots and prunes, then restarts: the new worker reads the snapshot,
// opens the log after the last record committed, and drops a stale copy
// of a retracted event's original and a copy of a correction's original,
// which only the versions in the snapshot tell apart.
func TestWorkerRestartsFromSnapshot(t *testing.T) {
	ctx := context.Background()
	plan, known, ev := wonPlan(t)
	var first []kpi.Event
	for i := range 30 {
		first = append(first, ev(fmt.Sprint(i), "anna", int64(i), 1))
	}
	first = append(first, kpi.Event{ID: "3", Deleted: true, Known: known(2)}, ev("4", "bob", 40, 2))
	log := &opening{Log: scaleout.NewMemoryLog(1)}
	if err := scaleout.Publish(ctx, log, "first", time.Time{}, first); err != nil {
		t.Fatal(err)
	}
	st, parts := &scaleouttest.PruningStores{}, &scaleout.MemoryParts{}
	run := func() {
		t.Helper()
		w := &scaleout.Worker{Plan: plan, Log: log, Store: st.Open, Parts: parts, Partitions: []int{0}, Batch: 7,
			SnapshotEvery: time.Nanosecond, Drain: true}
		if err := w.Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	run()
	store := st.Store(0)
	// 32 records in 5 batches, a snapshot after each, pruned each time.
	if saved, restored, prunes := store.Counts(); saved != 5 || restored != 0 || prunes != 5 || store.Held() != 0 {
		t.Fatalf("saved %d snapshots, restored %d, pruned %d times, holds %d batches; want 5, 0, 5, 0", saved, restored, prunes, store.Held())
	}
	// Stale copies (their originals' Known) at later offsets, and a new
	// event.
	again := []kpi.Event{ev("3", "anna", 3, 1), ev("4", "anna", 4, 1), ev("30", "carl", 300, 3)}
	if err := scaleout.Publish(ctx, log, "again", time.Time{}, again); err != nil {
		t.Fatal(err)
	}
	run()
	if _, restored, _ := store.Counts(); restored != 1 {
		t.Fatalf("restored %d snapshots, want 1", restored)
	}
	if want := []uint64{1, 33}; fmt.Sprint(log.from) != fmt.Sprint(want) {
		t.Fatalf("the workers opened the log at %v, want %v", log.from, want)
	}
	var final []kpi.Event
	for i := range 30 {
		switch i {
		case 3:
		case 4:
			final = append(final, ev("4", "bob", 40, 2))
		default:
			final = append(final, ev(fmt.Sprint(i), "anna", int64(i), 1))
		}
	}
	final = append(final, ev("30", "carl", 300, 3))
	want, err := plan.Evaluate(ctx, kpi.Events(final), known(10))
	if err != nil {
		t.Fatal(err)
	}
	got, err := plan.Evaluate(ctx, scaleouttest.PartsOnly{Source: &scaleout.Source{Log: log, Parts: parts}}, known(10))
	if err != nil {
		t.Fatal(err)
	}
	sameReport(t, "merged", got, want)
	if v, _ := got.Values.Value("revenue", "bob", plan.Periods()[0]); v.Decimal.String() != "40" {
		t.Fatalf("bob's revenue = %s, want 40", v.Decimal)
	}
}

// A snapshot written by a tracker outside a worker does not hold the
// versions the worker needs: the worker refuses it rather than forget
// them.
func TestWorkerRefusesTrackerSnapshot(t *testing.T) {
	ctx := context.Background()
	plan, _, ev := wonPlan(t)
	store := memory.NewTrackStore()
	tr, err := plan.Track(ctx, store)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Apply(ctx, ev("1", "anna", 10, 1)); err != nil {
		t.Fatal(err)
	}
	if err := tr.Indicators().Snapshot(ctx); err != nil {
		t.Fatal(err)
	}
	if err := tr.Close(); err != nil {
		t.Fatal(err)
	}
	w := &scaleout.Worker{Plan: plan, Log: scaleout.NewMemoryLog(1), Parts: &scaleout.MemoryParts{}, Partitions: []int{0}, Drain: true,
		Store: func(context.Context, int) (kpi.TrackStore, error) { return store, nil }}
	err = w.Run(ctx)
	if err == nil || !strings.Contains(err.Error(), "partition 0: ") || !strings.Contains(err.Error(), "the snapshot was not written by a scaleout worker") {
		t.Fatalf("err = %v", err)
	}
}

// TestWorkerSnapshotsALongID: an event ID has no bound of its own (a
// tracker takes one of a megabyte), so a worker snapshots a partition
// that holds one and, restarted from the snapshot, still drops a stale
// copy of that event's original. The versions' section refused IDs past
// 64 KiB, and the worker stopped at every snapshot once it had committed
// such an event: a restart committed nothing new and failed again.
func TestWorkerSnapshotsALongID(t *testing.T) {
	ctx := context.Background()
	plan, known, ev := wonPlan(t)
	long := strings.Repeat("x", 200_000)
	log := scaleout.NewMemoryLog(1)
	first := []kpi.Event{ev(long, "anna", 5, 1), ev(long, "bob", 7, 2), ev("short", "anna", 1, 1)}
	if err := scaleout.Publish(ctx, log, "first", time.Time{}, first); err != nil {
		t.Fatal(err)
	}
	st, parts := &scaleouttest.PruningStores{}, &scaleout.MemoryParts{}
	run := func() {
		t.Helper()
		w := &scaleout.Worker{Plan: plan, Log: log, Store: st.Open, Parts: parts, Partitions: []int{0},
			SnapshotEvery: time.Nanosecond, Drain: true}
		if err := w.Run(ctx); err != nil {
			t.Fatal(err)
		}
	}
	run()
	// The original again, after the correction the snapshot holds.
	if err := scaleout.Publish(ctx, log, "stale", time.Time{}, first[:1]); err != nil {
		t.Fatal(err)
	}
	run()
	if _, restored, _ := st.Store(0).Counts(); restored != 1 {
		t.Fatalf("restored %d snapshots, want 1", restored)
	}
	got, err := plan.Evaluate(ctx, scaleouttest.PartsOnly{Source: &scaleout.Source{Log: log, Parts: parts}}, known(10))
	if err != nil {
		t.Fatal(err)
	}
	// anna: the short event (1); bob: the correction (7).
	for actor, want := range map[string]string{"anna": "1", "bob": "7"} {
		if v, _ := got.Values.Value("revenue", actor, plan.Periods()[0]); v.Decimal.String() != want {
			t.Errorf("%s's revenue = %s, want %s", actor, v.Decimal, want)
		}
	}
}
