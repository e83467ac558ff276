package kafka

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"math"
	"time"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/scaleout"
	"github.com/twmb/franz-go/pkg/kerr"
	"github.com/twmb/franz-go/pkg/kgo"
	"github.com/twmb/franz-go/pkg/kmsg"
)

// idHeader is the header that carries a record's ID.
const idHeader = "goalkit-id"

// Partitions implements scaleout.Log.
func (t *Tenant) Partitions() int { return t.parts }

// Append implements scaleout.Log: each record goes to its partition, keyed
// by its event's ID (Record.Key), and Append returns once the brokers
// acknowledged them all, or with the failure of the first record (in the
// order given) that failed. A record the client
// sends again after a lost answer is dropped by the brokers (idempotent
// producer); records appended again by another call are stored again.
func (t *Tenant) Append(ctx context.Context, recs []scaleout.Record) error {
	for _, r := range recs {
		if r.Partition < 0 || r.Partition >= t.parts {
			return fmt.Errorf("record %s: no partition %d", display.QuoteID(r.ID), r.Partition)
		}
	}
	krs := make([]*kgo.Record, len(recs))
	index := make(map[*kgo.Record]int, len(recs))
	for i, r := range recs {
		kr := &kgo.Record{Topic: t.topic, Partition: int32(r.Partition), Value: r.Data}
		if r.Key != "" {
			kr.Key = []byte(r.Key)
		}
		if r.ID != "" {
			kr.Headers = []kgo.RecordHeader{{Key: idHeader, Value: []byte(r.ID)}}
		}
		krs[i] = kr
		index[kr] = i
	}
	// The results come in the order the records finished, not the order
	// they were given: the failure named is that of the first record given
	// that failed.
	failed := -1
	var ferr error
	for _, res := range t.cl.ProduceSync(ctx, krs...) {
		if i := index[res.Record]; res.Err != nil && (failed < 0 || i < failed) {
			failed, ferr = i, res.Err
		}
	}
	if failed >= 0 {
		return fmt.Errorf("produce record %s to %s partition %d: %w", display.QuoteID(recs[failed].ID), t.topic, recs[failed].Partition, ferr)
	}
	return nil
}

// Identity implements scaleout.IdentifiedLog: the topic's ID (KIP-516,
// Kafka 2.8 and later), as Kafka's tools write it (unpadded URL-safe
// base64), read from the brokers' metadata now. A topic deleted and made
// again has another, so that a worker whose store committed an offset of
// the old topic refuses to read on in the new one, rather than skip its
// records up to that offset. A broker that gives no ID gives "": the
// worker cannot tell.
func (t *Tenant) Identity(ctx context.Context, p int) (string, error) {
	if p < 0 || p >= t.parts {
		return "", fmt.Errorf("tenant %s: no partition %d", t.name, p)
	}
	topic, err := t.metadata(ctx)
	if err != nil {
		return "", fmt.Errorf("tenant %s: topic %s: %w", t.name, t.topic, err)
	}
	id := topic.TopicID
	if id == [16]byte{} {
		return "", nil
	}
	return base64.RawURLEncoding.EncodeToString(id[:]), nil
}

