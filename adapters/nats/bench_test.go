package nats_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/nats/natstest"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
)

// benchEvents is the size of the benchmarks' stream.
const benchEvents = 20000

// BenchmarkScaleOut measures events/s end to end on one in-process server:
// publish the standard workload to a tenant of 4 partitions, drain it with
// 1, 2 or 4 workers, and read the merged report; and the in-process
// tracker over the same events in batches of the same size, as the
// baseline of the overhead.
func BenchmarkScaleOut(b *testing.B) {
	e := connect(b, natstest.Start(b, 1))
	plan := goalkittest.CompilePlan(b, planYAML)
	events := workload(b, benchEvents)
	ctx := context.Background()
	asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	b.Run("in-process", func(b *testing.B) {
		for b.Loop() {
			tr, err := plan.Track(ctx, nil, team)
			if err != nil {
				b.Fatal(err)
			}
			for i := 0; i < len(events); i += 500 {
				if err := tr.Indicators().Apply(ctx, events[i:min(i+500, len(events))]...); err != nil {
					b.Fatal(err)
				}
			}
			if _, err := tr.Report(ctx, asOf); err != nil {
				b.Fatal(err)
			}
			tr.Close()
		}
		b.ReportMetric(float64(len(events)*b.N)/b.Elapsed().Seconds(), "events/s")
	})
	for _, workers := range []int{1, 2, 4} {
		b.Run(fmt.Sprintf("workers=%d", workers), func(b *testing.B) {
			n := 0
			var create, publish, consume, read time.Duration
			for b.Loop() {
				t0 := time.Now()
				n++
				tn := e.tenant(b, fmt.Sprintf("bench%d_%d", workers, n), 4)
				t1 := time.Now()
				recs, err := scaleout.Records("all", time.Now(), events, tn.Partitions())
				if err != nil {
					b.Fatal(err)
				}
				if err := tn.Append(ctx, recs); err != nil {
					b.Fatal(err)
				}
				t2 := time.Now()
				errs := make(chan error, workers)
				for i := range workers {
					go func() {
						w := &scaleout.Worker{Plan: plan, Options: []goalkit.EvalOption{team}, Log: tn, Store: tn.Store, Parts: tn.Parts(),
							Partitions: scaleout.Assignment{I: i, N: workers}.Owned(4), Batch: 500, PartEvery: time.Second, Drain: true}
						errs <- w.Run(ctx)
					}()
				}
				for range workers {
					if err := <-errs; err != nil {
						b.Fatal(err)
					}
				}
				t3 := time.Now()
				if _, err := plan.Evaluate(ctx, scaleouttest.PartsOnly{Source: tn.Source()}, asOf, team); err != nil {
					b.Fatal(err)
				}
				create, publish, consume, read = create+t1.Sub(t0), publish+t2.Sub(t1), consume+t3.Sub(t2), read+time.Since(t3)
			}
			for name, d := range map[string]time.Duration{"create": create, "publish": publish, "consume": consume, "read": read} {
				b.ReportMetric(d.Seconds()/float64(b.N), name+"-s/op")
			}
			b.ReportMetric(float64(len(events)*b.N)/b.Elapsed().Seconds(), "events/s")
		})
	}
}
