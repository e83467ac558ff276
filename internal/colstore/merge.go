package colstore

import (
	"fmt"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/shopspring/decimal"
)

// Merge appends the event versions of chunks (NewChunk) to t, in order: t
// ends as it would had every version been applied to it with Apply, one
// chunk after the other. The chunks' dictionaries are merged into t's, each
// column is copied once into a column of exactly the size it needs (workers
// goroutines copy them, segment by segment and column by column), and then
// the ids are resolved in order: a version of an id t or an earlier version
// holds replaces it, a retraction kills it.
//
// Merge checks the limits first: chunks dated in another zone than t, or
// that would take t past its kinds or attribute names, are refused and t is
// left as it was. The chunks are not usable afterwards.
func (t *Table) Merge(chunks []*Table, workers int) error {
	t.settle() // rows are read and moved below (see CopyAside)
	if err := t.checkMerge(chunks); err != nil {
		return err
	}
	scale := t.Scale
	for _, c := range chunks {
		scale = max(scale, c.Scale)
	}
	if scale > t.Scale {
		t.rescale(scale)
	}
	maps := make([]chunkMap, len(chunks))
	for i, c := range chunks {
		maps[i] = t.mapChunk(c)
	}
	// Plan every segment's new rows: where each chunk's rows of it start.
	added := make([]int, len(t.Segs))
	for i, c := range chunks {
		m := &maps[i]
		m.start = make([]int, len(c.Segs))
		for ls, s := range c.Segs {
			g := m.seg[ls]
			m.start[ls] = t.Segs[g].N + added[g]
			added[g] += s.N
		}
	}
	// The ids are resolved on one goroutine while the columns are copied
	// on the others: the index reads ids from the chunks and the rows t
	// held before (ix), and the rows it replaces or retracts are killed
	// once the columns are in place.
	ix := &mergeIndex{oldN: make([]int, len(t.Segs)), oldBuf: make([][]byte, len(t.Segs)),
		oldEnd: make([][]uint32, len(t.Segs)), pieces: make([][]piece, len(t.Segs))}
	var kills []kill
	tasks := []func(){func() { kills = t.resolve(chunks, maps, ix.idOf) }}
	for g, s := range t.Segs {
		ix.oldN[g], ix.oldBuf[g], ix.oldEnd[g] = s.N, s.idBuf, s.idEnd
		if added[g] == 0 {
			continue
		}
		var ps []piece
		for i, c := range chunks {
			for ls, cs := range c.Segs {
				if maps[i].seg[ls] == g && cs.N > 0 {
					ps = append(ps, piece{s: cs, m: &maps[i], start: maps[i].start[ls], scale: c.Scale})
				}
			}
		}
		ix.pieces[g] = ps
		tasks = append(tasks, s.mergeTasks(ps, added[g], scale, len(t.attrVals))...)
	}
	run(tasks, workers)
	rows := 0
	for g, s := range t.Segs {
		s.N += added[g]
		rows += added[g]
	}
	t.rows += rows
	t.live += rows
	for _, k := range kills {
		t.kill(k.ref, k.retracted)
	}
	return nil
}

// mergeIndex reads the id of a row while Merge copies the columns: from
// the columns t held before, or from the chunk the row comes from.
type mergeIndex struct {
	oldN   []int // rows of each segment before the merge
	oldBuf [][]byte
	oldEnd [][]uint32
	pieces [][]piece // the new rows of each segment, by start
}

func (x *mergeIndex) idOf(ref uint64) string {
	g, row := unpackRef(ref)
	if row < x.oldN[g] {
		return idAt(x.oldBuf[g], x.oldEnd[g], row)
	}
	ps := x.pieces[g]
	k := sort.Search(len(ps), func(i int) bool { return ps[i].start > row }) - 1
	return ps[k].s.ID(row - ps[k].start)
}

// kill is a row to kill once the columns are in place.
type kill struct {
	ref       uint64
	retracted bool
}

