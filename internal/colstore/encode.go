package colstore

import (
	"fmt"
	"maps"
	"math"
	"math/big"
	"runtime"
	"sync"
	"time"
	"unsafe"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/shopspring/decimal"
)

// The binary form of a table (Frozen.Encode, Decode). It holds what cannot
// be derived: the dictionaries and, segment by segment, the columns of every
// row, dead ones included. The local dates, which rows are dead and the id
// index are derived on Decode from the instants and from the order in which
// the versions were applied, which the caller keeps (a tracker's log) and
// hands to Decode; so the same bytes serve a table dated in another zone.
//
//	table    = scale:int64 kinds:strs actors:strs currencies:strs names:strs
//	           attrs:u64 (values:u64 value*)* segments:u64 segment*
//	strs     = count:u64 string*            (the codes from 1 on; 0 is none)
//	string   = len:u64 bytes
//	value    = 's' string | 'i' int64 | 'b' byte | 'd' decimal
//	         | 't' unix:int64 nanos:int64 offset:int64 zone:string abbreviation:string
//	decimal  = exponent:int64 sign:byte magnitude:string
//	segment  = rows:u64 idEnds:u32[rows] ids:string actors:u32[rows]
//	           instants:int64[rows] (0 | 1 amounts:int64[rows] bigs:u64 (row:u64 decimal)*)
//	           currencies:codes attrs:u64 codes* (0 | 1 known:int64[rows])
//	           (known: unix nanoseconds; 0 known always, math.MinInt64 at the epoch)
//	codes    = form:byte rows:u64 set:u64 (u8|u16|u32)[rows]    (form 1, 2, 3: dense)
//	         | 4 rows:u64 set:u64 pairs:u64 row:int64[pairs] code:u32[pairs]
//	         | 0 rows:u64 set:u64                                (empty)
//
// A segment's kind is the kind with its code. Integers are little-endian.

// Frozen is a table as it was when Freeze was called, for Encode: the
// table may take more versions meanwhile. It shares the table's columns,
// which grow only past their ends (a column that changes otherwise is
// replaced by a new one, never written in place).
type Frozen struct {
	scale    int32
	loc      *time.Location
	kinds    []string
	actors   []string
	curs     []string
	names    []string
	attrVals [][]any
	segs     []frozenSeg
}

type frozenSeg struct {
	kind   string
	n      int
	idEnd  []uint32
	idBuf  []byte
	actor  []uint32
	ts     []int64
	amount []int64
	big    map[int32]decimal.Decimal
	cur    codeCol
	attrs  []codeCol
	known  []int64
}

// Freeze returns the table as it is now. It costs time in the number of
// segments, attributes and amounts too big for int64, not in rows; the
// caller holds the table still while it runs.
func (t *Table) Freeze() *Frozen {
	t.Settle()
	f := &Frozen{scale: t.Scale, loc: t.loc, kinds: t.kinds.vals, actors: t.actors.vals, curs: t.curs.vals, names: t.attrIdx.vals}
	for _, d := range t.attrVals {
		f.attrVals = append(f.attrVals, d.vals)
	}
	for _, s := range t.Segs {
		fs := frozenSeg{kind: s.Kind, n: s.N, idEnd: s.idEnd[:s.N], actor: s.Actor[:s.N], ts: s.TS[:s.N],
			cur: s.Cur, attrs: append([]codeCol(nil), s.Attrs...), big: maps.Clone(s.Big)}
		if s.N > 0 {
			fs.idBuf = s.idBuf[:s.idEnd[s.N-1]]
		}
		if s.Amount != nil {
			fs.amount = s.Amount[:s.N]
		}
		if s.known != nil {
			fs.known = s.known[:s.N]
		}
		f.segs = append(f.segs, fs)
	}
	return f
}

// Encode writes the frozen table to w.
func (f *Frozen) Encode(w *Writer) {
	w.Int(int64(f.scale))
	for _, d := range [][]string{f.kinds, f.actors, f.curs, f.names} {
		w.Uint(uint64(len(d) - 1))
		for _, s := range d[1:] {
			w.String(s)
		}
	}
	w.Uint(uint64(len(f.attrVals)))
	for _, vals := range f.attrVals {
		w.Uint(uint64(len(vals) - 1))
		for _, v := range vals[1:] {
			writeValue(w, v)
		}
	}
	w.Uint(uint64(len(f.segs)))
	for i := range f.segs {
		s := &f.segs[i]
		w.Uint(uint64(s.n))
		WriteElems(w, s.idEnd)
		w.Bytes(s.idBuf)
		WriteElems(w, s.actor)
		WriteElems(w, s.ts)
		if s.amount == nil {
			w.Byte(0)
		} else {
			w.Byte(1)
			WriteElems(w, s.amount)
			w.Uint(uint64(len(s.big)))
			for row, d := range s.big {
				w.Uint(uint64(row))
				writeDecimal(w, d)
			}
		}
		writeCodes(w, &s.cur)
		w.Uint(uint64(len(s.attrs)))
		for k := range s.attrs {
			writeCodes(w, &s.attrs[k])
		}
		if s.known == nil {
			w.Byte(0)
		} else {
			w.Byte(1)
			WriteElems(w, s.known)
		}
	}
}

