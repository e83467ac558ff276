package colstore

import (
	"time"
	"unsafe"

	"github.com/goalkit/goalkit/internal/display"
)

// A reader that parses a file block by block on several goroutines codes
// each block into a chunk of its own, in three steps:
//
//   - each goroutine keeps one chunk (NewChunk) for all its blocks, whose
//     dictionaries therefore last from block to block: a version whose
//     kind, actor, currency and attribute values the chunk has coded
//     before is appended by those codes (AppendCoded), which the reader
//     remembers by the bytes of the file; any other version is applied as
//     usual (Apply), and its codes are then looked up (KindCode, …);
//   - at the end of a block, Cut takes the block's rows out of the chunk,
//     with the dictionaries as they are then;
//   - in file order, Stitch appends each block's rows to the table.
//
// A block's chunk shares the dictionaries' values with the goroutine's
// chunk, which only ever appends to them, so the chunk may be stitched
// while the goroutine codes later blocks.

// Coded is an event version coded with a chunk's own dictionaries, for
// AppendCoded. It is never a retraction.
type Coded struct {
	ID []byte // copied
	// IDNum is the number ID writes, when IDNumKnown: ID is then a decimal
	// number below 2^40 without a leading zero ("0" itself aside), and
	// AppendCoded does not read it again. Without IDNumKnown, AppendCoded
	// reads ID itself.
	IDNum      uint64
	IDNumKnown bool
	Kind       uint32 // the chunk's codes: KindCode, ActorCode, CurrencyCode
	Actor      uint32
	Cur        uint32 // 0: no currency
	Time       time.Time
	Amount     int64 // unscaled, with Places decimal places; NoAmount when none
	Places     int32
	Attrs      []AttrCode // in the chunk's attribute indexes (AttrCode)
}

// AttrCode is an attribute of a Coded version: Code is the chunk's code
// of the value in attribute Attr's dictionary (ValueCode).
type AttrCode struct {
	Attr int
	Code uint32
}

// AppendCoded appends a version to the chunk t as Apply would append the
// same version with the values the codes stand for, and reports whether it
// did: it does not take a version whose id is not an identifier, whose time
// is zero, or whose amount does not fit t's minor units (then the caller
// applies it with Apply, which says what is wrong or keeps the exact
// amount). Every code must have been given by t.
func (t *Table) AppendCoded(r *Coded) bool {
	if t.log == nil || len(r.ID) == 0 || r.Time.IsZero() || int(r.Kind) > len(t.Segs) || r.Kind == 0 {
		return false
	}
	id := unsafe.String(unsafe.SliceData(r.ID), len(r.ID))
	num := r.IDNum
	if !r.IDNumKnown {
		num = idNumber(id)
	}
	if num == notNumeric && display.IDProblem(id) != "" {
		return false
	}
	amount := NoAmount
	if r.Amount != NoAmount {
		if r.Places < 0 || r.Places > MaxScale {
			return false
		}
		if r.Places > t.Scale {
			t.rescale(r.Places)
		}
		f := pow10[t.Scale-r.Places]
		if amount = r.Amount * f; amount/f != r.Amount || amount <= BigAmount {
			return false
		}
	}
	if num == notNumeric {
		t.log.strIDs++
	}
	si, s := t.segmentFor(r.Kind)
	t.logVersion(si, num)
	t.pushRow(s, id, r.Time, r.Actor, amount, r.Cur, r.Attrs)
	t.live++
	return true
}

// pushRow appends a row to s: amount in the table's minor units (NoAmount,
// BigAmount), cur 0 when none, attrs its attributes' codes (a coded
// version is known always: its known column, if any, gets 0). It is
// appendRow's append for a version coded already (AppendCoded); appendRow
// keeps the same steps in one function of its own, for Apply: calling
// segmentFor and pushRow from it cost BenchmarkImportWorkload 4-5 % a
// version.
func (t *Table) pushRow(s *Segment, id string, tm time.Time, actor uint32, amount int64, cur uint32, attrs []AttrCode) {
	row := s.N
	t.rows++
	if n := len(s.idBuf); n+len(id) > cap(s.idBuf) {
		s.idBuf = pushString(s.idBuf, id)
	} else {
		// A slice of itself: only the length is written back (an append
		// of several bytes writes the pointer too).
		s.idBuf = s.idBuf[:n+len(id)]
		copy(s.idBuf[n:], id)
	}
	pushTo(&s.idEnd, uint32(len(s.idBuf)))
	pushTo(&s.Actor, actor)
	pushTo(&s.Day, int32(t.zones.day(tm)))
	pushTo(&s.TS, tm.UnixNano())
	if amount != NoAmount {
		if s.Amount == nil {
			s.Amount = make([]int64, row, max(row+1, cap(s.Day)))
			for i := range s.Amount {
				s.Amount[i] = NoAmount
			}
		}
		pushTo(&s.Amount, amount)
	} else if s.Amount != nil {
		pushTo(&s.Amount, NoAmount)
	}
	if cur != 0 || s.Cur.n > 0 {
		s.Cur.padTo(row)
		s.Cur.append(cur)
	}
	for _, a := range attrs {
		for len(s.Attrs) <= a.Attr {
			s.Attrs = append(s.Attrs, codeCol{})
		}
		s.Attrs[a.Attr].put(row, a.Code)
	}
	if s.known != nil {
		pushTo(&s.known, 0)
	}
	s.N++
}

