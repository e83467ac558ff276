package kpi

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/suggest"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

// maxBy is the most attributes an indicator is broken down by.
const maxBy = 4

// breakdownRows returns the breakdown rows of an indicator declared with
// By (nil for any other), ordered by participant (as Participants),
// period, and then by the attributes' values (ascending, events without the
// attribute last), or, for an indicator with a Top, by value (largest
// first, undefined last, ties by the attributes' values) followed by the
// Other row.
func (r *Result) breakdownRows(indicator string) []Row {
	if b := r.breakdown[indicator]; b != nil {
		return b.rows()
	}
	return nil
}

// breakdown is the indicators of a set that share one By list, and what
// they read: evaluated together over virtual participants, one for each
// actor and combination of the attributes' values.
type breakdown struct {
	by    []string
	set   *Set         // the closure of shown, reindexed
	shown []*Indicator // of set: those declaring By
	all   bool         // every row, no top (for explanations)
}

// compileBy checks an indicator's By and Top.
func compileBy(path string, d IndicatorDef, attrs map[string]AttrType, ps *problem.List) {
	if len(d.By) > maxBy {
		ps.Add(path+".by", problem.Invalid, fmt.Sprintf("%d attributes: an indicator is broken down by at most %d", len(d.By), maxBy))
	}
	names := make([]string, 0, len(attrs))
	for n := range attrs {
		names = append(names, n)
	}
	slices.Sort(names)
	for j, n := range d.By {
		at := fmt.Sprintf("%s.by[%d]", path, j)
		switch {
		case attrs[n] == 0:
			ps.Add(at, problem.Unknown, fmt.Sprintf("unknown attribute %q: declare it in the plan's attributes%s", n, suggest.Hint(n, names)))
		case slices.Index(d.By, n) != j:
			ps.Add(at, problem.Duplicate, fmt.Sprintf("attribute %q is listed twice", n))
		}
	}
	switch {
	case d.Top < 0:
		ps.Add(path+".top", problem.Invalid, fmt.Sprintf("top %d is negative", d.Top))
	case d.Top > 0 && len(d.By) == 0:
		ps.Add(path+".top", problem.Conflict, "top needs by: the attributes to break the indicator down by")
	}
}

// planBreakdowns groups the indicators declared with the same By.
func (s *Set) planBreakdowns(root string, ps *problem.List) {
	byKey := map[string]*breakdown{}
	var ids [][]string
	for _, ix := range s.list {
		if len(ix.Def.By) == 0 {
			continue
		}
		k := strings.Join(ix.Def.By, "\x00")
		bd := byKey[k]
		if bd == nil {
			bd = &breakdown{by: ix.Def.By}
			byKey[k] = bd
			s.breakdowns = append(s.breakdowns, bd)
			ids = append(ids, nil)
		}
		i := slices.Index(s.breakdowns, bd)
		ids[i] = append(ids[i], ix.Def.ID)
	}
	for i, bd := range s.breakdowns {
		bd.set = s.closure(ids[i])
		for _, id := range ids[i] {
			bd.shown = append(bd.shown, bd.set.byID[id])
			ix := s.byID[id]
			if i := slices.IndexFunc(bd.set.list, func(x *Indicator) bool { return x.cohort != nil }); i >= 0 {
				msg := "a breakdown of a cohort indicator is not supported"
				if own := s.closure([]string{id}).list; !slices.ContainsFunc(own, func(x *Indicator) bool { return x.cohort != nil }) {
					msg = fmt.Sprintf("a breakdown beside one of a cohort indicator by the same attributes (%s) is not supported",
						bd.set.list[i].Def.ID)
				}
				ps.Add(fmt.Sprintf("%s[%d].by", root, ix.index), problem.Conflict, msg)
			}
			if i := slices.IndexFunc(bd.set.list, func(x *Indicator) bool { return x.window != nil }); ix.Def.Top > 0 && i >= 0 {
				// The indicators of one by are evaluated together: a top
				// among them cannot have a cumulative one beside it. Say
				// which, when the indicator does not read it itself.
				msg := "top of a cumulative indicator (to_date, window) is not supported: break it down without top"
				if own := s.closure([]string{id}).list; !slices.ContainsFunc(own, func(x *Indicator) bool { return x.window != nil }) {
					msg = fmt.Sprintf("top is not supported beside a cumulative indicator broken down by the same attributes (%s): break them down without top",
						bd.set.list[i].Def.ID)
				}
				ps.Add(fmt.Sprintf("%s[%d].top", root, ix.index), problem.Conflict, msg)
			}
		}
	}
}

