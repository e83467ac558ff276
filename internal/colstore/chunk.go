package colstore

import (
	"fmt"
	"hash/maphash"
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
	// order holds each version in turn: logEntry(segment, the number of
	// its id) of a row, or retracted|i for the i-th retraction. A row's
	// place in its segment is not held: rows come in the order of their
	// versions, so it is the count of the versions of its segment before
	// it, which each reader of order counts again (rowCounter). The
	// number is read on the goroutine that codes the version, so that
	// Stitch and Merge, which resolve the ids in order on one goroutine,
	// need not read it again, and it costs no byte more than the row
	// would.
	order  []uint64
	retBuf []byte   // the ids of the retractions, end to end
	retEnd []uint32 // the end of each in retBuf
	strIDs int      // versions whose id is not numeric
}

const (
	retracted = 1 << 63
	// strID marks the entry of a version whose id is not numeric.
	strID = 1 << 62
	// numMask keeps an entry's number (numericID's are below 2^40).
	numMask = 1<<rowBits - 1
)

// notNumeric is the number of a version whose id is not numeric, for
// logVersion and AppendCoded.
const notNumeric = ^uint64(0)

// logEntry is order's entry of a row of segment seg whose id's number is
// num (notNumeric when it has none).
func logEntry(seg int, num uint64) uint64 {
	e := uint64(seg+1) << rowBits
	if num == notNumeric {
		return e | strID
	}
	return e | num
}

// loggedSeg returns the segment of order's entry o of a row.
func loggedSeg(o uint64) int { return int(o>>rowBits&(1<<segBits-1)) - 1 }

// rowCounter gives the rows of a chunk's entries, in order.
type rowCounter []int

// next returns the row of the next entry of segment seg.
func (r rowCounter) next(seg int) int {
	row := r[seg]
	r[seg]++
	return row
}

// logVersion appends a row of segment seg whose id's number is num
// (notNumeric when it has none) to the chunk's log.
func (t *Table) logVersion(seg int, num uint64) {
	pushTo(&t.log.order, logEntry(seg, num))
}

// idNumber returns numericID's number of id, or notNumeric.
func idNumber(id string) uint64 {
	if n, ok := numericID(id); ok {
		return n
	}
	return notNumeric
}

// NewChunk returns an empty chunk whose local dates are in loc. It costs
// about 2 KB before its first version, not a table's 75 KB (the 8 KB id
// index and the 64 KB cache of actors a table starts with): a source cut
// into many small parts makes a chunk for each. Its id index, which a
// chunk never fills, has one empty slot; its cache of actors grows as its
// dictionary does (strDict.fit).
func NewChunk(loc *time.Location) *Table {
	t := empty(loc)
	t.ids = idIndex{seed: maphash.MakeSeed(), slots: make([]uint64, 1)}
	t.log = &chunkLog{}
	return t
}

// applyChunk is Apply for a chunk: the same checks, no id resolution.
func (t *Table) applyChunk(e *Version, h *how) error {
	num := idNumber(e.ID)
	if num == notNumeric {
		if bad := display.IDProblem(e.ID); bad != "" {
			return fmt.Errorf("event id %s %s", display.QuoteID(e.ID), bad)
		}
		t.log.strIDs++
	}
	if e.Deleted {
		t.log.retBuf = append(t.log.retBuf, e.ID...)
		t.log.retEnd = append(t.log.retEnd, uint32(len(t.log.retBuf)))
		pushTo(&t.log.order, retracted|uint64(len(t.log.retEnd)-1))
		return nil
	}
	codes, err := t.encode(e, h)
	if err != nil {
		return err
	}
	seg, _ := t.appendRow(e, codes[2], codes[0], codes[1])
	t.logVersion(seg, num)
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
