package kpi

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/org"
)

// A tracker's snapshot holds what does not depend on the plan: every event
// version it applied (the column table, dead versions included), the order
// they were applied in, the retractions, the ledger and the closed records.
// The aggregates are rebuilt from them for the plan of the tracker that
// restores it, so a snapshot stays valid when indicators, periods, filters,
// participants or the calendar's zone change.
//
//	snapshot = magic:"goalkit\x00tracker\n" version:u64
//	           versions:u64 segment:u16[versions]   (0xffff: the next retraction)
//	           retractions:u64 (id:string known:int64)*
//	           table                                (internal/colstore, encode.go)
//	           ledger:records closed:records         (the ledger in commit order)
//	           crc:u64                              (CRC-32C of everything before it)
//	records  = count:u64 (key:string data:string)*
//
// Integers are little-endian, strings are a u64 length and the bytes.
// known is unix nanoseconds, 0 for always.
const (
	snapshotMagic   = "goalkit\x00tracker\n"
	snapshotVersion = 1
	logRetracted    = 0xffff
)

// Snapshot writes the tracker's state as of its last committed batch
// through its store's SaveSnapshot, so that a tracker started later on the
// store restores it and applies only the batches committed after it
// (Set.Track). The store must be a TrackSnapshotter.
//
// Apply and Commit wait only while Snapshot notes where the state ends: a
// time that grows with the event kinds, the attributes and the closed
// records, not with the events or the ledger (31 µs for a tracker of 10
// million events; BENCHMARKS.md). The encoding and the store's write run
// beside later batches, which the snapshot does not hold; reads never
// wait. The batches are counted as the tracker loaded and committed them:
// a Commit of the store that fails must have stored nothing, as
// TrackStore requires. When no batch was committed since the latest
// snapshot the tracker wrote or restored, Snapshot writes nothing.
func (t *Tracker) Snapshot(ctx context.Context) error {
	sn, ok := t.store.(TrackSnapshotter)
	if !ok {
		if t.store == nil {
			return errors.New("snapshot: the tracker has no store")
		}
		return fmt.Errorf("snapshot: the tracker's store (%T) keeps no snapshots: it is not a TrackSnapshotter", t.store)
	}
	f, n, err := t.freeze()
	if err != nil || f == nil {
		return err
	}
	if err := sn.SaveSnapshot(ctx, n, f.write); err != nil {
		return err
	}
	t.snapped.Store(n)
	return nil
}

// freeze notes, under the read lock, what a snapshot of the tracker holds
// and how many batches it covers: Snapshot's only wait for Apply. It
// returns no state when the latest snapshot covers every batch.
func (t *Tracker) freeze() (*snapshotState, int64, error) {
	t.mu.RLock()
	defer t.mu.RUnlock()
	if t.broken != nil {
		return nil, 0, t.broken
	}
	if t.batches == t.snapped.Load() {
		return nil, t.batches, nil // the latest snapshot holds it all
	}
	return t.frozen(), t.batches, nil
}

// frozen returns, under the read lock, what a snapshot of the tracker's
// state holds now; later batches do not change it.
func (t *Tracker) frozen() *snapshotState {
	return &snapshotState{trackView: t.view(), ledger: t.ledgerLog[:len(t.ledgerLog):len(t.ledgerLog)], closed: maps.Clone(t.closed)}
}

// view returns, under the read lock, the tracker's events as its state
// holds them now: its table frozen, its log and retractions; later
// batches do not change it.
func (t *Tracker) view() trackView {
	st := t.st
	v := trackView{tab: st.tab.Freeze(), log: st.log.prefix(st.log.Len()), retracts: st.retracts.prefix(st.retracts.Len())}
	// The log names segments in the order of the tracker's state, which is
	// the table's; the map keeps the view right should they differ.
	v.segs = make([]uint16, len(st.segOrder))
	for i, seg := range st.segOrder {
		k := i
		if k >= len(st.tab.Segs) || st.tab.Segs[k] != seg {
			k = slices.Index(st.tab.Segs, seg)
		}
		v.segs[i] = uint16(k)
	}
	return v
}

// trackView is a tracker's events frozen (view).
type trackView struct {
	tab      *colstore.Frozen
	segs     []uint16 // the table's index of each segment of the log
	log      trackLog
	retracts trackRetractions
}

