package kpi

import (
	"math/big"
	"math/bits"
	"slices"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/stats"
	"github.com/shopspring/decimal"
)

// slotAcc accumulates one value slot over the cells (actor × period) of one
// worker. The int64 part holds stored amounts in the table's minor units with
// a 128-bit sum; the decimal part, sparse, holds everything else.
type slotAcc struct {
	nv     []int64  // defined values
	lo     []uint64 // 128-bit sum of int values: low word
	hi     []int64  // ...and high word
	mn, mx []int64  // int min/max, valid where nvI > 0
	nvI    []int64  // defined int values
	cur    []int32  // currency seen: 0 none, code > 0, -1 mixed
	dec    map[int]*decCell
}

// decCell is the exact decimal part of one cell.
type decCell struct {
	sum      decimal.Decimal
	n        int64 // values in the decimal part
	min, max decimal.Decimal
	set      map[string]struct{}
	vals     []decimal.Decimal // every number, when the slot keeps them
}

// tracksCurrencies reports whether the cells of a slot keep their amounts'
// currencies: the slot reads unconverted amounts and an event of the group's
// kinds in tab has a currency. Batch and live evaluation decide it alike, so
// that cells of both kinds merge.
func tracksCurrencies(tab *colstore.Table, g *filterGroup, sl *valueSlot) bool {
	if !sl.readsAmount {
		return false
	}
	for _, k := range g.kinds {
		if seg := tab.Segment(k); seg != nil && seg.Cur.Len() > 0 {
			return true
		}
	}
	return false
}

func newSlotAcc(sl *valueSlot, cells int, trackCur bool) *slotAcc {
	a := &slotAcc{nv: make([]int64, cells)}
	if sl.kind == valAmount {
		if sl.sum {
			a.lo = make([]uint64, cells)
			a.hi = make([]int64, cells)
		}
		if sl.minmax {
			a.mn = make([]int64, cells)
			a.mx = make([]int64, cells)
			a.nvI = make([]int64, cells)
		}
	}
	if trackCur {
		a.cur = make([]int32, cells)
	}
	return a
}

func (a *slotAcc) cell(c int) *decCell {
	if a.dec == nil {
		a.dec = map[int]*decCell{}
	}
	d := a.dec[c]
	if d == nil {
		d = &decCell{}
		a.dec[c] = d
	}
	return d
}

// addInt adds an int value (minor units) to cell c.
func (a *slotAcc) addInt(c int, v int64) {
	a.nv[c]++
	if a.lo != nil {
		lo, carry := bits.Add64(a.lo[c], uint64(v), 0)
		a.lo[c] = lo
		a.hi[c] += int64(carry) + (v >> 63)
	}
	if a.mn != nil {
		if a.nvI[c] == 0 || v < a.mn[c] {
			a.mn[c] = v
		}
		if a.nvI[c] == 0 || v > a.mx[c] {
			a.mx[c] = v
		}
		a.nvI[c]++
	}
}

// addDec adds a decimal value to cell c.
func (a *slotAcc) addDec(sl *valueSlot, c int, v formula.Value) {
	d := a.cell(c)
	if sl.distinct {
		if d.set == nil {
			d.set = map[string]struct{}{}
		}
		d.set[distinctKey(v)] = struct{}{}
	}
	n, ok := v.Number()
	if !ok {
		a.nv[c]++
		d.n++
		return
	}
	a.nv[c]++
	if sl.sum {
		d.sum = d.sum.Add(n)
	}
	if sl.keep {
		d.vals = append(d.vals, n)
	}
	if sl.minmax {
		if d.n == 0 || n.Cmp(d.min) < 0 {
			d.min = n
		}
		if d.n == 0 || n.Cmp(d.max) > 0 {
			d.max = n
		}
	}
	d.n++
}

func distinctKey(v formula.Value) string {
	if n, ok := v.Number(); ok {
		return "n" + n.String()
	}
	return v.String()
}

func mergeCur(a, b int32) int32 {
	switch {
	case a == b || b == 0:
		return a
	case a == 0:
		return b
	}
	return -1
}

