package kpi

import (
	"fmt"
	"runtime"
	"sync"

	"github.com/goalkit/goalkit/internal/colstore"
)

// parallelBatch is the smallest batch a tracker checks and aggregates on
// two cores (when it has them): below it, handing work to a second
// goroutine costs more than it saves.
var parallelBatch = 4096

// contribution is what a row adds to (sign 1) or takes back from (sign -1)
// the aggregates, noted while a large batch is applied: the row's local
// date as it was then (a row taken back is dead by the time the
// contribution is made) and the index of the event in the batch.
type contribution struct {
	ts    *trackSeg
	seg   *colstore.Segment
	row   int
	day   int32
	sign  int64
	event int
}

// validateBatch checks every event of a batch (see Event.validate for
// known), a large batch in two halves at once; the error names the first
// event that fails. news is false when no event has an attribute name
// outside known.
func validateBatch(events []Event, known []string) (news bool, err error) {
	if len(events) < parallelBatch || runtime.GOMAXPROCS(0) < 2 {
		return validateRange(events, known, 0, len(events))
	}
	half := len(events) / 2
	var wg sync.WaitGroup
	var news2 bool
	var err2 error
	wg.Go(func() { news2, err2 = validateRange(events, known, half, len(events)) })
	news, err = validateRange(events, known, 0, half)
	wg.Wait()
	if err == nil {
		err = err2
	}
	return news || news2, err
}

// validateRange is validateBatch for events [lo, hi) of a batch, on the
// goroutine that calls it.
func validateRange(events []Event, known []string, lo, hi int) (news bool, err error) {
	for i := lo; i < hi; i++ {
		n, err := events[i].validate(known)
		if err != nil {
			return false, fmt.Errorf("event %d: %w", i, err)
		}
		news = news || n
	}
	return news, nil
}

// applyBatch applies a batch of valid events. A small one is applied
// event by event. A large one, on two cores, is put in the table event by
// event, noting what each row adds to or takes back from the aggregates,
// and the aggregates then take those contributions on both cores at once:
// every part of an aggregate adds up exactly in any order, so the state is
// the one applying the events one by one gives, and a contribution that
// fails fails the batch as it would have (the caller rolls it back). A
// batch that raises the table's amount scale is applied event by event
// (the sums in minor units change form when the scale does).
func (st *trackState) applyBatch(events []Event) error {
	if len(events) < parallelBatch || runtime.GOMAXPROCS(0) < 2 || st.rescales(events) {
		for i := range events {
			if err := st.apply(&events[i]); err != nil {
				return fmt.Errorf("event %d: %w", i, err)
			}
		}
		return nil
	}
	st.deferring = true
	st.pending = st.pending[:0]
	defer func() {
		st.deferring = false
		clear(st.pending) // no pointers kept into a replaced table
		st.pending = st.pending[:0]
	}()
	for i := range events {
		st.event = i
		if err := st.apply(&events[i]); err != nil {
			return fmt.Errorf("event %d: %w", i, err)
		}
	}
	return st.contribute2(st.pending)
}

// rescales reports whether an event of events has an amount with more
// decimal places than the table's scale (which raises it).
func (st *trackState) rescales(events []Event) bool {
	for i := range events {
		if e := &events[i]; !e.Deleted && e.Amount.Valid && -e.Amount.Decimal.Exponent() > st.tab.Scale {
			return true
		}
	}
	return false
}

// contribute2 makes the contributions cs, half of them into the state's
// aggregates and half into its spare aggregates on another goroutine, then
// merges the cells those changed into the state's and empties them.
func (st *trackState) contribute2(cs []contribution) error {
	st.prepare()
	if st.spare == nil {
		a := newTrackAggs(st.ev)
		st.spare = &a
	}
	other := st.spare
	other.grow(st.nA, st.ev.nP)
	half := len(cs) / 2
	var wg sync.WaitGroup
	var c2 *contribution
	var err2 error
	var cells []int
	wg.Go(func() { cells, c2, err2 = other.addEach(st.ev, cs[half:], true) })
	_, c, err := st.addEach(st.ev, cs[:half], false)
	wg.Wait()
	if err == nil {
		c, err = c2, err2
	}
	if err != nil {
		st.spare = nil // half filled: the state is rolled back anyway
		return fmt.Errorf("event %d: %w", c.event, err)
	}
	st.mergeCells(other, cells, st.ev.nP)
	return nil
}

// addEach makes the contributions cs into a, in order, and returns the
// first that fails, with its error; with list, also the cells they
// changed (some more than once).
func (a *trackAggs) addEach(ev *evaluation, cs []contribution, list bool) (cells []int, _ *contribution, _ error) {
	pidx := a.w.pidx[:1]
	for i := range cs {
		c := &cs[i]
		if pidx[0] = ev.periodOf(c.day); pidx[0] < 0 {
			continue
		}
		if err := a.addIn(ev, c.ts, c.seg, c.row, c.row+1, pidx, c.sign); err != nil {
			return cells, c, err
		}
		if list {
			cells = append(cells, int(c.seg.Actor[c.row])*ev.nP+int(pidx[0]))
		}
	}
	return cells, nil, nil
}