// closure returns the indicators ids name and every one they read,
// transitively, as a set of their own.
func (s *Set) closure(ids []string) *Set {
	need := map[string]bool{}
	var visit func(id string)
	visit = func(id string) {
		if need[id] {
			return
		}
		need[id] = true
		for _, r := range s.byID[id].deps {
			if _, ok := s.byID[r.Name]; ok && !r.Func {
				visit(r.Name)
			}
		}
	}
	for _, id := range ids {
		visit(id)
	}
	sub := &Set{byID: map[string]*Indicator{}, attrs: s.attrs, maxBack: s.maxBack}
	copies := map[*Indicator]*Indicator{}
	for _, ix := range s.list {
		if need[ix.Def.ID] {
			c := *ix
			c.index = len(sub.list)
			sub.list = append(sub.list, &c)
			sub.byID[c.Def.ID] = &c
			copies[ix] = &c
		}
	}
	for _, ix := range s.formulas {
		if c := copies[ix]; c != nil {
			c.order = len(sub.formulas)
			sub.formulas = append(sub.formulas, c)
		}
	}
	return sub
}

// virtual maps the rows of the segments a breakdown reads to virtual
// participants, one for each actor and combination of the attributes'
// values. Code 0 is a sink for rows outside the evaluated dates (windows of
// cumulative indicators included); no row of the result reads it.
type virtual struct {
	keys   map[*colstore.Segment][]uint32
	actor  []uint32 // by virtual code: the actor code
	combo  []int32  // by virtual code: the combination
	combos [][]any  // by combination, in the order of their values: the attributes' values
}

// maxDenseVirtual bounds the table of actor × combination that numbers the
// virtual participants; past it, a map does.
const maxDenseVirtual = 1 << 22

