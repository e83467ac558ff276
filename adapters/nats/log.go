package nats

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/scaleout"
	natsgo "github.com/nats-io/nats.go"
	"github.com/nats-io/nats.go/jetstream"
)

// Partitions implements scaleout.Log.
func (t *Tenant) Partitions() int { return t.parts }

// Append implements scaleout.Log: the records are published
// asynchronously, each with its ID as Nats-Msg-Id, and Append returns once
// the server acknowledged them all (or the first failure). It sends up to
// 4096 at a time, and fewer when the client keeps fewer unacknowledged
// (jetstream.WithPublishAsyncMaxPending, 4000 by default): it then waits
// for those it sent before it sends more, or, when other appends through
// the client hold them all, for theirs. The client publishes a copy of
// each record's data: one it publishes again after Append returned (an
// error or ctx cut Append short while the server had no stream to answer)
// is the record as it was appended, whatever the caller does with its
// bytes since.
//
// A record that a worker could not commit alone, as one message of the
// state stream no larger than the maximum payload (the servers', 1 MB by
// default, or the account's or user's where one is smaller), is refused
// before any record is published, naming it: the worker's batch adds
// about 160 bytes to the record's data, and a record in the log that no
// batch can hold would stop its partition's worker at every restart.
func (t *Tenant) Append(ctx context.Context, recs []scaleout.Record) error {
	_, _, err := t.AppendCount(ctx, recs)
	return err
}

// AppendCount is Append that also says what the stream did with the
// records: added, how many it stored as new, and duplicates, how many it
// dropped as duplicates, a message with the same ID (Nats-Msg-Id) having
// been stored within the stream's duplicate window (as when the same
// records are appended twice). The records it counts are those the server
// acknowledged, which are the first added+duplicates of recs: when it
// returns an error, those are stored, and a retry may append
// recs[added+duplicates:] alone. A record past them may be stored too (its
// acknowledgement was not awaited, or was lost): appended again within the
// window, it is counted as a duplicate.
func (t *Tenant) AppendCount(ctx context.Context, recs []scaleout.Record) (added, duplicates int, err error) {
	limit := t.js.Conn().MaxPayload()
	for _, r := range recs {
		if r.Partition < 0 || r.Partition >= t.parts {
			return 0, 0, fmt.Errorf("record %s: no partition %d", display.QuoteID(r.ID), r.Partition)
		}
		if err := fits(r, limit); err != nil {
			return 0, 0, err
		}
	}
	const window = 4096 // acknowledgements awaited at a time
	for len(recs) > 0 {
		n := min(len(recs), window)
		futs := make([]jetstream.PubAckFuture, 0, n)
		size := 0
		for _, r := range recs[:n] {
			size += len(r.Data)
		}
		copies := make([]byte, 0, size) // one allocation for the window's data
		for _, r := range recs[:n] {
			m := natsgo.NewMsg(eventSubject(t.name, r.Partition))
			at := len(copies)
			copies = append(copies, r.Data...)
			m.Data = copies[at:len(copies):len(copies)]
			f, err := t.js.PublishMsgAsync(m, jetstream.WithMsgID(r.ID))
			for errors.Is(err, jetstream.ErrTooManyStalledMsgs) && len(futs) == 0 {
				// Other appends through the client hold all it takes: the
				// record once theirs are in.
				select {
				case <-t.js.PublishAsyncComplete():
				case <-ctx.Done():
					return added, duplicates, ctx.Err()
				}
				f, err = t.js.PublishMsgAsync(m, jetstream.WithMsgID(r.ID))
			}
			if errors.Is(err, jetstream.ErrTooManyStalledMsgs) {
				break // the client holds all it takes: the rest once these are in
			}
			if err != nil {
				return added, duplicates, fmt.Errorf("publish record %s to partition %d: %w", display.QuoteID(r.ID), r.Partition, err)
			}
			futs = append(futs, f)
		}
		n = len(futs)
		for i, f := range futs {
			select {
			case ack := <-f.Ok():
				if ack.Duplicate {
					duplicates++
				} else {
					added++
				}
			case err := <-f.Err():
				return added, duplicates, fmt.Errorf("publish record %s to partition %d: %w", display.QuoteID(recs[i].ID), recs[i].Partition, err)
			case <-ctx.Done():
				return added, duplicates, ctx.Err()
			}
		}
		recs = recs[n:]
	}
	return added, duplicates, nil
}

// hdrLine and hdrEnd open and end a message's headers as the client sends
// them ("NATS/1.0\r\n", then "Key: value\r\n" each, then "\r\n"); a
// server's maximum payload counts them with the data.
const (
	hdrLine = len("NATS/1.0\r\n")
	hdrEnd  = len("\r\n")
)

// header is the size of a header of one key and value.
func header(key string, value int) int { return len(key) + len(": ") + value + len("\r\n") }

