package kpi

import (
	"fmt"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/colstore"
)

// evalPred computes the three-valued truth of pp for rows [lo, hi) of seg
// into a buffer of depth depth and returns it.
func (w *worker) evalPred(pp *preparedPred, seg *colstore.Segment, lo, hi, depth int) []uint8 {
	n := hi - lo
	out := w.buf(depth)[:n]
	lg := w.ev.logic
	switch pp.op {
	case opAnd, opOr:
		l := w.evalPred(pp.l, seg, lo, hi, depth+1)
		r := w.evalPred(pp.r, seg, lo, hi, depth+2)
		t := &lg.and
		if pp.op == opOr {
			t = &lg.or
		}
		for i := range out {
			out[i] = t[l[i]*3+r[i]]
		}
	case opNot:
		l := w.evalPred(pp.l, seg, lo, hi, depth+1)
		for i := range out {
			out[i] = lg.not[l[i]]
		}
	case opKind:
		v := truth(formula.EvalNode(pp.node, formula.MapScope{"kind": formula.String(seg.Kind)}))
		fill(out, v)
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
	case opRow, opProgram:
		sc := &w.scope
		sc.seg = seg
		sc.hasAmount = false
		for i := range out {
			sc.i = lo + i
			if pp.op == opRow {
				out[i] = truth(formula.EvalNode(pp.node, sc))
				continue
			}
			v, err := pp.prog.Eval(sc)
			if err != nil {
				if w.err == nil {
					w.err = fmt.Errorf("filter of event %q: %w", seg.ID(sc.i), err)
				}
				out[i] = tvFalse
				continue
			}
			out[i] = truth(v)
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
