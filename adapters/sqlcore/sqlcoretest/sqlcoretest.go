// Package sqlcoretest holds what the SQL adapters built on sqlcore test
// beyond the conformance suites of adaptertest, which Harness connects them
// to: a failed batch applies nothing and times keep their offset (TestApply),
// a scan's time bounds near the ends of the years (TestBoundYears),
// a host's mapped table (InsertMapped, TestMapped), recovery of the track
// store after a crash (TestCrash), snapshots and restarts (TestSnapshots;
// BenchSnapshot, BenchRestart), and the workload benchmark (BenchWorkload).
package sqlcoretest

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// Open returns an empty store for one test.
type Open func(t testing.TB) *sqlcore.Store

// Harness returns what adaptertest.TestSource and adaptertest.TestPusher
// need to run on the stores open returns: one store, opened now for all of
// t, whose event table each Open of the suites empties (the suites use one
// source at a time), and Store.Apply. Push must answer at least half of the
// suites' random queries: a change that makes it decline more fails.
func Harness(t testing.TB, open Open) adaptertest.Harness[*sqlcore.Store] {
	s := open(t)
	return adaptertest.Harness[*sqlcore.Store]{
		Open: func(t testing.TB) *sqlcore.Store {
			if _, err := s.DB().ExecContext(context.Background(), "DELETE FROM goalkit_events"); err != nil {
				t.Fatal(err)
			}
			return s
		},
		Apply: func(ctx context.Context, s *sqlcore.Store, events ...kpi.Event) error {
			return s.Apply(ctx, events...)
		},
		// Each event is applied with a stand-in id and actor, which its
		// row is then given back, as a host's own writes could.
		Unchecked: func(ctx context.Context, s *sqlcore.Store, events ...kpi.Event) error {
			update := "UPDATE goalkit_events SET id = ?, actor = ? WHERE id = ?"
			if s.Dialect() == sqlcore.Postgres {
				update = "UPDATE goalkit_events SET id = $1, actor = $2 WHERE id = $3"
			}
			for i, e := range events {
				stand := e
				stand.ID, stand.Actor = fmt.Sprint("unchecked ", i), "unchecked"
				if err := s.Apply(ctx, stand); err != nil {
					return err
				}
				if _, err := s.DB().ExecContext(ctx, update, e.ID, e.Actor, stand.ID); err != nil {
					return err
				}
			}
			return nil
		},
		MinPushed: 0.5,
	}
}

// TestApply checks what Store.Apply promises beyond the kpi.Source
// contract: a batch with an invalid event applies nothing, and an event's
// time comes back with the offset it was written with.
func TestApply(t *testing.T, open Open) {
	ctx := context.Background()
	s := open(t)
	t0 := time.Date(2025, 1, 2, 3, 4, 5, 600, time.FixedZone("", 3*3600))
	good := kpi.Event{ID: "a", Kind: "deal.won", Time: t0, Actor: "u1", Amount: decimal.NewNullDecimal(decimal.RequireFromString("1234.50")),
		Currency: "RUB", Attrs: map[string]any{"source": "web"}}
	count := func() int {
		n := 0
		if err := s.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { n++; return nil }); err != nil {
			t.Fatal(err)
		}
		return n
	}
	for _, bad := range []kpi.Event{
		{ID: "b", Time: t0},
		{ID: "b", Kind: "call", Time: t0, Attrs: map[string]any{"x": 1.5}},
		{Kind: "call", Time: t0},
	} {
		if err := s.Apply(ctx, good, kpi.Event{ID: "c", Kind: "call", Time: t0}, bad); err == nil {
			t.Fatalf("a batch with the invalid event %+v was applied", bad)
		}
		if n := count(); n != 0 {
			t.Fatalf("after a failed batch: %d events, want 0", n)
		}
	}
	if err := s.Apply(ctx, good); err != nil {
		t.Fatal(err)
	}
	var got []kpi.Event
	if err := s.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error { got = append(got, e.Clone()); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0].Time.Format(time.RFC3339Nano) != t0.Format(time.RFC3339Nano) {
		t.Fatalf("scan: %+v, want one event at %s", got, t0.Format(time.RFC3339Nano))
	}
}
