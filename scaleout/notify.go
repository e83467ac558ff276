package scaleout

import (
	"context"
	"encoding/json"
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
// was emitted before.
func Notify(ctx context.Context, plan *goalkit.Plan, src kpi.Source, ledger Ledger, asOf time.Time, opts ...goalkit.EvalOption) ([]goal.Notification, error) {
	tr, err := plan.Track(ctx, nil, opts...)
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