// pushTo is *p = push(*p, v). The compiler writes only the length back
// when *p has room (as for s = append(s, v)): a store of the slice's
// pointer would take the collector's write barrier, for every column of
// every row, while it marks (about a tenth of a load's instructions). push
// is append, so the one append tests the room once (a test of its own
// before it tested it twice).
func pushTo[T any](p *[]T, v T) { *p = append(*p, v) }

// KindCode returns the code of a kind in t's dictionary.
func (t *Table) KindCode(kind string) (uint32, bool) { return t.kinds.lookup(kind) }

// CurrencyCode returns the code of a currency in t's dictionary.
func (t *Table) CurrencyCode(cur string) (uint32, bool) { return t.curs.lookup(cur) }

// ValueCode returns the code of a value of attribute i (Attr) that t holds.
func (t *Table) ValueCode(i int, v any) (uint32, bool) {
	if i < 0 || i >= len(t.attrVals) {
		return 0, false
	}
	d := t.attrVals[i]
	if c, ok := d.cache.get(v); ok {
		return c, true
	}
	switch x := v.(type) {
	case string:
		c, ok := d.strs[x]
		return c, ok
	case int64:
		c, ok := d.ints[x]
		return c, ok
	case int:
		return t.ValueCode(i, int64(x))
	case int32:
		return t.ValueCode(i, int64(x))
	}
	_, k, err := normalize(v)
	if err != nil {
		return 0, false
	}
	c, ok := d.codes[k]
	return c, ok
}

// Cut returns the rows the chunk t took since it was made or last cut, as
// a chunk for Stitch or Merge, and leaves t without them: t keeps its
// dictionaries and scale, so that it codes the next rows with the same
// codes. The chunk returned reads t's dictionaries as they are now; t only
// appends to them. reuse, when not nil, is a chunk Cut returned before
// that was stitched since: t's next rows go into its columns' memory.
func (t *Table) Cut(reuse *Table) *Table {
	if t.memo == nil {
		t.memo = &stitchMemo{}
	}
	c := &Table{loc: t.loc, Scale: t.Scale, live: t.live, rows: t.rows, log: t.log, memo: t.memo,
		kinds: t.kinds.snapshot(), actors: t.actors.snapshot(), curs: t.curs.snapshot(), attrIdx: t.attrIdx.snapshot()}
	c.attrVals = make([]*valueDict, len(t.attrVals))
	for i, d := range t.attrVals {
		c.attrVals[i] = &valueDict{vals: d.vals[:len(d.vals):len(d.vals)]}
	}
	c.Segs = make([]*Segment, len(t.Segs))
	for i, s := range t.Segs {
		c.Segs[i] = s
		if reuse != nil && i < len(reuse.Segs) {
			t.Segs[i] = reuse.Segs[i].emptied()
			continue
		}
		n := s.N + s.N/8
		t.Segs[i] = &Segment{Kind: s.Kind, loc: s.loc, idEnd: make([]uint32, 0, n), idBuf: make([]byte, 0, len(s.idBuf)+len(s.idBuf)/8),
			Actor: make([]uint32, 0, n), Day: make([]int32, 0, n), TS: make([]int64, 0, n)}
	}
	t.log = &chunkLog{}
	if reuse != nil {
		l := reuse.log
		t.log.order, t.log.retBuf, t.log.retEnd = l.order[:0], l.retBuf[:0], l.retEnd[:0]
	} else {
		// The next block is likely about the size of this one: its log
		// need not grow from nothing, by doubling.
		t.log.order = make([]uint64, 0, len(c.log.order)+len(c.log.order)/8)
	}
	t.live, t.rows = 0, 0
	return c
}