func newVirtual(ev *evaluation, by []string) *virtual {
	tab := ev.tab
	ais := make([]int, len(by))
	for j, n := range by {
		ais[j] = -1
		if ai, ok := tab.Attr(n); ok {
			ais[j] = ai
		}
	}
	vt := &virtual{keys: map[*colstore.Segment][]uint32{}, actor: []uint32{0}, combo: []int32{-1}}
	// The combination of each row: for one attribute its value code, else
	// the index of the codes in a map.
	comboOf := map[[maxBy]uint32]int32{}
	var codes [][maxBy]uint32
	var single []int32 // one attribute: combination by value code
	if len(ais) == 1 && ais[0] >= 0 {
		single = make([]int32, len(tab.AttrValues(ais[0])))
		for i := range single {
			single[i] = -1
		}
	}
	// One attribute of at most 256 values: its codes are read a chunk at a
	// time, as bytes (looked up in a table of themselves).
	var ident []uint8
	if single != nil && len(single) <= 256 {
		ident = make([]uint8, len(single))
		for i := range ident {
			ident[i] = uint8(i)
		}
	}
	fw := &worker{ev: ev} // for the filters
	fw.scope.tab = tab
	sel, small := make([]uint8, chunkRows), make([]uint8, chunkRows)
	from, to := int32(ev.windowFrom()), int32(ev.periods[len(ev.periods)-1].End)
	for _, g := range ev.plan.groups {
		for _, k := range g.kinds {
			seg := tab.Segment(k)
			if seg == nil || vt.keys[seg] != nil {
				continue
			}
			keys := make([]uint32, seg.N)
			preds := ev.filters(seg)
			hasCol := ident != nil && ais[0] < len(seg.Attrs)
			for lo := 0; lo < seg.N; lo += chunkRows {
				hi := min(lo+chunkRows, seg.N)
				if preds != nil {
					fw.selectRows(preds, seg, lo, hi, sel)
				}
				if ident != nil {
					clear(small)
					if hasCol {
						seg.Attrs[ais[0]].Lookup(lo, hi, ident, small)
					}
				}
				for i := lo; i < hi; i++ {
					if d := seg.Day[i]; d < from || d >= to || (preds != nil && sel[i-lo] != tvTrue) {
						keys[i] = 1<<32 - 1 // outside, or no group counts it: the sink
						continue
					}
					var key [maxBy]uint32
					if ident != nil {
						key[0] = uint32(small[i-lo])
					} else {
						for j, ai := range ais {
							if ai >= 0 && ai < len(seg.Attrs) {
								key[j] = seg.Attrs[ai].Get(i)
							}
						}
					}
					if single != nil {
						c := single[key[0]]
						if c < 0 {
							c = int32(len(codes))
							single[key[0]] = c
							codes = append(codes, key)
						}
						keys[i] = uint32(c)
						continue
					}
					c, ok := comboOf[key]
					if !ok {
						c = int32(len(codes))
						comboOf[key] = c
						codes = append(codes, key)
					}
					keys[i] = uint32(c)
				}
			}
			vt.keys[seg] = keys
		}
	}
	for _, key := range codes {
		vals := make([]any, len(ais))
		for j, ai := range ais {
			if ai >= 0 && key[j] != 0 {
				vals[j] = tab.AttrValues(ai)[key[j]]
			}
		}
		vt.combos = append(vt.combos, vals)
	}
	// Combinations in the order of their values: rank[c] is the place of
	// combination c, the number it goes by from here on. Codes of equal
	// values (one instant in two zones) are one combination, shown with the
	// value met first.
	order := make([]int32, len(codes))
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortStableFunc(order, func(a, b int32) int { return compareCombos(vt.combos[a], vt.combos[b]) })
	rank := make([]int32, len(order))
	sorted := make([][]any, 0, len(order))
	for _, c := range order {
		if n := len(sorted); n == 0 || compareCombos(sorted[n-1], vt.combos[c]) != 0 {
			sorted = append(sorted, vt.combos[c])
		}
		rank[c] = int32(len(sorted) - 1)
	}
	vt.combos = sorted
	// Virtual codes: one for each actor and combination met.
	nA, nC := len(tab.Actors()), len(sorted)
	var dense []uint32
	var sparse map[uint64]uint32
	if nA*nC <= maxDenseVirtual {
		dense = make([]uint32, nA*nC)
	} else {
		sparse = map[uint64]uint32{}
	}
	for seg, keys := range vt.keys {
		for i, c := range keys {
			if c == 1<<32-1 {
				keys[i] = 0
				continue
			}
			a := seg.Actor[i]
			c = uint32(rank[c])
			var v uint32
			if dense != nil {
				v = dense[int(c)*nA+int(a)]
			} else {
				v = sparse[uint64(c)<<32|uint64(a)]
			}
			if v == 0 {
				v = uint32(len(vt.actor))
				vt.actor = append(vt.actor, a)
				vt.combo = append(vt.combo, int32(c))
				if dense != nil {
					dense[int(c)*nA+int(a)] = v
				} else {
					sparse[uint64(c)<<32|uint64(a)] = v
				}
			}
			keys[i] = v
		}
	}
	// Number them by combination, then actor: the cells of the members of
	// one combination lie in order, as a group's row reads them, and an
	// actor's codes are in the order of their combinations.
	byCode := make([]uint32, 0, len(vt.actor)-1)
	if dense != nil {
		for _, v := range dense {
			if v != 0 {
				byCode = append(byCode, v)
			}
		}
	} else {
		for v := 1; v < len(vt.actor); v++ {
			byCode = append(byCode, uint32(v))
		}
		slices.SortFunc(byCode, func(a, b uint32) int {
			return cmp.Or(cmp.Compare(vt.combo[a], vt.combo[b]), cmp.Compare(vt.actor[a], vt.actor[b]))
		})
	}
	renum := make([]uint32, len(vt.actor))
	actor, combo := make([]uint32, 1, len(vt.actor)), make([]int32, 1, len(vt.actor))
	combo[0] = -1
	for _, v := range byCode {
		renum[v] = uint32(len(actor))
		actor, combo = append(actor, vt.actor[v]), append(combo, vt.combo[v])
	}
	vt.actor, vt.combo = actor, combo
	for _, keys := range vt.keys {
		for i, v := range keys {
			keys[i] = renum[v]
		}
	}
	return vt
}

