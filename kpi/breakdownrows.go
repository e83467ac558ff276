package kpi

import (
	"cmp"
	"slices"
	"sort"
)

// live reports, by virtual code, whether a group of the breakdown counts an
// event of it: in an evaluated period, or for a cumulative group on a day
// of its windows. Any other virtual participant has no value to report.
func (ev *evaluation) live(w *worker) []bool {
	live := make([]bool, ev.nA)
	mark := func(counts []int64, nP int) {
		for v := range live {
			if !live[v] && slices.ContainsFunc(counts[v*nP:(v+1)*nP], func(n int64) bool { return n != 0 }) {
				live[v] = true
			}
		}
	}
	for gi := range ev.plan.groups {
		if len(w.counts[gi]) > 0 {
			mark(w.counts[gi], ev.nP)
		}
		if ev.cumW != nil && len(ev.cumW.counts[gi]) > 0 && ev.cumCells.dense != nil {
			mark(ev.cumW.counts[gi], ev.cumEv.nP)
		} else if ev.cumW != nil && len(ev.cumW.counts[gi]) > 0 {
			counts, c := ev.cumW.counts[gi], ev.cumCells
			for v := range live {
				if !live[v] && slices.ContainsFunc(counts[c.start[v]:c.start[v+1]], func(n int64) bool { return n != 0 }) {
					live[v] = true
				}
			}
		}
	}
	return live
}

// splitRows splits each participant row (its members static and dated, as
// members lists them) into a row for each combination of the live virtual
// participants of its members. The rows of participant pi are first[pi] to
// first[pi+1], in the order of their combinations; row r is combination
// rowCombo[r], its members the virtual codes rStatic[r] and rDated[r], in
// the order of the participant's members.
func splitRows(vt *virtual, live []bool, nActors int, static [][]int, dated [][]datedCode) (rowCombo []int32, first []int, rStatic [][]int, rDated [][]datedCode) {
	// The live codes of actor a are codes[at[a]:at[a+1]], in the order of
	// their combinations (codes are numbered by combination, then actor).
	at := make([]int, nActors+1)
	for v := 1; v < len(vt.actor); v++ {
		if live[v] {
			at[vt.actor[v]+1]++
		}
	}
	for a := range nActors {
		at[a+1] += at[a]
	}
	codes := make([]uint32, at[nActors])
	next := slices.Clone(at[:nActors])
	for v := 1; v < len(vt.actor); v++ {
		if live[v] {
			a := vt.actor[v]
			codes[next[a]] = uint32(v)
			next[a]++
		}
	}
	of := func(a int) []uint32 { return codes[at[a]:at[a+1]] }

	type member struct {
		combo int32
		v     uint32
		dated int32 // index in the participant's dated members, -1 for a static one
	}
	var flat []int // the rows' static members, row r's from stAt[r]
	var stAt []int
	var dt [][]datedCode // by row, nil where none
	var buf []member
	first = make([]int, len(static)+1)
	for pi := range static {
		first[pi] = len(rowCombo)
		if len(static[pi]) == 1 && len(dated[pi]) == 0 {
			// One actor: a row for each of its codes.
			for _, v := range of(static[pi][0]) {
				rowCombo = append(rowCombo, vt.combo[v])
				stAt = append(stAt, len(flat))
				flat = append(flat, int(v))
			}
			continue
		}
		buf = buf[:0]
		for _, a := range static[pi] {
			for _, v := range of(a) {
				buf = append(buf, member{vt.combo[v], v, -1})
			}
		}
		for di, dc := range dated[pi] {
			for _, v := range of(dc.code) {
				buf = append(buf, member{vt.combo[v], v, int32(di)})
			}
		}
		slices.SortStableFunc(buf, func(x, y member) int { return cmp.Compare(x.combo, y.combo) })
		for i := 0; i < len(buf); {
			c := buf[i].combo
			r := len(rowCombo)
			rowCombo = append(rowCombo, c)
			stAt = append(stAt, len(flat))
			for ; i < len(buf) && buf[i].combo == c; i++ {
				m := buf[i]
				if m.dated < 0 {
					flat = append(flat, int(m.v))
					continue
				}
				for len(dt) <= r {
					dt = append(dt, nil)
				}
				dc := dated[pi][m.dated]
				dt[r] = append(dt[r], datedCode{code: int(m.v), span: dc.span})
			}
		}
	}
	first[len(static)] = len(rowCombo)
	stAt = append(stAt, len(flat))
	rStatic = make([][]int, len(rowCombo))
	for r := range rStatic {
		if stAt[r] < stAt[r+1] {
			rStatic[r] = flat[stAt[r]:stAt[r+1]:stAt[r+1]]
		}
	}
	rDated = make([][]datedCode, len(rowCombo))
	copy(rDated, dt)
	return rowCombo, first, rStatic, rDated
}

// partOf returns the participant of row r, with first as splitRows returns
// it.
func partOf(first []int, r int) int {
	return sort.Search(len(first)-1, func(pi int) bool { return first[pi+1] > r })
}
