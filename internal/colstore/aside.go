package colstore

import (
	"runtime"
	"sync/atomic"
)

// Growing a column copies it to fresh memory, which is faulted in page by
// page: in a table that grows a row at a time (a live tracker's, one
// version per Apply) that is a fifth of the time of an append. A table
// that copies aside (CopyAside) hands the copy of its largest columns to
// another goroutine when there is a second core to run it: the columns the
// table's own appends and replacements never read back (the times and the
// ids: TS, idEnd, idBuf) grow into new memory at once, the table appends
// its next rows there, and a goroutine copies the rows before them. Until
// that copy is done, the rows before the new ones must not be read in those
// columns: the table waits for it (settle) before it reads them itself
// (looking up an id that is not a number, Lookup, Read, Freeze), and
// whoever reads the table other than through Apply calls Settle first.
// The memory is the same as push's growth (the old columns are garbage once
// copied); only who copies them changes.
//
// The other columns grow as push grows them, on the appending goroutine:
// Day changes in place (a replaced row dies), and the actor, amount,
// currency and attributes of a replaced row are read back to take its
// contribution out of a tracker's aggregates.

// AsideRows is the fewest rows a segment must hold for the copies of its
// columns to go to another goroutine: a smaller copy costs less than
// handing it over. (Tests lower it, to have many copies under way; at 0
// or 1, every growth from the first row on is copied aside.)
var AsideRows = 1 << 15

// CopyAside turns on (or off) copying the growing columns of the table on
// another goroutine, when more than one core may run goroutines: see
// above. Whoever reads the table while it is applied to, or after, must
// call Settle first.
func (t *Table) CopyAside(on bool) {
	if !on {
		t.settle()
	}
	t.aside = on
}

// settle is Settle for the table's writer, which forgets the copies done.
func (t *Table) settle() {
	for _, s := range t.Segs {
		s.settle()
	}
}

// Settle waits for the columns' copies under way. It changes nothing:
// readers may call it together (not while the table is applied to).
func (t *Table) Settle() {
	for _, s := range t.Segs {
		s.Settle()
	}
}

// Settle waits for the copy of the segment's columns under way, if any;
// like Table.Settle, it changes nothing.
func (s *Segment) Settle() {
	if c := s.copying; c != nil && !c.over.Load() {
		<-c.done
	}
}

// settle is Settle for the table's writer, which forgets the copy done.
func (s *Segment) settle() {
	s.Settle()
	s.copying = nil
}

// asideCopy is a copy of a segment's columns under way.
type asideCopy struct {
	done chan struct{} // closed when the copy is done
	over atomic.Bool   // set when it is: a cheaper check than the channel
}

// growAside grows the columns of s that have no room for one more row, of
// one more id of n bytes, copying them on another goroutine (see above);
// it is appendRow's step for a table that copies aside, when row (the
// segment's next) is at least AsideRows and one of them is full.
func (s *Segment) growAside(row, n int) {
	if row == 0 || runtime.GOMAXPROCS(0) < 2 {
		s.settle() // push grows them
		return
	}
	cols := row == cap(s.TS) || row == cap(s.idEnd)
	ids := len(s.idBuf)+n > cap(s.idBuf)
	s.settle()
	var ts, nextTS []int64
	var ends, nextEnds []uint32
	var buf, nextBuf []byte
	if cols {
		// TS and idEnd grow together, to the same room.
		room := row + max(row/4, 16)
		ts, ends = s.TS, s.idEnd
		s.TS, s.idEnd = make([]int64, row, room), make([]uint32, row, room)
		nextTS, nextEnds = s.TS, s.idEnd
		// The id of the next row starts where the last one ends: that
		// end is copied here, so that the new rows' ids read only what
		// this goroutine wrote.
		nextEnds[row-1] = ends[row-1]
		ends, nextEnds = ends[:row-1], nextEnds[:row-1]
	}
	if ids {
		buf = s.idBuf
		s.idBuf = make([]byte, len(buf), max(len(buf)+len(buf)/4, len(buf)+n))
		nextBuf = s.idBuf
	}
	c := &asideCopy{done: make(chan struct{})}
	s.copying = c
	go func() {
		copy(nextTS, ts)
		copy(nextEnds, ends)
		copy(nextBuf, buf)
		c.over.Store(true)
		close(c.done)
	}()
}
