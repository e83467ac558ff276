package kpi_test

import (
	"context"
	"time"

	"github.com/goalkit/goalkit/kpi"
)

// batchAndLive evaluates the set over events twice, as the tests of live
// and batch agreement need: once by Set.Evaluate, and once by a tracker
// that applied them, read as of asOf (the zero time: now).
func batchAndLive(t interface {
	Helper()
	Fatal(...any)
}, set *kpi.Set, req kpi.Request, events kpi.Events, asOf time.Time) (batch, live *kpi.Result) {
	t.Helper()
	ctx := context.Background()
	batch, err := set.Evaluate(ctx, events, req)
	if err != nil {
		t.Fatal(err)
	}
	tr, err := set.Track(ctx, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Apply(ctx, events...); err != nil {
		t.Fatal(err)
	}
	if live, err = tr.Result(ctx, asOf); err != nil {
		t.Fatal(err)
	}
	return batch, live
}