// End implements scaleout.Log: the partition's last stable offset (the
// high watermark, but where another producer's transaction is open: the
// Kafka offset of its first record), which is the scaleout offset of the
// last offset a cursor reads (Kafka's plus 1). The records at and after
// an open transaction's first are read once it commits or aborts, as a
// consumer reading committed records reads them. The last offset before
// End may be a transaction's marker, or an aborted transaction's record,
// which a cursor reads past without returning (scaleout.SkippingCursor).
func (t *Tenant) End(ctx context.Context, p int) (uint64, error) {
	if p < 0 || p >= t.parts {
		return 0, fmt.Errorf("tenant %s: no partition %d", t.name, p)
	}
	req := kmsg.NewPtrListOffsetsRequest()
	req.ReplicaID = -1
	req.IsolationLevel = 1 // read committed: the last stable offset
	rt := kmsg.NewListOffsetsRequestTopic()
	rt.Topic = t.topic
	rp := kmsg.NewListOffsetsRequestTopicPartition()
	rp.Partition, rp.Timestamp = int32(p), -1 // -1: the latest offset
	rt.Partitions = append(rt.Partitions, rp)
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, t.cl)
	if err == nil && (len(resp.Topics) != 1 || len(resp.Topics[0].Partitions) != 1) {
		err = errors.New("no partition in the answer")
	}
	if err == nil {
		err = kerr.ErrorForCode(resp.Topics[0].Partitions[0].ErrorCode)
	}
	if err != nil {
		return 0, fmt.Errorf("end of %s partition %d: %w", t.topic, p, err)
	}
	if off := resp.Topics[0].Partitions[0].Offset; off > 0 {
		return uint64(off), nil
	}
	return 0, nil
}

// Open implements scaleout.Log: a client of its own, assigned to the
// partition from Kafka offset from-1, with no consumer group, reading
// committed records only: an aborted transaction's records (another
// producer's) are never returned, and an open transaction holds back the
// records from its first on until it commits or aborts (Kafka's last
// stable offset, End). Reading from before the partition's first record
// kept, or after its end, is an error (the client does not move to
// another offset by itself), and so is reading over records missing from
// its middle (Next); an offset past what a Kafka offset (an int64) holds
// is refused by Open. The cursor is a scaleout.SkippingCursor: it reads
// past transactions' markers and aborted records without returning them,
// and says so.
func (t *Tenant) Open(ctx context.Context, p int, from uint64) (scaleout.Cursor, error) {
	if p < 0 || p >= t.parts {
		return nil, fmt.Errorf("tenant %s: no partition %d", t.name, p)
	}
	from = max(from, 1)
	// Kafka's offsets are int64: a larger one is past any partition's end
	// (as an int64 it would be negative, -2 reading from the start).
	if from-1 > math.MaxInt64 {
		return nil, fmt.Errorf("tenant %s: partition %d has no offset %d: Kafka's offsets end at %d", t.name, p, from, uint64(math.MaxInt64)+1)
	}
	// The topic's ID now, which Next compares with the brokers' when the
	// fetches fail or find nothing (zero: unknown).
	var id [16]byte
	if topic, err := t.metadata(ctx); err == nil {
		id = topic.TopicID
	}
	cl, err := kgo.NewClient(append(t.opts[:len(t.opts):len(t.opts)],
		kgo.ConsumePartitions(map[string]map[int32]kgo.Offset{t.topic: {int32(p): kgo.NewOffset().At(int64(from - 1))}}),
		kgo.ConsumeResetOffset(kgo.NoResetOffset()),
		// Another producer's transactions: only what they committed.
		kgo.FetchIsolationLevel(kgo.ReadCommitted()),
		// Every offset read but an aborted transaction's records, so
		// that Next can tell records missing (see missing).
		kgo.KeepControlRecords(),
		// A fetch session spares a consumer of many partitions from
		// naming each in every fetch; a cursor has one. Without one, the
		// client's Close does not race with a fetch answered meanwhile
		// (franz-go reads the session's ID unguarded there).
		kgo.DisableFetchSessions(),
		kgo.FetchMaxWait(fetchWait))...)
	if err != nil {
		return nil, fmt.Errorf("consumer of %s partition %d: %w", t.topic, p, err)
	}
	return &cursor{t: t, cl: cl, topic: t.topic, p: p, next: from, id: id}, nil
}

