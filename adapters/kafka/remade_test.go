package kafka_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gkkafka "github.com/goalkit/goalkit/adapters/kafka"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
	"github.com/shopspring/decimal"
	"github.com/twmb/franz-go/pkg/kerr"
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

	deleteTopic(ctx, t, opts, "again")
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

// deleteTopic deletes the topic of the tenant.
func deleteTopic(ctx context.Context, t *testing.T, opts []kgo.Opt, tenant string) {
	t.Helper()
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	req := kmsg.NewPtrDeleteTopicsRequest()
	req.TopicNames = []string{gkkafka.Topic(tenant)}
	rt := kmsg.NewDeleteTopicsRequestTopic()
	rt.Topic = kmsg.StringPtr(gkkafka.Topic(tenant))
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, cl)
	if err == nil && (len(resp.Topics) != 1 || resp.Topics[0].ErrorCode != 0) {
		err = fmt.Errorf("delete topics: %+v", resp.Topics)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// TestCursorOfATopicMadeAgain reads two records of a partition, deletes the
// tenant's topic (and makes it again, with records past the cursor's
// offset): the cursor stops with an error that says the topic was deleted
// (and made again, naming both IDs) and what to do, where it gave only
// Kafka's "UNKNOWN_TOPIC_ID: This server does not host this topic ID", the
// client's "lost records" or, now and then, waited for ever.
func TestCursorOfATopicMadeAgain(t *testing.T) {
	for _, again := range []bool{false, true} {
		t.Run(fmt.Sprint("made again ", again), func(t *testing.T) {
			// The client reports UNKNOWN_TOPIC_ID at its sixth answer,
			// each after a backoff (up to 2.5 s unless told) and metadata
			// it asks for at most every MetadataMinAge (5 s unless told).
			opts := append(cluster(t), kgo.MetadataMinAge(10*time.Millisecond),
				kgo.RetryBackoffFn(func(int) time.Duration { return 10 * time.Millisecond }))
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			tn := create(t, opts, "gone", 1)
			at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
			publish := func(tn *gkkafka.Tenant, prefix string, n int) { publishCalls(ctx, t, tn, prefix, at, n) }
			publish(tn, "old", 2)
			cur, err := tn.Open(ctx, 0, 1)
			if err != nil {
				t.Fatal(err)
			}
			defer cur.Close()
			readRecords(ctx, t, cur, 2)
			old, err := tn.Identity(ctx, 0)
			if err != nil || old == "" {
				t.Fatalf("the topic's identity: %q, %v", old, err)
			}
			deleteTopic(ctx, t, opts, "gone")
			words := []string{"partition 0", "read up to offset 2", "was deleted", "remove the partition's store"}
			if again {
				made := create(t, opts, "gone", 1)
				publish(made, "new", 5)
				now, err := made.Identity(ctx, 0)
				if err != nil || now == old {
					t.Fatalf("the topic made again has identity %q (%v), the old one %q", now, err, old)
				}
				words = append(words, "made again (its ID was "+old+", now "+now+")", "reading on from offset 3")
			}
			for {
				recs, err := cur.Next(ctx, 10)
				if ctx.Err() != nil {
					t.Fatal("the cursor neither failed nor read on after its topic was deleted")
				}
				if err == nil {
					if len(recs) > 0 {
						t.Fatalf("the cursor read %d records after its topic was deleted", len(recs))
					}
					continue
				}
				for _, w := range words {
					if !strings.Contains(err.Error(), w) {
						t.Errorf("the cursor: %v, want %q in it", err, w)
					}
				}
				return
			}
		})
	}
}

// TestCursorIdleCheck: a cursor whose client does not say that its topic
// was deleted (or deleted and made again) for a long while (a minute's
// backoff between its tries, metadata kept a minute) stops within a few
// seconds all the same, from the brokers' metadata it asks for after
// idleChecks calls of Next in a row that got nothing, twice; without that
// check it waited, returning nothing, for as long as the client kept
// quiet. The error names no fetch's error: the check found it.
func TestCursorIdleCheck(t *testing.T) {
	for _, again := range []bool{false, true} {
		t.Run(fmt.Sprint("made again ", again), func(t *testing.T) {
			opts := cluster(t)
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			tn := create(t, opts, "quiet", 1)
			at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
			publish := func(tn *gkkafka.Tenant, prefix string, n int) { publishCalls(ctx, t, tn, prefix, at, n) }
			publish(tn, "old", 2)
			quiet, err := gkkafka.Open(ctx, "quiet", append(opts[:len(opts):len(opts)], kgo.MetadataMinAge(time.Minute),
				kgo.RetryBackoffFn(func(int) time.Duration { return time.Minute }))...)
			if err != nil {
				t.Fatal(err)
			}
			defer quiet.Close()
			cur, err := quiet.Open(ctx, 0, 1)
			if err != nil {
				t.Fatal(err)
			}
			defer cur.Close()
			readRecords(ctx, t, cur, 2)
			deleteTopic(ctx, t, opts, "quiet")
			words := []string{"topic goalkit-quiet-events partition 0: the topic was deleted", "after the cursor read up to offset 2:"}
			if again {
				publish(create(t, opts, "quiet", 1), "new", 5)
				words = []string{"topic goalkit-quiet-events partition 0: the topic was deleted and made again (its ID was ", "after the cursor read up to offset 2: reading on from offset 3"}
			}
			deadline := time.Now().Add(8 * time.Second)
			for {
				recs, err := cur.Next(ctx, 10)
				if len(recs) > 0 {
					t.Fatalf("the cursor read %d records after its topic was deleted", len(recs))
				}
				if err != nil {
					for _, w := range words {
						if !strings.Contains(err.Error(), w) {
							t.Errorf("the cursor: %v, want %q in it", err, w)
						}
					}
					return
				}
				if time.Now().After(deadline) {
					t.Fatal("the cursor neither failed nor read on within 8 s of its topic's deletion")
				}
			}
		})
	}
}

// publishCalls publishes n calls of actor 1 at at, their ids prefix0,
// prefix1…, as one batch named prefix.
func publishCalls(ctx context.Context, t *testing.T, tn *gkkafka.Tenant, prefix string, at time.Time, n int) {
	t.Helper()
	var evs []kpi.Event
	for i := range n {
		evs = append(evs, kpi.Event{ID: fmt.Sprint(prefix, i), Kind: "call", Time: at, Actor: "1"})
	}
	if err := scaleout.Publish(ctx, tn, prefix, at, evs); err != nil {
		t.Fatal(err)
	}
}

// readRecords reads n records or more from cur.
func readRecords(ctx context.Context, t *testing.T, cur scaleout.Cursor, n int) {
	t.Helper()
	for read := 0; read < n; {
		recs, err := cur.Next(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		read += len(recs)
	}
}

// TestCursorSuspectClearedByRecords: the idle check fails a cursor only
// when two checks in a row find its topic gone (a broker's metadata may
// lag behind for a moment). Here the brokers' metadata says the topic is
// unknown for one check, records arrive, and it says so again for one
// check: the cursor reads on, as the records came between the two. It
// failed at the second check, its first suspicion kept across the records.
// A third such check, right after the second, fails it.
func TestCursorSuspectClearedByRecords(t *testing.T) {
	c, opts := oneBroker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tn := create(t, opts, "lag", 1)
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	publishCalls(ctx, t, tn, "a", at, 2)

	// A true answer about the topic, which the lie copies (the brokers
	// with it: a client drops the brokers an answer leaves out).
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	req := kmsg.NewPtrMetadataRequest()
	rt := kmsg.NewMetadataRequestTopic()
	rt.Topic = kmsg.StringPtr(gkkafka.Topic("lag"))
	req.Topics = append(req.Topics, rt)
	truth, err := req.RequestWith(ctx, cl)
	cl.Close()
	if err != nil {
		t.Fatal(err)
	}
	var armed, told atomic.Int32
	c.ControlKey(int16(kmsg.Metadata), func(r kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		if !armed.CompareAndSwap(1, 0) {
			return nil, nil, false // the broker answers
		}
		lie := *truth
		lie.Version = r.GetVersion()
		lie.Topics = append([]kmsg.MetadataResponseTopic(nil), truth.Topics...)
		lie.Topics[0].ErrorCode = kerr.UnknownTopicOrPartition.Code
		told.Add(1)
		return &lie, nil, true
	})

	// The cursor's clients refresh their own metadata rarely, so that
	// only the cursor's checks ask while a lie is armed.
	lag, err := gkkafka.Open(ctx, "lag", append(opts[:len(opts):len(opts)], kgo.MetadataMinAge(time.Minute))...)
	if err != nil {
		t.Fatal(err)
	}
	defer lag.Close()
	cur, err := lag.Open(ctx, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	readRecords(ctx, t, cur, 2)
	// lieOnce arms one lie and calls Next until a check heard it.
	lieOnce := func() error {
		t.Helper()
		want := told.Load() + 1
		armed.Store(1)
		for told.Load() < want {
			recs, err := cur.Next(ctx, 10)
			if len(recs) > 0 {
				t.Fatalf("the cursor read %d records, none published", len(recs))
			}
			if ctx.Err() != nil {
				t.Fatal("no check of the topic within 30 s")
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	if err := lieOnce(); err != nil {
		t.Fatalf("one check found the topic gone: %v", err)
	}
	publishCalls(ctx, t, tn, "b", at, 1)
	readRecords(ctx, t, cur, 1)
	if err := lieOnce(); err != nil {
		t.Fatalf("a check found the topic gone after records came since the last: %v", err)
	}
	err = lieOnce()
	want := "topic goalkit-lag-events partition 0: the topic was deleted after the cursor read up to offset 3:"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("two checks in a row found the topic gone: %v, want %q in it", err, want)
	}
}