// emptied returns s without rows, in the memory of its columns (those
// whose form a new row starts in).
func (s *Segment) emptied() *Segment {
	e := &Segment{Kind: s.Kind, loc: s.loc, idEnd: s.idEnd[:0], idBuf: s.idBuf[:0], Actor: s.Actor[:0], Day: s.Day[:0], TS: s.TS[:0]}
	e.Cur.w8 = s.Cur.w8[:0]
	if len(s.Attrs) > 0 {
		e.Attrs = make([]codeCol, len(s.Attrs))
		for i := range s.Attrs {
			e.Attrs[i].w8 = s.Attrs[i].w8[:0]
		}
	}
	return e
}

// stitchMemo is what the chunks cut from one chunk share: how the last of
// them stitched translated its codes into the table to (Stitch), so that
// the next one looks up only the values new since. Only the goroutine
// that stitches reads or writes it.
type stitchMemo struct {
	to *Table
	m  chunkMap
}

// snapshot is d's values as they are now, for reading only.
func (d *strDict) snapshot() strDict { return strDict{vals: d.vals[:len(d.vals):len(d.vals)]} }

// Stitch appends the versions of the chunk c (NewChunk, Cut) to t, as
// Merge([]*Table{c}, 1) would, but without copying t's columns: they grow
// as Apply grows them (to each kind's share of the events Grow expects,
// else by a quarter), so that a file can be stitched block by block, in
// order, as its blocks are coded. It checks the limits first, as Merge
// does, and leaves t as it was if c is refused. c is not usable
// afterwards.
func (t *Table) Stitch(c *Table) error {
	t.settle() // rows are read and moved below (see CopyAside)
	if err := t.checkMerge([]*Table{c}); err != nil {
		return err
	}
	if c.Scale > t.Scale {
		t.rescale(c.Scale)
	}
	var m chunkMap
	if c.memo != nil && c.memo.to == t {
		m = t.extendMap(c.memo.m, c)
	} else {
		m = t.mapChunk(c)
	}
	if c.memo != nil {
		c.memo.to, c.memo.m = t, m
	}
	m.start = make([]int, len(c.Segs))
	rows := 0
	for _, cs := range c.Segs {
		rows += cs.N
	}
	for ls, cs := range c.Segs {
		s := t.Segs[m.seg[ls]]
		m.start[ls] = s.N
		if cs.N > 0 {
			t.growFor(s, cs, rows)
			s.stitch(piece{s: cs, m: &m, start: s.N, scale: c.Scale}, t.Scale)
		}
	}
	if c.log.strIDs > 0 && t.growIDs > 0 {
		t.ids.reserve(t.growIDs, t.idOf)
		t.growIDs = 0
	}
	kills := t.resolve([]*Table{c}, []chunkMap{m}, t.idOf)
	t.rows += rows
	t.live += rows
	for _, k := range kills {
		t.kill(k.ref, k.retracted)
	}
	return nil
}

// growFor makes room in s for the rows of cs, with the table about to
// take rows rows in all: for the share of the rows Grow expects that s's
// rows so far project, or a quarter more.
func (t *Table) growFor(s *Segment, cs *Segment, rows int) {
	want := s.N + cs.N
	if want > cap(s.Day) {
		n := max(want, cap(s.Day)+cap(s.Day)/4)
		if all := t.rows + rows; t.expect > all {
			n = max(n, int(int64(want)*int64(t.expect)/int64(all)*21/20))
		}
		s.reserve(n)
		s.idEnd = reserve(s.idEnd, n)
	}
	if b := len(s.idBuf) + len(cs.idBuf); b > cap(s.idBuf) {
		s.idBuf = reserve(s.idBuf, max(b, int(int64(b)*int64(cap(s.Day))/int64(want))))
	}
	if cs.Amount != nil && s.Amount == nil {
		s.Amount = make([]int64, s.N, cap(s.Day))
		for i := range s.Amount {
			s.Amount[i] = NoAmount
		}
	}
	if s.Amount != nil {
		s.Amount = reserve(s.Amount, cap(s.Day))
	}
	if cs.known != nil && s.known == nil {
		s.known = make([]int64, s.N, cap(s.Day))
	}
	if s.known != nil {
		s.known = reserve(s.known, cap(s.Day))
	}
}