type cursor struct {
	t     *Tenant
	cl    *kgo.Client
	topic string
	p     int
	next  uint64   // the scaleout offset after the last record returned
	id    [16]byte // the topic's ID when the cursor was opened (zero: unknown)
	idle  int      // calls of Next in a row that got nothing
	// suspect is set when the last check after idleChecks such calls
	// found the topic deleted or made again, and cleared by records
	// fetched since: the two checks that fail a cursor are in a row.
	suspect bool
	// err is the error of a fetch whose poll also handed over records,
	// which Next returned without it: the next call returns it.
	err error
	// gap is the error of records missing from the partition, which
	// every call returns once the records before them are returned.
	gap error
	// held are records a poll handed over after offsets it skipped, which
	// the cursor could not yet tell an aborted transaction's records
	// from records gone (see aborted): the next call tries again.
	held []*kgo.Record
}

// idleChecks is the number of calls of Next in a row that get nothing
// (each waiting up to fetchWait) after which Next asks the brokers whether
// the topic is still the one it read: the client does not always say so.
const idleChecks = 10

// fetchWait is how long Next waits for a first record.
const fetchWait = 100 * time.Millisecond

// Next returns the records fetched, up to n, waiting up to fetchWait for
// the first. The records the client handed over are returned even when
// ctx ended meanwhile (the next call says so), and so are those a poll
// handed over beside a fetch's error (a batch that fails its checks after
// good ones, another fetch of the poll that failed), the error at the
// next call: the client has moved past them and does not hand them over
// again, so that a caller that reads on after the error would skip them.
// Records missing from the partition (removed by compaction: see missing)
// fail it the same way, at every call from then on, naming the partition
// and the offsets gone; the offsets of transactions' markers and of
// aborted transactions' records are read past (Passed).
func (c *cursor) Next(ctx context.Context, n int) ([]scaleout.Record, error) {
	if err := c.err; err != nil {
		c.err = nil
		return nil, err
	}
	if c.gap != nil {
		return nil, c.gap
	}
	if err := ctx.Err(); err != nil || n <= 0 {
		// The client's poll of no records polls every record it has.
		return nil, err
	}
	var fs kgo.Fetches
	polled := len(c.held) == 0
	if polled {
		pctx, cancel := context.WithTimeout(ctx, fetchWait)
		fs = c.cl.PollRecords(pctx, n)
		cancel()
		c.held = fs.Records()
	}
	var out []scaleout.Record
	var err error
	for len(c.held) > 0 && len(out) < n {
		kr := c.held[0]
		off := uint64(kr.Offset) + 1
		if off > c.next {
			// Offsets skipped: an aborted transaction's records, or
			// records gone (c.gap).
			if err = c.aborted(ctx, off); err != nil || c.gap != nil {
				break
			}
		}
		c.held = c.held[1:]
		if off < c.next {
			continue
		}
		c.next = off + 1
		if kr.Attrs.IsControl() {
			continue // a transaction's marker, no record of the log
		}
		r := scaleout.Record{Partition: c.p, Offset: off, Key: string(kr.Key), Data: kr.Value}
		for _, h := range kr.Headers {
			if h.Key == idHeader {
				r.ID = string(h.Value)
			}
		}
		out = append(out, r)
	}
	if c.gap != nil {
		c.held = nil
		err = c.gap
	} else if polled {
		if ferr := c.fetchErr(ctx, fs); ferr != nil {
			err = errors.Join(err, ferr)
		}
	}
	if err != nil {
		if len(out) == 0 {
			return nil, err
		}
		c.err = err
		c.idle, c.suspect = 0, false
		return out, nil
	}
	if len(out) == 0 {
		if c.idle++; c.idle >= idleChecks && ctx.Err() == nil {
			// Two checks in a row, as a broker's metadata may lag behind
			// for a moment.
			c.idle = 0
			err := c.remade(ctx, nil)
			if err != nil && c.suspect {
				return nil, err
			}
			c.suspect = err != nil
		}
		return nil, ctx.Err()
	}
	c.idle, c.suspect = 0, false
	return out, nil
}

// Passed implements scaleout.SkippingCursor: the scaleout offset before
// the next the cursor reads, past the records it returned and the
// transactions' markers and aborted records after them.
func (c *cursor) Passed() uint64 { return c.next - 1 }