const (
	formEmpty = iota
	form8
	form16
	form32
	formSparse
)

func writeCodes(w *Writer, c *codeCol) {
	switch {
	case c.sparse:
		w.Byte(formSparse)
	case c.w32 != nil:
		w.Byte(form32)
	case c.w16 != nil:
		w.Byte(form16)
	case c.w8 != nil:
		w.Byte(form8)
	default:
		w.Byte(formEmpty)
	}
	w.Uint(uint64(c.n))
	w.Uint(uint64(c.set))
	switch {
	case c.sparse:
		w.Uint(uint64(len(c.sRows)))
		WriteElems(w, c.sRows)
		WriteElems(w, c.sCodes)
	case c.w32 != nil:
		WriteElems(w, c.w32[:c.n])
	case c.w16 != nil:
		WriteElems(w, c.w16[:c.n])
	case c.w8 != nil:
		WriteElems(w, c.w8[:c.n])
	}
}

func writeDecimal(w *Writer, d decimal.Decimal) {
	w.Int(int64(d.Exponent()))
	c := d.Coefficient()
	w.Byte(byte(c.Sign() + 1))
	w.Bytes(c.Bytes())
}

func writeValue(w *Writer, v any) {
	switch x := v.(type) {
	case string:
		w.Byte('s')
		w.String(x)
	case int64:
		w.Byte('i')
		w.Int(x)
	case bool:
		w.Byte('b')
		if x {
			w.Byte(1)
		} else {
			w.Byte(0)
		}
	case decimal.Decimal:
		w.Byte('d')
		writeDecimal(w, x)
	case time.Time:
		abbr, off := x.Zone()
		w.Byte('t')
		w.Int(x.Unix())
		w.Int(int64(x.Nanosecond()))
		w.Int(int64(off))
		w.String(x.Location().String())
		w.String(abbr)
	default:
		panic(fmt.Sprintf("colstore: attribute value of type %T", v)) // normalize admits no other
	}
}

// Next indexes the next version of a table being decoded, in the order the
// versions were applied: a row of segment seg (a segment's rows come in
// order, so Next returns which), or with seg < 0 a retraction of the id
// retracted.
type Next func(seg int, retracted string) (row int, err error)

// Decode reads a table Encode wrote, dated in loc. versions must call next
// with every version the table was made of, in the order they were
// applied: Decode derives from them which rows are alive and the id index,
// as Apply did, and refuses an order that does not name every row exactly
// once. An impossible stream is an error that names where (Reader.Corrupt),
// never a table that breaks later.
func Decode(r *Reader, loc *time.Location, versions func(next Next) error) (*Table, error) {
	t := New(loc)
	r.Section("the table's scale")
	scale, err := r.Int()
	if err != nil {
		return nil, err
	}
	if scale < 0 || scale > MaxScale {
		return nil, r.Corrupt("amount scale %d", scale)
	}
	t.Scale = int32(scale)
	for _, d := range []struct {
		what  string
		dict  *strDict
		limit int
	}{{"kinds", &t.kinds, MaxKinds}, {"actors", &t.actors, maxDictLen}, {"currencies", &t.curs, maxDictLen}, {"attribute names", &t.attrIdx, MaxAttrNames}} {
		r.Section("the dictionary of %s", d.what)
		if err := readStrs(r, d.dict, d.limit); err != nil {
			return nil, err
		}
	}
	r.Section("the attribute values")
	n, err := r.Len("attributes", t.attrIdx.Len()-1)
	if err != nil {
		return nil, err
	}
	if n != t.attrIdx.Len()-1 {
		return nil, r.Corrupt("%d attributes, %d names", n, t.attrIdx.Len()-1)
	}
	zones := map[string]*time.Location{}
	for ai := range n {
		r.Section("the values of attribute %s", display.QuoteID(t.attrIdx.vals[ai+1]))
		d, err := readValues(r, zones)
		if err != nil {
			return nil, err
		}
		t.attrVals = append(t.attrVals, d)
	}
	r.Section("the segments")
	ns, err := r.Len("segments", t.kinds.Len()-1)
	if err != nil {
		return nil, err
	}
	if ns != t.kinds.Len()-1 {
		return nil, r.Corrupt("%d segments, %d kinds", ns, t.kinds.Len()-1)
	}
	for k := range ns {
		s := &Segment{Kind: t.kinds.vals[k+1], loc: t.loc}
		r.Section("segment %q", s.Kind)
		if err := t.readSegment(r, s); err != nil {
			return nil, err
		}
		t.Segs = append(t.Segs, s)
		t.rows += s.N
	}
	t.dateRows()
	if err := t.relink(r, versions); err != nil {
		return nil, err
	}
	return t, nil
}

