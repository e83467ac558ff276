package kafka_test

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	gkkafka "github.com/goalkit/goalkit/adapters/kafka"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
	"github.com/shopspring/decimal"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// TestWorkerOfATopicMadeAgain drains two deals of 1 into a store, deletes
// the tenant's topic and makes it again, and publishes five deals of 100
// to it, past the offset the store committed: a worker restarted on the
// store stops, naming the offset and the two topics' IDs. It read on from
// offset 3, skipping the new topic's first two deals, a won sum of 302
// where the new log holds 500.
func TestWorkerOfATopicMadeAgain(t *testing.T) {
	opts := cluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tn := create(t, opts, "again", 1)
	plan := goalkittest.CompilePlan(t, `
timezone: UTC
indicators:
  - {id: won_sum, kinds: [deal_won], aggregate: sum, value: amount}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`)
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	deals := func(n int, amount int64) []kpi.Event {
		var evs []kpi.Event
		for i := range n {
			evs = append(evs, kpi.Event{ID: fmt.Sprint(amount, "-", i), Kind: "deal_won", Time: at, Actor: "1", Amount: decimal.NewNullDecimal(decimal.New(amount, 0))})
		}
		return evs
	}
	stores := &scaleouttest.Stores{}
	drain := func(tn *gkkafka.Tenant) error {
		w := &scaleout.Worker{Plan: plan, Log: tn, Store: stores.Open, Parts: &scaleout.MemoryParts{}, Partitions: []int{0}, Drain: true}
		return w.Run(ctx)
	}
	if err := scaleout.Publish(ctx, tn, "old", at, deals(2, 1)); err != nil {
		t.Fatal(err)
	}
	if err := drain(tn); err != nil {
		t.Fatal(err)
	}
	old, err := tn.Identity(ctx, 0)
	if err != nil || old == "" {
		t.Fatalf("the topic's identity: %q, %v", old, err)
	}

	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	req := kmsg.NewPtrDeleteTopicsRequest()
	req.TopicNames = []string{gkkafka.Topic("again")}
	rt := kmsg.NewDeleteTopicsRequestTopic()
	rt.Topic = kmsg.StringPtr(gkkafka.Topic("again"))
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, cl)
	if err == nil && (len(resp.Topics) != 1 || resp.Topics[0].ErrorCode != 0) {
		err = fmt.Errorf("delete topics: %+v", resp.Topics)
	}
	if err != nil {
		t.Fatal(err)
	}
	tn = create(t, opts, "again", 1)
	if err := scaleout.Publish(ctx, tn, "new", at, deals(5, 100)); err != nil {
		t.Fatal(err)
	}
	now, err := tn.Identity(ctx, 0)
	if err != nil || now == old {
		t.Fatalf("the topic made again has identity %q (%v), the old one %q", now, err, old)
	}
	err = drain(tn)
	want := "partition 0: the store has committed up to offset 2 of the log's partition as it was (identity " + old + "), and the log's partition is now another (identity " + now + "): it was deleted and made again"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("the worker: %v, want an error containing %q", err, want)
	}
}
