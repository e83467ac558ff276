package kpi

import (
	"github.com/goalkit/goalkit/formula"
)

// PredicateRunner returns a function that evaluates prog over every row of
// tab, by the native path or the general one, and the number of rows: the
// benchmarks measure a filter alone with it.
func PredicateRunner(t *Table, prog *formula.Program, native bool) (func(), int) {
	tab := t.t
	node := compilePredicate(prog)
	if !native {
		node = &predNode{op: opProgram, prog: prog}
	}
	pp := preparePredicate(node, tab)
	w := &worker{ev: &evaluation{tab: tab, logic: newLogicTables()}}
	w.scope.tab = tab
	rows := 0
	for _, seg := range tab.Segs {
		rows += seg.N
	}
	return func() {
		for _, seg := range tab.Segs {
			for lo := 0; lo < seg.N; lo += chunkRows {
				w.evalPred(pp, seg, lo, min(lo+chunkRows, seg.N), 0)
			}
		}
	}, rows
}

// Freeze is what Snapshot does under the tracker's lock, for the benchmark
// of how long a snapshot holds Apply up.
func (t *Tracker) Freeze() error {
	t.ForgetSnapshot()
	_, _, err := t.freeze()
	return err
}

// ForgetSnapshot makes the tracker's next Snapshot write, as if it had
// none: for benchmarks that write the same snapshot again.
func (t *Tracker) ForgetSnapshot() { t.snapped.Store(-1) }

// ShareReads sends the tracker's reads to its replica from now on, as the
// first Apply that finds a read under way does.
func ShareReads(t *Tracker) { t.r.shared.Store(true) }