// maxDictLen is the most entries a dictionary of 32-bit codes holds, as
// many as an int holds on a 32-bit platform.
const maxDictLen = min(math.MaxUint32-1, math.MaxInt)

func readStrs(r *Reader, d *strDict, limit int) error {
	n, err := r.Len("entries", limit)
	if err != nil {
		return err
	}
	for range n {
		s, err := r.String()
		if err != nil {
			return err
		}
		if s == "" {
			return r.Corrupt("an empty entry")
		}
		if bad := display.IDProblem(s); bad != "" {
			return r.Corrupt("the entry %s %s", display.QuoteID(s), bad)
		}
		if _, added := intern(d.codes, &d.vals, s, s); !added {
			return r.Corrupt("%s twice", display.QuoteID(s))
		}
	}
	return nil
}

func readValues(r *Reader, zones map[string]*time.Location) (*valueDict, error) {
	d := newValueDict()
	n, err := r.Len("values", maxDictLen)
	if err != nil {
		return nil, err
	}
	for range n {
		v, err := readValue(r, zones)
		if err != nil {
			return nil, err
		}
		var added bool
		switch x := v.(type) {
		case string:
			_, added = intern(d.strs, &d.vals, x, v)
		case int64:
			_, added = intern(d.ints, &d.vals, x, v)
		default:
			_, k, _ := normalize(v)
			_, added = intern(d.codes, &d.vals, k, v)
		}
		if !added {
			if s, ok := v.(string); ok {
				return nil, r.Corrupt("the value %s twice", display.QuoteID(s))
			}
			return nil, r.Corrupt("the value %s twice", ValueText(v))
		}
	}
	return d, nil
}

func readValue(r *Reader, zones map[string]*time.Location) (any, error) {
	tag, err := r.Byte()
	if err != nil {
		return nil, err
	}
	switch tag {
	case 's':
		return r.String()
	case 'i':
		return r.Int()
	case 'b':
		b, err := r.Byte()
		if err == nil && b > 1 {
			err = r.Corrupt("a bool of %d", b)
		}
		return b == 1, err
	case 'd':
		return readDecimal(r)
	case 't':
		sec, err := r.Int()
		if err != nil {
			return nil, err
		}
		ns, err := r.Int()
		if err != nil {
			return nil, err
		}
		off, err := r.Int()
		if err != nil {
			return nil, err
		}
		name, err := r.String()
		if err != nil {
			return nil, err
		}
		abbr, err := r.String()
		if err != nil {
			return nil, err
		}
		if !zoneOffsetOK(off) || ns < 0 || ns >= 1e9 {
			return nil, r.Corrupt("a time of %d s %d ns at offset %d s", sec, ns, off)
		}
		at := time.Unix(sec, ns)
		return at.In(zoneOf(zones, name, abbr, int(off), at)), nil
	}
	return nil, r.Corrupt("a value of type %q", tag)
}

// zoneOf returns the zone a time was in: the zone of that name if this
// machine knows it and it gives the time the same abbreviation and offset,
// else a fixed zone of the abbreviation (a fixed zone's name is its
// abbreviation, so a time in one comes back as it was).
func zoneOf(zones map[string]*time.Location, name, abbr string, off int, at time.Time) *time.Location {
	loc, known := zones[name]
	if !known {
		switch name {
		case "UTC":
			loc = time.UTC
		case "Local":
			loc = time.Local
		case "":
		default:
			loc, _ = time.LoadLocation(name)
		}
		zones[name] = loc
	}
	if loc != nil {
		if a, o := at.In(loc).Zone(); a == abbr && o == off {
			return loc
		}
	}
	return time.FixedZone(abbr, off)
}