// stitch appends the rows of p to s, whose columns have room for them.
func (s *Segment) stitch(p piece, scale int32) {
	cs, n := p.s, p.s.N
	ps := []piece{p}
	s.mergeIDs(ps, n)
	s.Actor = mapCodes(s.Actor, cs.Actor[:n], p.m.actors)
	s.Day = append(s.Day, cs.Day[:n]...)
	s.TS = append(s.TS, cs.TS[:n]...)
	s.mergeKnown(ps, n)
	s.mergeAmounts(ps, n, scale)
	if cs.Cur.n > 0 {
		s.Cur.padTo(p.start)
		s.Cur.appendMapped(&cs.Cur, p.m.curs)
	}
	if s.Cur.n > 0 {
		s.Cur.padTo(p.start + n)
	}
	for la := range cs.Attrs {
		col := &cs.Attrs[la]
		if col.n == 0 {
			continue
		}
		ai, codes := p.m.attrs[la], p.m.vals[la]
		for len(s.Attrs) <= ai {
			s.Attrs = append(s.Attrs, codeCol{})
		}
		to := &s.Attrs[ai]
		if col.set == n && to.fullFrom(p.start) {
			// A value in every row, after a column dense enough to stay
			// so: what put would do row by row.
			to.set += n
			to.appendMapped(col, codes)
			continue
		}
		col.each(func(row int, code uint32) { to.put(p.start+row, codes[code]) })
	}
	s.N += n
}

// fullFrom reports whether put, from row start on, of a value in every row
// would append each to c as it is: c is dense, ends at start, and holds
// enough values not to turn sparse.
func (c *codeCol) fullFrom(start int) bool {
	return !c.sparse && c.n == start && start+1 <= sparsifyEvery*(c.set+1)
}

// appendMapped appends the codes of the dense column from, translated by
// codes, as append would one by one.
func (c *codeCol) appendMapped(from *codeCol, codes []uint32) {
	switch {
	case from.w32 != nil:
		appendCodes(c, from.w32[:from.n], codes)
	case from.w16 != nil:
		appendCodes(c, from.w16[:from.n], codes)
	default:
		appendCodes(c, from.w8[:from.n], codes)
	}
}

func appendCodes[T codeInt](c *codeCol, src []T, codes []uint32) {
	// Widen first to the widest code appended, as append would on the way.
	// When the column's width holds every code of the map (the common
	// case: a map is a dictionary's few values), no code of src is past
	// it and src need not be read for it.
	top := uint32(0)
	if len(codes) <= len(src) {
		for _, v := range codes {
			top = max(top, v)
		}
	}
	if len(codes) > len(src) || !c.holds(top) {
		top = 0
		for _, v := range src {
			top = max(top, codes[v])
		}
	}
	c.grow(top)
	switch {
	case c.w32 != nil:
		c.w32 = mapCodes(c.w32, src, codes)
	case c.w16 != nil:
		c.w16 = mapCodes(c.w16, src, codes)
	default:
		c.w8 = mapCodes(c.w8, src, codes)
	}
	c.n += len(src)
}

// holds reports whether the dense column c holds code without widening.
func (c *codeCol) holds(code uint32) bool {
	switch {
	case c.w32 != nil:
		return true
	case c.w16 != nil:
		return code <= 0xffff
	}
	return code <= 0xff
}

// mapCodes appends the codes of src, translated by codes, to dst, whose
// width holds every one of them: a store a row into memory reserved once,
// not an append (whose length is written back at every row). A byte-wide
// src is translated by a table of 256 entries, read without a bounds check.
func mapCodes[D, S codeInt](dst []D, src []S, codes []uint32) []D {
	dst = room(dst, len(src))
	n := len(dst)
	dst = dst[:n+len(src)]
	out := dst[n:]
	out = out[:len(src)]
	if b, ok := any(src).([]uint8); ok && len(codes) <= 256 {
		var lut [256]D
		for i, c := range codes {
			lut[i] = D(c)
		}
		out = out[:len(b)]
		for i, v := range b {
			out[i] = lut[v]
		}
		return dst
	}
	for i, v := range src {
		out[i] = D(codes[v])
	}
	return dst
}

// room returns s with room for add more elements, grown as push grows it.
func room[T any](s []T, add int) []T {
	if cap(s)-len(s) >= add {
		return s
	}
	return reserve(s, max(len(s)+add, cap(s)+cap(s)/4))
}
