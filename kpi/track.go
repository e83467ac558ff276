package kpi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/display"
)

// Tracker keeps the values of a Set up to date as events arrive, one at a
// time or in batches: new events, corrections (same ID, any field changed,
// Kind and Time included), retractions, duplicates, late and out-of-order
// events. Counts, sums and averages change in O(1) per event; min and max keep
// a counted multiset of values per cell and distinct a counted map, so a
// retraction is exact. Whatever the order of applications, Result gives the
// values a batch evaluation (Set.Evaluate) of the final event versions gives.
//
// Every applied version is kept with the instant it became known
// (Event.Known), so AsKnownAt replays what the report said at an earlier
// instant.
//
// Exchange rates (Request.Rates) are looked up once, when an event is
// applied, and remembered: a tracker assumes a rate, or its absence, does not
// change. To take a changed rate in, start a new tracker on the same store.
//
// A Tracker is safe for concurrent use: Apply and Commit are serialised, and
// reads (Result, ReadResult, AsKnownAt, SourceAt, Scan, ReadTable, Partial)
// run concurrently with each other and see the state between two batches,
// never half a batch: every batch committed before the read started,
// perhaps later ones. Once an Apply has found a read under way, reads no
// longer hold up Apply: they read a replica of the state that catches up
// with the batches committed (the tracker then keeps its events twice; see
// trackread.go).
type Tracker struct {
	r     trackReader
	mu    trackMutex
	set   *Set
	req   Request
	store TrackStore
	// unlock releases the store's TrackLocker lock (nil: none taken).
	unlock func() error
	st     *trackState
	// ledger and closed mirror what the store holds; ledgerLog is the
	// ledger in commit order (it only grows, so a snapshot reads it in
	// place).
	ledger    map[string][]byte
	ledgerLog []TrackRecord
	closed    map[string][]byte
	// batches counts the batches committed to the store, as it counts them.
	batches int64
	// snapped is the number of batches the latest snapshot written or
	// restored covers (-1: none).
	snapped atomic.Int64
	broken  error
	// attrs is the writer's, for the batch under way.
	attrs batchAttrs
}

// trackState is everything that a replay rebuilds.
type trackState struct {
	set   *Set
	tab   *colstore.Table
	ev    *evaluation
	sig   int
	scale int32
	reads *predReads // what the filters read of tab, whose sig is sig
	// stale is set when a version applied since the filters' last check
	// of sig may have grown what they read of tab (see prepare): any
	// version but one whose check found every code it needed there.
	stale    bool
	segs     map[*colstore.Segment]*trackSeg
	segOrder []*colstore.Segment // in the order of tab.Segs
	segTS    []*trackSeg         // segs[segOrder[i]] at i
	// The segment seg looked up last, and its trackSeg.
	lastSeg *colstore.Segment
	lastTS  *trackSeg
	trackAggs
	maxTS int64
	// log holds the order in which every version was applied.
	log      trackLog
	retracts trackRetractions
	// The values last read from the aggregates (see result), for a set
	// whose values do not depend on the instant of the read: the rows
	// computed, their Result and the table's amount scale and currencies
	// then, and the actors whose cells changed since.
	finMu      sync.Mutex
	fin        *finished
	finRes     *Result
	finKey     [2]int
	touched    []bool // by actor code
	anyTouched bool
	// takeBack is takeBackRow, made once; old is where it puts the version
	// replaced (see applyInput).
	takeBack func(*colstore.Segment, int) error
	old      *Event
	// wide is true when what a row contributes to the aggregates may read
	// more than its day, actor, amount, currency, kind and attributes (its
	// time or id): a row taken back must then wait for its segment's
	// columns copied aside (see copyAside).
	wide bool
}

// trackAggs are a tracker's aggregates over its cells (actor × period): a
// count per filter group and the accumulators of its value slots, the live
// events in range per actor, and the unpriced events. A rebuild fills one
// per core and merges them.
//
// allCounts and allSlots are the same aggregates over every actor, one
// cell per period: org.Everyone's row, kept up to date with each version
// rather than merged from every actor's cells at each read. Every part of
// a cell adds up and takes back exactly (min, max and medians keep counted
// multisets, distinct a counted map), so they hold what merging the
// actors' cells gives.
type trackAggs struct {
	w         *worker
	nA        int // actor capacity of the cell arrays
	counts    [][]int64
	slots     [][]*trackSlot
	allCounts [][]int64
	allSlots  [][]*trackSlot
	seen      []int64 // by actor code: live events in range of a tracked kind
	unpriced  map[Unpriced]int64
	sel       []uint8 // a chunk's selection, when its filter is evaluated row by row
}

func newTrackAggs(ev *evaluation) trackAggs {
	a := trackAggs{unpriced: map[Unpriced]int64{},
		w: &worker{ev: ev, rates: map[RatePolicy]*rateCache{}, pidx: make([]int32, chunkRows)}}
	a.w.scope.tab = ev.tab
	for _, g := range ev.plan.groups {
		a.counts = append(a.counts, nil)
		a.allCounts = append(a.allCounts, make([]int64, ev.nP))
		var ss, all []*trackSlot
		for _, sl := range g.slots {
			ss = append(ss, newTrackSlot(sl))
			as := newTrackSlot(sl)
			as.grow(ev.nP)
			all = append(all, as)
		}
		a.slots = append(a.slots, ss)
		a.allSlots = append(a.allSlots, all)
	}
	return a
}

