package goalkit

import (
	"context"
	"encoding/json"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// CloseGoal closes the period per of a goal at the instant asOf, as
// Plan.CloseGoal does, over the tracker's events and the results closed
// before, and commits the records and the notifications not emitted before
// to the tracker's store in one batch: from then on Report gives the closed
// instance its record (a later correction follows the goal's policy), and a
// restarted tracker knows it. Closing a closed period again gives the same
// closing, commits nothing new and emits nothing again: the returned
// notifications are those not emitted before.
//
// The Committed says what this call committed: the records of the
// participants not closed before and the notifications it emitted (the
// closing's); the zero Committed when it committed nothing (a close sent
// again), which changes no report. An instant outside the years 1678 to
// 2261, in which the stores keep instants, is refused naming it, before
// anything is closed: the records would hold it as their closed_at.
func (t *Tracker) CloseGoal(ctx context.Context, asOf time.Time, goalID string, per period.Period) (*goal.Closing, Committed, error) {
	if err := needKept("Tracker.CloseGoal", "asOf", asOf); err != nil {
		return nil, Committed{}, err
	}
	opts, done, err := t.closing()
	defer done()
	if err != nil {
		return nil, Committed{}, err
	}
	cl, err := t.plan.CloseGoal(ctx, t.kt, asOf, goalID, per, opts...)
	if err != nil {
		return nil, Committed{}, err
	}
	closed := t.kt.Closed()
	var b kpi.TrackBatch
	var out Committed
	for i := range cl.Records {
		r := &cl.Records[i]
		if _, done := closed[recordKey(r)]; done {
			continue
		}
		data, err := json.Marshal(r)
		if err != nil {
			return nil, Committed{}, err
		}
		b.Closed = append(b.Closed, kpi.TrackRecord{Key: recordKey(r), Data: data})
		out.Records = append(out.Records, *r)
	}
	emitted := t.emitted()
	fresh := cl.Notifications[:0:0]
	for _, n := range cl.Notifications {
		if _, done := emitted[n.Key]; done {
			continue
		}
		data, err := json.Marshal(n)
		if err != nil {
			return nil, Committed{}, err
		}
		b.Ledger = append(b.Ledger, kpi.TrackRecord{Key: n.Key, Data: data})
		fresh = append(fresh, n)
	}
	if len(b.Closed) > 0 || len(b.Ledger) > 0 {
		if err := t.kt.Commit(ctx, &b); err != nil {
			return nil, Committed{}, err
		}
	}
	cl.Notifications = fresh
	if len(fresh) > 0 {
		out.Notifications = fresh
	}
	return cl, out, nil
}