func readDecimal(r *Reader) (decimal.Decimal, error) {
	exp, err := r.Int()
	if err != nil {
		return decimal.Decimal{}, err
	}
	sign, err := r.Byte()
	if err != nil {
		return decimal.Decimal{}, err
	}
	mag, err := r.Bytes()
	if err != nil {
		return decimal.Decimal{}, err
	}
	if exp < -MaxExponent || exp > MaxExponent || sign > 2 || len(mag) > 1<<16 {
		return decimal.Decimal{}, r.Corrupt("a decimal of exponent %d, sign %d, %d bytes", exp, int(sign)-1, len(mag))
	}
	c := new(big.Int).SetBytes(mag)
	if sign == 0 {
		c.Neg(c)
	}
	return decimal.NewFromBigInt(c, int32(exp)), nil
}

func (t *Table) readSegment(r *Reader, s *Segment) error {
	n, err := r.Len("rows", min(1<<rowBits-1, math.MaxInt))
	if err != nil {
		return err
	}
	s.N = n
	if s.idEnd, err = ReadElems[uint32](r, n); err != nil {
		return err
	}
	if s.idBuf, err = r.Bytes(); err != nil {
		return err
	}
	prev := uint32(0)
	for i, e := range s.idEnd {
		if e <= prev {
			return r.Corrupt("row %d has an empty id or ids out of order", i)
		}
		prev = e
	}
	if int(prev) != len(s.idBuf) {
		return r.Corrupt("ids of %d bytes, %d read", prev, len(s.idBuf))
	}
	// Every id is one Validate takes: all of them at once when they are
	// printable ASCII (the common case), else one by one.
	if n > 0 && !display.PrintableASCII(unsafe.String(&s.idBuf[0], len(s.idBuf))) {
		start := uint32(0)
		for i, e := range s.idEnd {
			if id := string(s.idBuf[start:e]); display.IDProblem(id) != "" {
				return r.Corrupt("row %d has the id %q, which %s", i, id, display.IDProblem(id))
			}
			start = e
		}
	}
	if s.Actor, err = ReadElems[uint32](r, n); err != nil {
		return err
	}
	if i := over(s.Actor, t.actors.Len()); i >= 0 {
		return r.Corrupt("row %d has actor code %d of %d", i, s.Actor[i], t.actors.Len())
	}
	if s.TS, err = ReadElems[int64](r, n); err != nil {
		return err
	}
	if err := t.readAmounts(r, s); err != nil {
		return err
	}
	if s.Cur, err = readCodes(r, n, t.curs.Len(), "currency"); err != nil {
		return err
	}
	na, err := r.Len("attribute columns", len(t.attrVals))
	if err != nil {
		return err
	}
	for ai := range na {
		c, err := readCodes(r, n, len(t.attrVals[ai].vals), fmt.Sprintf("attribute %q", t.attrIdx.vals[ai+1]))
		if err != nil {
			return err
		}
		s.Attrs = append(s.Attrs, c)
	}
	known, err := r.Byte()
	if err != nil {
		return err
	}
	switch known {
	case 0:
	case 1:
		if s.known, err = ReadElems[int64](r, n); err != nil {
			return err
		}
	default:
		return r.Corrupt("a known column of form %d", known)
	}
	return nil
}

func (t *Table) readAmounts(r *Reader, s *Segment) error {
	has, err := r.Byte()
	if err != nil || has == 0 {
		return err
	}
	if has != 1 {
		return r.Corrupt("an amount column of form %d", has)
	}
	if s.Amount, err = ReadElems[int64](r, s.N); err != nil {
		return err
	}
	nb, err := r.Len("big amounts", s.N)
	if err != nil {
		return err
	}
	for range nb {
		row, err := r.Uint()
		if err != nil {
			return err
		}
		d, err := readDecimal(r)
		if err != nil {
			return err
		}
		if row >= uint64(s.N) || s.Amount[row] != BigAmount {
			return r.Corrupt("a big amount for row %d, which has none", row)
		}
		if s.Big == nil {
			s.Big = map[int32]decimal.Decimal{}
		}
		if _, dup := s.Big[int32(row)]; dup {
			return r.Corrupt("two big amounts for row %d", row)
		}
		s.Big[int32(row)] = d
	}
	bigs := 0
	for _, a := range s.Amount {
		if a == BigAmount {
			bigs++
		}
	}
	if bigs != nb {
		return r.Corrupt("%d rows with a big amount, %d values", bigs, nb)
	}
	return nil
}