type trackSeg struct {
	idx    int
	groups []int
}

// Track returns a tracker of the set's indicators for the participants,
// groups and periods of req (its AsOf, KnownAt and Workers are not used).
// With a store (nil: none), the tracker first replays the store's committed
// batches, and commits every later batch to it before the batch takes
// effect. A stored version Apply would refuse (an actor "*", in a batch
// or live in a snapshot) fails the restore, naming its event.
func (s *Set) Track(ctx context.Context, req Request, store TrackStore) (*Tracker, error) {
	if err := req.validate(); err != nil {
		return nil, err
	}
	if err := s.periodsProblem(&req); err != nil {
		return nil, err
	}
	req.AsOf, req.KnownAt, req.Workers = time.Time{}, time.Time{}, 0
	t := &Tracker{set: s, req: req, store: store, ledger: map[string][]byte{}, closed: map[string][]byte{}}
	t.snapped.Store(-1)
	t.st = newTrackState(s, &t.req)
	if store == nil {
		t.st.copyAside()
		return t, nil
	}
	if l, ok := store.(TrackLocker); ok {
		unlock, err := l.Lock(ctx)
		if err != nil {
			return nil, fmt.Errorf("track: %w", err)
		}
		t.unlock = unlock
	}
	apply := func(b *TrackBatch) error {
		st := t.st
		st.w.ctx = ctx
		defer func() { st.w.ctx = nil }()
		for i := range b.Events {
			if err := t.st.apply(&b.Events[i]); err != nil {
				return fmt.Errorf("stored event %s: %w", display.QuoteID(b.Events[i].ID), err)
			}
		}
		t.remember(b)
		t.batches++
		return nil
	}
	var err error
	if sn, ok := store.(TrackSnapshotter); ok {
		err = t.restore(ctx, sn, apply)
	} else {
		err = store.Load(ctx, apply)
	}
	if err != nil {
		if t.unlock != nil {
			_ = t.unlock()
		}
		return nil, fmt.Errorf("restore tracker: %w", err)
	}
	t.st.copyAside()
	return t, nil
}

// restore starts the tracker from the store's latest snapshot, if it has
// one, and applies the batches after it; else it applies every batch.
func (t *Tracker) restore(ctx context.Context, sn TrackSnapshotter, apply func(*TrackBatch) error) error {
	var snap *restored
	var n int64
	found, err := sn.LoadSnapshot(ctx, func(covers int64, r io.Reader) error {
		if covers < 0 {
			return fmt.Errorf("snapshot: it covers %d batches", covers)
		}
		var err error
		if snap, err = readSnapshot(r, t.set, &t.req, true); err != nil {
			return fmt.Errorf("snapshot: %w", err)
		}
		n = covers
		return nil
	})
	if err != nil {
		return err
	}
	if !found {
		return sn.Load(ctx, apply)
	}
	if snap == nil {
		return fmt.Errorf("snapshot: the store (%T) found one but did not read it out", sn)
	}
	if err := snap.st.rebuild(ctx); err != nil {
		return fmt.Errorf("snapshot: %w", err)
	}
	t.st, t.ledger, t.ledgerLog, t.closed, t.batches = snap.st, snap.ledger, snap.ledgerLog, snap.closed, n
	t.snapped.Store(n)
	return sn.LoadAfter(ctx, n, apply)
}

// Close releases the tracker's store for another tracker (see TrackLocker).
// The tracker must not be used after Close; a second Close does nothing.
func (t *Tracker) Close() error {
	t.mu.Lock()
	unlock := t.unlock
	t.unlock = nil
	t.mu.Unlock()
	if unlock == nil {
		return nil
	}
	return unlock()
}

func newTrackState(s *Set, req *Request) *trackState {
	return newTrackStateOn(s, req, colstore.New(req.Calendar.Location()))
}

// newTrackStateOn returns a state over tab without aggregates: tab must be
// empty, or the caller rebuilds them.
func newTrackStateOn(s *Set, req *Request, tab *colstore.Table) *trackState {
	ev := &evaluation{set: s, req: req, tab: tab, plan: buildPlan(s), logic: newLogicTables()}
	ev.periods = s.evalPeriods(req)
	ev.layout(ev.periods)
	st := &trackState{set: s, tab: tab, ev: ev, scale: tab.Scale, segs: map[*colstore.Segment]*trackSeg{},
		trackAggs: newTrackAggs(ev), sig: -1, stale: true, maxTS: -1 << 63}
	st.takeBack = st.takeBackRow
	st.reads = newPredReads(ev.plan)
	st.wide = ev.plan.readsWide()
	return st
}

// copyAside has the tracker's table copy its growing columns on another
// goroutine (colstore.Table.CopyAside): the tracker's state is read only
// by its writer, which waits for the copies where it reads what they copy
// (takeBackRow), and by reads under the tracker's lock, which wait for
// them first (Tracker.read, a snapshot's Freeze). A replica's table, read
// under a lock of its own, does not.
func (st *trackState) copyAside() { st.tab.CopyAside(true) }

