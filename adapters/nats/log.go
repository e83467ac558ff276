package nats

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/scaleout"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Partitions implements scaleout.Log.
func (t *Tenant) Partitions() int { return t.parts }

// Append implements scaleout.Log: the records are published
// asynchronously, each with its ID as Nats-Msg-Id, and Append returns once
// the server acknowledged them all (or the first failure).
func (t *Tenant) Append(ctx context.Context, recs []scaleout.Record) error {
	for _, r := range recs {
		if r.Partition < 0 || r.Partition >= t.parts {
			return fmt.Errorf("record %q: no partition %d", r.ID, r.Partition)
		}
	}
	const window = 4096 // acknowledgements awaited at a time
	for len(recs) > 0 {
		n := min(len(recs), window)
		futs := make([]jetstream.PubAckFuture, 0, n)
		for _, r := range recs[:n] {
			m := natsgo.NewMsg(eventSubject(t.name, r.Partition))
			m.Data = r.Data
			f, err := t.js.PublishMsgAsync(m, jetstream.WithMsgID(r.ID))
			if err != nil {
				return fmt.Errorf("publish record %q: %w", r.ID, err)
			}
			futs = append(futs, f)
		}
		for i, f := range futs {
			select {
			case <-f.Ok():
			case err := <-f.Err():
				return fmt.Errorf("publish record %q: %w", recs[i].ID, err)
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		recs = recs[n:]
	}
	return nil
}

// End implements scaleout.Log: the stream sequence of the partition's last
// message.
func (t *Tenant) End(ctx context.Context, p int) (uint64, error) {
	return lastSeq(ctx, t.events, eventSubject(t.name, p))
}

func lastSeq(ctx context.Context, s jetstream.Stream, subject string) (uint64, error) {
	var m *jetstream.RawStreamMsg
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		m, err = s.GetLastMsgForSubject(ctx, subject)
		return err
	})
	if errors.Is(err, jetstream.ErrMsgNotFound) {
		return 0, nil
	}
	if err != nil {
		return 0, fmt.Errorf("last message of %s: %w", subject, err)
	}
	return m.Sequence, nil
}

// Open implements scaleout.Log: an ephemeral pull consumer of the
// partition's subject from stream sequence from, acknowledged cumulatively.
// The position of record is the one a worker commits to its store; the
// consumer's acknowledgements follow it.
func (t *Tenant) Open(ctx context.Context, p int, from uint64) (scaleout.Cursor, error) {
	return openCursor(ctx, t.events, eventSubject(t.name, p), from)
}

func openCursor(ctx context.Context, s jetstream.Stream, subject string, from uint64) (*cursor, error) {
	c := &cursor{s: s, subject: subject, next: max(from, 1)}
	if err := c.consume(ctx); err != nil {
		return nil, err
	}
	return c, nil
}

type cursor struct {
	s       jetstream.Stream
	subject string
	c       jetstream.Consumer
	next    uint64 // the offset after the last record returned
	pending []jetstream.Msg
}

// consume creates the cursor's consumer from its next offset.
func (c *cursor) consume(ctx context.Context) error {
	cfg := jetstream.ConsumerConfig{FilterSubject: c.subject, AckPolicy: jetstream.AckAllPolicy,
		InactiveThreshold: time.Minute, MaxAckPending: -1}
	if c.next > 1 {
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, c.next
	}
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		c.c, err = c.s.CreateConsumer(ctx, cfg)
		return err
	})
	if err != nil {
		return fmt.Errorf("consumer of %s: %w", c.subject, err)
	}
	c.pending = nil
	return nil
}

// fetchWait is how long Next waits for messages.
const fetchWait = 100 * time.Millisecond

// Next returns the next records. When the consumer stops answering (its
// server went away), Next makes a new one from the next offset and returns
// no records this time.
func (c *cursor) Next(ctx context.Context, n int) ([]scaleout.Record, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	b, err := c.c.Fetch(n, jetstream.FetchMaxWait(fetchWait))
	if err == nil {
		var out []scaleout.Record
		for m := range b.Messages() {
			md, err := m.Metadata()
			if err != nil {
				return nil, err
			}
			if md.Sequence.Stream < c.next {
				continue // redelivered
			}
			c.next = md.Sequence.Stream + 1
			c.pending = append(c.pending, m)
			out = append(out, scaleout.Record{Offset: md.Sequence.Stream, Data: m.Data(), ID: m.Headers().Get(natsgo.MsgIdHdr)})
		}
		err = b.Error()
		if err == nil || errors.Is(err, natsgo.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) {
			return out, ctx.Err()
		}
		if len(out) > 0 {
			return out, ctx.Err()
		}
	}
	if !transient(err) && !errors.Is(err, jetstream.ErrNoHeartbeat) && !errors.Is(err, jetstream.ErrConsumerDeleted) && !errors.Is(err, jetstream.ErrConsumerNotFound) {
		return nil, err
	}
	return nil, c.consume(ctx)
}

// Ack acknowledges the last message up to offset, and with it (AckAll)
// every message before it.
func (c *cursor) Ack(ctx context.Context, offset uint64) error {
	last := -1
	for i, m := range c.pending {
		md, err := m.Metadata()
		if err != nil {
			return err
		}
		if md.Sequence.Stream <= offset {
			last = i
		}
	}
	if last < 0 {
		return nil
	}
	err := c.pending[last].Ack()
	c.pending = c.pending[last+1:]
	if err != nil && transient(err) {
		return nil // the position of record is the worker's store
	}
	return err
}

func (c *cursor) Close() error {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	err := c.s.DeleteConsumer(ctx, c.c.CachedInfo().Name)
	if errors.Is(err, jetstream.ErrConsumerNotFound) {
		return nil
	}
	return err
}

var _ scaleout.Log = (*Tenant)(nil)
