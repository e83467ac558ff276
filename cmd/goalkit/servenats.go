package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/goalkit/goalkit"
	gknats "github.com/goalkit/goalkit/adapters/nats"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/serve"
)

// publishRetry is how long the server tries again to publish a batch the
// log did not take (a server went away, leaders are being elected).
const publishRetry = 10 * time.Second

// natsFront makes the server a front of the tenant spec names: its
// tracker is a replica in memory, seeded with the tenant's current events
// and kept current by following every partition of its log, and
// ingestion publishes to the log (cfg.Ingest). It returns once the replica
// holds the log's events as of the call; later batches are applied as they
// arrive and reported to the server in srv. A failure of the replica
// cancels ctx with its cause: a server whose replica stopped would serve
// stale reports. release stops the replica and closes the connection.
func natsFront(ctx context.Context, cancel context.CancelCauseFunc, spec string, plan *goalkit.Plan, cfg *serve.Config,
	srv *atomic.Pointer[serve.Server], stderr io.Writer) (*goalkit.Tracker, func(), error) {
	t, closeNC, err := connectNATS(ctx, spec, nil)
	if err != nil {
		return nil, nil, err
	}
	tr, err := plan.Track(ctx, nil, cfg.Options...)
	if err != nil {
		closeNC()
		return nil, nil, err
	}
	fctx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	release := func() { stop(); <-done; tr.Close(); closeNC() }
	apply := func(ctx context.Context, events []kpi.Event) error {
		if err := tr.Apply(ctx, events...); err != nil {
			return err
		}
		if s := srv.Load(); s != nil {
			s.Updated()
		}
		return nil
	}
	caught := make(chan struct{})
	failed := make(chan error, 1)
	go func() {
		defer close(done)
		err := scaleout.Follow(fctx, t, apply, func() { close(caught) })
		if fctx.Err() == nil {
			err = fmt.Errorf("following tenant %s: %w", t.Name(), err)
			failed <- err
			cancel(err)
		}
	}()
	select {
	case <-caught:
	case err := <-failed:
		release()
		return nil, nil, err
	case <-ctx.Done():
		release()
		return nil, nil, context.Cause(ctx)
	}
	fmt.Fprintf(stderr, "replica of tenant %s (%d partitions): %d events\n", t.Name(), t.Partitions(), tr.Indicators().Len())
	cfg.Ingest = func(ctx context.Context, events []kpi.Event) error { return publishBatch(ctx, t, events) }
	return tr, release, nil
}

// publishBatch publishes an ingested batch under a name of its own,
// stamped with the wall clock (workers order an event's versions by it),
// trying again for a while with the same records: the log drops those it
// has.
func publishBatch(ctx context.Context, t *gknats.Tenant, events []kpi.Event) error {
	name := make([]byte, 12)
	rand.Read(name)
	recs, err := scaleout.Records("serve:"+hex.EncodeToString(name), time.Now(), events, t.Partitions())
	if err != nil {
		return err
	}
	for deadline := time.Now().Add(publishRetry); ; {
		err := t.Append(ctx, recs)
		if err == nil || ctx.Err() != nil || time.Now().After(deadline) {
			return err
		}
		time.Sleep(200 * time.Millisecond)
	}
}