// readsWide reports whether the aggregates of a row may read more of it
// than its day, actor, amount, currency, kind and attributes: a filter
// evaluated row by row, a value formula, an amount converted, a cumulative
// or cohort group.
func (p *evalPlan) readsWide() bool {
	for _, g := range p.groups {
		if g.window != nil || g.cohort != nil || g.pred.readsWide() {
			return true
		}
		for _, sl := range g.slots {
			if sl.kind == valGeneral && (sl.value != nil || sl.currency != "") {
				return true
			}
		}
	}
	return false
}

func (p *predNode) readsWide() bool {
	if p == nil {
		return false
	}
	switch p.op {
	case opKind, opDict, opAmount:
		return false
	case opAnd, opOr, opNot:
		return p.l.readsWide() || p.r.readsWide()
	}
	return true
}

func (t *Tracker) remember(b *TrackBatch) {
	for _, r := range b.Ledger {
		d := append([]byte(nil), r.Data...)
		t.ledger[r.Key] = d
		t.ledgerLog = append(t.ledgerLog, TrackRecord{Key: r.Key, Data: d})
	}
	for _, r := range b.Closed {
		t.closed[r.Key] = append([]byte(nil), r.Data...)
	}
}

// Apply applies event versions in order, as one batch: whole or not at all.
// An event with a zero Known is always known (also to AsKnownAt). A batch
// holding an event Event.Validate refuses, or past the table's limits
// (MaxAttrNames), is refused with nothing applied; a store's failure to
// commit it is told apart from a refusal (see Commit).
func (t *Tracker) Apply(ctx context.Context, events ...Event) error {
	if t.store != nil {
		// A copy for the store: the caller's events do not outlive the
		// call, and one event passed alone stays on the caller's stack.
		return t.Commit(ctx, &TrackBatch{Events: slices.Clone(events)})
	}
	if len(events) == 1 {
		// Live tracking's common case, without commit's call and lists:
		// the lock released without a defer.
		if err := ctx.Err(); err != nil {
			return err
		}
		t.lock()
		if t.broken == nil {
			// A host's Rates is asked under the caller's context.
			hostRates := t.req.Rates != nil || t.req.BudgetRates != nil
			if hostRates {
				t.st.w.ctx = ctx
			}
			err := t.applyOne(events, t.st.tab.Names())
			if hostRates {
				t.st.w.ctx = nil
			}
			t.mu.Unlock()
			return err
		}
		t.mu.Unlock() // commit returns the error
	}
	return t.commit(ctx, events, nil)
}

// Commit applies a batch of event versions and records its ledger keys and
// closed results, whole or not at all: the batch is committed to the store
// (when the tracker has one) and takes effect only if the commit succeeds.
// A ledger key already recorded makes it fail with ErrDuplicateKey.
//
// When the store fails to commit a batch it accepted (a database down, a
// lease lost), the error says so apart from a refused batch: it has a method
// StoreFailure() bool that reports true (errors.As with a target of type
// interface{ StoreFailure() bool }), and it wraps the store's own error. Such
// a batch may be sent again; a refused one may not. Apply's errors are
// Commit's.
func (t *Tracker) Commit(ctx context.Context, b *TrackBatch) error {
	return t.commit(ctx, b.Events, b)
}

func (t *Tracker) commit(ctx context.Context, events []Event, b *TrackBatch) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	t.lock()
	defer t.mu.Unlock()
	if t.broken != nil {
		return t.broken
	}
	// A host's Rates is asked under the caller's context (the state may
	// be another when the batch fails).
	t.st.w.ctx = ctx
	defer func() { t.st.w.ctx = nil }()
	// Every event is checked before any is applied. The names the table
	// knows were checked when they came: an event with only those is
	// checked without iterating its attributes.
	known := t.st.tab.Names()
	flat, found := t.attrs.room(len(events), len(known))
	news, err := validateBatch(events, t.st.tab, known, flat, found)
	if err != nil {
		return err
	}
	if news {
		if err := checkNames(t.st.tab, events); err != nil {
			return err
		}
	}
	if b != nil && len(b.Ledger) > 0 {
		seen := map[string]bool{}
		for _, r := range b.Ledger {
			if _, dup := t.ledger[r.Key]; dup || seen[r.Key] {
				return fmt.Errorf("ledger key %s: %w", display.QuoteID(r.Key), ErrDuplicateKey)
			}
			seen[r.Key] = true
		}
	}
	mark := t.st.log.Len()
	replaced := t.replacing(len(events))
	err = t.st.applyBatch(events, replaced, len(known), flat, found)
	if err == nil && t.store != nil && b != nil {
		if err = t.store.Commit(ctx, b); err == nil {
			t.batches++
		} else if !errors.Is(err, ErrDuplicateKey) {
			err = &storeFailure{err}
		}
	}
	if err != nil {
		if len(events) > 0 {
			t.undo(mark)
		}
		return err
	}
	if b != nil {
		t.remember(b)
	}
	t.committed(events, replaced)
	return nil
}

