package nats

import (
	"context"
	"errors"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/nats-io/nats.go/jetstream"
)

// lagging is a stream whose last message of a subject, when armed, is
// said to be the first, as an end read from a leader that has just taken
// over may be; told counts the answers so given.
type lagging struct {
	jetstream.Stream
	armed atomic.Bool
	told  atomic.Int32
}

func (l *lagging) GetLastMsgForSubject(ctx context.Context, subject string) (*jetstream.RawStreamMsg, error) {
	if l.armed.CompareAndSwap(true, false) {
		l.told.Add(1)
		return &jetstream.RawStreamMsg{Subject: subject, Sequence: 1}, nil
	}
	return l.Stream.GetLastMsgForSubject(ctx, subject)
}

// A cursor fails when two checks in a row find its subject ending before
// the records it read (one may be an end that lags); records that came
// between two such checks clear the first. The first was kept across
// them, and one lagging end after another, hours apart on a busy
// partition, stopped the cursor with "the stream lost records it had". A
// third check right after the second fails it.
func TestCursorShortClearedByRecords(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	js, s := testStream(ctx, t, "LAG", "lag.>")
	publish := func(n int) {
		for i := range n {
			if _, err := js.Publish(ctx, "lag.a", []byte{byte(i)}); err != nil {
				t.Fatal(err)
			}
		}
	}
	publish(3)
	lag := &lagging{Stream: s}
	cur, err := openCursor(ctx, lag, "lag.a", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	read := func(n int) {
		for got := 0; got < n; {
			recs, err := cur.Next(ctx, 10)
			if err != nil {
				t.Fatal(err)
			}
			got += len(recs)
		}
	}
	read(3)
	// lieOnce arms one lagging end and calls Next until a check read it.
	lieOnce := func() error {
		want := lag.told.Load() + 1
		lag.armed.Store(true)
		for lag.told.Load() < want {
			recs, err := cur.Next(ctx, 10)
			if len(recs) > 0 {
				t.Fatalf("the cursor read %d records, none published", len(recs))
			}
			if ctx.Err() != nil {
				t.Fatal("no check of the subject's end within 60 s")
			}
			if err != nil {
				return err
			}
		}
		return nil
	}
	if err := lieOnce(); err != nil {
		t.Fatalf("one check found the subject short: %v", err)
	}
	publish(1)
	read(1)
	if err := lieOnce(); err != nil {
		t.Fatalf("a check found the subject short after records came since the last: %v", err)
	}
	err = lieOnce()
	want := "lag.a: read up to offset 4, past the end of the subject (offset 1): the stream lost records it had (was it made again?)"
	if err == nil || !strings.Contains(err.Error(), want) {
		t.Fatalf("two checks in a row found the subject short: %v, want %q", err, want)
	}
}

// refusing is a stream whose ordered consumers fail while refuse is set.
type refusing struct {
	jetstream.Stream
	refuse atomic.Bool
}

func (r *refusing) OrderedConsumer(ctx context.Context, cfg jetstream.OrderedConsumerConfig) (jetstream.Consumer, error) {
	if r.refuse.Load() {
		return nil, errors.New("consumer refused")
	}
	return r.Stream.OrderedConsumer(ctx, cfg)
}

// A consumer that fails and cannot be started again fails Next, naming
// the subject; the next call starts one and reads on from the next
// offset. It dereferenced the consumer it had not got, and panicked.
func TestCursorStartsAConsumerAfterAFailedStart(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	js, s := testStream(ctx, t, "AGAIN", "again.>")
	publish := func(b byte) {
		if _, err := js.Publish(ctx, "again.a", []byte{b}); err != nil {
			t.Fatal(err)
		}
	}
	publish(1)
	st := &refusing{Stream: s}
	cur, err := openCursor(ctx, st, "again.a", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer cur.Close()
	for got := 0; got < 1; {
		recs, err := cur.Next(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		got += len(recs)
	}
	st.refuse.Store(true)
	cur.it.Stop() // the consumer fails
	recs, err := cur.Next(ctx, 10)
	if len(recs) != 0 || err == nil || err.Error() != "consumer of again.a: consumer refused" {
		t.Fatalf("Next with a consumer that cannot start: %d records, %v", len(recs), err)
	}
	st.refuse.Store(false)
	publish(2)
	for {
		recs, err := cur.Next(ctx, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(recs) > 0 {
			if recs[0].Offset != 2 || recs[0].Data[0] != 2 {
				t.Fatalf("read on at offset %d (%v), want 2", recs[0].Offset, recs[0].Data)
			}
			return
		}
	}
}