// mergeCell adds cell c of o into cell into of a.
func (a *slotAcc) mergeCell(into int, o *slotAcc, c int) {
	a.nv[into] += o.nv[c]
	if a.lo != nil {
		lo, carry := bits.Add64(a.lo[into], o.lo[c], 0)
		a.lo[into] = lo
		a.hi[into] += o.hi[c] + int64(carry)
	}
	if a.mn != nil && o.nvI[c] > 0 {
		if a.nvI[into] == 0 || o.mn[c] < a.mn[into] {
			a.mn[into] = o.mn[c]
		}
		if a.nvI[into] == 0 || o.mx[c] > a.mx[into] {
			a.mx[into] = o.mx[c]
		}
		a.nvI[into] += o.nvI[c]
	}
	if a.cur != nil {
		a.cur[into] = mergeCur(a.cur[into], o.cur[c])
	}
	if o.dec == nil {
		return
	}
	if od := o.dec[c]; od != nil {
		d := a.cell(into)
		d.sum = d.sum.Add(od.sum)
		if od.n > 0 {
			if d.n == 0 || od.min.Cmp(d.min) < 0 {
				d.min = od.min
			}
			if d.n == 0 || od.max.Cmp(d.max) > 0 {
				d.max = od.max
			}
		}
		d.n += od.n
		d.vals = append(d.vals, od.vals...)
		if od.set != nil {
			if d.set == nil {
				d.set = make(map[string]struct{}, len(od.set))
			}
			for k := range od.set {
				d.set[k] = struct{}{}
			}
		}
	}
}

// intSum returns the exact sum of the int part of cell c at scale.
func (a *slotAcc) intSum(c int, scale int32) formula.Value {
	lo, hi := a.lo[c], a.hi[c]
	if (hi == 0 && lo < 1<<63) || (hi == -1 && lo >= 1<<63) {
		return formula.Scaled(int64(lo), -scale)
	}
	b := new(big.Int).SetInt64(hi)
	b.Lsh(b, 64)
	b.Add(b, new(big.Int).SetUint64(lo))
	return formula.Number(decimal.NewFromBigInt(b, -scale))
}

// value finalises the aggregate of indicator ix in cell c.
func (a *slotAcc) value(ix *Indicator, c int, scale int32) formula.Value {
	d := a.dec[c]
	switch agg := ix.Aggregate; agg {
	case Median, Percentile:
		if d == nil || len(d.vals) == 0 {
			return formula.Undefined()
		}
		sorted := slices.SortedFunc(slices.Values(d.vals), decimal.Decimal.Cmp)
		return formula.Number(stats.PercentileCont(sorted, ix.p))
	case Sum, Avg:
		sum := formula.Int(0)
		if a.lo != nil {
			sum = a.intSum(c, scale)
		}
		if d != nil {
			n, _ := sum.Number()
			sum = formula.Number(n.Add(d.sum))
		}
		if agg == Sum {
			return sum
		}
		if a.nv[c] == 0 {
			return formula.Undefined()
		}
		return formula.Quotient(sum, formula.Int(a.nv[c]))
	case Min, Max:
		var have bool
		var best decimal.Decimal
		if a.mn != nil && a.nvI[c] > 0 {
			x := a.mn[c]
			if agg == Max {
				x = a.mx[c]
			}
			if d == nil || d.n == 0 {
				return formula.Scaled(x, -scale)
			}
			have, best = true, decimal.New(x, -scale)
		}
		if d != nil && d.n > 0 {
			x := d.min
			if agg == Max {
				x = d.max
			}
			if !have || (agg == Min && x.Cmp(best) < 0) || (agg == Max && x.Cmp(best) > 0) {
				best, have = x, true
			}
		}
		if !have {
			return formula.Undefined()
		}
		return formula.Number(best)
	case Distinct:
		if d == nil {
			return formula.Int(0)
		}
		return formula.Int(int64(len(d.set)))
	}
	return formula.Undefined()
}
