package kpi

import (
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/display"
)

// Reads of a tracker never hold up its writer once the two have met.
//
// Until an Apply first finds a read under way, reads take the tracker's
// read lock over its own state: a tracker nobody reads while it is written
// needs nothing more, and keeps its events once. From then on reads go to
// a replica: a second state that the writer never touches, built once, by
// a reader, from a frozen view of the tracker's table (as a snapshot is
// written and restored, the writer held up only while the view is taken).
// The writer does nothing more for it than count the versions it committed
// (an atomic add a batch). A read that finds the replica behind the
// batches committed when it started catches it up: it takes the
// tracker's read lock only to freeze a view of the writer's table and log
// (colstore.Table.Freeze: time in the number of segments, not of rows;
// it waits for a copy of a growing column under way, which the table
// starts on another goroutine when its largest columns grow by a quarter),
// then, the lock released, reads the versions the replica lacks from that
// view and applies them to the replica, waiting only for the reads of the
// replica under way, never for the writer. The table's columns grow past
// their ends and are never written below them (a column that changes
// otherwise is replaced by a new one), so the view holds still while the
// writer goes on. A read therefore sees the whole batches committed before
// it started, and perhaps later ones, never part of a batch; and since the
// replica applies the same versions in the same order with the same code,
// it holds the same values (live == batch).
//
// The price is memory and a second application of each version, on the
// readers' goroutines: a tracker read while it is written keeps its events
// twice. Values computed from then on (Result, ReadResult) scan with a
// goroutine fewer than GOMAXPROCS, leaving a core to the writer. The
// columnar table mutates rows in place (a replaced row's day, the id
// index, the aggregates), so the reports cannot read the writer's state
// itself; a replica reuses the apply path as it is.
type trackReader struct {
	// shared turns on (for good) when an Apply finds a read under way.
	shared atomic.Bool
	// rmu guards rep, repN, err, follow and the replica's place in the
	// writer's log: reads of the replica hold it shared; building the
	// replica, a catch-up and Follow exclusive (then the tracker's lock,
	// if they take it: rmu comes first). follow is also set under the
	// tracker's write lock, for the writer.
	rmu  sync.RWMutex
	rep  *trackState
	repN uint64 // versions rep holds (of done's count)
	err  error  // the replica could not be built or brought up to date
	// follow is told of the batches that reads take in (see Follow);
	// told and toldOld are the lists a catch-up tells it with, a chunk of
	// versions at a time (under rmu).
	follow        func(applied, replaced []Event)
	told, toldOld []Event
	// on says there is a replica: the writer tells the follower nothing
	// itself. It changes under rmu and the tracker's read lock, so that
	// the writer reads it under its write lock.
	on bool
	// The replica's place in the writer's state src (a rollback replaces
	// the state: the place is then counted again): the versions of its
	// log and the retractions the replica holds, and the rows of each
	// segment (of src.segOrder) it read.
	src        *trackState
	logN, retN int
	rows       []int
	// done counts the event versions committed; with a replica, it
	// counts a batch's once the batch is applied, which publishes them to
	// the reads. Until shared turns on, the writer counts them in quiet
	// instead, under the tracker's lock, sparing an atomic add per batch;
	// the replica's build (the first use of the count, under the tracker's
	// read lock, after shared turned on) adds quiet to done.
	done  atomic.Uint64
	quiet uint64
	// replaced is the writer's list of the versions a batch replaced,
	// reused for batches of up to tellChunk events, and writes its copy
	// of the versions it tells the follower of (under the tracker's write
	// lock).
	replaced, writes []Event
}

// tellChunk is the number of versions a follower is told of at once.
const tellChunk = 1024

// Follow has fn told of every batch of event versions committed from now
// on, in order, at the point where the tracker's reads take it in: applied
// are the versions (their attributes perhaps left out; once reads go to
// the replica, their times in the tracker's location and their amounts
// at the places of the tracker's table: the same instants and values),
// replaced the version each replaced (the live one before it, of the tracker or of the
// same batch; a zero Event where there was none), with its ID, Kind, Time,
// Actor and Known only. A read sees a batch only once fn returned for it,
// and fn is never called while a read of the state before it is under
// way, so what fn was told is exactly what the reads under way see. fn may
// be told of several batches at once, or of a batch in parts over calls
// made before a read sees it; it must not call the tracker nor keep the
// slices. A later Follow replaces fn (nil: none).
func (t *Tracker) Follow(fn func(applied, replaced []Event)) {
	t.r.rmu.Lock()
	defer t.r.rmu.Unlock()
	t.mu.Lock()
	defer t.mu.Unlock()
	t.r.follow = fn
}

// lock takes the tracker's write lock, noting whether a read held it up.
func (t *Tracker) lock() {
	if t.mu.TryLock() {
		return
	}
	t.r.shared.Store(true)
	t.mu.Lock()
}

