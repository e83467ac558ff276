package scaleout

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"
)

// Record is one message of a Log.
type Record struct {
	// Partition is the partition the record is appended to.
	Partition int
	// Offset is the record's position in its partition, from 1; the log
	// sets it.
	Offset uint64
	// ID identifies the record for deduplication: a log drops a record
	// whose ID it has already appended, within the window it keeps (NATS
	// JetStream: the stream's duplicate window; Kafka: only its producer's
	// own retries). Workers drop the copies a log keeps by their versions.
	ID string
	// Key is what the record is partitioned by: its event's ID (Records
	// sets it). A log may keep it with the record (Kafka's record key) or
	// not.
	Key string
	// Data is the record's content.
	Data []byte
}

// Log is a durable log of records in a fixed number of partitions, each in
// order. NATS JetStream (a subject per partition) and Kafka (a topic's
// partitions) implement it.
type Log interface {
	// Partitions is the number of partitions.
	Partitions() int
	// Append appends records to their partitions, in order within each.
	Append(ctx context.Context, recs []Record) error
	// Open reads a partition from offset from (at least 1).
	Open(ctx context.Context, partition int, from uint64) (Cursor, error)
	// End returns the offset of a partition's last record (0: none).
	End(ctx context.Context, partition int) (uint64, error)
}

// An IdentifiedLog is a Log that tells one life of a partition from
// another: a log deleted and made again under its name (an operator's
// reset) numbers its records from the start again, and once it has passed
// the offset a worker committed, End cannot tell it from the old one. A
// Worker stores the identity beside its position and refuses to resume
// in a log of another identity, naming both, rather than skip the new
// log's records up to its old offset; a running worker asks for it again
// after each read that returned records, before it commits them, and
// stops in the same way where the log changed under it. The NATS tenant's identity is its
// events stream's creation time; the Kafka tenant's, its topic's ID.
type IdentifiedLog interface {
	Log
	// Identity returns the identity of a partition's present life, UTF-8
	// text without spaces (raw bytes as hex or base64); "" when the log
	// cannot tell.
	Identity(ctx context.Context, partition int) (string, error)
}

// identity returns the identity of a log's partition ("" when the log is
// not an IdentifiedLog or cannot tell), refusing one with a space, which
// a position record cannot hold, and one that is not UTF-8 text, which a
// part's tag (a JSON string) cannot hold: the merged read would find
// another identity in the part than the log's and refuse every part.
func identity(ctx context.Context, log Log, p int) (string, error) {
	il, ok := log.(IdentifiedLog)
	if !ok {
		return "", nil
	}
	id, err := il.Identity(ctx, p)
	if err != nil {
		return "", fmt.Errorf("the identity of the log's partition: %w", err)
	}
	if strings.ContainsAny(id, " \t\r\n") {
		return "", fmt.Errorf("the identity of the log's partition, %q, holds a space", id)
	}
	if !utf8.ValidString(id) {
		return "", fmt.Errorf("the identity of the log's partition, %q, is not UTF-8 text (give raw bytes as hex or base64)", id)
	}
	return id, nil
}

// remade returns the identity of a log's partition now where it is not
// ident, the one a reader started on (a log deleted and made again under
// it), and "" where it is the same or the log cannot tell.
func remade(ctx context.Context, log Log, p int, ident string) (string, error) {
	if ident == "" {
		return "", nil
	}
	now, err := identity(ctx, log, p)
	if err != nil || now == ident {
		return "", err
	}
	return now, nil
}

// partitions returns the number of a log's partitions, refusing a
// negative one (a Log implemented wrong, or a MemoryLog made with one)
// rather than making room for it.
func partitions(log Log) (int, error) {
	n := log.Partitions()
	if n < 0 {
		return 0, fmt.Errorf("the log has %d partitions: want 0 or more", n)
	}
	return n, nil
}

// open opens a cursor of a log's partition, refusing a Log whose Open
// returns neither a cursor nor an error.
func open(ctx context.Context, log Log, p int, from uint64) (Cursor, error) {
	cur, err := log.Open(ctx, p, from)
	if err == nil && cur == nil {
		err = errors.New("the log's Open returned neither a cursor nor an error")
	}
	return cur, err
}

