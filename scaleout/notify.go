package scaleout

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
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
// tracker what it holds, so that an achievement recorded before and no
// longer reached is revoked (achievement_revoked) as a live tracker
// revokes it, and only at an instant not before the one it was told at (a
// call as of an earlier instant, a notifier whose clock is behind
// another's, revokes nothing); any other ledger leaves revocations untold.
// A nil plan, source or ledger is an error that names it.
//
// When the ledger fails, Notify returns the error together with the
// notifications this call recorded before it: they are in the ledger, so
// no later call emits them again, and a host that drops them with the
// error never delivers them. Deliver what it returns, error or not; the
// notification whose record failed, and those after it, are emitted by a
// later call.
func Notify(ctx context.Context, plan *goalkit.Plan, src kpi.Source, ledger Ledger, asOf time.Time, opts ...goalkit.EvalOption) ([]goal.Notification, error) {
	switch {
	case plan == nil:
		return nil, errors.New("scaleout.Notify: no Plan to judge")
	case src == nil:
		return nil, errors.New("scaleout.Notify: no Source of events to judge")
	case ledger == nil:
		return nil, errors.New("scaleout.Notify: no Ledger to record the notifications in")
	}
	store := memory.NewTrackStore()
	if l, ok := ledger.(LedgerLister); ok {
		var b kpi.TrackBatch
		seen := map[string]bool{}
		if err := l.Records(ctx, func(key string, data []byte) error {
			// A key listed again (a listing that overlaps itself) is the
			// one record: the store refuses a key twice.
			if !seen[key] {
				seen[key] = true
				b.Ledger = append(b.Ledger, kpi.TrackRecord{Key: key, Data: data})
			}
			return nil
		}); err != nil {
			return nil, fmt.Errorf("scaleout: the ledger's records: %w", err)
		}
		if len(b.Ledger) > 0 {
			if err := store.Commit(ctx, &b); err != nil {
				return nil, err
			}
		}
	}
	tr, err := plan.Track(ctx, store, append(slices.Clone(opts), goalkit.WithSeed(src))...)
	if err != nil {
		return nil, err
	}
	defer tr.Close()
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