// replacing returns, under the write lock, a list for the versions a batch
// of n events replaces when the writer tells the follower of its batches
// itself (no replica yet), nil otherwise. (on changes only under the read
// lock.)
func (t *Tracker) replacing(n int) []Event {
	r := &t.r
	if n == 0 || r.follow == nil || r.on {
		return nil
	}
	if n > tellChunk {
		return make([]Event, n) // not kept: a big batch now and then
	}
	if cap(r.replaced) < n {
		r.replaced = make([]Event, tellChunk)
	}
	r.replaced = r.replaced[:n]
	clear(r.replaced)
	return r.replaced
}

// version returns the version of id in row of seg, with its ID, Kind,
// Time, Actor and Known only: what a follower is told of a version
// replaced.
func (st *trackState) version(id string, seg *colstore.Segment, row int) Event {
	return Event{ID: id, Kind: seg.Kind, Time: colstore.InZone(seg.TS[row], st.tab.Location()),
		Actor: st.tab.Actors()[seg.Actor[row]], Known: seg.Known(row)}
}

// committed records, under the write lock, a batch of events applied to
// the tracker's state: counted for the replica's reads, or told to the
// follower with the versions they replaced (when replacing).
func (t *Tracker) committed(events, replaced []Event) {
	if len(events) > 0 && t.r.quietly() {
		return
	}
	t.tell(events, replaced)
}

// quietly counts, under the write lock, a batch committed while nobody
// reads the tracker nor follows it (see quiet), and reports whether it
// did: committed's common case, small enough to be inlined (Apply of one
// event calls it first).
func (r *trackReader) quietly() bool {
	if r.on || r.follow != nil || r.shared.Load() {
		return false
	}
	r.quiet++
	return true
}

// tell is committed of a batch that a replica, a read or a follower
// takes in.
func (t *Tracker) tell(events, replaced []Event) {
	if len(events) == 0 {
		return
	}
	r := &t.r
	if r.on {
		r.done.Add(uint64(len(events))) // published: see trackReader
		return
	}
	if r.shared.Load() {
		r.done.Add(uint64(len(events)))
	} else {
		r.quiet += uint64(len(events))
	}
	if r.follow == nil {
		return
	}
	// Told from the tracker's own copies, a chunk at a time, so that the
	// caller's events do not outlive the call (an event passed to Apply
	// alone then stays on the caller's stack).
	if r.writes == nil {
		r.writes = make([]Event, tellChunk)
	}
	for len(events) > 0 {
		n := copy(r.writes, events)
		r.follow(r.writes[:n], replaced[:min(n, len(replaced))])
		clear(r.writes[:n])
		events, replaced = events[n:], replaced[min(n, len(replaced)):]
	}
}

// read calls fn with a state holding at least the whole batches committed
// before the call, and nothing of a batch under way.
func (t *Tracker) read(ctx context.Context, fn func(st *trackState) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	r := &t.r
	if !r.shared.Load() {
		t.mu.RLock()
		if !r.shared.Load() || t.broken != nil {
			defer t.mu.RUnlock()
			if t.broken != nil {
				return t.broken
			}
			t.st.tab.Settle() // see trackState.copyAside
			return fn(t.st)
		}
		t.mu.RUnlock()
	}
	want := r.done.Load()
	r.rmu.RLock()
	for r.err == nil && (r.rep == nil || r.repN < want) {
		r.rmu.RUnlock()
		if err := t.catchUp(ctx); err != nil {
			return err
		}
		r.rmu.RLock()
	}
	defer r.rmu.RUnlock()
	if r.err != nil {
		return r.err
	}
	return fn(r.rep)
}

