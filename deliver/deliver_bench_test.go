package deliver_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/deliver"
)

// BenchmarkDeliver measures the cost per message: 100 messages stored in
// one transaction, then delivered, each an attempt recorded before and its
// outcome after (two transactions with synchronous=FULL, so the disk's
// sync rate bounds it): to a channel that does nothing (the outbox alone),
// and as signed webhooks to a receiver on the loopback (the outbox and an
// HTTP round trip).
func BenchmarkDeliver(b *testing.B) {
	b.Run("nop", func(b *testing.B) {
		benchDeliver(b, deliver.ChannelFunc(func(context.Context, deliver.Message) error { return nil }))
	})
	b.Run("webhook", func(b *testing.B) {
		rcv := newReceiver(b)
		w, err := deliver.NewWebhook(rcv.srv.URL, testSecret, nil)
		if err != nil {
			b.Fatal(err)
		}
		benchDeliver(b, w)
	})
}

func benchDeliver(b *testing.B, ch deliver.Channel) {
	ctx := context.Background()
	plan := compilePlan(b, testPlan)
	cfg := parseConfig(b, `
channels: [{name: box, type: webhook, url: "http://unused", secret_env: S}]
recipients: [{user: anna, channels: [box]}]
`)
	tr, err := plan.Track(ctx, memory.NewTrackStore())
	if err != nil {
		b.Fatal(err)
	}
	defer tr.Close()
	ob := openOutbox(b, b.TempDir())
	d, err := deliver.New(plan, tr, cfg, ob, map[string]deliver.Channel{"box": ch})
	if err != nil {
		b.Fatal(err)
	}
	const batch = 100
	now := time.Now()
	round := 0
	for b.Loop() {
		msgs := make([]deliver.Message, batch)
		for i := range msgs {
			key := fmt.Sprintf("achieved/sales/u%d/%d", i, round)
			msgs[i] = deliver.Message{ID: deliver.MessageID(key, "anna", "box"), Key: key, Kind: "achieved", Channel: "box",
				To: deliver.Recipient{User: "anna"}, Created: now, Subject: "s", Text: "t"}
		}
		round++
		if err := ob.Add(ctx, nil, msgs); err != nil {
			b.Fatal(err)
		}
		res, err := d.Deliver(ctx, now)
		if err != nil || res.Sent != batch {
			b.Fatalf("%+v %v", res, err)
		}
	}
	b.ReportMetric(float64(b.N*batch)/b.Elapsed().Seconds(), "msgs/s")
}