// over returns the index of the first code at least limit, or -1.
func over[T codeInt](codes []T, limit int) int {
	var hi T
	for _, c := range codes {
		hi = max(hi, c)
	}
	if int(hi) < limit {
		return -1
	}
	for i, c := range codes {
		if int(c) >= limit {
			return i
		}
	}
	return -1
}

func readCodes(r *Reader, rows, limit int, what string) (codeCol, error) {
	var c codeCol
	form, err := r.Byte()
	if err != nil {
		return c, err
	}
	n, err := r.Len(what+" rows", rows)
	if err != nil {
		return c, err
	}
	set, err := r.Len(what+" values", n)
	if err != nil {
		return c, err
	}
	c.n, c.set = n, set
	bad := -1
	switch form {
	case formEmpty:
		if n != 0 {
			return c, r.Corrupt("an empty %s column of %d rows", what, n)
		}
	case form8:
		c.w8, err = ReadElems[uint8](r, n)
		bad = over(c.w8, limit)
	case form16:
		c.w16, err = ReadElems[uint16](r, n)
		bad = over(c.w16, limit)
	case form32:
		c.w32, err = ReadElems[uint32](r, n)
		bad = over(c.w32, limit)
	case formSparse:
		c.sparse = true
		var k int
		if k, err = r.Len(what+" pairs", n); err != nil {
			return c, err
		}
		if c.sRows, err = ReadElems[int64](r, k); err != nil {
			return c, err
		}
		if c.sCodes, err = ReadElems[uint32](r, k); err != nil {
			return c, err
		}
		prev := int64(-1)
		for i, row := range c.sRows {
			if row <= prev || row >= int64(n) {
				return c, r.Corrupt("%s: row %d out of order or past %d rows", what, row, n)
			}
			prev = row
			if c.sCodes[i] == 0 {
				return c, r.Corrupt("%s: row %d without a value", what, row)
			}
		}
		bad = over(c.sCodes, limit)
	default:
		return c, r.Corrupt("a %s column of form %d", what, form)
	}
	if err != nil {
		return c, err
	}
	if bad >= 0 {
		return c, r.Corrupt("a %s code past its dictionary of %d", what, limit)
	}
	return c, nil
}

// dateRows fills the Day column from the instants, on every core.
func (t *Table) dateRows() {
	const step = 1 << 18
	type task struct {
		s      *Segment
		lo, hi int
	}
	var tasks []task
	for _, s := range t.Segs {
		s.Day = make([]int32, s.N)
		for lo := 0; lo < s.N; lo += step {
			tasks = append(tasks, task{s, lo, min(lo+step, s.N)})
		}
	}
	var next sync.Mutex
	k := 0
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(tasks)) {
		wg.Go(func() {
			z := zoneCache{loc: t.loc}
			for {
				next.Lock()
				i := k
				k++
				next.Unlock()
				if i >= len(tasks) {
					return
				}
				tk := tasks[i]
				for j := tk.lo; j < tk.hi; j++ {
					tk.s.Day[j] = int32(z.day(time.Unix(0, tk.s.TS[j])))
				}
			}
		})
	}
	wg.Wait()
}

// relink replays the order of the versions on the index, as Apply did.
func (t *Table) relink(r *Reader, versions func(next Next) error) error {
	r.Section("the order of the versions")
	linked := make([]int, len(t.Segs))
	t.growIDs = t.rows
	next := func(seg int, retracted string) (int, error) {
		if seg < 0 {
			at, err := t.locate(retracted, 0, false)
			if err != nil {
				return 0, r.Corrupt("retraction: %v", err)
			}
			if at.found {
				t.kill(at.ref(t), true)
			}
			return -1, nil
		}
		if seg >= len(t.Segs) {
			return 0, r.Corrupt("a version of segment %d of %d", seg, len(t.Segs))
		}
		s := t.Segs[seg]
		row := linked[seg]
		if row >= s.N {
			return 0, r.Corrupt("more versions of %q than its %d rows", s.Kind, s.N)
		}
		linked[seg]++
		at, err := t.locate(s.ID(row), 0, true)
		if err != nil {
			return 0, r.Corrupt("%v", err)
		}
		if at.found {
			t.kill(at.ref(t), false)
		}
		t.place(&at, packRef(seg, row))
		t.live++
		return row, nil
	}
	if err := versions(next); err != nil {
		return err
	}
	t.growIDs = 0
	for g, s := range t.Segs {
		if linked[g] != s.N {
			return r.Corrupt("%d versions of %q, which has %d rows", linked[g], s.Kind, s.N)
		}
	}
	return nil
}