// checkMerge refuses chunks Merge cannot take.
func (t *Table) checkMerge(chunks []*Table) error {
	kinds := map[string]struct{}{}
	names := map[string]struct{}{}
	for _, c := range chunks {
		if c.log == nil {
			return fmt.Errorf("colstore: merge of a table that is not a chunk")
		}
		if c.loc != t.loc {
			return fmt.Errorf("events dated in %v cannot join a table dated in %v", c.loc, t.loc)
		}
		for _, k := range c.kinds.vals[1:] {
			if !t.hasKind(k) {
				kinds[k] = struct{}{}
			}
		}
		for _, n := range c.attrIdx.vals[1:] {
			if _, ok := t.attrIdx.lookup(n); !ok {
				names[n] = struct{}{}
			}
		}
	}
	if t.Kinds()+len(kinds) > MaxKinds {
		return t.firstKindPast(chunks)
	}
	if t.AttrNames()+len(names) > MaxAttrNames {
		return t.firstNamePast(chunks)
	}
	return nil
}

// firstNamePast returns Apply's error for the first version of chunks, in
// order, whose attribute name is one too many for t.
func (t *Table) firstNamePast(chunks []*Table) error {
	added := map[string]struct{}{}
	err := eachVersion(chunks, func(c *Table, s *Segment, row int) error {
		for la := range s.Attrs {
			if s.Attrs[la].Get(row) == 0 {
				continue
			}
			name := c.attrIdx.vals[la+1]
			if _, ok := t.attrIdx.lookup(name); ok {
				continue
			}
			if _, ok := added[name]; ok {
				continue
			}
			if t.AttrNames()+len(added) >= MaxAttrNames {
				return tooManyNames(s.ID(row), name)
			}
			added[name] = struct{}{}
		}
		return nil
	})
	if err != nil {
		return err
	}
	return fmt.Errorf("too many attribute names: %d (at most %d)", t.AttrNames()+len(added), MaxAttrNames)
}

// firstKindPast returns Apply's error for the first version of chunks, in
// order, whose kind is one too many for t.
func (t *Table) firstKindPast(chunks []*Table) error {
	added := map[string]struct{}{}
	err := eachVersion(chunks, func(_ *Table, s *Segment, row int) error {
		if _, ok := added[s.Kind]; ok || t.hasKind(s.Kind) {
			return nil
		}
		if t.Kinds()+len(added) >= MaxKinds {
			return tooManyKinds(s.ID(row))
		}
		added[s.Kind] = struct{}{}
		return nil
	})
	if err != nil {
		return err
	}
	return fmt.Errorf("too many event kinds: %d (at most %d)", t.Kinds()+len(added), MaxKinds)
}

// eachVersion calls fn with the row of every version of chunks that is
// not a retraction, in the order they were added, until fn returns an
// error, which it returns as a *Refused naming the version's place.
func eachVersion(chunks []*Table, fn func(c *Table, s *Segment, row int) error) error {
	for i, c := range chunks {
		rows := make(rowCounter, len(c.Segs))
		for at, o := range c.log.order {
			if o&retracted != 0 {
				continue
			}
			ls := loggedSeg(o)
			if err := fn(c, c.Segs[ls], rows.next(ls)); err != nil {
				return &Refused{Chunk: i, Version: at, Err: err}
			}
		}
	}
	return nil
}

// Refused is Merge's error for a version its chunks refuse together (a
// limit they pass): Err, Apply's error for the version, is that of the
// version Version (counted from 0 in the order the chunk took them,
// retractions included) of chunk Chunk (its index in Merge's chunks), so
// that a caller that knows where each version came from (a file's line)
// can name it.
type Refused struct {
	Chunk, Version int
	Err            error
}

func (e *Refused) Error() string { return e.Err.Error() }

func (e *Refused) Unwrap() error { return e.Err }

// chunkMap translates a chunk's codes into its table's.
type chunkMap struct {
	seg    []int    // global segment of each of the chunk's
	start  []int    // global row of the first row of each of the chunk's segments
	actors []uint32 // by the chunk's code
	curs   []uint32
	attrs  []int      // global attribute index of each of the chunk's
	vals   [][]uint32 // by the chunk's attribute index and code
}

// mapChunk adds c's dictionaries to t's and returns the translation.
func (t *Table) mapChunk(c *Table) chunkMap { return t.extendMap(chunkMap{}, c) }

