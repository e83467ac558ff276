package kpi

import (
	"math/bits"

	"github.com/goalkit/goalkit/formula"
	"github.com/shopspring/decimal"
)

// trackSlot is the signed, growable counterpart of slotAcc for live
// tracking: every contribution can be taken back exactly. Sums of stored
// amounts are 128-bit int64 minor units; everything else is exact decimal.
// Min and max keep a counted multiset of values per cell, distinct a counted
// map, so that a retraction is exact.
type trackSlot struct {
	nv     []int64  // defined values, by cell
	lo     []uint64 // valAmount sums: low word
	hi     []int64  // ...high word
	dec    map[int]*trackCell
	cur    map[int]map[int32]int64 // currency code → values with an amount, when the slot reads amounts
	hasInt bool
}

type trackCell struct {
	sum decimal.Decimal
	n   int64 // values in the decimal part
	mm  map[string]*mmEntry
	set map[string]int64
}

type mmEntry struct {
	v decimal.Decimal
	n int64
}

func newTrackSlot(sl *valueSlot) *trackSlot {
	return &trackSlot{hasInt: sl.kind == valAmount && sl.sum}
}

// grow makes room for cells cells.
func (a *trackSlot) grow(cells int) {
	if len(a.nv) >= cells {
		return
	}
	a.nv = growTo(a.nv, cells)
	if a.hasInt {
		a.lo = growTo(a.lo, cells)
		a.hi = growTo(a.hi, cells)
	}
}

func growTo[T any](s []T, n int) []T {
	if n <= len(s) {
		return s
	}
	if n <= cap(s) {
		return s[:n]
	}
	out := make([]T, n, max(n, 2*cap(s)))
	copy(out, s)
	return out
}

// cellsOf returns the first cells cells of s, zero beyond len(s): s
// itself where it has them (capped, so that nothing appends to it),
// otherwise a copy.
func cellsOf[T any](s []T, cells int) []T {
	if len(s) >= cells {
		return s[:cells:cells]
	}
	out := make([]T, cells)
	copy(out, s)
	return out
}

func (a *trackSlot) cell(c int) *trackCell {
	if a.dec == nil {
		a.dec = map[int]*trackCell{}
	}
	d := a.dec[c]
	if d == nil {
		d = &trackCell{}
		a.dec[c] = d
	}
	return d
}

// addCur counts one value with an amount in currency code cur.
func (a *trackSlot) addCur(c int, cur int32, sign int64) {
	if a.cur == nil {
		a.cur = map[int]map[int32]int64{}
	}
	m := a.cur[c]
	if m == nil {
		m = map[int32]int64{}
		a.cur[c] = m
	}
	m[cur] += sign
	if m[cur] == 0 {
		delete(m, cur)
		if len(m) == 0 {
			delete(a.cur, c)
		}
	}
}

// addInt adds sign × v (minor units at the table's scale) to cell c.
func (a *trackSlot) addInt(sl *valueSlot, c int, v int64, sign int64, scale int32) {
	a.nv[c] += sign
	if a.hasInt {
		x := v
		if sign < 0 {
			x = -v // v > BigAmount, so -v does not overflow
		}
		lo, carry := bits.Add64(a.lo[c], uint64(x), 0)
		a.lo[c] = lo
		a.hi[c] += int64(carry) + (x >> 63)
	}
	if sl.minmax {
		a.cell(c).multiset(decimal.New(v, -scale), sign)
		a.dropEmpty(c)
	}
}

// dropEmpty forgets cell c's decimal part once everything in it was taken
// back, so that the state depends on the live events only, not on what
// came and went (a restored tracker's and a replayed one's are the same).
func (a *trackSlot) dropEmpty(c int) {
	if d := a.dec[c]; d != nil && d.n == 0 && d.sum.IsZero() && len(d.mm) == 0 && len(d.set) == 0 {
		delete(a.dec, c)
	}
}

// addDec adds or takes back a value of the decimal part.
func (a *trackSlot) addDec(sl *valueSlot, c int, v formula.Value, sign int64) {
	d := a.cell(c)
	a.nv[c] += sign
	d.n += sign
	if sl.distinct {
		if d.set == nil {
			d.set = map[string]int64{}
		}
		k := distinctKey(v)
		d.set[k] += sign
		if d.set[k] == 0 {
			delete(d.set, k)
		}
	}
	n, ok := v.Number()
	if ok && sl.sum {
		if sign > 0 {
			d.sum = d.sum.Add(n)
		} else {
			d.sum = d.sum.Sub(n)
		}
	}
	if ok && (sl.minmax || sl.keep) {
		d.multiset(n, sign)
	}
	if sign < 0 {
		a.dropEmpty(c)
	}
}