// filters returns the filters of the groups reading seg, or nil where any
// row of it may count (a group without a filter, or with a filter
// evaluated row by row: not worth evaluating twice).
func (ev *evaluation) filters(seg *colstore.Segment) []*preparedPred {
	var preds []*preparedPred
	for gi, g := range ev.plan.groups {
		if !slices.ContainsFunc(g.kinds, func(k string) bool { return ev.tab.Segment(k) == seg }) {
			continue
		}
		pp := ev.preds[gi]
		if pp == nil || !pp.vectorized() {
			return nil
		}
		preds = append(preds, pp)
	}
	return preds
}

// numberingFilters reports whether the virtual numbering applies the filter
// of group gi alone, so that the scan need not: gi is the only group reading
// its segments, and its values are stored amounts (evaluating no formula,
// converting nothing, on the rows the filter leaves out).
func (ev *evaluation) numberingFilters(gi int) bool {
	g := ev.plan.groups[gi]
	if slices.ContainsFunc(g.slots, func(sl *valueSlot) bool { return sl.kind != valAmount }) {
		return false
	}
	for _, k := range g.kinds {
		if seg := ev.tab.Segment(k); seg != nil {
			if preds := ev.filters(seg); len(preds) != 1 || preds[0] != ev.preds[gi] {
				return false
			}
		}
	}
	return true
}

// selectRows sets sel[i-lo] to tvTrue for the rows [lo, hi) of seg that
// one of preds selects, and to another truth value for the others.
func (w *worker) selectRows(preds []*preparedPred, seg *colstore.Segment, lo, hi int, sel []uint8) {
	for k, pp := range preds {
		t := w.evalPred(pp, seg, lo, hi, 0)
		if k == 0 {
			copy(sel, t)
			continue
		}
		for i, x := range t {
			if x == tvTrue {
				sel[i] = tvTrue
			}
		}
	}
}

// vectorized reports whether a filter is evaluated a column at a time,
// with no formula evaluated row by row (nor a value of a column that the
// program must decide: tvLimit).
func (pp *preparedPred) vectorized() bool {
	switch pp.op {
	case opRow, opProgram:
		return false
	case opDict, opKind:
		return !pp.mayLimit
	case opAnd, opOr:
		return pp.l.vectorized() && pp.r.vectorized()
	case opNot:
		return pp.l.vectorized()
	}
	return true
}

// breakdowns adds the breakdown rows of the set's indicators declared with
// By to res, evaluating over the same table and request.
func (ev *evaluation) breakdowns(ctx context.Context, res *Result) error {
	for _, bd := range ev.set.breakdowns {
		if err := ev.breakdown(ctx, bd, res); err != nil {
			return err
		}
	}
	return nil
}