// extendMap is mapChunk for a chunk whose dictionaries start with those m
// translates (chunks cut from one chunk: Cut): only the values past them
// are looked up.
func (t *Table) extendMap(m chunkMap, c *Table) chunkMap {
	for ls := len(m.seg); ls < len(c.Segs); ls++ {
		s := c.Segs[ls]
		kc := t.kinds.code(s.Kind)
		if int(kc) > len(t.Segs) {
			t.Segs = append(t.Segs, &Segment{Kind: s.Kind, loc: t.loc})
		}
		m.seg = append(m.seg, int(kc)-1)
	}
	m.actors = dictMap(m.actors, &t.actors, &c.actors)
	m.curs = dictMap(m.curs, &t.curs, &c.curs)
	for la := len(m.attrs); la < len(c.attrVals); la++ {
		ai := int(t.attrIdx.code(c.attrIdx.vals[la+1])) - 1
		for ai >= len(t.attrVals) {
			t.attrVals = append(t.attrVals, newValueDict())
		}
		m.attrs = append(m.attrs, ai)
		m.vals = append(m.vals, []uint32{0})
	}
	for la, d := range c.attrVals {
		ai := m.attrs[la]
		for code := len(m.vals[la]); code < len(d.vals); code++ {
			// The chunk's values are already normalized: lookup cannot fail.
			v, _ := t.attrVals[ai].lookup(d.vals[code])
			m.vals[la] = append(m.vals[la], v)
		}
	}
	return m
}

// dictMap extends m, the codes in to of a prefix of from's values, to all
// of them.
func dictMap(m []uint32, to, from *strDict) []uint32 {
	if len(m) == 0 {
		m = make([]uint32, 1, len(from.vals))
	}
	for i := len(m); i < len(from.vals); i++ {
		m = append(m, to.code(from.vals[i]))
	}
	return m
}

// piece is one chunk's rows of a segment.
type piece struct {
	s     *Segment
	m     *chunkMap
	start int // the global row of its first row
	scale int32
}

// mergeTasks returns the work of appending pieces (add rows in all) to s,
// column by column; the tasks write distinct columns and may run at once.
func (s *Segment) mergeTasks(ps []piece, add int, scale int32, attrs int) []func() {
	tasks := []func(){
		func() { s.mergeIDs(ps, add) },
		func() {
			s.Actor = extend(s.Actor, add)
			for _, p := range ps {
				for _, a := range p.s.Actor[:p.s.N] {
					s.Actor = append(s.Actor, p.m.actors[a])
				}
			}
		},
		func() {
			s.Day, s.TS = extend(s.Day, add), extend(s.TS, add)
			for _, p := range ps {
				s.Day = append(s.Day, p.s.Day[:p.s.N]...)
				s.TS = append(s.TS, p.s.TS[:p.s.N]...)
			}
			s.mergeKnown(ps, add)
		},
		func() { s.mergeAmounts(ps, add, scale) },
		func() {
			cs := make([]colPiece, 0, len(ps))
			for _, p := range ps {
				cs = append(cs, colPiece{col: &p.s.Cur, start: p.start, codes: p.m.curs})
			}
			s.Cur = mergeCol(&s.Cur, cs, false)
		},
	}
	// One task per attribute any piece has; s.Attrs is extended first, so
	// that the tasks' columns stay where they are.
	cols := make([][]colPiece, attrs)
	for ai := range cols {
		for _, p := range ps {
			for la, g := range p.m.attrs {
				if g == ai && la < len(p.s.Attrs) && p.s.Attrs[la].n > 0 {
					cols[ai] = append(cols[ai], colPiece{col: &p.s.Attrs[la], start: p.start, codes: p.m.vals[la]})
				}
			}
		}
		if len(cols[ai]) > 0 {
			for len(s.Attrs) <= ai {
				s.Attrs = append(s.Attrs, codeCol{})
			}
		}
	}
	for ai, cs := range cols {
		if len(cs) > 0 {
			col := &s.Attrs[ai]
			tasks = append(tasks, func() { *col = mergeCol(col, cs, true) })
		}
	}
	return tasks
}

// extend returns s with room for exactly add more elements.
func extend[T any](s []T, add int) []T {
	if cap(s)-len(s) >= add {
		return s
	}
	n := make([]T, len(s), len(s)+add)
	copy(n, s)
	return n
}

