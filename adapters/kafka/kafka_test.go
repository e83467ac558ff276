package kafka_test

import (
	"context"
	"errors"
	"fmt"
	"math"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	gkkafka "github.com/goalkit/goalkit/adapters/kafka"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/goalkit/goalkit/scaleout/scaleouttest"
	"github.com/twmb/franz-go/pkg/kfake"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// cluster starts an in-process Kafka cluster of three brokers and returns
// the options that reach it.
func cluster(t *testing.T) []kgo.Opt {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(3))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return []kgo.Opt{kgo.SeedBrokers(c.ListenAddrs()...)}
}

// oneBroker starts an in-process Kafka cluster of one broker, for a test
// that controls its answers, and returns it with the options that reach
// it.
func oneBroker(t *testing.T) (*kfake.Cluster, []kgo.Opt) {
	t.Helper()
	c, err := kfake.NewCluster(kfake.NumBrokers(1))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(c.Close)
	return c, []kgo.Opt{kgo.SeedBrokers(c.ListenAddrs()...)}
}

func create(t *testing.T, opts []kgo.Opt, tenant string, partitions int) *gkkafka.Tenant {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tn, err := gkkafka.Create(ctx, gkkafka.Config{Tenant: tenant, Partitions: partitions}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(tn.Close)
	return tn
}

// TestLog runs the conformance checks of scaleout.Log, workers included,
// on a tenant's topic.
func TestLog(t *testing.T) {
	opts := cluster(t)
	n := 0
	scaleouttest.TestLog(t, func(t *testing.T, partitions int) scaleout.Log {
		n++
		return create(t, opts, fmt.Sprint("log", n), partitions)
	}, scaleouttest.Options{})
}

func TestTenant(t *testing.T) {
	opts := cluster(t)
	ctx := context.Background()
	tn := create(t, opts, "acme", 3)
	if tn.Partitions() != 3 || tn.Name() != "acme" || gkkafka.Topic("acme") != "goalkit-acme-events" {
		t.Fatalf("tenant %s: %d partitions, topic %s", tn.Name(), tn.Partitions(), gkkafka.Topic("acme"))
	}
	// Created again: the same topic; with other partitions: refused.
	again := create(t, opts, "acme", 3)
	if again.Partitions() != 3 {
		t.Fatalf("created again: %d partitions", again.Partitions())
	}
	if _, err := gkkafka.Create(ctx, gkkafka.Config{Tenant: "acme", Partitions: 4}, opts...); err == nil || err.Error() != "tenant acme has 3 partitions, not 4" {
		t.Fatalf("changing the partitions: %v", err)
	}
	for _, bad := range []string{"", "a.b", "a b", strings.Repeat("x", 65)} {
		if _, err := gkkafka.Create(ctx, gkkafka.Config{Tenant: bad, Partitions: 1}, opts...); err == nil || !strings.Contains(err.Error(), "want 1 to 64 letters") {
			t.Fatalf("tenant %q: %v", bad, err)
		}
	}
	if _, err := gkkafka.Create(ctx, gkkafka.Config{Tenant: "zero"}, opts...); err == nil || err.Error() != "tenant zero: partitions must be at least 1" {
		t.Fatalf("no partitions: %v", err)
	}
	// Numbers a topic cannot have are refused before a topic is made: they
	// were cut to 16 and 32 bits, so a topic of one replica (65537 mod
	// 65536) was made where 65537 were asked, and one of 2 partitions was
	// made, then refused, where 2^32 + 2 were asked.
	// (A count past 32 bits only where an int has 64: the test builds
	// where it has 32.)
	type refused struct {
		cfg  gkkafka.Config
		want string
	}
	cases := []refused{
		{gkkafka.Config{Tenant: "copies", Partitions: 1, Replicas: 1<<16 + 1}, "tenant copies: replicas must be 0 (the brokers' default) to 32767, not 65537"},
		{gkkafka.Config{Tenant: "minus", Partitions: 1, Replicas: -1}, "tenant minus: replicas must be 0 (the brokers' default) to 32767, not -1"},
	}
	if strconv.IntSize == 64 {
		many := uint64(1<<32 + 2)
		cases = append(cases, refused{gkkafka.Config{Tenant: "many", Partitions: int(many)}, "tenant many: partitions must be at most 2147483647, not 4294967298"})
	}
	for _, c := range cases {
		if _, err := gkkafka.Create(ctx, c.cfg, opts...); err == nil || err.Error() != c.want {
			t.Fatalf("%+v: %v, want %q", c.cfg, err, c.want)
		}
		if tn, err := gkkafka.Open(ctx, c.cfg.Tenant, opts...); err == nil {
			tn.Close()
			t.Fatalf("%+v: refused, yet its topic was made", c.cfg)
		}
	}
	// Opened: the partitions of the topic; a tenant that has none: an
	// error naming it.
	op, err := gkkafka.Open(ctx, "acme", opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer op.Close()
	if op.Partitions() != 3 {
		t.Fatalf("opened: %d partitions", op.Partitions())
	}
	if _, err := gkkafka.Open(ctx, "nobody", opts...); err == nil || !strings.Contains(err.Error(), "tenant nobody: topic goalkit-nobody-events") {
		t.Fatalf("open a tenant without a topic: %v", err)
	}
}

// Tenants have topics of their own: what one appends the other does not
// read.
func TestTenantsApart(t *testing.T) {
	opts := cluster(t)
	ctx := context.Background()
	a, b := create(t, opts, "acme", 2), create(t, opts, "acme_2", 2)
	if err := a.Append(ctx, []scaleout.Record{{Partition: 1, ID: "x", Data: []byte("x")}}); err != nil {
		t.Fatal(err)
	}
	for p := range 2 {
		if end, err := b.End(ctx, p); err != nil || end != 0 {
			t.Fatalf("acme_2 partition %d ends at %d (%v)", p, end, err)
		}
	}
	if end, err := a.End(ctx, 1); err != nil || end != 1 {
		t.Fatalf("acme partition 1 ends at %d (%v)", end, err)
	}
}

// holdFirstProduce starts a one-broker cluster, closed when t ends, that
// holds the first produce request for d before it handles it, and counts
// the produce requests.
func holdFirstProduce(t *testing.T, d time.Duration) (*kfake.Cluster, *atomic.Int32) {
	t.Helper()
	c, _ := oneBroker(t)
	produces := new(atomic.Int32)
	c.ControlKey(int16(kmsg.Produce), func(kmsg.Request) (kmsg.Response, error, bool) {
		c.KeepControl()
		if produces.Add(1) == 1 {
			c.SleepControl(func() { time.Sleep(d) })
		}
		return nil, nil, false // the broker handles it
	})
	return c, produces
}

// A produce whose answer is lost is sent again by the client, and the
// broker drops the copy (idempotent producer): the partition holds the
// record once. The broker holds the first request until the client has
// given up waiting for its answer and sent it again.
func TestRetriedProduceStoredOnce(t *testing.T) {
	c, produces := holdFirstProduce(t, 2*time.Second)
	opts := []kgo.Opt{kgo.SeedBrokers(c.ListenAddrs()...), kgo.ProduceRequestTimeout(200 * time.Millisecond), kgo.RequestTimeoutOverhead(300 * time.Millisecond)}
	tn := create(t, opts, "retry", 2)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	recs, err := scaleout.Records("b", time.Time{}, []kpi.Event{{ID: "deal-1", Kind: "won", Time: time.Now()}}, 2)
	if err != nil {
		t.Fatal(err)
	}
	if err := tn.Append(ctx, recs); err != nil {
		t.Fatal(err)
	}
	time.Sleep(2500 * time.Millisecond) // the first request is handled too
	if n := produces.Load(); n < 2 {
		t.Fatalf("%d produce requests: the client did not send the record again", n)
	}
	p := recs[0].Partition
	if end, err := tn.End(ctx, p); err != nil || end != 1 {
		t.Fatalf("partition %d ends at %d (%v), want 1: the record is stored once", p, end, err)
	}
	// The record carries its event's ID as its key and its ID as a header.
	cl, err := kgo.NewClient(kgo.SeedBrokers(c.ListenAddrs()...),
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{gkkafka.Topic("retry"): {int32(p): kgo.NewOffset().At(0)}}))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	fs := cl.PollRecords(ctx, 1)
	if err := fs.Err(); err != nil {
		t.Fatal(err)
	}
	kr := fs.Records()[0]
	if string(kr.Key) != "deal-1" || len(kr.Headers) != 1 || kr.Headers[0].Key != "goalkit-id" || string(kr.Headers[0].Value) != recs[0].ID {
		t.Fatalf("record key %q, headers %v; want key deal-1 and goalkit-id %q", kr.Key, kr.Headers, recs[0].ID)
	}
}

// A cursor opened past the end of its partition fails rather than moving
// to another offset by itself.
func TestOpenPastTheEnd(t *testing.T) {
	opts := cluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tn := create(t, opts, "past", 1)
	if err := tn.Append(ctx, []scaleout.Record{{ID: "a", Data: []byte("a")}, {ID: "b", Data: []byte("b")}}); err != nil {
		t.Fatal(err)
	}
	c, err := tn.Open(ctx, 0, 10)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	for {
		recs, err := c.Next(ctx, 10)
		if len(recs) != 0 {
			t.Fatalf("read %d records past the end", len(recs))
		}
		if err != nil {
			if !strings.Contains(err.Error(), "OFFSET_OUT_OF_RANGE") || !strings.Contains(err.Error(), "offset 10") {
				t.Fatalf("err = %v", err)
			}
			return
		}
	}
}

// Offsets past what a Kafka offset (an int64) holds are refused by Open,
// as any offset past the end is refused by the read; the largest, as an
// int64, was -2, and the cursor read from the start of the partition and
// dropped what it read without a word.
func TestOpenPastTheLargestOffset(t *testing.T) {
	opts := cluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tn := create(t, opts, "huge", 1)
	for _, from := range []uint64{1<<63 + 2, math.MaxUint64} {
		c, err := tn.Open(ctx, 0, from)
		if err == nil {
			c.Close()
			t.Fatalf("Open at %d: no error", from)
		}
		if want := fmt.Sprintf("tenant huge: partition 0 has no offset %d", from); !strings.HasPrefix(err.Error(), want) {
			t.Fatalf("Open at %d: %v, want %q", from, err, want)
		}
	}
	// The largest offset Kafka has is still read (and is past the end).
	c, err := tn.Open(ctx, 0, 1<<63)
	if err != nil {
		t.Fatal(err)
	}
	c.Close()
}

// A record the client or the brokers refuse fails Append with an error
// that names it and its partition.
func TestAppendErrorNamesThePartition(t *testing.T) {
	tn := create(t, cluster(t), "big", 2)
	big := scaleout.Record{Partition: 1, ID: "big-1", Data: make([]byte, 2<<20)}
	err := tn.Append(context.Background(), []scaleout.Record{big})
	if err == nil || !strings.HasPrefix(err.Error(), `produce record "big-1" to goalkit-big-events partition 1: `) {
		t.Fatalf("err = %v", err)
	}
}

// Of records that finish in another order than they were given (the
// client refuses the big one at once, the brokers take the others later),
// the error names the one that failed.
func TestAppendErrorNamesTheRecordThatFailed(t *testing.T) {
	tn := create(t, cluster(t), "mixed", 2)
	recs := []scaleout.Record{
		{Partition: 0, ID: "ok-0", Data: []byte("x")},
		{Partition: 0, ID: "ok-1", Data: []byte("y")},
		{Partition: 1, ID: "big-2", Data: make([]byte, 2<<20)},
	}
	err := tn.Append(context.Background(), recs)
	if err == nil || !strings.HasPrefix(err.Error(), `produce record "big-2" to goalkit-mixed-events partition 1: `) {
		t.Fatalf("err = %v", err)
	}
}

// endsAfter is a context that ends (Err says so) after its Err was called
// a number of times: it ends while Next waits for records.
type endsAfter struct {
	context.Context
	calls atomic.Int32
	after int32
}

func (c *endsAfter) Err() error {
	if c.calls.Add(1) > c.after {
		return context.Canceled
	}
	return nil
}

// The records a call of Next fetched are returned even when its context
// ended meanwhile: the client has handed them over, and the cursor's next
// call goes on after them.
func TestNextCutShortLosesNothing(t *testing.T) {
	tn := create(t, cluster(t), "cut", 1)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if err := tn.Append(ctx, []scaleout.Record{{ID: "a", Data: []byte("a")}, {ID: "b", Data: []byte("b")}}); err != nil {
		t.Fatal(err)
	}
	c, err := tn.Open(ctx, 0, 1)
	if err != nil {
		t.Fatal(err)
	}
	defer c.Close()
	got, err := c.Next(&endsAfter{Context: context.Background(), after: 1}, 10)
	if err != nil && !errors.Is(err, context.Canceled) {
		t.Fatal(err)
	}
	for len(got) < 2 && ctx.Err() == nil {
		recs, err := c.Next(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		got = append(got, recs...)
	}
	if len(got) != 2 || got[0].ID != "a" || got[1].ID != "b" {
		t.Fatalf("read %+v, want records a and b", got)
	}
}

// Close sends the records of an Append under way before it closes the
// producer, as its doc says: the Append succeeds and the record is stored.
// Close failed them ("client closed"), and the Append with them.
func TestCloseSendsWhatItHolds(t *testing.T) {
	c, produces := holdFirstProduce(t, 500*time.Millisecond)
	opts := []kgo.Opt{kgo.SeedBrokers(c.ListenAddrs()...)}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	tn, err := gkkafka.Create(ctx, gkkafka.Config{Tenant: "closing", Partitions: 1}, opts...)
	if err != nil {
		t.Fatal(err)
	}
	appended := make(chan error, 1)
	go func() { appended <- tn.Append(ctx, []scaleout.Record{{ID: "a", Data: []byte("a")}}) }()
	for produces.Load() == 0 {
		time.Sleep(time.Millisecond)
	}
	tn.Close()
	if err := <-appended; err != nil {
		t.Fatalf("the Append under way when the tenant closed: %v", err)
	}
	op, err := gkkafka.Open(ctx, "closing", opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer op.Close()
	if end, err := op.End(ctx, 0); err != nil || end != 1 {
		t.Fatalf("partition 0 ends at %d (%v), want 1", end, err)
	}
}

// Tenant names that differ only in case are not made into two tenants:
// Create refuses a new tenant whose name has capitals, and makes no
// topic; a tenant whose topic exists under such a name (made by an
// earlier release) is taken as it is spelled. "Acme" and "acme" were two
// topics, a worker of one reading none of the other's records.
func TestTenantNamesInOneCase(t *testing.T) {
	opts := cluster(t)
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	create(t, opts, "acme", 1)
	if _, err := gkkafka.Create(ctx, gkkafka.Config{Tenant: "Acme", Partitions: 1}, opts...); err == nil || !strings.Contains(err.Error(), `a new tenant's name is in lower case ("acme")`) {
		t.Fatalf("Create(Acme) beside acme: %v", err)
	}
	if _, err := gkkafka.Open(ctx, "Acme", opts...); err == nil {
		t.Fatal("Create(Acme) made a topic")
	}
	// An earlier release's tenant "Legacy": its topic exists.
	cl, err := kgo.NewClient(opts...)
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	makeTopic(ctx, t, cl, "goalkit-Legacy-events", 2, keeping("", ""))
	tn, err := gkkafka.Create(ctx, gkkafka.Config{Tenant: "Legacy", Partitions: 2}, opts...)
	if err != nil {
		t.Fatalf("Create(Legacy) of an existing tenant: %v", err)
	}
	tn.Close()
}
