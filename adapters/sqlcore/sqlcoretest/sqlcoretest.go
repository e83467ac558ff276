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
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strings"
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
		// Each event is applied as a stand-in, an event Apply takes, whose
		// row is then given back what the event holds, as a host's own
		// writes could.
		Unchecked: func(ctx context.Context, s *sqlcore.Store, events ...kpi.Event) error {
			return writeUnchecked(ctx, s, events, false)
		},
		UncheckedLimits: func(ctx context.Context, s *sqlcore.Store, events ...kpi.Event) error {
			return writeUnchecked(ctx, s, events, true)
		},
		MinPushed: 0.5,
	}
}

// writeUnchecked writes each event as a stand-in Apply takes (its own id,
// actor, kind and currency, its attributes under names of its own, with
// limits its time, amount and the attributes past 64 within the limits)
// and then updates its row to what the event holds.
func writeUnchecked(ctx context.Context, s *sqlcore.Store, events []kpi.Event, limits bool) error {
	pg := s.Dialect() == sqlcore.Postgres
	exec := func(query string, args ...any) error {
		if pg {
			for i := 1; strings.Contains(query, "?"); i++ {
				query = strings.Replace(query, "?", fmt.Sprint("$", i), 1)
			}
		}
		_, err := s.DB().ExecContext(ctx, query, args...)
		return err
	}
	for i, e := range events {
		id := fmt.Sprint("unchecked ", i)
		stand := e.Clone()
		stand.ID, stand.Actor, stand.Kind = id, "unchecked", "unchecked"
		if e.Currency != "" {
			stand.Currency = "UNCHECKED"
		}
		names := slices.Sorted(maps.Keys(e.Attrs))
		stand.Attrs = map[string]any{}
		var extra map[string]any // the attributes past 64, on a row of their own
		for j, name := range names {
			switch {
			case limits && j >= kpi.MaxEventAttrs:
				if extra == nil {
					extra = map[string]any{}
				}
				extra[name] = e.Attrs[name]
			case limits:
				stand.Attrs[name] = e.Attrs[name]
			default:
				stand.Attrs[fmt.Sprint("unchecked_", j)] = e.Attrs[name]
			}
		}
		if limits {
			stand.Time, stand.Amount = time.Unix(0, 0), decimal.NullDecimal{}
		}
		if err := s.Apply(ctx, stand); err != nil {
			return err
		}
		if err := exec("UPDATE goalkit_events SET actor = ?, kind = ?, currency = ? WHERE id = ?", e.Actor, e.Kind, e.Currency, id); err != nil {
			return err
		}
		if !limits {
			for j, name := range names {
				quoted, err := json.Marshal(name)
				if err != nil {
					return err
				}
				update := "UPDATE goalkit_events SET attrs = replace(attrs, ?, ?) WHERE id = ?"
				if pg {
					update = "UPDATE goalkit_events SET attrs = replace(attrs::text, ?, ?)::jsonb WHERE id = ?"
				}
				if err := exec(update, fmt.Sprintf("%q", fmt.Sprint("unchecked_", j)), string(quoted), id); err != nil {
					return err
				}
			}
		} else {
			_, offset := e.Time.Zone()
			if err := exec("UPDATE goalkit_events SET ts_ns = ?, tz_offset = ? WHERE id = ?", e.Time.UnixNano(), offset, id); err != nil {
				return err
			}
			if e.Amount.Valid {
				update := "UPDATE goalkit_events SET amount = ?, amount_units = NULL WHERE id = ?"
				if pg {
					update = "UPDATE goalkit_events SET amount = ?::numeric WHERE id = ?"
				}
				if err := exec(update, e.Amount.Decimal.String(), id); err != nil {
					return err
				}
			}
			if extra != nil {
				more := kpi.Event{ID: id + " more", Kind: "unchecked", Time: time.Unix(0, 0), Attrs: extra}
				if err := s.Apply(ctx, more); err != nil {
					return err
				}
				merge := "UPDATE goalkit_events SET attrs = json_patch(attrs, (SELECT attrs FROM goalkit_events WHERE id = ?)) WHERE id = ?"
				if pg {
					merge = "UPDATE goalkit_events SET attrs = attrs || (SELECT attrs FROM goalkit_events WHERE id = ?) WHERE id = ?"
				}
				if err := exec(merge, more.ID, id); err != nil {
					return err
				}
				if err := exec("DELETE FROM goalkit_events WHERE id = ?", more.ID); err != nil {
					return err
				}
			}
		}
		if err := exec("UPDATE goalkit_events SET id = ? WHERE id = ?", e.ID, id); err != nil {
			return err
		}
	}
	return nil
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
