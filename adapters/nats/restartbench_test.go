package nats_test

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/nats/natstest"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
)

// BenchmarkRestart measures a tracker's restart on a partition's store
// from its snapshot and the batches after it, against a replay of every
// batch: GOALKIT_RESTART_EVENTS events (200,000 unless set) of the
// standard workload in batches of 10,000, a snapshot, then 500
// corrections in batches of 100 (adaptertest.BenchRestart).
func BenchmarkRestart(b *testing.B) {
	ctx := context.Background()
	e := connect(b, natstest.Start(b, 1))
	tn := e.tenant(b, "restart", 1)
	store, err := tn.Store(ctx, 0)
	if err != nil {
		b.Fatal(err)
	}
	adaptertest.BenchRestart(b, goalkittest.CompilePlan(b, planYAML), store.(kpi.TrackSnapshotter), team)
}