// snapshotState is what a snapshot holds.
type snapshotState struct {
	trackView
	ledger []TrackRecord // in commit order
	closed map[string][]byte
}

func (f *snapshotState) write(out io.Writer) error {
	w := colstore.NewWriter(out)
	w.Raw([]byte(snapshotMagic))
	w.Uint(snapshotVersion)
	n := f.log.Len()
	w.Uint(uint64(n))
	buf := make([]uint16, 0, 1<<15)
	for i := range n {
		if si := f.log.at(i); si < 0 {
			buf = append(buf, logRetracted)
		} else {
			buf = append(buf, f.segs[si])
		}
		if len(buf) == cap(buf) || i == n-1 {
			colstore.WriteElems(w, buf)
			buf = buf[:0]
		}
	}
	w.Uint(uint64(f.retracts.Len()))
	for i := range f.retracts.Len() {
		id, known := f.retracts.at(i)
		w.String(id)
		w.Int(known)
	}
	f.tab.Encode(w)
	writeRecords(w, f.ledger)
	var closed []TrackRecord
	for _, k := range slices.Sorted(maps.Keys(f.closed)) {
		closed = append(closed, TrackRecord{Key: k, Data: f.closed[k]})
	}
	writeRecords(w, closed)
	w.Uint(uint64(w.Sum()))
	return w.Flush()
}

func writeRecords(w *colstore.Writer, rs []TrackRecord) {
	w.Uint(uint64(len(rs)))
	for _, r := range rs {
		w.String(r.Key)
		w.Bytes(r.Data)
	}
}

// restored is a decoded snapshot.
type restored struct {
	st             *trackState
	ledger, closed map[string][]byte
	ledgerLog      []TrackRecord
}

