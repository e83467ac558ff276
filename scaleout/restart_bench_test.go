package scaleout

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
)

// BenchmarkWorkerRestart restores a partition of a million events (the
// standard workload, each version with its Known) from a snapshot: as a
// worker does (the versions, built beside the tracker's read) and as a
// tracker alone does, from a store holding the tracker's snapshot only.
func BenchmarkWorkerRestart(b *testing.B) {
	ctx := context.Background()
	plan := goalkittest.CompilePlan(b, `
timezone: Europe/Moscow
indicators:
  - {id: created, kinds: [deal_created], aggregate: count}
  - {id: won_sum, kinds: [deal_won], aggregate: sum, value: amount}
report: {grain: quarter, from: 2025-01-01, to: 2026-01-01}
`)
	events, err := goalkittest.Workload{N: 1_000_000, Seed: 7}.Events()
	if err != nil {
		b.Fatal(err)
	}
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range events {
		events[i].Known = at.Add(time.Duration(i))
	}
	worker, alone := memory.NewTrackStore(), memory.NewTrackStore()
	for _, s := range []*memory.TrackStore{worker, alone} {
		r, store := restore(s)
		if s == alone {
			store = s
		}
		tr, err := plan.Track(ctx, store)
		if err != nil {
			b.Fatal(err)
		}
		kt := tr.Indicators()
		for lo := 0; lo < len(events); lo += 10_000 {
			batch := events[lo:min(lo+10_000, len(events))]
			for i := range batch {
				r.v.fresh(&batch[i])
			}
			if err := kt.Commit(ctx, &kpi.TrackBatch{Events: batch}); err != nil {
				b.Fatal(err)
			}
		}
		if err := kt.Snapshot(ctx); err != nil {
			b.Fatal(err)
		}
		if err := tr.Close(); err != nil {
			b.Fatal(err)
		}
	}
	b.Run("worker", func(b *testing.B) {
		for b.Loop() {
			r, store := restore(worker)
			tr, err := plan.Track(ctx, store)
			if err != nil {
				b.Fatal(err)
			}
			if len(r.v) != len(events) {
				b.Fatalf("%d versions, want %d", len(r.v), len(events))
			}
			tr.Close()
		}
	})
	b.Run("tracker", func(b *testing.B) {
		for b.Loop() {
			tr, err := plan.Track(ctx, alone)
			if err != nil {
				b.Fatal(err)
			}
			tr.Close()
		}
	})
}