func (d *trackCell) multiset(v decimal.Decimal, sign int64) {
	if d.mm == nil {
		d.mm = map[string]*mmEntry{}
	}
	k := v.String()
	e := d.mm[k]
	if e == nil {
		e = &mmEntry{v: v}
		d.mm[k] = e
	}
	e.n += sign
	if e.n == 0 {
		delete(d.mm, k)
	}
}

// fold moves the int sums into the decimal part: the table's scale is about
// to change from scale.
func (a *trackSlot) fold(scale int32) {
	if !a.hasInt {
		return
	}
	tmp := &slotAcc{lo: a.lo, hi: a.hi}
	for c := range a.lo {
		if a.lo[c] == 0 && a.hi[c] == 0 {
			continue
		}
		n, _ := tmp.intSum(c, scale).Number()
		d := a.cell(c)
		d.sum = d.sum.Add(n)
		a.lo[c], a.hi[c] = 0, 0
	}
}

// materialize returns a slotAcc over cells cells holding the same values,
// for the batch engine's finish.
func (a *trackSlot) materialize(sl *valueSlot, cells int, trackCur bool) *slotAcc {
	// The counts and int sums are read in place where they cover the
	// cells: nothing writes a slotAcc it finishes from.
	out := &slotAcc{nv: cellsOf(a.nv, cells)}
	if a.hasInt {
		out.lo = cellsOf(a.lo, cells)
		out.hi = cellsOf(a.hi, cells)
	}
	if sl.kind == valAmount && sl.minmax {
		out.nvI = make([]int64, cells) // min and max live in the decimal part
	}
	if trackCur {
		out.cur = make([]int32, cells)
		for c, m := range a.cur {
			if c >= cells {
				continue
			}
			var cur int32
			for code := range m {
				cur = mergeCur(cur, code)
			}
			out.cur[c] = cur
		}
	}
	for c, d := range a.dec {
		if c >= cells {
			continue
		}
		dc := &decCell{sum: d.sum, n: d.n}
		if sl.keep {
			for _, e := range d.mm {
				for range e.n {
					dc.vals = append(dc.vals, e.v)
				}
			}
		}
		if sl.minmax {
			dc.n = 0
			for _, e := range d.mm {
				if dc.n == 0 || e.v.Cmp(dc.min) < 0 {
					dc.min = e.v
				}
				if dc.n == 0 || e.v.Cmp(dc.max) > 0 {
					dc.max = e.v
				}
				dc.n += e.n
			}
		}
		if d.set != nil {
			dc.set = make(map[string]struct{}, len(d.set))
			for k := range d.set {
				dc.set[k] = struct{}{}
			}
		}
		if out.dec == nil {
			out.dec = map[int]*decCell{}
		}
		out.dec[c] = dc
	}
	return out
}

// merge adds o, of the same size, into a: every part adds up exactly, so
// aggregates filled apart (a rebuild on several cores) merge into the state
// one filling gives.
func (a *trackSlot) merge(o *trackSlot) {
	for c, n := range o.nv {
		a.nv[c] += n
	}
	if a.hasInt {
		for c := range o.lo {
			lo, carry := bits.Add64(a.lo[c], o.lo[c], 0)
			a.lo[c] = lo
			a.hi[c] += o.hi[c] + int64(carry)
		}
	}
	for c, od := range o.dec {
		d := a.cell(c)
		d.sum = d.sum.Add(od.sum)
		d.n += od.n
		for _, e := range od.mm {
			d.multiset(e.v, e.n)
		}
		for k, n := range od.set {
			if d.set == nil {
				d.set = map[string]int64{}
			}
			d.set[k] += n
			if d.set[k] == 0 {
				delete(d.set, k)
			}
		}
	}
	for c, m := range o.cur {
		for code, n := range m {
			a.addCur(c, code, n)
		}
	}
	for c := range o.dec {
		a.dropEmpty(c)
	}
}