// catchUp builds the replica when there is none, and applies to it the
// versions the writer committed since, read from a frozen view of the
// writer's state.
func (t *Tracker) catchUp(ctx context.Context) error {
	r := &t.r
	r.rmu.Lock()
	defer r.rmu.Unlock()
	if r.err != nil {
		return r.err
	}
	if r.rep == nil {
		if err := t.replicate(ctx); err != nil {
			return t.replicaFailed(fmt.Errorf("replica: %w", err))
		}
	}
	// Every version committed when the view is taken: whole batches.
	t.mu.RLock()
	if t.broken != nil {
		// The writer's state is what a failed rollback left: the
		// versions committed before it cannot be read from it.
		t.mu.RUnlock()
		return t.replicaFailed(t.broken)
	}
	to := r.done.Load()
	if to == r.repN {
		t.mu.RUnlock()
		return nil
	}
	st := t.st
	v := t.view()
	t.mu.RUnlock()
	if st != r.src {
		r.place(st, &v)
	}
	if r.follow != nil && r.told == nil {
		r.told, r.toldOld = make([]Event, tellChunk), make([]Event, tellChunk)
	}
	if n := len(v.segs); len(r.rows) < n {
		r.rows = append(r.rows, make([]int, n-len(r.rows))...) // kinds new since
	}
	fr := colstore.NewFrozenReader(v.tab)
	var in colstore.Input
	n := 0 // versions to tell the follower of
	for i := r.logN; i < v.log.Len(); i++ {
		if si := v.log.at(i); si < 0 {
			id, known := v.retracts.at(r.retN)
			r.retN++
			in = colstore.Input{ID: id, Deleted: true, Known: colstore.KnownTime(known)}
		} else {
			fr.Input(int(v.segs[si]), r.rows[si], &in)
			r.rows[si]++
		}
		var old *Event
		if r.follow != nil {
			r.told[n] = toldEvent(&in)
			old = &r.toldOld[n]
			n++
		}
		if err := r.rep.applyInput(&in, old); err != nil {
			return t.replicaFailed(fmt.Errorf("replica: event %s: %w", display.QuoteID(in.ID), err))
		}
		// Told a chunk at a time: nothing reads the replica before the
		// last one.
		if n == tellChunk || (n > 0 && i == v.log.Len()-1) {
			r.follow(r.told[:n], r.toldOld[:n])
			clear(r.told)
			clear(r.toldOld)
			n = 0
		}
	}
	r.logN, r.repN = v.log.Len(), to
	return nil
}

// place counts the replica's place in st, the writer's state, of whose
// log the replica holds the first r.logN versions (v, a view of st): the
// retractions among them and the rows of each segment.
func (r *trackReader) place(st *trackState, v *trackView) {
	r.src, r.retN = st, 0
	r.rows = make([]int, len(v.segs))
	for i := range r.logN {
		if si := v.log.at(i); si < 0 {
			r.retN++
		} else {
			r.rows[si]++
		}
	}
}

// replicaFailed keeps err as every later read's (under rmu) and has the
// writer count its batches for nobody.
func (t *Tracker) replicaFailed(err error) error {
	r := &t.r
	t.mu.RLock()
	r.on = false
	t.mu.RUnlock()
	r.err = err
	return err
}

// replicate builds the replica (under rmu): the tracker's table frozen
// under its read lock, from which point the writer counts its batches for
// it, then encoded and decoded as a snapshot is, with its aggregates
// rebuilt, outside the lock.
func (t *Tracker) replicate(ctx context.Context) error {
	r := &t.r
	t.mu.RLock()
	if t.broken != nil {
		t.mu.RUnlock()
		return t.broken
	}
	f := t.frozen()
	own := t.st // the writer replaces it when it rolls a batch back
	r.on = true
	r.done.Add(r.quiet)
	r.quiet = 0
	base := r.done.Load()
	t.mu.RUnlock()
	pr, pw := io.Pipe()
	go func() { pw.CloseWithError(f.write(pw)) }()
	snap, err := readSnapshot(pr, t.set, &t.req, true)
	pr.CloseWithError(err) // let the writer's goroutine end
	if err != nil {
		return err
	}
	// Built for every later read, not for this one: its caller's end
	// does not stop it.
	if err := snap.st.rebuild(context.WithoutCancel(ctx)); err != nil {
		return err
	}
	r.rep, r.repN = snap.st, base
	r.logN = f.log.Len()
	r.place(own, &f.trackView)
	own.handOver()
	return nil
}

// toldEvent is a version read from the writer's state as a follower is
// told of it: without its attributes.
func toldEvent(in *colstore.Input) Event {
	return Event{ID: in.ID, Kind: in.Kind, Time: in.Time, Actor: in.Actor, Amount: in.Amount,
		Currency: in.Currency, Deleted: in.Deleted, Known: in.Known}
}

// result computes the values of st as of asOf (see Result).
func (t *Tracker) result(ctx context.Context, st *trackState, asOf time.Time) (*Result, error) {
	req := t.req
	req.AsOf = asOf
	if t.r.shared.Load() {
		// Reads beside the writer leave it a core.
		req.Workers = max(1, runtime.GOMAXPROCS(0)-1)
	}
	if (!asOf.IsZero() && st.maxTS > nanos(asOf)) || t.set.hasCohorts() {
		// A cohort's conversion counts where its cohort event lies, which
		// a later event may change: evaluated from the events.
		req.Workers = 1
		return t.set.evaluate(ctx, st.tab, req)
	}
	return st.result(ctx, &req)
}

// ReadResult calls fn with the values as of asOf (as Result returns them)
// and the table of live events they come from, both of the same whole
// batches: every batch committed before the call, perhaps later ones. fn
// reads the table in place and must not keep it.
func (t *Tracker) ReadResult(ctx context.Context, asOf time.Time, fn func(*Result, *Table) error) error {
	return t.read(ctx, func(st *trackState) error {
		res, err := t.result(ctx, st, asOf)
		if err != nil {
			return err
		}
		return fn(res, &Table{t: st.tab})
	})
}