// batchOverhead is what a worker's commit of one record adds to its data:
// the JSON of the batch around it, with the worker's position (its closed
// record scaleout.pos, a number of up to 20 digits, a space and the
// identity of the events stream, up to 30 bytes: Identity), and the header
// of the publish, which expects the subject's last sequence (up to 20
// digits).
var batchOverhead = func() int {
	w := wireBatch{Events: []json.RawMessage{json.RawMessage("0")},
		Closed: []kpi.TrackRecord{{Key: "scaleout.pos", Data: []byte("18446744073709551615 " + maxIdentity)}}}
	data, err := json.Marshal(&w)
	if err != nil {
		panic(err) // a constant batch
	}
	return len(data) - 1 + hdrLine + header(jetstream.ExpectedLastSubjSeqHeader, 20) + hdrEnd
}()

// fits refuses a record whose message (its data and its ID's header), or
// whose worker's batch of it alone, is larger than limit, the servers'
// maximum payload (0 or less: not known yet, the server answers).
func fits(r scaleout.Record, limit int64) error {
	if limit <= 0 {
		return nil
	}
	msg := int64(len(r.Data))
	if r.ID != "" {
		msg += int64(hdrLine + header(natsgo.MsgIdHdr, len(r.ID)) + hdrEnd)
	}
	batch := int64(len(r.Data) + batchOverhead)
	if need := max(msg, batch); need > limit {
		event := ""
		if r.Key != "" {
			event = fmt.Sprintf(" (event %s)", display.QuoteID(r.Key))
		}
		return fmt.Errorf("publish record %s to partition %d: %d bytes of data%s, which a worker commits in a batch of %d bytes, more than the maximum payload of %d bytes (the servers' max_payload, or the account's or user's where one is smaller): nothing was appended (make the event smaller, or raise that max_payload)",
			display.QuoteID(r.ID), r.Partition, len(r.Data), event, need, limit)
	}
	return nil
}

// maxIdentity is the longest identity (Identity) a stream has.
const maxIdentity = "2006-01-02T15:04:05.999999999Z"

// Identity implements scaleout.IdentifiedLog: the creation time of the
// events stream, in UTC to the nanosecond, as the server gives it now. A
// stream deleted and made again (Create after an operator's reset) has
// another, so that a worker whose store committed an offset of the old
// stream refuses to read on in the new one, rather than skip its records
// up to that offset.
func (t *Tenant) Identity(ctx context.Context, p int) (string, error) {
	if p < 0 || p >= t.parts {
		return "", fmt.Errorf("tenant %s: no partition %d", t.name, p)
	}
	// A handle of its own: Info on the tenant's would write its cached
	// info while another partition's worker reads it.
	name := t.events.CachedInfo().Config.Name
	var s jetstream.Stream
	err := retry(ctx, func(ctx context.Context) error {
		var err error
		s, err = t.js.Stream(ctx, name)
		return err
	})
	if err != nil {
		return "", fmt.Errorf("tenant %s: events stream: %w", t.name, err)
	}
	return s.CachedInfo().Created.UTC().Format(time.RFC3339Nano), nil
}

