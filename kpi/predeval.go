package kpi

import (
	"fmt"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/display"
)

// evalPred computes the three-valued truth of pp for rows [lo, hi) of seg
// into a buffer of depth depth and returns it. Below the root a row may be
// tvLimit; at depth 0 the whole program decides such rows, and its error
// (the first) is w.err.
func (w *worker) evalPred(pp *preparedPred, seg *colstore.Segment, lo, hi, depth int) []uint8 {
	out := w.evalNative(pp, seg, lo, hi, depth)
	if depth == 0 && pp.mayLimit {
		for i, t := range out {
			if t == tvLimit {
				out[i] = w.evalRow(pp.prog, seg, lo+i)
			}
		}
	}
	return out
}

// evalRow evaluates the whole filter prog for row i of seg; a failure is
// w.err (the first) and leaves the row out.
func (w *worker) evalRow(prog *formula.Program, seg *colstore.Segment, i int) uint8 {
	sc := &w.scope
	sc.seg, sc.hasAmount, sc.i = seg, false, i
	v, err := prog.Eval(sc)
	if err != nil {
		if w.err == nil {
			w.err = fmt.Errorf("filter of event %s: %w", display.QuoteID(seg.ID(i)), err)
		}
		return tvFalse
	}
	return truth(v)
}

// evalNative is evalPred below the root: the truth of pp for each row, or
// tvLimit.
func (w *worker) evalNative(pp *preparedPred, seg *colstore.Segment, lo, hi, depth int) []uint8 {
	n := hi - lo
	out := w.buf(depth)[:n]
	lg := w.ev.logic
	switch pp.op {
	case opAnd, opOr:
		l := w.evalNative(pp.l, seg, lo, hi, depth+1)
		r := w.evalNative(pp.r, seg, lo, hi, depth+2)
		t := &lg.and
		if pp.op == opOr {
			t = &lg.or
		}
		for i := range out {
			out[i] = t[(l[i]<<2|r[i])&15]
		}
	case opNot:
		l := w.evalNative(pp.l, seg, lo, hi, depth+1)
		for i := range out {
			out[i] = lg.not[l[i]&3]
		}
	case opKind:
		fill(out, tryTruth(formula.TryEvalNode(pp.node, formula.MapScope{"kind": formula.String(seg.Kind)})))
	case opDict:
		switch {
		case pp.col == -1:
			t := pp.table
			for i, c := range seg.Actor[lo:hi] {
				out[i] = t[c]
			}
		case pp.col == -2:
			seg.Cur.Lookup(lo, hi, pp.table, out)
		case pp.col >= 0 && pp.col < len(seg.Attrs):
			seg.Attrs[pp.col].Lookup(lo, hi, pp.table, out)
		default:
			fill(out, pp.table[0])
		}
	case opAmount:
		w.amountCompare(pp, seg, lo, out)
	case opRow:
		sc := &w.scope
		sc.seg = seg
		sc.hasAmount = false
		for i := range out {
			sc.i = lo + i
			out[i] = tryTruth(formula.TryEvalNode(pp.node, sc))
		}
	case opProgram:
		for i := range out {
			out[i] = w.evalRow(pp.prog, seg, lo+i)
		}
	}
	return out
}

func fill(out []uint8, v uint8) {
	for i := range out {
		out[i] = v
	}
}

func (w *worker) amountCompare(pp *preparedPred, seg *colstore.Segment, lo int, out []uint8) {
	if seg.Amount == nil {
		fill(out, pp.noAmount)
		return
	}
	amt := seg.Amount[lo : lo+len(out)]
	f := pp.unscaled
	for i, a := range amt {
		switch {
		case a == colstore.NoAmount:
			out[i] = pp.noAmount
			continue
		case a == colstore.BigAmount || !pp.fits:
			d, _ := seg.AmountOf(lo+i, w.ev.tab.Scale)
			c := d.Cmp(pp.c)
			out[i] = b2t(formula.Holds(pp.cmp, c))
			continue
		}
		var ok bool
		if pp.exact {
			switch pp.cmp {
			case "==":
				ok = a == f
			case "!=":
				ok = a != f
			case "<":
				ok = a < f
			case "<=":
				ok = a <= f
			case ">":
				ok = a > f
			case ">=":
				ok = a >= f
			}
		} else { // f < constant < f+1 in minor units
			switch pp.cmp {
			case "==":
				ok = false
			case "!=":
				ok = true
			case "<", "<=":
				ok = a <= f
			case ">", ">=":
				ok = a > f
			}
		}
		out[i] = b2t(ok)
	}
}

func b2t(b bool) uint8 {
	if b {
		return tvTrue
	}
	return tvFalse
}
