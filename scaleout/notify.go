package scaleout

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
)

// Notify decides the plan's notifications as of asOf on the merged state
// of src (its current events) and records each in the ledger with
// create-if-absent: it returns those this call recorded, so that of any
// number of notifiers, concurrent or restarted, exactly one emits each
// notification. The ledger holds each notification as JSON under its key,
// for a host that crashes before delivering it.
//
// Each call judges the transitions since the start of every goal instance
// (goalkit.Tracker.Tick on a fresh tracker) and leaves to the ledger what
// was emitted before. A ledger that is a LedgerLister tells the fresh
// tracker the keys it holds, so that an achievement recorded before and
// no longer reached is revoked (achievement_revoked) as a live tracker
// revokes it; any other ledger leaves revocations untold.
func Notify(ctx context.Context, plan *goalkit.Plan, src kpi.Source, ledger Ledger, asOf time.Time, opts ...goalkit.EvalOption) ([]goal.Notification, error) {
	var seen kpi.TrackStore
	if l, ok := ledger.(LedgerLister); ok {
		var b kpi.TrackBatch
		if err := l.Keys(ctx, func(key string) error {
			b.Ledger = append(b.Ledger, kpi.TrackRecord{Key: key})
			return nil
		}); err != nil {
			return nil, fmt.Errorf("scaleout: the ledger's keys: %w", err)
		}
		seen = &emittedStore{emitted: b}
	}
	tr, err := plan.Track(ctx, seen, opts...)
	if err != nil {
		return nil, err
	}
	defer tr.Close()
	var events []kpi.Event
	if err := src.Scan(ctx, kpi.Query{}, func(e *kpi.Event) error {
		events = append(events, e.Clone())
		return nil
	}); err != nil {
		return nil, err
	}
	if err := tr.Apply(ctx, events...); err != nil {
		return nil, err
	}
	ns, err := tr.Tick(ctx, asOf)
	if err != nil {
		return nil, err
	}
	var out []goal.Notification
	for _, n := range ns {
		data, err := json.Marshal(n)
		if err != nil {
			return nil, err
		}
		created, err := ledger.Create(ctx, n.Key, data)
		if err != nil {
			return out, err
		}
		if created {
			out = append(out, n)
		}
	}
	return out, nil
}

// emittedStore is the store of Notify's fresh tracker: its one batch holds
// the keys the ledger recorded before, and what the tracker commits is
// dropped (the ledger records it, key by key).
type emittedStore struct{ emitted kpi.TrackBatch }

func (s *emittedStore) Commit(context.Context, *kpi.TrackBatch) error { return nil }

func (s *emittedStore) Load(_ context.Context, fn func(*kpi.TrackBatch) error) error {
	if len(s.emitted.Ledger) == 0 {
		return nil
	}
	return fn(&s.emitted)
}
