package sqlcoretest

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
)

// BenchRestart measures the restart of a tracker of the standard
// workload's plan from the database open returns: GOALKIT_RESTART_EVENTS
// event versions (200,000 unless set) of the standard workload (5 %
// corrected, 2 % retracted) applied in batches of 10,000, a snapshot, then
// 5 batches of 100 more. "snapshot" starts a tracker that restores the
// snapshot and applies the 5 batches after it; "replay" starts one on the
// same store with its snapshots hidden, which applies every batch. Both
// are checked to give the report of the tracker that stopped. It reports
// how long the ingest and the snapshot took, and the snapshot's size.
func BenchRestart(b *testing.B, open OpenAgain) {
	events := int(envCount(b, "GOALKIT_RESTART_EVENTS", 200_000))
	ctx := context.Background()
	plan := workloadPlan(b)
	s, _ := open(b)
	ts := trackStore(b, s)
	tr, err := plan.Track(ctx, ts)
	if err != nil {
		b.Fatal(err)
	}
	start := time.Now()
	batch := make([]kpi.Event, 0, 10_000)
	flush := func() {
		if err := tr.Apply(ctx, batch...); err != nil {
			b.Fatal(err)
		}
		batch = batch[:0]
	}
	w := goalkittest.Workload{N: events, CorrectedPerMille: 50, RetractedPerMille: 20}
	versions := 0
	if err := w.Generate(func(e *kpi.Event) error {
		versions++
		batch = append(batch, keep(e))
		if len(batch) == cap(batch) {
			flush()
		}
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	flush()
	ingest := time.Since(start)
	start = time.Now()
	if err := tr.Indicators().Snapshot(ctx); err != nil {
		b.Fatal(err)
	}
	snap := time.Since(start)
	var size int64
	if err := s.DB().QueryRowContext(ctx, `SELECT size FROM goalkit_track_snapshots`).Scan(&size); err != nil {
		b.Fatal(err)
	}
	// Corrections after the snapshot: another stream's first 500 events,
	// whose IDs are those of the first 500.
	if err := (goalkittest.Workload{N: 500, Seed: 2}).Generate(func(e *kpi.Event) error {
		batch = append(batch, keep(e))
		if len(batch) == 100 {
			flush()
		}
		return nil
	}); err != nil {
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
	b.Logf("%d events, %d versions applied: ingest %v (%.0f versions/s), snapshot %v (%d bytes, %.0f MB/s)",
		events, versions, ingest.Round(time.Millisecond), float64(versions)/ingest.Seconds(),
		snap.Round(time.Millisecond), size, float64(size)/1e6/snap.Seconds())
	for _, c := range []struct {
		name  string
		store kpi.TrackStore
	}{{"snapshot", ts}, {"replay", replayOnly{ts}}} {
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				tr, err := plan.Track(ctx, c.store)
				if err != nil {
					b.Fatal(err)
				}
				if err := tr.Close(); err != nil {
					b.Fatal(err)
				}
			}
			tr, err := plan.Track(ctx, c.store)
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

// keep returns a copy of a generated event to hold past the generator's
// next call, which reuses the bytes of the event's ID.
func keep(e *kpi.Event) kpi.Event {
	c := e.Clone()
	c.ID = strings.Clone(c.ID)
	return c
}