// applyOne is commit of a batch of one event without a record, Apply's
// common case in live tracking: the same steps, under the write lock,
// without the lists a batch keeps of what its events' check found.
func (t *Tracker) applyOne(events []Event, known []string) error {
	e := &events[0]
	c := eventCheck{known: known, tab: t.st.tab}
	if !e.Deleted && len(e.Attrs) > 0 && len(known) > 0 && len(known) <= maxKnownNames {
		c.vals = t.attrs.one(len(known))
		c.attrs = t.attrs.oneCodes(len(known))
	}
	if err := e.validate(&c); err != nil {
		return fmt.Errorf("event 0: %w", err)
	}
	vals := c.vals
	if c.news {
		if err := checkNames(t.st.tab, events); err != nil {
			return err
		}
		c.attrs, vals = nil, nil // not all found: the table reads the event's map
	} else if c.attrs != nil && !c.missed {
		vals = nil // every value's code found
	}
	mark := t.st.log.Len()
	replaced := t.replacing(1)
	var old *Event
	if replaced != nil {
		old = &replaced[0]
	}
	// applyVals's steps, a call less; a version whose check found its
	// kind, actor, currency and attribute values' codes in the table adds
	// nothing to it that the filters read.
	st := t.st
	st.old = old
	if c.attrs == nil || c.grows {
		st.stale = true
	}
	err := st.tab.ApplyChecked((*colstore.Version)(e), vals, c.attrs, c.codes, st.takeBack)
	st.old = nil
	if err == nil {
		err = st.applied(e.ID, e.Deleted, e.Known)
	}
	if err != nil {
		t.undo(mark)
		return fmt.Errorf("event 0: %w", err)
	}
	if !t.r.quietly() {
		t.tell(events, replaced)
	}
	return nil
}

// undo takes back whatever a failed batch changed, rebuilding the state
// from the first mark versions of the log; a tracker that cannot be
// rebuilt is broken for good.
func (t *Tracker) undo(mark int) {
	if err := t.rollback(mark); err != nil {
		t.broken = fmt.Errorf("tracker unusable after a failed batch: %w", err)
	}
}

// rollback rebuilds the state from the first mark versions of the log.
func (t *Tracker) rollback(mark int) error {
	old := t.st
	t.st = newTrackState(t.set, &t.req)
	// The versions before the batch are applied again with the rates they
	// had (kept, a failure never is), asking the host only for what the
	// cache lacks, whether or not the batch's caller was cancelled: a
	// rollback that failed would leave the tracker broken.
	t.st.w.rates = old.w.rates
	if old.w.ctx != nil {
		t.st.w.ctx = context.WithoutCancel(old.w.ctx)
	}
	if err := t.st.replay(old, old.log.prefix(mark), func(time.Time) bool { return true }); err != nil {
		return err
	}
	t.st.copyAside()
	return nil
}

// replay applies the logged versions of old that keep accepts (by their
// known instant, zero for always).
func (st *trackState) replay(old *trackState, log trackLog, keep func(known time.Time) bool) error {
	var r colstore.Row
	rows := make([]int, len(old.segOrder)) // the next row of each segment
	nr := 0                                // the next retraction
	for i := range log.Len() {
		si := log.at(i)
		if si < 0 {
			id, known := old.retracts.at(nr)
			nr++
			k := colstore.KnownTime(known)
			if !keep(k) {
				continue
			}
			e := Event{ID: id, Deleted: true, Known: k}
			if err := st.apply(&e); err != nil {
				return err
			}
			continue
		}
		seg, row := old.segOrder[si], rows[si]
		rows[si]++
		if !keep(seg.Known(row)) {
			continue
		}
		old.tab.Read(seg, row, &r)
		e := Event{ID: r.ID, Kind: r.Kind, Time: r.Time, Actor: r.Actor, Amount: r.Amount, Currency: r.Currency, Attrs: r.Attrs, Known: r.Known}
		if err := st.apply(&e); err != nil {
			return err
		}
	}
	return nil
}

// apply applies one event version, refused as Table.Apply refuses it (a
// stored version, which the tracker's Apply did not check).
func (st *trackState) apply(e *Event) error {
	if err := everyoneProblem(e); err != nil {
		return err
	}
	st.stale = true
	return st.appliedOr(st.tab.ApplyVersion((*colstore.Version)(e), nil, colstore.Codes{}, st.takeBack), e)
}

// applyVals applies one valid event version and sets *old (when old is not
// nil) to the live version it replaces (see applyInput); the event's
// attributes' values are vals (by the index of the table's names, see
// batchAttrs) when vals is not nil, or attrs and vals when attrs is not
// nil (see eventCheck.attrs), and codes are those its check found in the
// table (see eventCheck).
//
// e has passed Event.Validate's checks (validate): the table does not
// check its kind, time and known instant again.
func (st *trackState) applyVals(e, old *Event, vals []any, attrs []colstore.AttrCode, codes colstore.Codes) error {
	st.old, st.stale = old, true
	// An Event's fields are a colstore.Version's: the table reads the
	// event in place.
	err := st.tab.ApplyChecked((*colstore.Version)(e), vals, attrs, codes, st.takeBack)
	st.old = nil
	return st.appliedOr(err, e)
}

