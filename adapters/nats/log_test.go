package nats_test

import (
	"context"
	"fmt"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gknats "github.com/goalkit/goalkit/adapters/nats"
	"github.com/goalkit/goalkit/adapters/nats/natstest"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// TestLog runs the conformance checks of scaleout.Log, workers included,
// on a tenant's events stream.
func TestLog(t *testing.T) {
	e := connect(t, natstest.Start(t, 1))
	n := 0
	scaleouttest.TestLog(t, func(t *testing.T, partitions int) scaleout.Log {
		n++
		return e.tenant(t, fmt.Sprint("log", n), partitions)
	}, scaleouttest.Options{DropsDuplicates: true})
}

// A record the server refuses fails Append with an error that names it and
// its partition.
func TestAppendErrorNamesThePartition(t *testing.T) {
	tn := connect(t, natstest.Start(t, 1)).tenant(t, "big", 2)
	big := scaleout.Record{Partition: 1, ID: "big-1", Data: make([]byte, 9<<20)}
	err := tn.Append(context.Background(), []scaleout.Record{big})
	if err == nil || !strings.HasPrefix(err.Error(), `publish record "big-1" to partition 1: `) {
		t.Fatalf("err = %v", err)
	}
}

// slowTenant is a tenant of one partition on a client that keeps two
// acknowledgements pending, whose events stream gives way to a responder
// that acknowledges each record a second after it came; seq counts the
// records that came.
func slowTenant(t *testing.T, ctx context.Context) (tn *gknats.Tenant, seq *atomic.Int64) {
	t.Helper()
	c := natstest.Start(t, 1)
	nc, err := natsgo.Connect(c.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc, jetstream.WithPublishAsyncMaxPending(2))
	if err != nil {
		t.Fatal(err)
	}
	tn, err = gknats.Create(ctx, js, gknats.Config{Tenant: "slow", Partitions: 1})
	if err != nil {
		t.Fatal(err)
	}
	if err := js.DeleteStream(ctx, "GOALKIT_slow_EVENTS"); err != nil {
		t.Fatal(err)
	}
	seq = &atomic.Int64{}
	sub, err := nc.Subscribe("goalkit.slow.events.*", func(m *natsgo.Msg) {
		ack := fmt.Appendf(nil, `{"stream":"GOALKIT_slow_EVENTS","seq":%d}`, seq.Add(1))
		time.AfterFunc(time.Second, func() { _ = m.Respond(ack) })
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = sub.Unsubscribe() })
	return tn, seq
}

// TestAppendPastTheClientsPending appends more records than the client
// keeps unacknowledged, to a server that acknowledges each a second after
// it came: Append waits for the acknowledgements of those it sent before
// it sends more, rather than fail once the client has waited its stall
// wait (200 ms) for room.
func TestAppendPastTheClientsPending(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tn, seq := slowTenant(t, ctx)
	var recs []scaleout.Record
	for i := range 5 {
		recs = append(recs, scaleout.Record{ID: fmt.Sprint("r", i), Data: []byte("x")})
	}
	if err := tn.Append(ctx, recs); err != nil {
		t.Fatal(err)
	}
	if n := seq.Load(); n != 5 {
		t.Fatalf("%d records published, want 5", n)
	}
}

// TestConcurrentAppendsPastTheClientsPending appends from two goroutines
// through one client while the first holds all the acknowledgements the
// client keeps pending: the second waits for room rather than fail once
// the client has waited its stall wait (200 ms), as a server posting two
// batches at once does.
func TestConcurrentAppendsPastTheClientsPending(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	tn, seq := slowTenant(t, ctx)
	batch := func(tag string) []scaleout.Record {
		var recs []scaleout.Record
		for i := range 3 {
			recs = append(recs, scaleout.Record{ID: fmt.Sprint(tag, i), Data: []byte("x")})
		}
		return recs
	}
	first := make(chan error, 1)
	go func() { first <- tn.Append(ctx, batch("a")) }()
	for seq.Load() < 2 { // the first holds the client's two pending
		time.Sleep(time.Millisecond)
	}
	if err := tn.Append(ctx, batch("b")); err != nil {
		t.Fatalf("the second append: %v", err)
	}
	if err := <-first; err != nil {
		t.Fatalf("the first append: %v", err)
	}
	if n := seq.Load(); n != 6 {
		t.Fatalf("%d records published, want 6", n)
	}
}

// An Append that returns before its records are in (its context done
// while the server has no stream to answer) has the client publish them
// again a moment later: what it publishes then is what Append was given,
// not what the caller wrote into the same bytes since.
func TestAppendKeepsNoCallersBytes(t *testing.T) {
	e := connect(t, natstest.Start(t, 1))
	tn := e.tenant(t, "reuse", 1)
	ctx := context.Background()
	events := e.streamInfo(t, "GOALKIT_reuse_EVENTS").Config
	if err := e.js.DeleteStream(ctx, events.Name); err != nil {
		t.Fatal(err)
	}
	data := []byte("original")
	actx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
	defer cancel()
	if err := tn.Append(actx, []scaleout.Record{{ID: "r", Data: data}}); err == nil {
		t.Fatal("an append without a stream went in")
	}
	copy(data, "modified") // the caller's buffer, used again
	if _, err := e.js.CreateStream(ctx, events); err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Second) // the client's retries (250 ms apart) are over
	end, err := tn.End(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	if end == 0 {
		t.Skip("the client's retry came before the stream: nothing stored")
	}
	c, err := tn.Open(ctx, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	var got []string
	if err := scaleout.ReadTo(ctx, c, end, func(r scaleout.Record) error { got = append(got, string(r.Data)); return nil }); err != nil {
		t.Fatal(err)
	}
	if len(got) != 1 || got[0] != "original" {
		t.Fatalf("stored %q, want the record as appended (\"original\")", got)
	}
}

// AppendCount says how many records the stream took as new and how many
// it dropped as duplicates (an ID stored within its duplicate window): a
// batch appended again is all duplicates, and one that overlaps what is
// in counts the overlap alone as duplicates.
func TestAppendCountSaysWhatWasNew(t *testing.T) {
	tn := connect(t, natstest.Start(t, 1)).tenant(t, "dups", 2)
	ctx := t.Context()
	recs := func(from, to int) []scaleout.Record {
		var out []scaleout.Record
		for i := from; i < to; i++ {
			out = append(out, scaleout.Record{ID: fmt.Sprint("r", i), Partition: i % 2, Data: []byte{byte('a' + i)}})
		}
		return out
	}
	for _, step := range []struct {
		from, to, added, dups int
	}{
		{0, 3, 3, 0}, // all new
		{0, 3, 0, 3}, // the same again
		{1, 7, 4, 2}, // r1 and r2 are in; r3 to r6 are not
		{0, 7, 0, 7},
	} {
		added, dups, err := tn.AppendCount(ctx, recs(step.from, step.to))
		if err != nil {
			t.Fatal(err)
		}
		if added != step.added || dups != step.dups {
			t.Errorf("records %d to %d: %d new and %d duplicates, want %d and %d", step.from, step.to-1, added, dups, step.added, step.dups)
		}
	}
	// The stream holds each record once: r0, r2, r4, r6 in partition 0,
	// r1, r3, r5 in partition 1.
	var got []string
	for p := range 2 {
		end, err := tn.End(ctx, p)
		if err != nil {
			t.Fatal(err)
		}
		c, err := tn.Open(ctx, p, 1)
		if err != nil {
			t.Fatal(err)
		}
		if err := scaleout.ReadTo(ctx, c, end, func(r scaleout.Record) error { got = append(got, r.ID); return nil }); err != nil {
			t.Fatal(err)
		}
		c.Close()
	}
	if want := []string{"r0", "r2", "r4", "r6", "r1", "r3", "r5"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("the stream holds %v, want %v", got, want)
	}
}

// endsAfterFirst is a context that ends once its Err was asked once: a
// caller's context that ends while Next fetches.
type endsAfterFirst struct {
	context.Context
	asked atomic.Int32
}

func (c *endsAfterFirst) Err() error {
	if c.asked.Add(1) == 1 {
		return nil
	}
	return context.Canceled
}

// TestNextReturnsRecordsOrAnError: records a cursor fetched while the
// caller's context ended are returned with no error, and the next call
// says the context ended; a call with a live context reads on after them.
// The records came with the error, and every caller (a worker, a replica,
// ReadTo) dropped them for it; the consumer had moved past them, so that a
// caller that called again read on after records it never had.
func TestNextReturnsRecordsOrAnError(t *testing.T) {
	tn := connect(t, natstest.Start(t, 1)).tenant(t, "ends", 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	var recs []scaleout.Record
	for i := range 4 {
		recs = append(recs, scaleout.Record{ID: fmt.Sprint("r", i), Data: []byte{byte('a' + i)}})
	}
	if err := tn.Append(ctx, recs[:3]); err != nil {
		t.Fatal(err)
	}
	cur, err := tn.Open(ctx, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	ends := &endsAfterFirst{Context: ctx}
	got, err := cur.Next(ends, 10)
	if err != nil || len(got) == 0 || got[0].Offset != 1 {
		t.Fatalf("Next as the context ended: %d records (%v), %v; want records from offset 1 and no error", len(got), got, err)
	}
	n := len(got)
	if got, err := cur.Next(ends, 10); len(got) != 0 || err != context.Canceled {
		t.Fatalf("Next after the context ended: %d records, %v; want none and %v", len(got), err, context.Canceled)
	}
	if err := tn.Append(ctx, recs[3:]); err != nil {
		t.Fatal(err)
	}
	for n < 4 {
		got, err := cur.Next(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		for _, r := range got {
			if n++; r.Offset != uint64(n) || string(r.Data) != string(rune('a'+n-1)) {
				t.Fatalf("record %d: offset %d, %q", n, r.Offset, r.Data)
			}
		}
	}
}
