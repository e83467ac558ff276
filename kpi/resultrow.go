package kpi

import (
	"slices"

	"github.com/goalkit/goalkit/formula"
)

// valueRow is a participant's row of a Result: every indicator's value in
// each reported period, by period, then indicator. A row that finish
// computes is one slice (all); a row a tracker's read computes again
// (refinish) is a slice for each period (per), sharing with the row it
// replaces the periods whose values stayed the same: a version changes a
// month or two of its actor's row, and the read allocates those. Rows are
// never changed once made.
type valueRow struct {
	all []formula.Value
	per [][]formula.Value
}

// period returns the values of every indicator in the row's period qi,
// of width indicators.
func (r *valueRow) period(qi, width int) []formula.Value {
	if r.per != nil {
		return r.per[qi]
	}
	return r.all[qi*width : (qi+1)*width : (qi+1)*width]
}

// with returns the row of vals (as all), sharing r's periods whose values
// are the same: r itself when none changed.
func (r valueRow) with(vals []formula.Value, width int) valueRow {
	var out valueRow
	for qi := range len(vals) / max(width, 1) {
		v, was := vals[qi*width:(qi+1)*width], r.period(qi, width)
		// The same representations: the same values, written the same.
		if slices.Equal(v, was) {
			continue
		}
		if out.per == nil {
			out.per = make([][]formula.Value, len(vals)/width)
			for q := range out.per {
				out.per[q] = r.period(q, width)
			}
		}
		out.per[qi] = slices.Clip(slices.Clone(v))
	}
	if out.per == nil {
		return r
	}
	return out
}
