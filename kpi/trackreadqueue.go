package kpi

import (
	"slices"
	"sync"
	"time"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/shopspring/decimal"
)

// trackQueue carries the versions the writer applied to the replica. One
// writer appends them (under the tracker's write lock) and one reader at a
// time takes them (a catch-up, under the reader's rmu), and neither takes
// a lock for a version: the writer fills the block at its tail, links a
// new block when that one is full, and publishes a batch by adding its
// length to the count of versions committed (trackReader.done, an atomic
// add it makes for every batch anyway) once the batch is queued; the
// reader takes only versions that count covers, so what it reads was
// written before it looked, and the writer writes only past it. Blocks
// the reader has applied go back to the writer through spare, one lock a
// block.
type trackQueue struct {
	// The writer's end: the block it fills and how many versions of it
	// are written.
	tail *queueBlock
	fill int
	// The reader's end: the block it reads and how many versions of it
	// it took.
	head *queueBlock
	read int
	// mu guards spare, the blocks the reader emptied.
	mu    sync.Mutex
	spare []*queueBlock
}

// queueBlock is a run of queued versions with their attributes. A block
// is the writer's until it is full and linked to the next; its versions
// are the reader's as they are published.
type queueBlock struct {
	items [queueChunk]queued
	// attrs holds the attributes of the block's versions, each version's
	// a slice of it (the writer appends; a version's slice is never
	// written again).
	attrs []colstore.Attr
	next  *queueBlock
}

// queued is an event version in the queue: what the replica's table reads
// of it (a colstore.Input without the fields only the writer's check
// fills), its instants in 16 bytes each. A writer that outpaces the reads
// queues every version applied between two of them (a million, say), once
// for each: 152 bytes, where an Input takes 232.
type queued struct {
	id, kind, actor, currency string
	time, known               instant
	amount                    decimal.NullDecimal
	attrs                     []colstore.Attr
	deleted                   bool
}

// input sets in to the version, as the writer's table took it.
func (v *queued) input(in *colstore.Input) {
	*in = colstore.Input{ID: v.id, Kind: v.kind, Time: v.time.t(), Actor: v.actor, Amount: v.amount, Currency: v.currency,
		Deleted: v.deleted, Known: v.known.t(), AttrList: v.attrs}
}

// instant is a time.Time of the years a table holds (InYears) in 16
// bytes: its nanoseconds since 1970 and its location; the zero instant is
// the zero Time. The same instant in the same location, without a
// monotonic clock reading.
type instant struct {
	ns  int64
	loc *time.Location
}

func instantOf(t time.Time) instant {
	if t.IsZero() {
		return instant{}
	}
	return instant{t.UnixNano(), t.Location()}
}

func (i instant) t() time.Time {
	if i.loc == nil {
		return time.Time{}
	}
	return time.Unix(0, i.ns).In(i.loc)
}

// queueChunk is the number of versions in a queue's block, and of those
// a follower is told at once.
const queueChunk = 1024

// start empties the queue for a replica that holds every version
// published so far (under the tracker's read lock and rmu: no writer, no
// other reader).
func (q *trackQueue) start() {
	b := q.block()
	q.tail, q.fill, q.head, q.read = b, 0, b, 0
}

// stop drops what the queue holds (under the tracker's read lock and
// rmu).
func (q *trackQueue) stop() {
	q.tail, q.fill, q.head, q.read = nil, 0, nil, 0
	q.mu.Lock()
	q.spare = nil
	q.mu.Unlock()
}

// add queues a batch of events (the writer).
func (q *trackQueue) add(events []Event) {
	for i := range events {
		e := &events[i]
		v := q.push(e)
		if len(e.Attrs) == 0 {
			continue
		}
		as := q.room(len(e.Attrs))
		from := len(as)
		for k, val := range e.Attrs {
			as = append(as, colstore.Attr{Name: k, Value: val})
		}
		q.tail.attrs = as
		v.attrs = as[from:len(as):len(as)]
	}
}

// addChecked queues a batch of one event whose attributes are vals, by
// the index of their names in known (nil where it has none): the same
// attributes as its map's, in the order of known, read without iterating
// the map (the writer).
func (q *trackQueue) addChecked(e *Event, vals []any, known []string) {
	v := q.push(e)
	as := q.room(len(vals))
	from := len(as)
	for i, val := range vals {
		if val != nil {
			as = append(as, colstore.Attr{Name: known[i], Value: val})
		}
	}
	if len(as) > from {
		q.tail.attrs = as
		v.attrs = as[from:len(as):len(as)]
	}
}

// push appends e to the queue without its attributes, in the block at
// the tail, and returns it there (the writer).
func (q *trackQueue) push(e *Event) *queued {
	if q.fill == queueChunk {
		b := q.block()
		q.tail.next = b
		q.tail, q.fill = b, 0
	}
	v := &q.tail.items[q.fill]
	q.fill++
	*v = queued{id: e.ID, kind: e.Kind, time: instantOf(e.Time), actor: e.Actor, amount: e.Amount,
		currency: e.Currency, deleted: e.Deleted, known: instantOf(e.Known)}
	return v
}

// room returns the attributes of the block at the tail, with room for n
// more: a block's first attributes make room for two a version, so that
// it seldom grows.
func (q *trackQueue) room(n int) []colstore.Attr {
	as := q.tail.attrs
	if cap(as)-len(as) >= n {
		return as
	}
	if cap(as) == 0 {
		return make([]colstore.Attr, 0, max(2*queueChunk, n))
	}
	return slices.Grow(as, n)
}

// block returns an empty block: a spare one, or a new one.
func (q *trackQueue) block() *queueBlock {
	q.mu.Lock()
	defer q.mu.Unlock()
	if k := len(q.spare); k > 0 {
		b := q.spare[k-1]
		q.spare[k-1] = nil
		q.spare = q.spare[:k-1]
		return b
	}
	return new(queueBlock)
}

// take calls fn with the next n published versions, in order, in runs of
// at most queueChunk (the reader). A run's versions must not be kept.
func (q *trackQueue) take(n uint64, fn func(run []queued) error) error {
	for n > 0 {
		if q.read == queueChunk {
			// Versions past a full block are published only after the
			// writer linked the next one.
			done := q.head
			q.head, q.read = done.next, 0
			q.recycle(done)
		}
		k := min(int(min(n, queueChunk)), queueChunk-q.read)
		if err := fn(q.head.items[q.read : q.read+k]); err != nil {
			return err
		}
		q.read += k
		n -= uint64(k)
	}
	return nil
}

// recycle empties b, a block the reader has taken every version of and
// the writer has left, and gives it back to the writer.
func (q *trackQueue) recycle(b *queueBlock) {
	clear(b.items[:])
	clear(b.attrs)
	if cap(b.attrs) > 8*queueChunk {
		b.attrs = nil // a block of many attributes now and then
	}
	b.attrs, b.next = b.attrs[:0], nil
	q.mu.Lock()
	q.spare = append(q.spare, b)
	q.mu.Unlock()
}