// aborted moves the cursor past the offsets from c.next to the one before
// off, which the client did not hand over, where they hold records of the
// partition read uncommitted: an aborted transaction's records, which the
// client, reading committed records, drops. Where some hold none, it sets
// c.gap to the error of the records gone (missing) from the first of
// them, past the aborted ones before it; where the partition cannot be
// read, it returns the error, and leaves the cursor where it was.
func (c *cursor) aborted(ctx context.Context, off uint64) error {
	next := c.next
	for next < off {
		recs, err := c.t.fetchUncommitted(ctx, c.p, next)
		if err != nil {
			what := fmt.Sprintf("offsets %d to %d", next, off-1)
			if next == off-1 {
				what = fmt.Sprintf("offset %d", next)
			}
			return fmt.Errorf("topic %s partition %d: reading the %s uncommitted, which the read of committed records skipped, to tell an aborted transaction's records from records gone: %w", c.topic, c.p, what, err)
		}
		have := off // the first offset from next on that holds a record
		for _, kr := range recs {
			if o := uint64(kr.Offset) + 1; o >= next {
				have = min(o, off)
				break
			}
		}
		if have > next {
			c.next = next
			c.gap = c.missing(have)
			return nil
		}
		for _, kr := range recs {
			if o := uint64(kr.Offset) + 1; o == next && next < off {
				next++
			}
		}
	}
	c.next = next
	return nil
}

// missing returns the error of the records from c.next to the one before
// off, which the partition no longer has: the cursor got the record at off
// next.
//
// A partition's offsets have gaps where records were removed from its
// middle, or where the client did not hand records over. The client is
// made to hand over every record it fetches but an aborted transaction's
// (another producer's: the tenant's producer writes no transactions),
// which aborted tells from records gone: the transactions' markers are
// handed over (and skipped by Next, as no record of the log). Kafka
// removes records from a partition's middle only by compaction, which
// the settings Create and Open check turn off, but which an operator may
// turn on while the cursor reads: a gap is records lost, and reading on
// would leave their events out of the report without a word.
func (c *cursor) missing(off uint64) error {
	what := fmt.Sprintf("the records at offsets %d to %d are", c.next, off-1)
	if off-1 == c.next {
		what = fmt.Sprintf("the record at offset %d is", c.next)
	}
	return fmt.Errorf("topic %s partition %d: %s gone (the next the brokers have is at offset %d): the topic deleted records from the middle of the partition (cleanup.policy with compact?), and the report would miss their events; set cleanup.policy=delete on the topic, and publish the tenant's events again to a new tenant",
		c.topic, c.p, what, off)
}

// fetchErr returns the error of the first fetch of fs that failed, named
// at the offset after the records the cursor took from fs (c.next), or
// nil where none failed (the end of the poll's wait is no failure).
func (c *cursor) fetchErr(ctx context.Context, fs kgo.Fetches) error {
	for _, fe := range fs.Errors() {
		if errors.Is(fe.Err, context.DeadlineExceeded) || errors.Is(fe.Err, context.Canceled) {
			continue // the wait ended
		}
		// UNKNOWN_TOPIC_ID, or the client's offset reset to an earlier
		// one: the topic may have been deleted (and made again).
		var loss *kgo.ErrDataLoss
		if errors.Is(fe.Err, kerr.UnknownTopicID) || errors.As(fe.Err, &loss) {
			if err := c.remade(ctx, fe.Err); err != nil {
				return err
			}
		}
		return fmt.Errorf("fetch %s partition %d at offset %d: %w", c.topic, c.p, c.next, fe.Err)
	}
	return nil
}

