package colstore

import (
	"fmt"
	"time"
	"unsafe"

	"github.com/goalkit/goalkit/internal/display"
)

// A chunk is a table that only collects event versions, for Merge: it codes
// each with dictionaries of its own and appends it to its segment, but it
// resolves no ids (nothing is replaced or retracted in it): it keeps the
// order of its versions instead, retractions included, for Merge to resolve
// them against the table it joins. Chunks fill on goroutines of their own;
// Merge joins them to a table in order.
type chunkLog struct {
	// order holds each version in turn: packRef(segment, row) of a row, or
	// retracted|i for the i-th retraction.
	order  []uint64
	retBuf []byte   // the ids of the retractions, end to end
	retEnd []uint32 // the end of each in retBuf
	strIDs int      // versions whose id is not numeric
	// nums holds the number of each version's id in turn (numericID), or
	// notNumeric, in the chunks of a reader that codes its versions
	// (AppendCoded): read on the goroutine that codes the version, so
	// that Stitch, which resolves the ids in order on one goroutine, need
	// not read it again. The chunks of parts keep none (they hold all
	// their versions until Merge: 8 more bytes a version) unless asked
	// to (KeepIDNumbers: keep).
	nums []uint64
	keep bool
}

// KeepIDNumbers makes the chunk t keep the number of each version's id as
// it takes the version, for Merge to resolve the ids without reading them
// again: 8 more bytes a version, on the goroutine that fills the chunk
// rather than on the one that resolves every chunk's ids in turn.
func (t *Table) KeepIDNumbers() {
	if t.log != nil && len(t.log.order) == 0 {
		t.log.keep = true
		t.log.nums = make([]uint64, 0, cap(t.log.order))
	}
}

// notNumeric is chunkLog.nums of a version whose id is not numeric, and of
// a retraction.
const notNumeric = ^uint64(0)

// logVersion appends a version to the chunk's log: its ref (or
// retracted|i) and, once AppendCoded has logged one, the number of its id.
func (t *Table) logVersion(ref, num uint64, coded bool) {
	l := t.log
	if coded || l.keep || len(l.nums) > 0 {
		if len(l.nums) < len(l.order) {
			for _, o := range l.order[len(l.nums):] {
				l.nums = push(l.nums, t.loggedNumber(o))
			}
		}
		pushTo(&l.nums, num)
	}
	pushTo(&l.order, ref)
}

// loggedNumber returns the number of the id of the version logged as o.
func (t *Table) loggedNumber(o uint64) uint64 {
	if o&retracted != 0 {
		return notNumeric
	}
	ls, lr := unpackRef(o)
	return idNumber(t.Segs[ls].ID(lr))
}

// idNumber returns numericID's number of id, or notNumeric.
func idNumber(id string) uint64 {
	if n, ok := numericID(id); ok {
		return n
	}
	return notNumeric
}

const retracted = 1 << 63

// NewChunk returns an empty chunk whose local dates are in loc.
func NewChunk(loc *time.Location) *Table {
	t := New(loc)
	t.log = &chunkLog{}
	return t
}

// applyChunk is Apply for a chunk: the same checks, no id resolution.
func (t *Table) applyChunk(e *Version, h *how) error {
	num := idNumber(e.ID)
	if num == notNumeric {
		if bad := display.IDProblem(e.ID); bad != "" {
			return fmt.Errorf("event id %q %s", e.ID, bad)
		}
		t.log.strIDs++
	}
	if e.Deleted {
		t.log.retBuf = append(t.log.retBuf, e.ID...)
		t.log.retEnd = append(t.log.retEnd, uint32(len(t.log.retBuf)))
		t.logVersion(retracted|uint64(len(t.log.retEnd)-1), notNumeric, false)
		return nil
	}
	codes, err := t.encode(e, h)
	if err != nil {
		return err
	}
	seg, row := t.appendRow(e, codes[2], codes[0], codes[1])
	t.logVersion(packRef(seg, row), num, false)
	t.live++
	return nil
}

// Versions is the number of event versions a chunk holds, retractions
// included.
func (t *Table) Versions() int {
	if t.log == nil {
		return t.rows
	}
	return len(t.log.order)
}

func (l *chunkLog) retractedID(i int) string {
	start := uint32(0)
	if i > 0 {
		start = l.retEnd[i-1]
	}
	b := l.retBuf[start:l.retEnd[i]]
	return unsafe.String(&b[0], len(b))
}

// Of returns the table a kpi.Table holds; package kpi sets it. It lets the
// stores of this module (adapters/memory) merge chunks into a kpi.Table
// without a kpi API for it: chunks are this module's business.
var Of func(table any) *Table
