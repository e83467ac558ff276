package nats

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/nats/natstest"
	"github.com/goalkit/goalkit/scaleout"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// A consumer that stops delivering without an error (here: one swapped for
// a consumer of a subject with no records) does not hang a read: after
// stallChecks empty waits the cursor sees that the server holds records
// past its position and starts a new consumer from the next offset.
func TestCursorRestartsAStalledConsumer(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	js, s := testStream(ctx, t, "STALL", "stall.>")
	for i := range 5 {
		if _, err := js.Publish(ctx, "stall.a", []byte{byte(i)}); err != nil {
			t.Fatal(err)
		}
	}
	cur, err := openCursor(ctx, s, "stall.a", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	// Next waits a short while for the first message, which a loaded
	// machine may take longer to deliver: the first that come.
	var first []scaleout.Record
	for len(first) == 0 {
		if first, err = cur.Next(ctx, 2); err != nil {
			t.Fatalf("first records: %v", err)
		}
	}
	// Stall it.
	cur.it.Stop()
	cons, err := s.OrderedConsumer(ctx, jetstream.OrderedConsumerConfig{FilterSubjects: []string{"stall.none"}})
	if err != nil {
		t.Fatal(err)
	}
	if cur.it, err = cons.Messages(); err != nil {
		t.Fatal(err)
	}
	got := []uint64{}
	for _, r := range first {
		got = append(got, r.Offset)
	}
	start := time.Now()
	if err := scaleout.ReadTo(ctx, cur, 5, func(r scaleout.Record) error {
		got = append(got, r.Offset)
		return nil
	}); err != nil {
		t.Fatalf("read after a stall: %v (got %v)", err, got)
	}
	if len(got) != 5 || got[4] != 5 {
		t.Fatalf("offsets %v, want 1 to 5", got)
	}
	t.Logf("recovered in %v", time.Since(start).Round(time.Millisecond))
}

// testStream starts a server and makes a stream of the subjects on it.
func testStream(ctx context.Context, t *testing.T, name, subjects string) (jetstream.JetStream, jetstream.Stream) {
	t.Helper()
	cl := natstest.Start(t, 1)
	nc, err := natsgo.Connect(cl.URL())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(nc.Close)
	js, err := jetstream.New(nc)
	if err != nil {
		t.Fatal(err)
	}
	s, err := js.CreateStream(ctx, jetstream.StreamConfig{Name: name, Subjects: []string{subjects}})
	if err != nil {
		t.Fatal(err)
	}
	return js, s
}