// appliedOr is what follows the table's application of e, which returned
// err: the version logged and its row's contribution added (applied).
func (st *trackState) appliedOr(err error, e *Event) error {
	if err != nil {
		return err
	}
	return st.applied(e.ID, e.Deleted, e.Known)
}

// applyInput applies one valid event version, as the table's input, and
// sets *old (when old is not nil) to the live version it replaces (see
// live).
func (st *trackState) applyInput(in *colstore.Input, old *Event) error {
	st.old, st.stale = old, true
	err := st.tab.ApplyReplacing(in, st.takeBack)
	st.old = nil
	if err != nil {
		return err
	}
	return st.applied(in.ID, in.Deleted, in.Known)
}

// applied logs the version of id the table has just applied (a
// retraction when deleted) and adds what its row contributes to the
// aggregates.
func (st *trackState) applied(id string, deleted bool, known time.Time) error {
	tab := st.tab
	if deleted {
		st.log.add(-1)
		st.retracts.add(id, colstore.KnownNanos(known))
		return nil
	}
	if tab.Scale != st.scale {
		st.stale = true // a filter may read the scale
		for _, ss := range [][][]*trackSlot{st.slots, st.allSlots} {
			for _, s := range ss {
				for _, a := range s {
					a.fold(st.scale)
				}
			}
		}
		st.scale = tab.Scale
	}
	si, seg := tab.AppendedAt()
	row := seg.N - 1
	// segOrder follows tab.Segs (segments are made as versions of new
	// kinds come), so the table's index finds it without a search.
	var ts *trackSeg
	if si < len(st.segOrder) && st.segOrder[si] == seg {
		ts = st.segTS[si]
	} else {
		ts = st.seg(seg)
	}
	st.log.add(ts.idx)
	if n := seg.TS[row]; n > st.maxTS {
		st.maxTS = n
	}
	if len(ts.groups) == 0 {
		return nil // a kind no indicator counts: no call
	}
	return st.contribute(ts, seg, row, 1)
}

// takeBackRow takes back what the live row a version replaces contributes
// (the table calls it once the version passed its checks), and sets *st.old
// to that row's version when st.old is not nil.
func (st *trackState) takeBackRow(seg *colstore.Segment, row int) error {
	if st.old != nil || st.wide {
		seg.Settle() // the row's time and id may be under copy (see copyAside)
	}
	if st.old != nil {
		*st.old = st.version(seg.ID(row), seg, row)
	}
	return st.contribute(st.seg(seg), seg, row, -1)
}

func (st *trackState) seg(seg *colstore.Segment) *trackSeg {
	if seg == st.lastSeg {
		return st.lastTS
	}
	if len(st.segOrder) <= scanSegs {
		// Few kinds: comparing pointers is cheaper than the map.
		for i, s := range st.segOrder {
			if s == seg {
				st.lastSeg, st.lastTS = seg, st.segTS[i]
				return st.lastTS
			}
		}
	} else if ts := st.segs[seg]; ts != nil {
		st.lastSeg, st.lastTS = seg, ts
		return ts
	}
	ts := &trackSeg{idx: len(st.segOrder)}
	for gi, g := range st.ev.plan.groups {
		for _, k := range g.kinds {
			if k == seg.Kind {
				ts.groups = append(ts.groups, gi)
				break
			}
		}
	}
	st.segs[seg] = ts
	st.segOrder = append(st.segOrder, seg)
	st.segTS = append(st.segTS, ts)
	return ts
}

// scanSegs is the most segments seg looks for in segOrder rather than in
// the map.
const scanSegs = 8

// contribute adds (sign 1) or takes back (sign -1) what row of seg (whose
// trackSeg is ts) contributes to every cell.
func (st *trackState) contribute(ts *trackSeg, seg *colstore.Segment, row int, sign int64) error {
	if len(ts.groups) == 0 {
		return nil
	}
	a := int(seg.Actor[row])
	if a >= st.nA {
		st.grow(a+1, st.ev.nP)
	}
	if a >= len(st.touched) {
		st.touched = growTo(st.touched, max(a+1, 2*len(st.touched)))
	}
	st.touched[a], st.anyTouched = true, true
	st.prepare()
	return st.addRow(st.ev, ts, seg, row, sign)
}

// prepare compiles the groups' filters against the table's dictionaries,
// unless what they read of them has not changed since: not looked at
// after versions that found every code they needed in the table.
func (st *trackState) prepare() {
	if st.stale {
		st.recheck()
	}
}

// recheck is prepare after a version that may have grown the table.
func (st *trackState) recheck() {
	if sig := st.reads.sig(st.tab); sig != st.sig {
		st.prepareAt(sig)
	}
	st.stale = false
}

// prepareAt compiles the groups' filters against the table's dictionaries,
// whose predReads.sig is sig.
func (st *trackState) prepareAt(sig int) {
	ev := st.ev
	ev.preds = ev.preds[:0]
	for _, g := range ev.plan.groups {
		ev.preds = append(ev.preds, preparePredicate(g.pred, st.tab))
	}
	st.sig = sig
}