// breakdown evaluates one breakdown: the scan of its closure over virtual
// participants, then, for every participant row of res, a row for each
// combination its members' events carry.
func (ev *evaluation) breakdown(ctx context.Context, bd *breakdown, res *Result) error {
	req := ev.req
	bev := &evaluation{set: bd.set, req: req, tab: ev.tab, plan: buildPlan(bd.set), logic: newLogicTables(), known: ev.known}
	bev.periods = bd.set.evalPeriods(req)
	bev.layout(bev.periods)
	bev.keep = make([]bool, len(bd.set.list))
	for _, ix := range bd.shown {
		bev.keep[ix.index] = true
	}
	bev.prepare()
	vt := newVirtual(bev, bd.by)
	bev.keys = vt.keys
	bev.nA = len(vt.actor)
	for gi := range bev.plan.groups {
		if bev.preds[gi] != nil && bev.numberingFilters(gi) {
			bev.preds[gi] = nil // the rows it leaves out are the sink's
		}
	}
	w, err := bev.scan(ctx)
	if err != nil {
		return err
	}
	if err := bev.cumScan(ctx); err != nil { // for live
		return err
	}
	// The rows: each participant's members, split by combination, of the
	// virtual participants with an event (no other row is reported).
	names := res.participants
	static, dated := members(ev.tab, res.groups, names, res.firstGroup)
	rowCombo, first, rStatic, rDated := splitRows(vt, bev.live(w), len(ev.tab.Actors()), static, dated)
	newCells := func() rowCells { return bev.memberCells(ctx, w, nil, rDated) }
	cells := bev.memberCells(ctx, w, rStatic, rDated)
	label := func(r int) string { return names[partOf(first, r)] }
	var discard []Warning // a mix of currencies in a row is one in its total too
	noDated := !slices.ContainsFunc(rDated, func(d []datedCode) bool { return len(d) > 0 })
	base, counts, err := bev.values(ctx, w, len(rowCombo), rStatic, rDated, newCells, label, &discard, true, noDated)
	if err != nil {
		return err
	}
	nEP := len(bev.periods)
	evIndex := bev.periodIndexes(req.Periods)
	nQ := len(req.Periods)
	if res.breakdown == nil {
		res.breakdown = map[string]*breakdownRows{}
	}
	for _, ix := range bd.shown {
		vals := base[ix.index]
		// A row is present in evaluated period p where an indicator ix
		// reads counts an event.
		var of [][]int64 // the counts of the groups ix reads
		for _, g := range bd.set.groupsOf(ix, bev.plan) {
			of = append(of, counts[g])
		}
		present := func(r, p int) bool {
			c := r*nEP + p
			for _, n := range of {
				if n[c] > 0 {
					return true
				}
			}
			return false
		}
		br := &breakdownRows{id: ix.Def.ID, names: names, periods: req.Periods, combos: vt.combos, rowCombo: rowCombo,
			vals: vals, nEP: nEP, evIndex: evIndex}
		// tops is by participant and evaluated period (the reported ones
		// and those before them that prev() reads): the rows by value.
		var tops [][][]int
		if ix.Def.Top > 0 && !bd.all {
			tops = make([][][]int, len(names))
			for pi := range names {
				tops[pi] = make([][]int, nEP)
				for p := range nEP {
					var cand []int
					for r := first[pi]; r < first[pi+1]; r++ {
						if present(r, p) {
							cand = append(cand, r)
						}
					}
					// Rows are in the order of their combinations already.
					slices.SortStableFunc(cand, func(a, b int) int { return compareDesc(vals[a*nEP+p], vals[b*nEP+p]) })
					tops[pi][p] = cand
				}
			}
			if br.others, err = bev.others(ctx, w, ix, first, tops, cells, names); err != nil {
				return err
			}
		}
		for pi := range names {
			for qi := range nQ {
				if tops == nil {
					for r := first[pi]; r < first[pi+1]; r++ {
						if present(r, evIndex[qi]) {
							br.list = append(br.list, bdRef{part: int32(pi), q: int32(qi), row: int32(r)})
						}
					}
					continue
				}
				top := tops[pi][evIndex[qi]]
				for _, r := range top[:min(ix.Def.Top, len(top))] {
					br.list = append(br.list, bdRef{part: int32(pi), q: int32(qi), row: int32(r)})
				}
				if len(top) > ix.Def.Top {
					br.list = append(br.list, bdRef{part: int32(pi), q: int32(qi), row: -1})
				}
			}
		}
		res.breakdown[ix.Def.ID] = br
	}
	return nil
}

// breakdownRows holds the breakdown rows of one indicator compactly; Rows
// builds them.
type breakdownRows struct {
	id       string
	names    []string        // participants
	periods  []period.Period // reported
	combos   [][]any
	rowCombo []int32         // by row: its combination
	vals     []formula.Value // by row × evaluated period
	nEP      int
	evIndex  []int             // by reported period: the evaluated one
	others   [][]formula.Value // by participant × evaluated period
	list     []bdRef
}

// bdRef is one breakdown row: a row of a participant in a reported period,
// or its other row (row -1).
type bdRef struct{ part, q, row int32 }