func (s *Segment) mergeIDs(ps []piece, add int) {
	bytes := 0
	for _, p := range ps {
		bytes += len(p.s.idBuf)
	}
	s.idBuf = extend(s.idBuf, bytes)
	s.idEnd = extend(s.idEnd, add)
	for _, p := range ps {
		base := uint32(len(s.idBuf))
		s.idBuf = append(s.idBuf, p.s.idBuf...)
		// Stored into the room extend made: an append would write the
		// length back at every row.
		from := p.s.idEnd[:p.s.N]
		n := len(s.idEnd)
		s.idEnd = s.idEnd[:n+len(from)]
		out := s.idEnd[n:]
		out = out[:len(from)]
		for i, e := range from {
			out[i] = base + e
		}
	}
}

func (s *Segment) mergeKnown(ps []piece, add int) {
	need := s.known != nil
	for _, p := range ps {
		need = need || p.s.known != nil
	}
	if !need {
		return
	}
	if s.known == nil {
		s.known = make([]int64, s.N, s.N+add)
	}
	s.known = extend(s.known, add)
	for _, p := range ps {
		if p.s.known == nil {
			s.known = append(s.known, make([]int64, p.s.N)...)
		} else {
			s.known = append(s.known, p.s.known[:p.s.N]...)
		}
	}
}

// mergeAmounts appends the pieces' amounts, raised to scale (a piece's
// amount that does not fit moves to Big, as rescale does).
func (s *Segment) mergeAmounts(ps []piece, add int, scale int32) {
	need := s.Amount != nil
	for _, p := range ps {
		need = need || p.s.Amount != nil
	}
	if !need {
		return
	}
	if s.Amount == nil {
		s.Amount = make([]int64, s.N, s.N+add)
		for i := range s.Amount {
			s.Amount[i] = NoAmount
		}
	}
	s.Amount = extend(s.Amount, add)
	for _, p := range ps {
		if p.s.Amount == nil {
			for range p.s.N {
				s.Amount = append(s.Amount, NoAmount)
			}
			continue
		}
		if scale == p.scale && len(p.s.Big) == 0 {
			// Every amount stays as it is (none is BigAmount: each of
			// those has its value in Big).
			s.Amount = append(s.Amount, p.s.Amount[:p.s.N]...)
			continue
		}
		f := int64(1)
		for range scale - p.scale {
			f *= 10
		}
		for i, a := range p.s.Amount[:p.s.N] {
			switch {
			case a == NoAmount:
			case a == BigAmount:
				s.bigAt(p.start+i, p.s.Big[int32(i)])
			default:
				if r := a * f; r/f == a && r > BigAmount {
					a = r
				} else {
					s.bigAt(p.start+i, decimal.New(a, -p.scale))
					a = BigAmount
				}
			}
			s.Amount = append(s.Amount, a)
		}
	}
}

func (s *Segment) bigAt(row int, d decimal.Decimal) {
	if s.Big == nil {
		s.Big = map[int32]decimal.Decimal{}
	}
	s.Big[int32(row)] = d
}

// colPiece is one chunk's code column of a segment.
type colPiece struct {
	col   *codeCol
	start int      // the global row of its first row
	codes []uint32 // its codes in the table's dictionary
}

// each calls fn with every row of c that holds a code other than 0.
func (c *codeCol) each(fn func(row int, code uint32)) {
	if c.sparse {
		for k, r := range c.sRows {
			fn(int(r), c.sCodes[k])
		}
		return
	}
	switch {
	case c.w32 != nil:
		eachCode(c.w32, fn)
	case c.w16 != nil:
		eachCode(c.w16, fn)
	default:
		eachCode(c.w8, fn)
	}
}

func eachCode[T codeInt](codes []T, fn func(int, uint32)) {
	for i, v := range codes {
		if v != 0 {
			fn(i, uint32(v))
		}
	}
}