// Cursor reads one partition of a Log in order.
type Cursor interface {
	// Next returns up to max records; it waits a short while for them and
	// returns none when none came. It returns records and a nil error, or
	// no records and an error (the callers drop the records of a call that
	// fails): records read before an error are returned, and the error by
	// the next call.
	Next(ctx context.Context, max int) ([]Record, error)
	// Ack acknowledges the records up to offset: their effect is committed.
	Ack(ctx context.Context, offset uint64) error
	// Close releases the cursor.
	Close() error
}

// A SkippingCursor is a Cursor of a log whose offsets do not all hold a
// record of the log: on Kafka, a transaction's commit or abort marker (any
// producer may write transactions to a tenant's topic) and the records of
// an aborted transaction, which a cursor reads past without returning
// them. Where such an offset is a partition's last, its End is an offset
// no record Next returns reaches: ReadTo, a draining Worker and Follow end
// their read of the partition once the cursor says it has read past End.
// A Cursor that is not one returns a record at every offset it reads.
type SkippingCursor interface {
	Cursor
	// Passed returns the offset the cursor has read past: Next has
	// returned every record of the log at or before it (from where the
	// cursor starts), and the other offsets up to it hold none. It is
	// at least the offset of the last record Next returned (where Next
	// failed, of the last one before the error), and the offset before
	// the cursor's start before any.
	Passed() uint64
}

// passer returns how far a cursor has read past the offset of the last
// record it returned (pos): a SkippingCursor's Passed where it is more.
func passer(c Cursor) func(pos uint64) uint64 {
	if s, ok := c.(SkippingCursor); ok {
		return func(pos uint64) uint64 { return max(pos, s.Passed()) }
	}
	return func(pos uint64) uint64 { return pos }
}

// ReadTo reads a cursor's records up to offset end (from where the cursor
// starts) and calls fn with each, in order, skipping any record at or
// before one already passed. A record past end ends the read: a cursor,
// in order, has none left at or before end (the record at end was
// removed while it was read, as a NATS store's prune removes batches);
// so does a SkippingCursor that has read past end (the offsets up to end
// after the last record hold none, such as a Kafka transaction's marker).
func ReadTo(ctx context.Context, c Cursor, end uint64, fn func(Record) error) error {
	var pos uint64
	passed := passer(c)
	for passed(pos) < end {
		recs, err := c.Next(ctx, 1000)
		if err != nil {
			return err
		}
		for _, r := range recs {
			if r.Offset > end {
				return nil
			}
			if r.Offset <= pos {
				continue
			}
			pos = r.Offset
			if err := fn(r); err != nil {
				return err
			}
		}
	}
	return nil
}

// PartStore keeps the latest part (kpi.Tracker.Partial) of each partition.
// A worker over an IdentifiedLog puts each part tagged with the identity of
// the log's partition it was made from (a first member of the tracker's
// part, a JSON object, which a merge ignores), and a Source refuses to
// merge it once the log's partition has another; a store keeps the bytes
// it is given as they are.
type PartStore interface {
	// Put stores the part of a partition made at offset pos, unless a part
	// made at a later offset is already stored.
	Put(ctx context.Context, partition int, pos uint64, data []byte) error
	// Range calls fn with the stored part of every partition.
	Range(ctx context.Context, fn func(partition int, data []byte) error) error
}

// Ledger records the keys of emitted notifications.
type Ledger interface {
	// Create records key with data unless it is recorded already; created
	// reports whether this call recorded it. Of any number of concurrent
	// calls with one key, exactly one creates it.
	Create(ctx context.Context, key string, data []byte) (created bool, err error)
}

// A LedgerLister is a Ledger that can list what it holds. Notify reads it
// into the tracker it ticks, so that it tells what a live tracker tells
// from its own ledger: an achievement recorded before and taken back since
// (achievement_revoked), once, and only at an instant not before the one
// it was told at (the notification's at, from its JSON). With a Ledger that
// cannot list its records, Notify cannot know what was emitted before, and
// no revocation is ever told. MemoryLedger and the NATS tenant's ledger
// list theirs.
type LedgerLister interface {
	Ledger
	// Records calls fn with every recorded key and the data recorded
	// with it, in no particular order.
	Records(ctx context.Context, fn func(key string, data []byte) error) error
}