// remade returns the error of a topic deleted, or deleted and made again
// (another ID, or a topic where the fetch failed with UNKNOWN_TOPIC_ID),
// since the cursor was opened, as the brokers' metadata says now, else
// nil (the brokers cannot say, or the topic is the one the cursor read).
// cause is the fetch's error that made the cursor ask, or nil.
func (c *cursor) remade(ctx context.Context, cause error) error {
	was := ""
	if cause != nil {
		was = fmt.Sprintf(" (%v)", cause)
	}
	topic, err := c.t.metadata(ctx)
	switch {
	case errors.Is(err, kerr.UnknownTopicOrPartition):
		return fmt.Errorf("topic %s partition %d: the topic was deleted after the cursor read up to offset %d%s: its records are gone; to go on, make the tenant's topic again (Create), remove the partition's store (a new tenant, or the old tenant's state deleted) and start the workers again, which read the new topic from its start",
			c.topic, c.p, c.next-1, was)
	case err != nil, topic.TopicID == [16]byte{}:
		return nil
	case c.id != [16]byte{} && topic.TopicID == c.id:
		return nil
	case c.id == [16]byte{} && !errors.Is(cause, kerr.UnknownTopicID):
		return nil
	}
	ids := "its ID now " + base64.RawURLEncoding.EncodeToString(topic.TopicID[:])
	if c.id != [16]byte{} {
		ids = "its ID was " + base64.RawURLEncoding.EncodeToString(c.id[:]) + ", now " + ids[len("its ID now "):]
	}
	return fmt.Errorf("topic %s partition %d: the topic was deleted and made again (%s) after the cursor read up to offset %d%s: reading on from offset %d would skip the new topic's first records; to read the new topic from its start, remove the partition's store (a new tenant, or the old tenant's state deleted) and start the workers again",
		c.topic, c.p, ids, c.next-1, was, c.next)
}

// fetchUncommitted reads records of partition p from scaleout offset from
// on, as many as one fetch of its leader answers (at least one batch),
// uncommitted: an aborted transaction's records too, and the
// transactions' markers.
func (t *Tenant) fetchUncommitted(ctx context.Context, p int, from uint64) ([]*kgo.Record, error) {
	topic, err := t.metadata(ctx)
	if err != nil {
		return nil, err
	}
	leader := int32(-1)
	for _, mp := range topic.Partitions {
		if mp.Partition == int32(p) {
			leader = mp.Leader
		}
	}
	if leader < 0 {
		return nil, fmt.Errorf("no leader of partition %d", p)
	}
	req := kmsg.NewPtrFetchRequest()
	req.IsolationLevel = 0 // read uncommitted
	rt := kmsg.NewFetchRequestTopic()
	rt.Topic, rt.TopicID = t.topic, topic.TopicID
	rp := kmsg.NewFetchRequestTopicPartition()
	rp.Partition, rp.FetchOffset, rp.PartitionMaxBytes = int32(p), int64(from-1), 1<<20
	rt.Partitions = append(rt.Partitions, rp)
	req.Topics = append(req.Topics, rt)
	resp, err := req.RequestWith(ctx, t.cl.Broker(int(leader)))
	if err == nil {
		err = kerr.ErrorForCode(resp.ErrorCode)
	}
	if err == nil && (len(resp.Topics) != 1 || len(resp.Topics[0].Partitions) != 1) {
		err = errors.New("no partition in the answer")
	}
	if err != nil {
		return nil, err
	}
	fp, _ := kgo.ProcessFetchPartition(kgo.ProcessFetchPartitionOpts{
		KeepControlRecords: true, Offset: int64(from - 1), IsolationLevel: kgo.ReadUncommitted(),
		Topic: t.topic, Partition: int32(p),
	}, &resp.Topics[0].Partitions[0], kgo.DefaultDecompressor(), nil)
	return fp.Records, fp.Err
}

// Ack does nothing: see Open.
func (c *cursor) Ack(context.Context, uint64) error { return nil }

func (c *cursor) Close() error {
	c.cl.Close()
	return nil
}

var (
	_ scaleout.IdentifiedLog  = (*Tenant)(nil)
	_ scaleout.SkippingCursor = (*cursor)(nil)
)
