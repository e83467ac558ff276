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
//
// A version's id is copied into its block's bytes, as Import copies what
// it keeps: a caller may reuse the bytes of an event's ID once Apply
// returned (a replayed workload does), while its other strings, immutable
// as Go strings are, are kept as they are. Its instants are kept as
// nanoseconds and the index of their location in the block's: with the
// id, three pointers fewer a version for the collector's barriers while
// it marks.
type trackQueue struct {
	// The writer's end: the block it fills, and how many of its
	// versions, bytes and locations are written (the reader never reads
	// these).
	tail                *queueBlock
	fill, nbytes, nlocs int
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
// are the reader's as they are published. The writer writes the elements
// of a block's bytes and locations past those of the versions it
// published, never the lists themselves (a slice's length or pointer),
// which the reader reads; a version that does not fit the rest of a block
// ends it early, with a mark in its place, and goes to the next.
type queueBlock struct {
	items [queueChunk]queued
	// attrs holds the attributes of the block's versions, each version's
	// a slice of it (the writer appends; a version's slice is never
	// written again).
	attrs []colstore.Attr
	// locs are the locations of the block's instants, bytes its ids.
	locs  [queueLocs]*time.Location
	bytes []byte
	next  *queueBlock
}

// queued is an event version in the queue: what the replica's table reads
// of it (a colstore.Input without the fields only the writer's check
// fills), its id as a place in its block's bytes, its instants as
// nanoseconds since 1970 and the index of their location in the block's
// (0: the zero Time). 128 bytes, where an Input takes 232.
type queued struct {
	kind, actor, currency string
	amount                decimal.NullDecimal
	attrs                 []colstore.Attr
	id                    span
	time, known           int64
	timeLoc, knownLoc     uint16 // the block's location + 1; 0: zero
	deleted               bool
	// end marks the place past a block's last version, in a block that
	// ended early: it holds no version.
	end bool
}

// span is an id in a block's bytes.
type span struct{ off, n uint32 }

// queueChunk is the number of versions in a queue's block, and of those
// a follower is told at once.
const queueChunk = 1024

// A block's room for ids and locations: enough for a block of ids of up
// to 16 bytes in a location or two. A version whose id needs more bytes
// than a block has gets a block with room for it, which goes back to the
// writer without it.
const (
	queueBytes = 16 * queueChunk
	queueLocs  = 32
)

// start empties the queue for a replica that holds every version
// published so far (under the tracker's read lock and rmu: no writer, no
// other reader).
func (q *trackQueue) start() {
	b := q.block()
	q.tail, q.head, q.read = b, b, 0
	q.fill, q.nbytes, q.nlocs = 0, 0, 0
}

// stop drops what the queue holds (under the tracker's read lock and
// rmu).
func (q *trackQueue) stop() {
	q.tail, q.head, q.read = nil, nil, 0
	q.fill, q.nbytes, q.nlocs = 0, 0, 0
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
	for q.fill == queueChunk || len(e.ID) > len(q.tail.bytes)-q.nbytes || q.nlocs+2 > queueLocs {
		if q.fill == 0 {
			// Not even an empty block has room for the id: one that
			// has, not published yet.
			q.tail.bytes = make([]byte, 2*len(q.tail.bytes)+len(e.ID))
			continue
		}
		if q.fill < queueChunk {
			q.tail.items[q.fill].end = true
		}
		b := q.block()
		q.tail.next = b
		q.tail = b
		q.fill, q.nbytes, q.nlocs = 0, 0, 0
	}
	b := q.tail
	v := &b.items[q.fill]
	q.fill++
	off := q.nbytes
	q.nbytes += copy(b.bytes[off:], e.ID)
	*v = queued{id: span{uint32(off), uint32(len(e.ID))}, kind: e.Kind, actor: e.Actor, amount: e.Amount,
		currency: e.Currency, deleted: e.Deleted}
	v.time, v.timeLoc = q.instant(e.Time)
	v.known, v.knownLoc = q.instant(e.Known)
	return v
}

// instant is t as nanoseconds since 1970 (a table holds the years of
// InYears) and the index + 1 of its location in the block's: the same
// instant in the same location, without a monotonic clock reading; 0, 0
// for the zero Time. push leaves room for two locations.
func (q *trackQueue) instant(t time.Time) (int64, uint16) {
	if t.IsZero() {
		return 0, 0
	}
	loc, b, n := t.Location(), q.tail, q.nlocs
	// Versions mostly share a location or two: the last few are looked
	// at before one is added.
	for i := n - 1; i >= max(0, n-4); i-- {
		if b.locs[i] == loc {
			return t.UnixNano(), uint16(i + 1)
		}
	}
	b.locs[n] = loc
	q.nlocs++
	return t.UnixNano(), uint16(n + 1)
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
	if k := len(q.spare); k > 0 {
		b := q.spare[k-1]
		q.spare[k-1] = nil
		q.spare = q.spare[:k-1]
		q.mu.Unlock()
		return b
	}
	q.mu.Unlock()
	return &queueBlock{bytes: make([]byte, queueBytes)}
}

// queueRun is a run of published versions of a block, for the reader,
// with their ids in one string (from the block's byte at base): a run
// allocates its ids at once, and an id kept past the run keeps the run's.
type queueRun struct {
	b        *queueBlock
	from, to int
	ids      string
	base     uint32
}

func (r queueRun) len() int { return r.to - r.from }

// take calls fn with the next n published versions, in order, in runs of
// at most queueChunk (the reader). A run's versions, and the inputs input
// sets from them, must not be kept past fn's return.
func (q *trackQueue) take(n uint64, fn func(run queueRun) error) error {
	for n > 0 {
		if q.read == queueChunk || q.head.items[q.read].end {
			// Versions past a block's last are published only after
			// the writer linked the next one.
			done := q.head
			q.head, q.read = done.next, 0
			q.recycle(done)
			continue
		}
		b, to := q.head, q.read
		for to < queueChunk && uint64(to-q.read) < n && !b.items[to].end {
			to++
		}
		// A block's ids lie in the order of its versions.
		first, last := b.items[q.read].id, b.items[to-1].id
		run := queueRun{b: b, from: q.read, to: to, ids: string(b.bytes[first.off : last.off+last.n]), base: first.off}
		if err := fn(run); err != nil {
			return err
		}
		n -= uint64(to - q.read)
		q.read = to
	}
	return nil
}

// input sets in to version i of run (0 the first), as the writer's table
// took it (the reader).
func (q *trackQueue) input(run queueRun, i int, in *colstore.Input) {
	b := run.b
	v := &b.items[run.from+i]
	off := v.id.off - run.base
	*in = colstore.Input{ID: run.ids[off : off+v.id.n], Kind: v.kind, Time: b.time(v.time, v.timeLoc),
		Actor: v.actor, Amount: v.amount, Currency: v.currency, Deleted: v.deleted, Known: b.time(v.known, v.knownLoc),
		AttrList: v.attrs}
}

// time is the instant of ns and the block's location at loc (see
// instant).
func (b *queueBlock) time(ns int64, loc uint16) time.Time {
	if loc == 0 {
		return time.Time{}
	}
	return time.Unix(0, ns).In(b.locs[loc-1])
}

// recycle empties b, a block the reader has taken every version of and
// the writer has left, and gives it back to the writer.
func (q *trackQueue) recycle(b *queueBlock) {
	clear(b.items[:])
	clear(b.attrs)
	clear(b.locs[:])
	if cap(b.attrs) > 8*queueChunk {
		b.attrs = nil // a block of many attributes now and then
	}
	if len(b.bytes) > queueBytes {
		b.bytes = make([]byte, queueBytes) // a long id now and then
	}
	b.attrs, b.next = b.attrs[:0], nil
	q.mu.Lock()
	q.spare = append(q.spare, b)
	q.mu.Unlock()
}
