package kafka_test

import (
	"context"
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	gkkafka "github.com/goalkit/goalkit/adapters/kafka"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// txnTenant starts a cluster of three brokers (cluster) with the tenant's
// topic of one partition, and returns a context that ends after a minute
// or with t, the tenant and another producer's transactional client.
func txnTenant(t *testing.T, tenant string) (context.Context, *gkkafka.Tenant, *kgo.Client) {
	t.Helper()
	opts := cluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	return ctx, create(t, opts, tenant, 1), transactional(t, opts)
}

// transactional returns a client of another producer, transactional,
// that writes to the partition each record names.
func transactional(t *testing.T, opts []kgo.Opt) *kgo.Client {
	t.Helper()
	cl, err := kgo.NewClient(append(opts[:len(opts):len(opts)], kgo.TransactionalID("other"),
		kgo.RecordPartitioner(kgo.ManualPartitioner()))...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(cl.Close)
	return cl
}

// inTxn writes recs to partition 0 of topic in a transaction of cl, and
// ends it with end (kgo.TryCommit or kgo.TryAbort); a nil end leaves it
// open.
func inTxn(ctx context.Context, t *testing.T, cl *kgo.Client, topic string, end *kgo.TransactionEndTry, recs ...*kgo.Record) {
	t.Helper()
	if err := cl.BeginTransaction(); err != nil {
		t.Fatal(err)
	}
	for _, r := range recs {
		r.Topic, r.Partition = topic, 0
	}
	if err := cl.ProduceSync(ctx, recs...).FirstErr(); err != nil {
		t.Fatal(err)
	}
	if end == nil {
		return
	}
	if err := cl.EndTransaction(ctx, *end); err != nil {
		t.Fatal(err)
	}
}

var commit, abort = kgo.TryCommit, kgo.TryAbort

// valued is a record of the data v, as another producer writes it.
func valued(v string) *kgo.Record { return &kgo.Record{Value: []byte(v)} }

// readToEnd reads partition 0 of tn up to its end (scaleout.ReadTo) from
// offset from, within 5 seconds, and fails t unless it reads the records
// want (as scaleouttest.Shown writes them), without an error.
func readToEnd(ctx context.Context, t *testing.T, tn *gkkafka.Tenant, from uint64, want string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	end, err := tn.End(ctx, 0)
	if err != nil {
		t.Fatal(err)
	}
	cur, err := tn.Open(ctx, 0, from)
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	var read []scaleout.Record
	err = scaleout.ReadTo(ctx, cur, end, func(r scaleout.Record) error {
		read = append(read, r)
		return nil
	})
	if got := scaleouttest.Shown(read); got != want || err != nil {
		t.Fatalf("from %d to %d: read %q, %v; want %q, nil", from, end, got, err, want)
	}
}

// The offsets of another producer's transactions are no gap: its
// committed records and the tenant's are read in order, from any offset,
// its markers and its aborted records skipped, without an error. Its
// aborted records were read as any record (the cursor read uncommitted),
// and counted in the report.
func TestCursorReadsOverTransactions(t *testing.T) {
	ctx, tn, txn := txnTenant(t, "txn")
	// kept@1, its marker at 2, aborted@3 and aborted@4, their marker at 5,
	// then the tenant's a@6 and b@7.
	inTxn(ctx, t, txn, gkkafka.Topic("txn"), &commit, valued("kept"))
	inTxn(ctx, t, txn, gkkafka.Topic("txn"), &abort, valued("aborted"), valued("aborted"))
	if err := tn.Append(ctx, []scaleout.Record{{ID: "a", Data: []byte("a")}, {ID: "b", Data: []byte("b")}}); err != nil {
		t.Fatal(err)
	}
	for from := uint64(1); from <= 7; from++ {
		all := []scaleout.Record{{Data: []byte("kept"), Offset: 1}, {Data: []byte("a"), Offset: 6}, {Data: []byte("b"), Offset: 7}}
		var want []scaleout.Record
		for _, r := range all {
			if r.Offset >= from {
				want = append(want, r)
			}
		}
		if got, errs := readFrom(ctx, t, tn, from, len(want), 1); got != scaleouttest.Shown(want) || len(errs) != 0 {
			t.Fatalf("from %d: read %s, errors %q; want %s", from, got, errs, scaleouttest.Shown(want))
		}
	}
}

// A read up to the end of a partition whose last offset is another
// producer's transaction marker ends: the partition's end counts the
// marker's offset, which no record the cursor returns reaches, and
// scaleout.ReadTo (the merged read) waited until its context's deadline.
// An aborted transaction's records are read past, never returned.
func TestReadToPastTransactionMarkers(t *testing.T) {
	ctx, tn, txn := txnTenant(t, "marked")
	topic := gkkafka.Topic("marked")
	if err := tn.Append(ctx, []scaleout.Record{{ID: "a", Data: []byte("a")}}); err != nil {
		t.Fatal(err)
	}
	// a@1, kept@2, the commit's marker at 3: last.
	inTxn(ctx, t, txn, topic, &commit, valued("kept"))
	readToEnd(ctx, t, tn, 1, "a@1 kept@2")
	readToEnd(ctx, t, tn, 3, "")
	// aborted@4, the abort's marker at 5: last.
	inTxn(ctx, t, txn, topic, &abort, valued("aborted"))
	readToEnd(ctx, t, tn, 1, "a@1 kept@2")
	readToEnd(ctx, t, tn, 4, "")
}

// An open transaction of another producer holds back the records from its
// first on (Kafka's last stable offset): a read up to the end ends without
// them, at once, and reads them once the transaction commits, or only the
// tenant's once it aborts.
func TestOpenTransactionHoldsTheReadBack(t *testing.T) {
	ctx, tn, txn := txnTenant(t, "open")
	topic := gkkafka.Topic("open")
	appendOne := func(data string) {
		t.Helper()
		if err := tn.Append(ctx, []scaleout.Record{{ID: data, Data: []byte(data)}}); err != nil {
			t.Fatal(err)
		}
	}
	appendOne("a") // 1
	// open@2, the tenant's b@3, then the commit's marker at 4.
	inTxn(ctx, t, txn, topic, nil, valued("open"))
	appendOne("b")
	readToEnd(ctx, t, tn, 1, "a@1")
	if err := txn.EndTransaction(ctx, commit); err != nil {
		t.Fatal(err)
	}
	readToEnd(ctx, t, tn, 1, "a@1 open@2 b@3")
	// gone@5, the tenant's c@6, then the abort's marker at 7.
	inTxn(ctx, t, txn, topic, nil, valued("gone"))
	appendOne("c")
	readToEnd(ctx, t, tn, 1, "a@1 open@2 b@3")
	if err := txn.EndTransaction(ctx, abort); err != nil {
		t.Fatal(err)
	}
	readToEnd(ctx, t, tn, 1, "a@1 open@2 b@3 c@6")
}

// Workers and the merged read over a topic another producer also writes
// transactions of events to: the committed ones count, the aborted ones
// do not, and a drain ends, as does the merged scan, where the last
// offset of a partition is a transaction's marker.
func TestWorkersOverTransactions(t *testing.T) {
	ctx, tn, txn := txnTenant(t, "deals")
	plan := goalkittest.CompilePlan(t, `
timezone: UTC
indicators:
  - {id: won, kinds: [deal_won], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`)
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	deals := func(prefix string, n int) []kpi.Event {
		var evs []kpi.Event
		for i := range n {
			evs = append(evs, kpi.Event{ID: fmt.Sprint(prefix, i), Kind: "deal_won", Time: at, Actor: "1"})
		}
		return evs
	}
	// The other producer writes the records scaleout.Records makes.
	inTxnOf := func(end *kgo.TransactionEndTry, evs []kpi.Event) {
		t.Helper()
		recs, err := scaleout.Records(fmt.Sprint(evs[0].ID), at, evs, 1)
		if err != nil {
			t.Fatal(err)
		}
		var krs []*kgo.Record
		for _, r := range recs {
			krs = append(krs, &kgo.Record{Key: []byte(r.Key), Value: r.Data, Headers: []kgo.RecordHeader{{Key: "goalkit-id", Value: []byte(r.ID)}}})
		}
		inTxn(ctx, t, txn, gkkafka.Topic("deals"), end, krs...)
	}
	own := deals("own-", 2)
	if err := scaleout.Publish(ctx, tn, "own", at, own); err != nil {
		t.Fatal(err)
	}
	committed := deals("committed-", 3)
	inTxnOf(&commit, committed)
	inTxnOf(&abort, deals("aborted-", 5)) // its marker last
	final := append(own, committed...)
	parts := &scaleout.MemoryParts{}
	w := &scaleout.Worker{Plan: plan, Log: tn, Store: (&scaleouttest.Stores{}).Open, Parts: parts, Partitions: []int{0}, Drain: true}
	if err := w.Run(ctx); err != nil {
		t.Fatal(err)
	}
	src := &scaleout.Source{Log: tn, Parts: parts}
	scaleouttest.SameAsBatch(t, plan, src, final, at)
	want, err := plan.Evaluate(ctx, kpi.Events(final), at)
	if err != nil {
		t.Fatal(err)
	}
	got, err := plan.Evaluate(ctx, struct{ kpi.Source }{src}, at)
	if err != nil {
		t.Fatal(err)
	}
	scaleouttest.SameReport(t, "scanned", got, want)
}

// Where the cursor cannot read the offsets the read of committed records
// skipped (to tell an aborted transaction's records from records gone),
// Next fails, and the next call tries again: the records after them are
// returned then, none lost.
func TestCursorTellsAbortedRecordsAgain(t *testing.T) {
	c, opts := oneBroker(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tn := create(t, opts, "again", 1)
	txn := transactional(t, opts)
	// kept@1, its marker at 2, aborted@3, its marker at 4, a@5.
	inTxn(ctx, t, txn, gkkafka.Topic("again"), &commit, valued("kept"))
	inTxn(ctx, t, txn, gkkafka.Topic("again"), &abort, valued("aborted"))
	if err := tn.Append(ctx, []scaleout.Record{{ID: "a", Data: []byte("a")}}); err != nil {
		t.Fatal(err)
	}
	// The first fetch of uncommitted records fails.
	var failed atomic.Bool
	c.ControlKey(int16(kmsg.Fetch), func(req kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		if req.(*kmsg.FetchRequest).IsolationLevel != 0 || failed.Swap(true) {
			return nil, nil, false
		}
		resp := req.ResponseKind().(*kmsg.FetchResponse)
		resp.ErrorCode = kerr.UnknownServerError.Code
		return resp, nil, true
	})
	cur, err := tn.Open(ctx, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	// Asked for many at a time, the records after the offsets skipped
	// come in the poll that skipped them.
	var recs []scaleout.Record
	var errs []string
	for len(recs) < 2 && len(errs) < 2 && ctx.Err() == nil {
		got, err := cur.Next(ctx, 100)
		if err != nil {
			errs = append(errs, err.Error())
		}
		recs = append(recs, got...)
	}
	got := scaleouttest.Shown(recs)
	want := "topic goalkit-again-events partition 0: reading the offset 3 uncommitted, which the read of committed records skipped, to tell an aborted transaction's records from records gone: " + kerr.UnknownServerError.Error()
	if got != "kept@1 a@5" || len(errs) != 1 || errs[0] != want {
		t.Fatalf("read %s, errors %q\nwant kept@1 a@5, and %s", got, errs, want)
	}
}