// End implements scaleout.Log: the stream sequence of the partition's last
// message.
func (t *Tenant) End(ctx context.Context, p int) (uint64, error) {
	if p < 0 || p >= t.parts {
		return 0, fmt.Errorf("tenant %s: no partition %d", t.name, p)
	}
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

// Open implements scaleout.Log with an ordered consumer of the
// partition's subject from stream sequence from: the client checks that it
// receives every message in order and, when one is missing (a pull that
// expired with messages in flight, a server that went away), starts over
// from the last one it delivered. Ordered consumers take no
// acknowledgements: the position of record is the one a worker commits to
// its store with each batch, and a restarted worker opens the log there.
func (t *Tenant) Open(ctx context.Context, p int, from uint64) (scaleout.Cursor, error) {
	if p < 0 || p >= t.parts {
		return nil, fmt.Errorf("tenant %s: no partition %d", t.name, p)
	}
	c, err := openCursor(ctx, t.events, eventSubject(t.name, p), from)
	if err != nil {
		return nil, err
	}
	c.p = p
	return c, nil
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
	p       int // the partition its records are of
	it      jetstream.MessagesContext
	next    uint64 // the offset after the last record returned
	idle    int    // calls of Next in a row that waited and got nothing
	short   bool   // the last check found the subject ending before next-1, no record since
	// err is the error a call of Next met after it had records, which it
	// returned without it: the next call returns it.
	err error
}

// stallChecks is how many calls of Next in a row may wait in vain before
// the cursor asks the server whether the subject has records past its
// position; when it has, the consumer has stalled, and a new one starts
// from the next offset.
const stallChecks = 20

// consume starts reading from the cursor's next offset.
func (c *cursor) consume(ctx context.Context) error {
	if c.it != nil {
		c.it.Stop()
		c.it = nil
	}
	cfg := jetstream.OrderedConsumerConfig{FilterSubjects: []string{c.subject}, InactiveThreshold: time.Minute}
	if c.next > 1 {
		cfg.DeliverPolicy, cfg.OptStartSeq = jetstream.DeliverByStartSequencePolicy, c.next
	}
	err := retry(ctx, func(ctx context.Context) error {
		cons, err := c.s.OrderedConsumer(ctx, cfg)
		if err != nil {
			return err
		}
		c.it, err = cons.Messages(jetstream.PullMaxMessages(1000))
		return err
	})
	if err != nil {
		return fmt.Errorf("consumer of %s: %w", c.subject, err)
	}
	return nil
}

// fetchWait is how long Next waits for a first message.
const fetchWait = 100 * time.Millisecond

// Next returns the next records: those that have arrived, up to n, once
// the first has (or none after fetchWait). When the consumer fails, Next
// starts a new one from the next offset and returns what it had. It
// returns records and a nil error, or no records and an error: records
// the consumer delivered before an error are returned, and the error by
// the next call (ctx ended meanwhile: the next call's ctx says so), as the
// consumer does not deliver them again. A message whose metadata (its
// offset) cannot be read is such an error, and is not taken: the next
// call reads again from it.
func (c *cursor) Next(ctx context.Context, n int) ([]scaleout.Record, error) {
	if err := c.err; err != nil {
		c.err = nil
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if c.it == nil { // a consumer that could not be started again
		if err := c.consume(ctx); err != nil {
			return nil, err
		}
	}
	var out []scaleout.Record
	fail := func(err error) ([]scaleout.Record, error) {
		if len(out) == 0 {
			return nil, err
		}
		c.err = err
		return out, nil
	}
	wait := fetchWait
	for len(out) < n {
		nctx, cancel := context.WithTimeout(ctx, wait)
		m, err := c.it.Next(jetstream.NextContext(nctx))
		cancel()
		if err != nil {
			if errors.Is(err, natsgo.ErrTimeout) || errors.Is(err, context.DeadlineExceeded) || ctx.Err() != nil {
				if len(out) == 0 && ctx.Err() == nil {
					if err := c.watch(ctx); err != nil {
						return nil, err
					}
				}
				break
			}
			if errors.Is(err, jetstream.ErrInvalidOption) {
				return fail(err)
			}
			if err := c.consume(ctx); err != nil {
				return fail(err)
			}
			break
		}
		md, err := m.Metadata()
		if err != nil {
			// The consumer has delivered the message: a new one from the
			// next offset delivers it again, so that a caller that reads
			// on does not go on past it (a consumer that cannot be
			// started now is started by the next call).
			err = fmt.Errorf("%s: cannot read the metadata of the message after offset %d (%w): it is not taken, and the next read starts again from offset %d", c.subject, c.next-1, err, c.next)
			_ = c.consume(ctx)
			return fail(err)
		}
		if md.Sequence.Stream < c.next {
			continue // delivered again after a restart
		}
		c.next = md.Sequence.Stream + 1
		c.idle, c.short = 0, false
		out = append(out, scaleout.Record{Partition: c.p, Offset: md.Sequence.Stream, Data: m.Data(), ID: m.Headers().Get(natsgo.MsgIdHdr)})
		wait = time.Millisecond
	}
	if len(out) > 0 {
		return out, nil // ctx ended meanwhile: the next call says so
	}
	return nil, ctx.Err()
}

// watch counts a call of Next that got nothing; every stallChecks of them
// in a row, it starts the consumer again when the server holds a record
// of the subject at or past the cursor's next offset (a consumer that
// stopped delivering without an error). A subject that ends before the
// last offset the cursor read, at two checks in a row with no record
// between them (an end read from a leader that has just taken over may
// lag for a moment), has lost records it had: the stream was made again,
// and reading on from the cursor's offset would skip the new stream's
// records up to there. It is an error naming both offsets, as a worker
// restarted on the stream gives.
func (c *cursor) watch(ctx context.Context) error {
	c.idle++
	if c.idle < stallChecks {
		return nil
	}
	c.idle = 0
	last, err := lastSeq(ctx, c.s, c.subject)
	if err != nil {
		return nil // the server will say so at the next check
	}
	if last+1 < c.next {
		if !c.short {
			c.short = true
			return nil
		}
		return fmt.Errorf("%s: read up to offset %d, past the end of the subject (offset %d): the stream lost records it had (was it made again?)", c.subject, c.next-1, last)
	}
	c.short = false
	if last < c.next {
		return nil // nothing missed
	}
	return c.consume(ctx)
}

// Ack does nothing: see Open.
func (c *cursor) Ack(context.Context, uint64) error { return nil }

func (c *cursor) Close() error {
	if c.it != nil {
		c.it.Stop()
	}
	return nil
}

var _ scaleout.IdentifiedLog = (*Tenant)(nil)