// add adds (sign 1) or takes back (sign -1) what rows [lo, hi) of seg, at
// most chunkRows, contribute to every cell: the live rows dated in a
// period, for every group of ts that selects them. The cell arrays have
// room for the rows' actors.
func (a *trackAggs) add(ev *evaluation, ts *trackSeg, seg *colstore.Segment, lo, hi int, sign int64) error {
	pidx := a.w.pidx[:hi-lo]
	in := false
	for i, d := range seg.Day[lo:hi] {
		pidx[i] = ev.periodOf(d)
		in = in || pidx[i] >= 0
	}
	if !in {
		return nil
	}
	actors := seg.Actor[lo:hi]
	for i, p := range pidx {
		if p >= 0 {
			a.seen[actors[i]] += sign
		}
	}
	w := a.w
	for _, gi := range ts.groups {
		g := ev.plan.groups[gi]
		var sel []uint8
		if pp := ev.preds[gi]; pp != nil {
			sel = w.evalPred(pp, seg, lo, hi, 0)
			if w.err != nil {
				// Only a row that counts may fail the batch.
				if sel = a.selectEach(pp, seg, lo, pidx); sel == nil {
					return fmt.Errorf("indicator %s, %w", g.members[0].Def.ID, w.err)
				}
			}
		}
		counts, accs, all, allAccs := a.counts[gi], a.slots[gi], a.allCounts[gi], a.allSlots[gi]
		for i, p := range pidx {
			if p < 0 || (sel != nil && sel[i] != tvTrue) {
				continue
			}
			cell := int(actors[i])*ev.nP + int(p)
			counts[cell] += sign
			all[p] += sign
			for si, sl := range g.slots {
				if err := a.slot(ev, g, sl, accs[si], allAccs[si], seg, lo+i, int(p), cell, sign); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// addRow is add for one row, the row of a version applied or taken back:
// the same steps without a chunk's lists. (A row that fails a filter fails
// the batch only if it is dated in a period, as in add.)
func (a *trackAggs) addRow(ev *evaluation, ts *trackSeg, seg *colstore.Segment, row int, sign int64) error {
	p := ev.periodOf(seg.Day[row])
	if p < 0 {
		return nil
	}
	actor := seg.Actor[row]
	a.seen[actor] += sign
	cell := int(actor)*ev.nP + int(p)
	w := a.w
	for _, gi := range ts.groups {
		g := ev.plan.groups[gi]
		if pp := ev.preds[gi]; pp != nil {
			t := tvLimit
			if pp.op == opDict && pp.col >= 0 && pp.col < len(seg.Attrs) {
				// evalPred's steps for one attribute's values, for one row
				// (but a tvLimit row, which the program decides).
				t = seg.Attrs[pp.col].LookupRow(row, pp.table)
			}
			if t == tvLimit {
				if t = w.evalPred(pp, seg, row, row+1, 0)[0]; w.err != nil {
					return fmt.Errorf("indicator %s, %w", g.members[0].Def.ID, w.err)
				}
			}
			if t != tvTrue {
				continue
			}
		}
		a.counts[gi][cell] += sign
		a.allCounts[gi][p] += sign
		for si, sl := range g.slots {
			if err := a.slot(ev, g, sl, a.slots[gi][si], a.allSlots[gi][si], seg, row, int(p), cell, sign); err != nil {
				return err
			}
		}
	}
	return nil
}

// periodOf returns the index of the period that holds local date d, -1
// for none (or a dead row's DeadDay).
func (ev *evaluation) periodOf(d int32) int32 {
	if x := d - ev.base; uint32(x) < uint32(len(ev.dayTab)) {
		return ev.dayTab[x]
	}
	return -1
}

// selectEach evaluates pp row by row for the rows of a chunk dated in a
// period, after the chunk's evaluation failed: nil, with w.err set, when
// one of them fails.
func (a *trackAggs) selectEach(pp *preparedPred, seg *colstore.Segment, lo int, pidx []int32) []uint8 {
	w := a.w
	w.err = nil
	if a.sel == nil {
		a.sel = make([]uint8, chunkRows)
	}
	out := a.sel[:len(pidx)]
	for i, p := range pidx {
		out[i] = tvFalse
		if p < 0 {
			continue
		}
		t := w.evalPred(pp, seg, lo+i, lo+i+1, 0)[0]
		if w.err != nil {
			return nil
		}
		out[i] = t
	}
	return out
}

// slot adds (sign 1) or takes back (sign -1) the value of slot sl of row
// of seg to cell of acc and to period p of all, org.Everyone's.
func (a *trackAggs) slot(ev *evaluation, g *filterGroup, sl *valueSlot, acc, all *trackSlot, seg *colstore.Segment, row, p, cell int, sign int64) error {
	tab := ev.tab
	if sl.kind == valAmount {
		if seg.Amount == nil {
			return nil
		}
		amt := seg.Amount[row]
		if amt == colstore.NoAmount {
			return nil
		}
		if sl.readsAmount {
			cur := int32(seg.Cur.Get(row))
			acc.addCur(cell, cur, sign)
			all.addCur(p, cur, sign)
		}
		if amt == colstore.BigAmount {
			d, _ := seg.AmountOf(row, tab.Scale)
			acc.addDec(sl, cell, formula.Number(d), sign)
			all.addDec(sl, p, formula.Number(d), sign)
			return nil
		}
		if !sl.sum && !sl.minmax {
			acc.nv[cell] += sign
			all.nv[p] += sign
			return nil
		}
		acc.addInt(sl, cell, amt, sign, tab.Scale)
		all.addInt(sl, p, amt, sign, tab.Scale)
		return nil
	}
	w := a.w
	sc := &w.scope
	sc.seg, sc.i, sc.hasAmount = seg, row, false
	if sl.currency != "" {
		before := len(w.unpriced)
		v, ok := w.convert(g, sl, seg, row, ev.periods[p])
		for _, u := range w.unpriced[before:] {
			if sign > 0 {
				u.Event = strings.Clone(u.Event)
			}
			a.unpriced[u] += sign
			if a.unpriced[u] == 0 {
				delete(a.unpriced, u)
			}
		}
		w.unpriced = w.unpriced[:before]
		if w.err != nil {
			return w.err
		}
		sc.amount, sc.hasAmount = v, true
		if !ok {
			return nil
		}
	}
	v, err := sl.eval(sc, seg, row)
	if err != nil {
		return err
	}
	if !v.Defined() {
		return nil
	}
	if sl.readsAmount {
		if _, has := seg.AmountOf(row, tab.Scale); has {
			cur := int32(seg.Cur.Get(row))
			acc.addCur(cell, cur, sign)
			all.addCur(p, cur, sign)
		}
	}
	acc.addDec(sl, cell, v, sign)
	all.addDec(sl, p, v, sign)
	return nil
}

// grow makes room for n actors of nP periods each.
func (a *trackAggs) grow(n, nP int) {
	if n <= a.nA {
		return
	}
	n = max(n, 2*a.nA, 16)
	cells := n * nP
	for gi := range a.counts {
		a.counts[gi] = growTo(a.counts[gi], cells)
		for _, s := range a.slots[gi] {
			s.grow(cells)
		}
	}
	a.seen = growTo(a.seen, n)
	a.nA = n
}

// merge adds o's aggregates, of the same size, into a's.
func (a *trackAggs) merge(o *trackAggs) {
	for gi := range a.counts {
		for c, n := range o.counts[gi] {
			a.counts[gi][c] += n
		}
		for si, s := range a.slots[gi] {
			s.merge(o.slots[gi][si])
		}
		for p, n := range o.allCounts[gi] {
			a.allCounts[gi][p] += n
		}
		for si, s := range a.allSlots[gi] {
			s.merge(o.allSlots[gi][si])
		}
	}
	for i, n := range o.seen {
		a.seen[i] += n
	}
	for u, n := range o.unpriced {
		a.unpriced[u] += n
		if a.unpriced[u] == 0 {
			delete(a.unpriced, u)
		}
	}
}

// result computes the values from the accumulators. For a set whose values
// do not depend on the instant of the read, it keeps them: a read after
// nothing changed returns the same Result, and a read after some batches
// recomputes only the participants whose cells they changed (with their
// groups and org.Everyone).
func (st *trackState) result(ctx context.Context, req *Request) (*Result, error) {
	keep := st.set.steady()
	key := [2]int{int(st.tab.Scale), len(st.tab.Currencies())}
	if keep {
		st.finMu.Lock()
		defer st.finMu.Unlock()
		if st.finRes != nil && !st.anyTouched && st.finKey == key {
			return st.finRes, nil
		}
	}
	ev := *st.ev
	ev.req = req
	// finish scans the table by day for memberships that change inside a
	// period: give it what a batch evaluation would have.
	nA := len(st.tab.Actors())
	ev.nA = nA
	ev.preds = nil
	ev.prepare()
	cells := nA * ev.nP
	w := &worker{ev: &ev, seen: make([]bool, nA)}
	for a := range min(nA, len(st.seen)) {
		w.seen[a] = st.seen[a] > 0
	}
	for gi, g := range ev.plan.groups {
		w.counts = append(w.counts, cellsOf(st.counts[gi], cells))
		var sa []*slotAcc
		for si, sl := range g.slots {
			trackCur := tracksCurrencies(st.tab, g, sl)
			sa = append(sa, st.slots[gi][si].materialize(sl, cells, trackCur))
		}
		w.slots = append(w.slots, sa)
	}
	if !slices.ContainsFunc(ev.plan.groups, func(g *filterGroup) bool { return g.window != nil }) {
		// A cumulative group reads org.Everyone's day cells: not kept.
		w.everyone = st.everyone(&ev)
	}
	for u := range st.unpriced {
		w.unpriced = append(w.unpriced, u)
	}
	if !keep {
		res, err := ev.finish(ctx, w)
		if err != nil {
			return nil, err
		}
		// Breakdowns are evaluated from the tracker's events at each read.
		return res, ev.breakdowns(ctx, res)
	}
	var prev *finished
	if st.finKey == key {
		prev = st.fin
	}
	res, fin, err := ev.refinish(ctx, w, prev, st.touched)
	if err != nil {
		st.fin, st.finRes = nil, nil // prev may be half recomputed
		return nil, err
	}
	st.fin, st.finRes, st.finKey = fin, res, key
	clear(st.touched)
	st.anyTouched = false
	return res, nil
}

// handOver gives the arrays of the values st keeps to its set, for the
// first read of the replica that the reads go to from now on (the state's
// own reads recompute every row should one still come).
func (st *trackState) handOver() {
	st.finMu.Lock()
	defer st.finMu.Unlock()
	if f := st.fin; f != nil && f.base != nil {
		st.set.spare.Put(&spareArrays{base: f.base, counts: f.counts})
	}
	st.fin, st.finRes = nil, nil
}

// everyone returns a worker whose actor 0 holds org.Everyone's cells.
func (st *trackState) everyone(ev *evaluation) *worker {
	w := &worker{ev: ev}
	for gi, g := range ev.plan.groups {
		w.counts = append(w.counts, cellsOf(st.allCounts[gi], ev.nP))
		var sa []*slotAcc
		for si, sl := range g.slots {
			sa = append(sa, st.allSlots[gi][si].materialize(sl, ev.nP, tracksCurrencies(st.tab, g, sl)))
		}
		w.slots = append(w.slots, sa)
	}
	return w
}

// Result returns every value as of asOf, the same Result a batch evaluation
// (Set.Evaluate with Request.AsOf = asOf) of the applied events gives. A zero
// asOf counts every event. When no applied event happens after asOf and the
// set has no cohort indicator, the values come from the live aggregates;
// otherwise the tracker's events are evaluated in batch. From the
// aggregates, a set without cumulative or broken-down indicators and
// without elapsed() keeps what it read: the next read recomputes only the
// participants (with their groups and org.Everyone) whose events changed
// since, and returns the same Result when none did. A Result is never
// changed once returned.
func (t *Tracker) Result(ctx context.Context, asOf time.Time) (*Result, error) {
	var res *Result
	err := t.read(ctx, func(st *trackState) error {
		var err error
		res, err = t.result(ctx, st, asOf)
		return err
	})
	return res, err
}

// AsKnownAt returns what Result(asOf = at) said at the instant at: only the
// event versions known then count (the newest of each id known then wins,
// as it did then). It replays the tracker's log.
func (t *Tracker) AsKnownAt(ctx context.Context, at time.Time) (*Result, error) {
	src, err := t.SourceAt(ctx, at)
	if err != nil {
		return nil, err
	}
	req := t.req
	req.AsOf = at
	return t.set.evaluate(ctx, src.(*trackSource).st.tab, req)
}

// SourceAt returns a frozen source of the event versions known at the instant
// at (zero: everything applied so far), for other evaluations (goals,
// scorecards) of what was known then.
func (t *Tracker) SourceAt(ctx context.Context, at time.Time) (TableSource, error) {
	var src TableSource
	err := t.read(ctx, func(cur *trackState) error {
		st := newTrackState(t.set, &t.req)
		st.w.ctx = ctx
		defer func() { st.w.ctx = nil }()
		if err := st.replay(cur, cur.log, func(k time.Time) bool { return at.IsZero() || k.IsZero() || !k.After(at) }); err != nil {
			return err
		}
		src = &trackSource{st: st}
		return nil
	})
	return src, err
}

// Len returns the number of live events.
func (t *Tracker) Len() int {
	t.mu.RLock()
	defer t.mu.RUnlock()
	return t.st.tab.Live()
}

// LedgerRange calls fn with every committed ledger key and its data, in no
// particular order, until fn returns false. fn must not call the tracker.
func (t *Tracker) LedgerRange(fn func(key string, data []byte) bool) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	for k, d := range t.ledger {
		if !fn(k, d) {
			return
		}
	}
}

// Closed returns the closed records committed, by key.
func (t *Tracker) Closed() map[string][]byte {
	t.mu.RLock()
	defer t.mu.RUnlock()
	out := make(map[string][]byte, len(t.closed))
	for k, v := range t.closed {
		out[k] = v
	}
	return out
}

// Scan implements Source over the live events.
func (t *Tracker) Scan(ctx context.Context, q Query, fn func(*Event) error) error {
	return t.read(ctx, func(st *trackState) error {
		return (&Table{t: st.tab}).Scan(ctx, q, fn)
	})
}

// ReadTable implements TableSource: fn reads the live events in place (see
// ReadResult).
func (t *Tracker) ReadTable(ctx context.Context, fn func(*Table) error) error {
	return t.read(ctx, func(st *trackState) error { return fn(&Table{t: st.tab}) })
}

// trackSource is a frozen replay.
type trackSource struct{ st *trackState }

func (s *trackSource) Scan(ctx context.Context, q Query, fn func(*Event) error) error {
	return (&Table{t: s.st.tab}).Scan(ctx, q, fn)
}

func (s *trackSource) ReadTable(ctx context.Context, fn func(*Table) error) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	return fn(&Table{t: s.st.tab})
}

var (
	_ TableSource = (*Tracker)(nil)
	_ TableSource = (*trackSource)(nil)
)