func (b *breakdownRows) rows() []Row {
	out := make([]Row, len(b.list))
	for i, ref := range b.list {
		p := b.evIndex[ref.q]
		r := Row{Indicator: b.id, Participant: b.names[ref.part], Period: b.periods[ref.q]}
		if ref.row < 0 {
			r.Other, r.Value = true, nullValue(b.others[ref.part][p])
		} else {
			r.By, r.Value = b.combos[b.rowCombo[ref.row]], nullValue(b.vals[int(ref.row)*b.nEP+p])
		}
		out[i] = r
	}
	return out
}

// view returns the rows of the participants see accepts.
func (b *breakdownRows) view(see func(participant string) bool) *breakdownRows {
	out := *b
	out.list = nil
	for _, ref := range b.list {
		if see(b.names[ref.part]) {
			out.list = append(out.list, ref)
		}
	}
	return &out
}

// groupsOf returns the filter groups of the events indicator ix reads,
// through its formula transitively; each formula is read once, so a running
// formula (one that reads its own prev()) ends.
func (s *Set) groupsOf(ix *Indicator, plan *evalPlan) []int {
	var out []int
	seen := map[*Indicator]bool{}
	var visit func(ix *Indicator)
	visit = func(ix *Indicator) {
		if !ix.IsFormula() {
			if g := plan.bindings[ix.index].group; !slices.Contains(out, g) {
				out = append(out, g)
			}
			return
		}
		if seen[ix] {
			return
		}
		seen[ix] = true
		for _, r := range ix.deps {
			if dep, ok := s.byID[r.Name]; ok && !r.Func {
				visit(dep)
			}
		}
	}
	visit(ix)
	return out
}

// others computes indicator ix for the "other" row of each participant:
// in each evaluated period, over the events of the rows outside that
// period's own top, a period before the report (which prev() reads) too, so
// that the other row of a period reads the same whatever the report's
// first period.
func (ev *evaluation) others(ctx context.Context, w *worker, ix *Indicator, first []int, tops [][][]int, cells rowCells, names []string) ([][]formula.Value, error) {
	nEP := len(ev.periods)
	var buf []cellRef
	other := func(pi, p int) ([]cellRef, error) {
		buf = buf[:0]
		top := tops[pi][p]
		in := top[:min(ix.Def.Top, len(top))]
		for r := first[pi]; r < first[pi+1]; r++ {
			if slices.Contains(in, r) {
				continue
			}
			refs, err := cells(r, p)
			if err != nil {
				return nil, err
			}
			buf = append(buf, refs...)
		}
		return buf, nil
	}
	var discard []Warning
	base, _, err := ev.values(ctx, w, len(names), nil, nil, func() rowCells { return other }, func(pi int) string { return names[pi] }, &discard, false, false)
	if err != nil {
		return nil, err
	}
	vals := base[ix.index]
	out := make([][]formula.Value, len(names))
	for pi := range names {
		out[pi] = vals[pi*nEP : (pi+1)*nEP]
	}
	return out, nil
}

// compareDesc orders values largest first, undefined last.
func compareDesc(a, b formula.Value) int {
	x, okA := a.Number()
	y, okB := b.Number()
	switch {
	case okA && okB:
		return y.Cmp(x)
	case okA:
		return -1
	case okB:
		return 1
	}
	return 0
}

// compareCombos orders combinations of attribute values by their values in
// turn: absent last, then by type (bool, number, string, time), then by
// value.
func compareCombos(a, b []any) int {
	for i := range a {
		if c := compareAttr(a[i], b[i]); c != 0 {
			return c
		}
	}
	return 0
}

func compareAttr(a, b any) int {
	ta, tb := attrRank(a), attrRank(b)
	if ta != tb {
		return cmp.Compare(ta, tb)
	}
	switch x := a.(type) {
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case string:
		return strings.Compare(x, b.(string))
	case time.Time:
		return x.Compare(b.(time.Time))
	case nil:
		return 0
	}
	return numOf(a).Cmp(numOf(b))
}

func attrRank(v any) int {
	switch v.(type) {
	case bool:
		return 0
	case int64, decimal.Decimal:
		return 1
	case string:
		return 2
	case time.Time:
		return 3
	}
	return 4
}

func numOf(v any) decimal.Decimal {
	if i, ok := v.(int64); ok {
		return decimal.NewFromInt(i)
	}
	return v.(decimal.Decimal)
}