// readSnapshot decodes a snapshot for a tracker of s and req, with every
// check but the checksum's when verify is false (for the decoder's fuzz
// test). The aggregates are not built yet: see rebuild.
func readSnapshot(in io.Reader, s *Set, req *Request, verify bool) (*restored, error) {
	r := colstore.NewReader(in)
	r.Section("the header")
	magic := make([]byte, len(snapshotMagic))
	if err := r.Raw(magic); err != nil {
		return nil, err
	}
	if string(magic) != snapshotMagic {
		return nil, errors.New("not a tracker snapshot (its first bytes are not goalkit's)")
	}
	v, err := r.Uint()
	if err != nil {
		return nil, err
	}
	if v != snapshotVersion {
		return nil, fmt.Errorf("format version %d is not one this build reads (version %d)", v, snapshotVersion)
	}
	r.Section("the order of the versions")
	nv, err := r.Len("versions", min(1<<48, math.MaxInt))
	if err != nil {
		return nil, err
	}
	order, err := colstore.ReadElems[uint16](r, nv)
	if err != nil {
		return nil, err
	}
	r.Section("the retractions")
	nr, err := r.Len("retractions", nv)
	if err != nil {
		return nil, err
	}
	var retracts trackRetractions
	for range nr {
		id, err := r.String()
		if err != nil {
			return nil, err
		}
		known, err := r.Int()
		if err != nil {
			return nil, err
		}
		retracts.add(id, known)
	}
	log := trackLog{w8: make([]uint8, 0, nv)} // order holds nv versions
	k := 0                                    // retractions so far
	tab, err := colstore.Decode(r, req.Calendar.Location(), func(next colstore.Next) error {
		for _, seg := range order {
			if seg == logRetracted {
				if k >= retracts.Len() {
					return r.Corrupt("more retractions than the %d listed", retracts.Len())
				}
				id, _ := retracts.at(k)
				if _, err := next(-1, id); err != nil {
					return err
				}
				log.add(-1)
				k++
				continue
			}
			if _, err := next(int(seg), ""); err != nil {
				return err
			}
			log.add(int(seg))
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	if k != retracts.Len() {
		return nil, r.Corrupt("%d retractions in the order, %d listed", k, retracts.Len())
	}
	if err := everyoneLive(tab); err != nil {
		return nil, err
	}
	out := &restored{}
	r.Section("the ledger")
	if out.ledgerLog, out.ledger, err = readRecords(r); err != nil {
		return nil, err
	}
	r.Section("the closed records")
	if _, out.closed, err = readRecords(r); err != nil {
		return nil, err
	}
	r.Section("the checksum")
	sum := r.Sum()
	want, err := r.Uint()
	if err != nil {
		return nil, err
	}
	if verify && want != uint64(sum) {
		return nil, fmt.Errorf("checksum mismatch: the snapshot is corrupt (CRC-32C %08x, recorded %08x)", sum, want)
	}
	if err := r.End(); err != nil {
		return nil, err
	}
	st := newTrackStateOn(s, req, tab)
	st.log, st.retracts = log, retracts
	out.st = st
	return out, nil
}

func readRecords(r *colstore.Reader) ([]TrackRecord, map[string][]byte, error) {
	n, err := r.Len("records", min(1<<40, math.MaxInt))
	if err != nil {
		return nil, nil, err
	}
	rs := make([]TrackRecord, 0, min(n, 1<<16))
	m := make(map[string][]byte, min(n, 1<<16))
	for range n {
		k, err := r.String()
		if err != nil {
			return nil, nil, err
		}
		d, err := r.Bytes()
		if err != nil {
			return nil, nil, err
		}
		if _, dup := m[k]; dup {
			return nil, nil, r.Corrupt("the key %s twice", display.QuoteID(k))
		}
		m[k] = d
		rs = append(rs, TrackRecord{Key: k, Data: d})
	}
	return rs, m, nil
}

// rebuild computes the aggregates of the tracker's plan from the live rows
// of its table, on every core: the state applying the rows one by one
// gives (every part of an aggregate adds up exactly, in any order).
func (st *trackState) rebuild(ctx context.Context) error {
	for _, seg := range st.tab.Segs {
		st.seg(seg)
		for _, ts := range seg.TS {
			st.maxTS = max(st.maxTS, ts)
		}
	}
	st.scale = st.tab.Scale
	st.prepare()
	nA, nP := len(st.tab.Actors()), st.ev.nP
	st.grow(nA, nP)
	type task struct {
		ts     *trackSeg
		seg    *colstore.Segment
		lo, hi int
	}
	var tasks []task
	const step = 64 * chunkRows
	for _, seg := range st.segOrder {
		if ts := st.segs[seg]; len(ts.groups) > 0 {
			for lo := 0; lo < seg.N; lo += step {
				tasks = append(tasks, task{ts, seg, lo, min(lo+step, seg.N)})
			}
		}
	}
	aggs := make([]*trackAggs, min(runtime.GOMAXPROCS(0), len(tasks)))
	errs := make([]error, len(aggs))
	var next atomic.Int64
	var wg sync.WaitGroup
	for k := range aggs {
		if k == 0 {
			aggs[k] = &st.trackAggs
		} else {
			a := newTrackAggs(st.ev)
			a.grow(st.nA, nP)
			aggs[k] = &a
		}
		aggs[k].w.ctx = ctx
		wg.Go(func() {
			a := aggs[k]
			defer func() { a.w.ctx = nil }()
			for {
				i := int(next.Add(1) - 1)
				if i >= len(tasks) || errs[k] != nil {
					return
				}
				if errs[k] = ctx.Err(); errs[k] != nil {
					return
				}
				tk := tasks[i]
				for lo := tk.lo; lo < tk.hi && errs[k] == nil; lo += chunkRows {
					errs[k] = a.add(st.ev, tk.ts, tk.seg, lo, min(lo+chunkRows, tk.hi), 1)
				}
			}
		})
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		return err
	}
	for _, a := range aggs[min(1, len(aggs)):] {
		st.merge(a)
	}
	return nil
}

// everyoneLive refuses a table with a live event whose actor is
// org.Everyone, naming the event, as a stored version of that actor is
// refused: a snapshot written by a build whose replay took one restored,
// and every report after failed naming no event. A table without that
// actor (every one) costs a lookup.
func everyoneLive(tab *colstore.Table) error {
	code := tab.Known("", org.Everyone, "").Actor
	if code == 0 {
		return nil
	}
	for _, seg := range tab.Segs {
		for i := range seg.N {
			if seg.Actor[i] == code && seg.Alive(i) {
				return everyoneActor(seg.ID(i))
			}
		}
	}
	return nil
}
