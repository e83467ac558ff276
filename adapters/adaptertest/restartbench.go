package adaptertest

import (
	"context"
	"io"
	"os"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
)

// BenchRestart measures the restart of a tracker of plan (with opts) on
// store from its snapshot, against a replay of every batch:
// GOALKIT_RESTART_EVENTS event versions (200,000 unless set) of the
// standard workload (5 % corrected, 2 % retracted) applied in batches of
// 10,000, a snapshot, then 5 batches of 100 corrections. "snapshot" starts
// a tracker that restores the snapshot and applies the batches after it;
// "replay" starts one on the same store with its snapshots hidden, which
// applies every batch. Both are checked to give the values of the tracker
// that stopped. It logs how long the ingest and the snapshot took, and the
// snapshot's size and speed written and read.
func BenchRestart(b *testing.B, plan *goalkit.Plan, store kpi.TrackSnapshotter, opts ...goalkit.EvalOption) {
	events := 200_000
	if v := os.Getenv("GOALKIT_RESTART_EVENTS"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil || n <= 0 {
			b.Fatalf("GOALKIT_RESTART_EVENTS=%q: want a whole number above 0", v)
		}
		events = n
	}
	ctx := context.Background()
	tr, err := plan.Track(ctx, store, opts...)
	if err != nil {
		b.Fatal(err)
	}
	var batch []kpi.Event
	versions := 0
	apply := func(e *kpi.Event, size int) error {
		if e != nil {
			c := e.Clone()
			c.ID = strings.Clone(c.ID) // the generator reuses the ID's bytes
			batch = append(batch, c)
			versions++
		}
		if len(batch) == size || e == nil && len(batch) > 0 {
			if err := tr.Apply(ctx, batch...); err != nil {
				return err
			}
			batch = batch[:0]
		}
		return nil
	}
	start := time.Now()
	w := goalkittest.Workload{N: events, CorrectedPerMille: 50, RetractedPerMille: 20}
	if err := w.Generate(func(e *kpi.Event) error { return apply(e, 10_000) }); err != nil {
		b.Fatal(err)
	}
	if err := apply(nil, 0); err != nil {
		b.Fatal(err)
	}
	ingest := time.Since(start)
	start = time.Now()
	if err := tr.Indicators().Snapshot(ctx); err != nil {
		b.Fatal(err)
	}
	snap := time.Since(start)
	start = time.Now()
	var size int64
	if _, err := store.LoadSnapshot(ctx, func(_ int64, r io.Reader) (err error) {
		size, err = io.Copy(io.Discard, r)
		return err
	}); err != nil {
		b.Fatal(err)
	}
	read := time.Since(start)
	// Corrections after the snapshot: another stream's first 500 events,
	// whose IDs are those of the first 500.
	if err := (goalkittest.Workload{N: 500, Seed: 2}).Generate(func(e *kpi.Event) error { return apply(e, 100) }); err != nil {
		b.Fatal(err)
	}
	if err := apply(nil, 0); err != nil {
		b.Fatal(err)
	}
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	want, err := tr.Report(ctx, asOf)
	if err != nil {
		b.Fatal(err)
	}
	if err := tr.Close(); err != nil {
		b.Fatal(err)
	}
	b.Logf("%d events, %d versions applied: ingest %v (%.0f versions/s), snapshot %v (%d bytes, %.0f MB/s written, %.0f MB/s read)",
		events, versions, ingest.Round(time.Millisecond), float64(versions)/ingest.Seconds(),
		snap.Round(time.Millisecond), size, float64(size)/1e6/snap.Seconds(), float64(size)/1e6/read.Seconds())
	for _, c := range []struct {
		name  string
		store kpi.TrackStore
	}{{"snapshot", store}, {"replay", replayOnly{store}}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				tr, err := plan.Track(ctx, c.store, opts...)
				if err != nil {
					b.Fatal(err)
				}
				if err := tr.Close(); err != nil {
					b.Fatal(err)
				}
			}
			tr, err := plan.Track(ctx, c.store, opts...)
			if err != nil {
				b.Fatal(err)
			}
			defer tr.Close()
			got, err := tr.Report(ctx, asOf)
			if err != nil {
				b.Fatal(err)
			}
			if !reflect.DeepEqual(got.Values, want.Values) {
				b.Fatal("the restarted tracker's report differs from the stopped one's")
			}
		})
	}
}

// replayOnly hides a store's snapshots: a tracker on it replays every
// batch.
type replayOnly struct{ kpi.TrackStore }