// mergeCol returns old followed by the pieces, in a column of exactly the
// width and length they need. An attribute column (put) is dense when at
// least one row in sixteen holds a value, between the two ratios at which
// put changes a column's form, and sparse otherwise; a currency column is
// always dense.
func mergeCol(old *codeCol, ps []colPiece, attr bool) codeCol {
	n, set, top := old.n, old.set, uint32(0)
	old.each(func(_ int, code uint32) { top = max(top, code) })
	for _, p := range ps {
		if p.col.n > 0 {
			n = max(n, p.start+p.col.n)
		}
		set += p.col.set
		for _, code := range p.codes {
			top = max(top, code)
		}
	}
	if n == old.n {
		return *old
	}
	if attr && n > 16*set {
		c := codeCol{n: n, set: set, sparse: true, sRows: make([]int64, 0, set), sCodes: make([]uint32, 0, set)}
		add := func(row int, code uint32) {
			c.sRows = append(c.sRows, int64(row))
			c.sCodes = append(c.sCodes, code)
		}
		old.each(add)
		for _, p := range ps {
			p.col.each(func(row int, code uint32) { add(p.start+row, p.codes[code]) })
		}
		return c
	}
	c := codeCol{n: n, set: set}
	var put func(row int, code uint32)
	switch {
	case top > 0xffff:
		c.w32 = make([]uint32, n)
		put = func(row int, code uint32) { c.w32[row] = code }
	case top > 0xff:
		c.w16 = make([]uint16, n)
		put = func(row int, code uint32) { c.w16[row] = uint16(code) }
	default:
		c.w8 = make([]uint8, n)
		put = func(row int, code uint32) { c.w8[row] = uint8(code) }
	}
	old.each(put)
	for _, p := range ps {
		p.col.each(func(row int, code uint32) { put(p.start+row, p.codes[code]) })
	}
	return c
}

// resolve applies the chunks' ids to the index in order, as Apply does,
// and returns the rows their versions replace or retract, in order, for
// the caller to kill once the columns are in place. idOf reads the id of
// a row of t or of a chunk.
func (t *Table) resolve(chunks []*Table, maps []chunkMap, idOf func(uint64) string) []kill {
	strIDs := 0
	for _, c := range chunks {
		strIDs += c.log.strIDs
	}
	if strIDs > 0 {
		t.ids.reserve(t.ids.n+strIDs, idOf)
		t.growIDs = 0
	}
	var kills []kill
	var base []uint64
	for i, c := range chunks {
		m := &maps[i]
		// base[ls] is the ref in t of the first row of the chunk's
		// segment ls: a row's ref is base's plus the row.
		base = base[:0]
		for ls, start := range m.start {
			base = append(base, packRef(m.seg[ls], start))
		}
		rows := make(rowCounter, len(c.Segs))
		for _, o := range c.log.order {
			if o&retracted != 0 {
				if ref, ok := t.ids.lookup(c.log.retractedID(int(o&^retracted)), idOf); ok {
					kills = append(kills, kill{ref, true})
				}
				continue
			}
			ls := loggedSeg(o)
			lr := rows.next(ls)
			ref := base[ls] + uint64(lr)
			if o&strID == 0 {
				n := o & numMask
				// pageSlot's first look, inline: ids mostly come in runs.
				var p *uint64
				if x := &t.ids; x.lastPage != nil && x.lastKey == n>>pageBits {
					p = &x.lastPage[n&(1<<pageBits-1)]
				} else {
					p = x.pageSlot(n, true)
				}
				if *p != 0 {
					kills = append(kills, kill{*p, false})
				}
				*p = ref
				continue
			}
			id := c.Segs[ls].ID(lr)
			slot, tag, found := t.ids.find(id, idOf)
			if found {
				kills = append(kills, kill{t.ids.slots[slot], false})
			}
			t.ids.set(slot, tag, ref, !found, idOf)
		}
	}
	return kills
}

// run runs tasks on up to workers goroutines and waits for them.
func run(tasks []func(), workers int) {
	workers = min(max(workers, 1), len(tasks))
	if workers <= 1 {
		for _, f := range tasks {
			f()
		}
		return
	}
	var next atomic.Int64
	var wg sync.WaitGroup
	for range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := int(next.Add(1)) - 1
				if i >= len(tasks) {
					return
				}
				tasks[i]()
			}
		}()
	}
	wg.Wait()
}
