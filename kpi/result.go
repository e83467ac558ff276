package kpi

import (
	"cmp"
	"context"
	"fmt"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Result holds the values of one evaluation: every indicator for every
// participant and reported period. It is immutable. The zero Result (as a
// host's report built by hand may hold) has no values.
type Result struct {
	set          *Set
	cal          *period.Calendar
	periods      []period.Period // reported
	participants []string        // actors sorted, then groups, then org.Everyone
	firstGroup   int             // the index of the first group (or of org.Everyone)
	groups       []org.Group     // the request's groups that have a row (see finished.groups)
	values       []valueRow      // by participant
	width        int             // the indicators of a row's period
	pindex       map[string]int
	perIndex     map[period.Period]int
	// Unpriced lists the events an indicator could not convert.
	Unpriced []Unpriced
	// Warnings lists values left undefined on purpose, with the reason.
	Warnings []Warning
	// breakdown holds the rows of the indicators declared with By.
	breakdown map[string]*breakdownRows
}

// Calendar returns the calendar the result was evaluated in.
func (r *Result) Calendar() *period.Calendar { return r.cal }

// Periods returns the reported periods.
func (r *Result) Periods() []period.Period { return r.periods }

// Participants returns the reported participants: actors sorted by id, then
// the request's groups in order, then org.Everyone ("*").
func (r *Result) Participants() []string { return r.participants }

// IsGroup reports whether a participant is a group (or org.Everyone).
func (r *Result) IsGroup(participant string) bool {
	i, ok := r.pindex[participant]
	return ok && i >= r.firstGroup
}

// Value returns an indicator's value; ok is false when the result has no such
// cell. An undefined value (an average of nothing, x/0) is invalid.
func (r *Result) Value(indicator, participant string, p period.Period) (decimal.NullDecimal, bool) {
	v, ok := r.value(indicator, participant, p)
	if !ok {
		return decimal.NullDecimal{}, false
	}
	return nullValue(v), true
}

func (r *Result) value(indicator, participant string, p period.Period) (formula.Value, bool) {
	if r.set == nil {
		return formula.Value{}, false
	}
	ix, ok := r.set.byID[indicator]
	if !ok {
		return formula.Value{}, false
	}
	pi, ok := r.pindex[participant]
	if !ok {
		return formula.Value{}, false
	}
	qi, ok := r.perIndex[p]
	if !ok {
		return formula.Value{}, false
	}
	return r.values[pi].period(qi, r.width)[ix.index], true
}

// Rows returns every value, ordered by indicator (definition order): its
// totals by participant (as Participants) and period, then, for an
// indicator declared with By, its breakdown rows (Row.By, Row.Other) by
// participant, period, and the attributes' values in turn (ascending,
// events without the attribute last) or, with a Top, by value (largest
// first, undefined last, ties by the attributes' values) and the Other row.
func (r *Result) Rows() []Row {
	if r.set == nil {
		return nil
	}
	rows := make([]Row, 0, len(r.set.list)*len(r.participants)*len(r.periods))
	for _, ix := range r.set.list {
		for pi, part := range r.participants {
			vals := &r.values[pi]
			for qi, p := range r.periods {
				rows = append(rows, Row{Indicator: ix.Def.ID, Participant: part, Period: p, Value: nullValue(vals.period(qi, r.width)[ix.index])})
			}
		}
		rows = append(rows, r.breakdownRows(ix.Def.ID)...)
	}
	return rows
}

// View returns the result as a viewer sees it: the rows of the participants
// see accepts, the unpriced events of the actors it accepts, and their
// warnings. Nothing of anyone else is left in it, so every writer of the
// view is safe by construction.
func (r *Result) View(see func(participant string) bool) *Result {
	out := &Result{set: r.set, cal: r.cal, periods: r.periods, perIndex: r.perIndex, pindex: map[string]int{}, width: r.width}
	for i, p := range r.participants {
		if !see(p) {
			continue
		}
		if i < r.firstGroup {
			out.firstGroup++
		}
		out.pindex[p] = len(out.participants)
		out.participants = append(out.participants, p)
		out.values = append(out.values, r.values[i]) // rows are never changed: shared
	}
	for _, u := range r.Unpriced {
		if see(u.actor) {
			out.Unpriced = append(out.Unpriced, u)
		}
	}
	for _, w := range r.Warnings {
		if see(w.Participant) {
			out.Warnings = append(out.Warnings, w)
		}
	}
	for id, b := range r.breakdown {
		if out.breakdown == nil {
			out.breakdown = map[string]*breakdownRows{}
		}
		out.breakdown[id] = b.view(see)
	}
	return out
}

// Set returns the indicators the result was computed for.
func (r *Result) Set() *Set { return r.set }

// finish turns the merged accumulators into values. Its arrays of every
// evaluated period (finished.base and counts), which nothing reads once
// the result is made, go back to the set for the next finish (spare).
func (ev *evaluation) finish(ctx context.Context, w *worker) (*Result, error) {
	res, fin, err := ev.refinish(ctx, w, nil, nil)
	ev.giveBack(fin)
	return res, err
}

// refinish is finish that also returns what it computed, for the next
// call: given what an earlier call returned (prev) over accumulators in
// which only the cells of the actor codes marked in touched changed since,
// it recomputes only the rows those actors count for (their own, their
// groups' and org.Everyone's) and the rows of participants prev did not
// have, when every row is made of whole-period cells; otherwise every row.
// The rows of participants that stayed are prev's, moved to their places
// (into the arrays of the read before prev) when participants came or went.
// prev is the caller's alone: its arrays are reused.
func (ev *evaluation) refinish(ctx context.Context, w *worker, prev *finished, touched []bool) (*Result, *finished, error) {
	req := ev.req
	tab := ev.tab
	out := &finished{}
	if prev != nil && prev.sameParticipants(tab, req, w.seen, touched) {
		out.names, out.nReal, out.pindex, out.groups, out.shadowed = prev.names, prev.nReal, prev.pindex, prev.groups, prev.shadowed
	} else if err := out.participants(tab, req, w.seen); err != nil {
		return nil, nil, err
	}
	names := out.names
	res := &Result{set: ev.set, cal: req.Calendar, participants: names, firstGroup: out.nReal, groups: out.groups,
		pindex: out.pindex, periods: req.Periods, perIndex: map[period.Period]int{}}
	for i, p := range req.Periods {
		res.perIndex[p] = i
	}
	var static [][]int
	var dated [][]datedCode
	if prev != nil && slices.Equal(prev.names, names) && prev.nActors == len(tab.Actors()) {
		// The same rows of the same actor codes: codes never change.
		static, dated = prev.static, prev.dated
	} else {
		static, dated = members(tab, out.groups, names, out.nReal)
	}
	out.static, out.dated, out.nActors = static, dated, len(tab.Actors())
	newCells := func() rowCells { return ev.memberCells(ctx, w, nil, dated) }
	label := func(ri int) string { return names[ri] }
	wholePeriods := !slices.ContainsFunc(dated, func(d []datedCode) bool { return len(d) > 0 })
	touches := func(codes []int) bool {
		return slices.ContainsFunc(codes, func(c int) bool { return c < len(touched) && touched[c] })
	}
	nEP := len(ev.periods)
	var rows []int
	var from []int // with moved rows: the row of prev each row is (-1: none)
	switch {
	case prev != nil && wholePeriods && slices.Equal(prev.names, names):
		// prev is the caller's alone: its rows are recomputed in place.
		rows = []int{}
		for ri, codes := range static {
			if touches(codes) {
				rows = append(rows, ri)
			}
		}
		out.base, out.counts, out.warns, out.spare = prev.base, prev.counts, prev.warns, prev.spare
	case prev != nil && wholePeriods && prev.values != nil && prev.fits(ev, nEP):
		// Participants came or went: the rows of those that stayed are
		// moved to their new places, and computed again where touched.
		rows, from = []int{}, make([]int, len(names))
		to := make([]int, len(prev.names))
		for i := range to {
			to[i] = -1
		}
		for ri, n := range names {
			old, had := prev.pindex[n]
			if !had || (old < prev.nReal) != (ri < out.nReal) {
				old = -1
			}
			from[ri] = old
			if old >= 0 {
				to[old] = ri
			}
			if old < 0 || touches(static[ri]) {
				rows = append(rows, ri)
			}
		}
		out.base, out.counts = ev.arrays(prev.spare, len(names)*nEP)
		for ri, old := range from {
			if old < 0 {
				continue
			}
			for ix, b := range out.base {
				copy(b[ri*nEP:(ri+1)*nEP], prev.base[ix][old*nEP:(old+1)*nEP])
			}
			for gi, c := range out.counts {
				copy(c[ri*nEP:(ri+1)*nEP], prev.counts[gi][old*nEP:(old+1)*nEP])
			}
		}
		for _, x := range prev.warns {
			if x.row = to[x.row]; x.row >= 0 {
				out.warns = append(out.warns, x)
			}
		}
		out.spare = &spareArrays{base: prev.base, counts: prev.counts}
	case prev != nil:
		// Every row, in prev's arrays.
		out.base, out.counts = ev.arrays(&spareArrays{base: prev.base, counts: prev.counts}, len(names)*nEP)
		out.spare = prev.spare
	default:
		out.base, out.counts = ev.arrays(nil, len(names)*nEP)
	}
	if err := ev.valuesInto(ctx, w, len(names), static, dated, newCells, label, false, wholePeriods, out, rows); err != nil {
		return nil, nil, err
	}
	// Keep the reported periods only, a slice for each row: a row that was
	// not recomputed is the earlier result's.
	evIndex := ev.periodIndexes(req.Periods)
	nQ, nIx := len(req.Periods), len(out.base)
	res.width = nIx
	fill := func(ri int, vals []formula.Value) {
		for ix, base := range out.base {
			for qi, pi := range evIndex {
				vals[qi*nIx+ix] = base[ri*nEP+pi]
			}
		}
	}
	switch {
	case from != nil:
		res.values = make([]valueRow, len(names))
		for ri, old := range from {
			if old >= 0 {
				res.values[ri] = prev.values[old]
			}
		}
		vals := make([]formula.Value, nQ*nIx)
		for _, ri := range rows {
			fill(ri, vals)
			if old := from[ri]; old >= 0 {
				res.values[ri] = prev.values[old].with(vals, nIx)
			} else {
				res.values[ri] = valueRow{all: slices.Clip(slices.Clone(vals))}
			}
		}
	case rows != nil:
		res.values = slices.Clone(prev.values)
		vals := make([]formula.Value, nQ*nIx)
		for _, ri := range rows {
			fill(ri, vals)
			res.values[ri] = prev.values[ri].with(vals, nIx)
		}
	default:
		all := make([]formula.Value, len(names)*nQ*nIx)
		res.values = make([]valueRow, len(names))
		for ri := range names {
			res.values[ri].all = all[ri*nQ*nIx : (ri+1)*nQ*nIx : (ri+1)*nQ*nIx]
			fill(ri, res.values[ri].all)
		}
	}
	out.values = res.values
	// Warnings outside the reported periods are noise.
	res.Warnings = slices.DeleteFunc(out.warnings(), func(wn Warning) bool {
		p, err := req.Calendar.ParseLabel(wn.Period)
		_, ok := res.perIndex[p]
		return err == nil && !ok
	})
	for _, id := range out.shadowed {
		res.Warnings = append(res.Warnings, Warning{Participant: id,
			Msg: fmt.Sprintf("group %s has no row: %[1]s is also an actor, whose row it is", display.QuoteID(id))})
	}
	res.Unpriced = dedupeUnpriced(w.unpriced)
	return res, out, nil
}

// fits reports whether f's arrays are laid out for ev: every indicator
// and filter group, nEP evaluated periods a row.
func (f *finished) fits(ev *evaluation, nEP int) bool {
	if len(f.base) != len(ev.set.list) || len(f.counts) != len(ev.plan.groups) {
		return false
	}
	for _, b := range f.base {
		if len(b) != len(f.names)*nEP {
			return false
		}
	}
	return true
}

// spareArrays are the arrays of a finish that nothing reads any more
// (finished.base and counts), kept by the set for the next: a tracker's
// reads and the goals' fetches of a report evaluate the same sets again
// and again, and those arrays are most of what a finish allocates.
type spareArrays struct {
	base   [][]formula.Value
	counts [][]int64
}

// giveBack hands the arrays of f, which nothing reads any more, to the set
// for a later finish (nil: none).
func (ev *evaluation) giveBack(f *finished) {
	if f != nil && f.base != nil {
		ev.set.spare.Put(&spareArrays{base: f.base, counts: f.counts})
	}
}

// arrays returns the arrays of a finish of n cells (rows × evaluated
// periods) for every indicator and filter group: sp's (nil: the set's
// spare, if any) where they have room, new ones otherwise, with room for
// more (roomy). Their cells hold whatever sp's did: valuesInto writes
// every cell of the rows it computes.
func (ev *evaluation) arrays(sp *spareArrays, n int) (base [][]formula.Value, counts [][]int64) {
	if sp == nil {
		sp, _ = ev.set.spare.Get().(*spareArrays)
	}
	if sp == nil {
		sp = &spareArrays{}
	}
	base = make([][]formula.Value, len(ev.set.list))
	for i := range base {
		if i < len(sp.base) && cap(sp.base[i]) >= n {
			base[i] = sp.base[i][:n]
		} else {
			base[i] = make([]formula.Value, n, roomy(n))
		}
	}
	counts = make([][]int64, len(ev.plan.groups))
	for i := range counts {
		if i < len(sp.counts) && cap(sp.counts[i]) >= n {
			counts[i] = sp.counts[i][:n]
		} else {
			counts[i] = make([]int64, n, roomy(n))
		}
	}
	return base, counts
}

// roomy is the room of new arrays of a finish for n cells: an eighth
// more. A tracker's reads while actors are still coming (every new
// actor's first event adds a row) take their arrays from the read before
// the last, sized for fewer rows: with exact sizes each such read made
// every array again, megabytes a read.
func roomy(n int) int { return n + n/8 }

// participants lists the participants of the rows: the actors seen (an
// event in range) and the requested ones, sorted, then the request's
// groups, then org.Everyone. A group whose id is also an actor's has no
// row (the actor's row is the actor's: a directory may number its units
// as it numbers its users); its id is in f.shadowed, and f.groups are the
// groups with a row.
func (f *finished) participants(tab *colstore.Table, req *Request, seen []bool) error {
	actors := tab.Actors()
	n := len(req.Participants)
	for code, s := range seen {
		if s && code != 0 {
			n++
		}
	}
	// The actors seen and the requested ones, sorted, each once: no map
	// of them made at every finish.
	names := make([]string, 0, n+len(req.Groups)+1)
	for code, s := range seen {
		if s && code != 0 {
			names = append(names, actors[code])
		}
	}
	names = append(names, req.Participants...)
	slices.Sort(names)
	names = slices.Compact(names)
	f.nReal = len(names)
	want := func(id string) bool {
		_, ok := slices.BinarySearch(names[:f.nReal], id)
		return ok
	}
	f.groups, f.shadowed = req.Groups, nil
	if slices.ContainsFunc(req.Groups, func(g org.Group) bool { return want(g.ID) }) {
		f.groups = slices.DeleteFunc(slices.Clone(req.Groups), func(g org.Group) bool {
			if want(g.ID) {
				f.shadowed = append(f.shadowed, g.ID)
				return true
			}
			return false
		})
	}
	for _, g := range f.groups {
		names = append(names, g.ID)
	}
	names = append(names, org.Everyone)
	f.names, f.pindex = names, make(map[string]int, len(names))
	for i, n := range names {
		if _, dup := f.pindex[n]; dup {
			// Not reached by any input: an actor "*" is refused where
			// events come in (Apply, a store's batches, a snapshot's live
			// events), a request's groups are neither "*" nor given twice,
			// and a group whose id is an actor's was shadowed above. Kept
			// as the guard of that rule: a report with two rows of one
			// participant would be wrong.
			return fmt.Errorf("participant %s is both an actor and a group", display.QuoteID(n))
		}
		f.pindex[n] = i
	}
	return nil
}

// sameParticipants reports whether the participants of f are still those
// of seen: none of the actors touched since has been seen or unseen.
func (f *finished) sameParticipants(tab *colstore.Table, req *Request, seen []bool, touched []bool) bool {
	actors := tab.Actors()
	for c, t := range touched {
		if !t || c == 0 || c >= len(actors) {
			continue
		}
		a := actors[c]
		ri, had := f.pindex[a]
		had = had && ri < f.nReal
		want := (c < len(seen) && seen[c]) || slices.Contains(req.Participants, a)
		if had != want {
			return false
		}
	}
	return true
}

// members lists, for each participant row of names (nReal actors, then the
// request's groups, then org.Everyone), the actor codes it merges for whole
// periods and the dated memberships of its groups.
func members(tab *colstore.Table, groups []org.Group, names []string, nReal int) (static [][]int, dated [][]datedCode) {
	static = make([][]int, len(names))
	dated = make([][]datedCode, len(names))
	for i, n := range names[:nReal] {
		if c, ok := tab.ActorCode(n); ok {
			static[i] = []int{int(c)}
		}
	}
	for gi, g := range groups {
		var codes []int
		for _, m := range g.Members {
			if c, ok := tab.ActorCode(m); ok && !slices.Contains(codes, int(c)) {
				codes = append(codes, int(c))
			}
		}
		static[nReal+gi] = codes
		for _, sp := range g.Spans {
			if c, ok := tab.ActorCode(sp.Member); ok {
				dated[nReal+gi] = append(dated[nReal+gi], datedCode{code: int(c), span: sp})
			}
		}
	}
	all := make([]int, 0, len(tab.Actors()))
	for c := range tab.Actors() {
		all = append(all, c)
	}
	static[len(names)-1] = all
	return static, dated
}

// rowCells lists the accumulator cells of row ri in evaluated period p. The
// slice it returns is reused by the next call.
type rowCells func(ri, p int) ([]cellRef, error)

// memberCells returns the cells of rows of static and dated members:
// whole-period cells of w, and, for a membership that starts or ends inside
// the period, the day cells of a second scan by day. With static nil, the
// cells of the dated members only.
func (ev *evaluation) memberCells(ctx context.Context, w *worker, static [][]int, dated [][]datedCode) rowCells {
	nEP := len(ev.periods)
	var dayW *worker
	var dayCells *dayCells
	var cellBuf []cellRef
	return func(ri, p int) ([]cellRef, error) {
		cellBuf = cellBuf[:0]
		if static != nil {
			for _, c := range static[ri] {
				cellBuf = append(cellBuf, cellRef{w, c*nEP + p})
			}
		}
		per := ev.periods[p]
		for _, dc := range dated[ri] {
			from, to := max(per.Start, dc.span.From), per.End
			if dc.span.To != 0 {
				to = min(to, dc.span.To)
			}
			switch {
			case from >= to:
				continue
			case from == per.Start && to == per.End:
				cellBuf = append(cellBuf, cellRef{w, dc.code*nEP + p})
				continue
			}
			if dayW == nil {
				var err error
				if dayCells, dayW, err = ev.byDay(ctx); err != nil {
					return nil, err
				}
			}
			if dv := dayCells.dense; dv != nil {
				// The days of the scan's table only: the others hold nothing.
				dayBase := date.Date(dv.base)
				for d := max(from, dayBase); d < min(to, dayBase+date.Date(len(dv.dayTab))); d++ {
					if x := int32(d) - dv.base; x >= 0 && int(x) < len(dv.dayTab) && dv.dayTab[x] >= 0 {
						cellBuf = append(cellBuf, cellRef{dayW, dc.code*dv.nP + int(dv.dayTab[x])})
					}
				}
				continue
			}
			// The member's dates with events in [from, to): the others hold nothing.
			lo, hi := dayCells.between(dc.code, from, to)
			for c := lo; c < hi; c++ {
				cellBuf = append(cellBuf, cellRef{dayW, c})
			}
		}
		return cellBuf, nil
	}
}

// values computes every indicator of the set for nRow rows in every
// evaluated period, base[indicator index][row*nEP+p], from the cells of
// each row (newCells returns a function listing them, one for each
// goroutine); label names a row in errors and warnings. counts[g][row*nEP+p]
// is the number of events filter group g counts there. With sparse, every
// value is left undefined where no group counts an event, unless a formula
// reads prev(): such a cell is never reported. Rows are computed by
// several goroutines when parallel is set.
//
// With static, newCells lists the cells of dated members only, and the
// whole-period cells of row ri are those of the codes static[ri] (read in
// order, as they lie); a cumulative group reads the day cells of its window
// of static[ri] and dated[ri] (static is required then).
func (ev *evaluation) values(ctx context.Context, w *worker, nRow int, static [][]int, dated [][]datedCode, newCells func() rowCells, label func(ri int) string, warnings *[]Warning, sparse, parallel bool) (base [][]formula.Value, counts [][]int64, err error) {
	out := &finished{}
	if err := ev.valuesInto(ctx, w, nRow, static, dated, newCells, label, sparse, parallel, out, nil); err != nil {
		return nil, nil, err
	}
	*warnings = append(*warnings, out.warnings()...)
	return out.base, out.counts, nil
}

// finished is what values computed for every row: a tracker keeps it so
// that its next read recomputes only the rows whose cells changed.
type finished struct {
	names  []string // the participants of the rows
	nReal  int      // the actors among them, first
	pindex map[string]int
	// groups are the request's groups with a row (names after the
	// actors), shadowed the ids of those without: an actor's too.
	groups   []org.Group
	shadowed []string
	base     [][]formula.Value
	counts   [][]int64
	warns    []rowWarning // sorted by indicator, row and period
	values   []valueRow   // the Result's
	// spare are the arrays of an earlier read, which the next read moves
	// rows into when participants came or went (nil: none yet).
	spare *spareArrays
	// The members of the rows (see members), of a table of nActors actors.
	static  [][]int
	dated   [][]datedCode
	nActors int
}

type rowWarning struct {
	ix, row, p int
	w          Warning
}

func (f *finished) warnings() []Warning {
	out := make([]Warning, 0, len(f.warns))
	for _, x := range f.warns {
		out = append(out, x.w)
	}
	return out
}

// valuesInto is values into out: every row, or with rows (ascending) only
// those, the others left as out holds them (its arrays are allocated when
// nil); the warnings of the rows computed replace theirs in out.warns.
func (ev *evaluation) valuesInto(ctx context.Context, w *worker, nRow int, static [][]int, dated [][]datedCode, newCells func() rowCells, label func(ri int) string, sparse, parallel bool, out *finished, rows []int) error {
	req := ev.req
	if err := ev.cumScan(ctx); err != nil {
		return err
	}
	nEP := len(ev.periods)
	sparse = sparse && ev.set.maxBack == 0
	// stride[i] is nEP, or 0 for an indicator whose values are kept for the
	// row being computed only (its base is nil then).
	stride := make([]int, len(ev.set.list))
	if out.base == nil {
		out.base = make([][]formula.Value, len(ev.set.list))
		out.counts = make([][]int64, len(ev.plan.groups))
		for gi := range out.counts {
			out.counts[gi] = make([]int64, nRow*nEP)
		}
	}
	base, counts := out.base, out.counts
	for _, ix := range ev.set.list {
		if sparse && ev.keep != nil && !ev.keep[ix.index] {
			continue
		}
		stride[ix.index] = nEP
		if base[ix.index] == nil {
			base[ix.index] = make([]formula.Value, nRow*nEP)
		}
	}
	for _, ix := range ev.set.formulas {
		if ix.readsWorkdays() {
			// workdays() needs the holidays of every evaluated period.
			for _, per := range ev.periods {
				if err := req.Calendar.WorkCalendar().Check(per.Start, per.End); err != nil {
					return fmt.Errorf("indicator %s, period %s: workdays(): %w", ix.Def.ID, periodText(req.Calendar, per), err)
				}
			}
		}
	}
	n := nRow
	if rows != nil {
		n = len(rows)
	}
	rowAt := func(i int) int {
		if rows != nil {
			return rows[i]
		}
		return i
	}
	workers := 1
	if parallel {
		workers = ev.req.Workers
		if workers <= 0 {
			workers = runtime.GOMAXPROCS(0)
		}
		workers = max(1, min(workers, n/256))
	}
	warns := make([][]rowWarning, workers)
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for k := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			cells := newCells()
			vb := slices.Clone(base)
			for i, st := range stride {
				if st == 0 {
					vb[i] = make([]formula.Value, nEP)
				}
			}
			vr := valueRows{ev: ev, w: w, base: vb, stride: stride, counts: counts, static: static, dated: dated, cells: cells, sparse: sparse}
			vr.warn = func(ix *Indicator, ri, p int) {
				warns[k] = append(warns[k], rowWarning{ix.index, ri, p, Warning{Indicator: ix.Def.ID, Participant: label(ri), Period: req.Calendar.Label(ev.periods[p]),
					Msg: "amounts in several currencies: declare the indicator's currency to convert them"}})
			}
			for i := n * k / workers; i < n*(k+1)/workers; i++ {
				if i%1024 == 0 {
					if errs[k] = ctx.Err(); errs[k] != nil {
						return
					}
				}
				ri := rowAt(i)
				for gi := range counts {
					clear(counts[gi][ri*nEP : (ri+1)*nEP])
				}
				if errs[k] = vr.row(ri); errs[k] != nil {
					if ix := vr.failed; ix != nil {
						errs[k] = fmt.Errorf("indicator %s, participant %s, period %s: %w", ix.Def.ID, display.QuoteID(label(ri)), periodText(req.Calendar, ev.periods[vr.failedP]), errs[k])
					}
					return
				}
			}
		}()
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	// Warnings in the order of indicators, rows and periods.
	if rows != nil {
		out.warns = slices.DeleteFunc(out.warns, func(x rowWarning) bool {
			_, found := slices.BinarySearch(rows, x.row)
			return found
		})
	}
	for _, ws := range warns {
		out.warns = append(out.warns, ws...)
	}
	slices.SortStableFunc(out.warns, func(a, b rowWarning) int {
		return cmp.Or(cmp.Compare(a.ix, b.ix), cmp.Compare(a.row, b.row), cmp.Compare(a.p, b.p))
	})
	return nil
}

// valueRows computes the values of rows, one goroutine's share of values.
type valueRows struct {
	ev      *evaluation
	w       *worker
	base    [][]formula.Value
	stride  []int // by indicator: of a row in base (see values)
	counts  [][]int64
	static  [][]int
	dated   [][]datedCode
	cells   rowCells
	wrefs   []cellRef   // the day cells of a cumulative group's window
	win     []runWindow // by group: the windows of cumulative groups, of the row being computed
	refs    []cellRef
	sparse  bool
	warn    func(ix *Indicator, ri, p int)
	tmp     map[*valueSlot]*slotAcc
	sc      formulaScope
	failed  *Indicator // the formula whose evaluation failed
	failedP int
}

// runWindow is the window of a cumulative group for the row being
// computed: its count and accumulators (one cell each, by slot), carried
// from a period to the next while the window only grows (to date within a
// grain), started again where it moves.
type runWindow struct {
	start, end date.Date
	valid      bool
	count      int64
	accs       []*slotAcc
}

// window brings the window of cumulative group gi to evaluated period p for
// a row of the members static and dated, and returns its count.
func (vr *valueRows) window(gi int, g *filterGroup, static []int, dated []datedCode, p int) int64 {
	ev := vr.ev
	if vr.win == nil {
		vr.win = make([]runWindow, len(ev.plan.groups))
	}
	rw := &vr.win[gi]
	if rw.accs == nil {
		for si, sl := range g.slots {
			rw.accs = append(rw.accs, newSlotAcc(sl, 1, ev.cumW.slots[gi][si].cur != nil))
		}
	}
	per := ev.periods[p]
	start := g.window.start(ev.req.Calendar, per, ev.firstDay())
	from := start
	if rw.valid && rw.start == start && rw.end == per.Start {
		from = per.Start // the window grows by the period
	} else {
		rw.count = 0
		for _, a := range rw.accs {
			a.reset()
		}
	}
	vr.wrefs = ev.windowCells(vr.wrefs[:0], static, dated, from, per.End)
	for _, r := range vr.wrefs {
		rw.count += r.w.counts[gi][r.cell]
		for si, a := range rw.accs {
			a.mergeCell(0, r.w.slots[gi][si], r.cell)
		}
	}
	rw.start, rw.end, rw.valid = start, per.End, true
	return rw.count
}

// row computes every value of row ri: the counts of each group, the base
// indicators, then the formulas in dependency order, period by period (so
// that prev() reads a formula's values of the periods before, its own
// included). A running formula (one that reads its own prev()) starts in
// the first reported period: before it, it is undefined, whatever the
// lookback. A formula reads values of its own row only.
func (vr *valueRows) row(ri int) error {
	ev, w := vr.ev, vr.w
	nEP := len(ev.periods)
	scale := ev.tab.Scale
	for i := range vr.win {
		vr.win[i].valid = false // another row's
	}
	var st, own []int // the cells' codes, and the row's members' (for windows)
	if vr.static != nil {
		st = vr.static[ri]
		own = st
		if w.everyone != nil && ri == len(vr.static)-1 {
			// org.Everyone's cells, kept as one actor's (see trackAggs).
			w, st = w.everyone, everyoneCode
		}
		for gi := range vr.counts {
			sum := vr.counts[gi][ri*nEP : (ri+1)*nEP]
			for _, c := range st {
				for p, n := range w.counts[gi][c*nEP : (c+1)*nEP] {
					sum[p] += n
				}
			}
		}
	}
	// With static members only, the cells of a period are known without
	// asking cells, and listed only when a value merges several.
	dated := vr.static == nil || len(vr.dated[ri]) > 0
	for p := range nEP {
		var refs []cellRef
		if dated {
			var err error
			if refs, err = vr.cells(ri, p); err != nil {
				return err
			}
			for gi := range vr.counts {
				var n int64
				for _, r := range refs {
					n += r.w.counts[gi][r.cell]
				}
				vr.counts[gi][ri*nEP+p] += n
			}
		}
		for gi, g := range ev.plan.groups {
			if g.window != nil {
				// A window reads the members' day cells, whatever cells
				// the row's other values come from.
				vr.counts[gi][ri*nEP+p] = vr.window(gi, g, own, vr.dated[ri], p)
			}
		}
		if vr.sparse && !vr.counted(ri*nEP+p) {
			continue // never reported: its values stay undefined
		}
		listed := len(st) == 0
		for _, ix := range ev.set.list {
			if ix.IsFormula() {
				continue
			}
			b := ev.plan.bindings[ix.index]
			n := vr.counts[b.group][ri*nEP+p]
			var v formula.Value
			switch {
			case b.slot < 0:
				v = formula.Int(n)
			case n == 0:
				v = emptyValue(ix.Aggregate) // no event: no value either
			default:
				if !listed {
					// Every cell of the row, for values that merge them.
					vr.refs = vr.refs[:0]
					for _, c := range st {
						vr.refs = append(vr.refs, cellRef{w, c*nEP + p})
					}
					refs = append(vr.refs, refs...)
					vr.refs, listed = refs, true
				}
				sl := ev.plan.groups[b.group].slots[b.slot]
				acc := w.slots[b.group][b.slot]
				cellAcc, cell := acc, -1
				if ev.plan.groups[b.group].window != nil {
					cellAcc, cell = vr.win[b.group].accs[b.slot], 0 // the window's
				} else if len(refs) == 1 && refs[0].w == w {
					cell = refs[0].cell
				} else if len(refs) > 0 {
					tmp := vr.tmp[sl]
					if tmp == nil {
						if vr.tmp == nil {
							vr.tmp = map[*valueSlot]*slotAcc{}
						}
						tmp = newSlotAcc(sl, 1, acc.cur != nil)
						vr.tmp[sl] = tmp
					}
					tmp.reset()
					for _, r := range refs {
						tmp.mergeCell(0, r.w.slots[b.group][b.slot], r.cell)
					}
					cellAcc, cell = tmp, 0
				}
				switch {
				case cell < 0:
					v = emptyValue(ix.Aggregate)
				case cellAcc.cur != nil && cellAcc.cur[cell] < 0 && ix.Aggregate != Count && ix.Aggregate != Distinct:
					v = formula.Undefined()
					vr.warn(ix, ri, p)
				default:
					v = cellAcc.value(ix, cell, scale)
				}
			}
			vr.base[ix.index][ri*vr.stride[ix.index]+p] = v
		}
	}
	first := ev.req.Periods[0].Start
	vr.sc.ev, vr.sc.base, vr.sc.stride, vr.sc.row = ev, vr.base, vr.stride, ri
	for p := range nEP {
		if vr.sparse && !vr.counted(ri*nEP+p) {
			continue
		}
		before := ev.periods[p].Start < first
		for _, ix := range ev.set.formulas {
			vals, at := vr.base[ix.index], ri*vr.stride[ix.index]+p
			if before && ix.running {
				vals[at] = formula.Undefined()
				continue
			}
			vr.sc.p = p
			v, err := ix.formula.Eval(&vr.sc)
			if err != nil {
				vr.failed, vr.failedP = ix, p
				return err
			}
			vals[at] = v
		}
	}
	return nil
}

// everyoneCode is the one actor code of a worker that holds org.Everyone's
// cells.
var everyoneCode = []int{0}

// counted reports whether a group counts an event in cell c of the rows.
func (vr *valueRows) counted(c int) bool {
	for _, counts := range vr.counts {
		if counts[c] != 0 {
			return true
		}
	}
	return false
}

func emptyValue(a Aggregate) formula.Value {
	switch a {
	case Count, Sum, Distinct:
		return formula.Int(0)
	}
	return formula.Undefined()
}

func (a *slotAcc) reset() {
	clear(a.nv)
	clear(a.lo)
	clear(a.hi)
	clear(a.mn)
	clear(a.mx)
	clear(a.nvI)
	clear(a.cur)
	clear(a.dec)
}

func dedupeUnpriced(us []Unpriced) []Unpriced {
	slices.SortFunc(us, func(a, b Unpriced) int {
		return cmp.Or(strings.Compare(a.Indicator, b.Indicator), strings.Compare(a.Event, b.Event), strings.Compare(a.RateDate, b.RateDate))
	})
	return slices.Compact(us)
}

// formulaScope resolves the names of a formula indicator for one participant
// and period.
type formulaScope struct {
	ev     *evaluation
	base   [][]formula.Value
	stride []int // by indicator: of a row in base
	row    int
	p      int
	// names and ixs are the indicators looked up so far: a program looks
	// its names up again for every row and period, the same strings.
	names []string
	ixs   []*Indicator
}

// indicator returns the indicator of the set named name.
func (s *formulaScope) indicator(name string) (*Indicator, bool) {
	for i, n := range s.names {
		if n == name {
			return s.ixs[i], true
		}
	}
	ix, ok := s.ev.set.byID[name]
	if ok && len(s.names) < 16 {
		s.names, s.ixs = append(s.names, name), append(s.ixs, ix)
	}
	return ix, ok
}

func (s *formulaScope) Lookup(r formula.Ref) formula.Value {
	ev := s.ev
	p := ev.periods[s.p]
	if r.Func {
		cal := ev.req.Calendar
		switch r.Name {
		case "days":
			return formula.Int(int64(p.Days()))
		case "workdays":
			return formula.Int(int64(cal.Workdays(p)))
		case "elapsed":
			at := ev.req.AsOf
			if at.IsZero() {
				return formula.Int(1)
			}
			f := cal.Elapsed(p, at, period.CalendarTime)
			q, _ := divide(decimal.NewFromInt(f.Num), decimal.NewFromInt(f.Den))
			return formula.Number(q)
		}
		return formula.Undefined()
	}
	ix, ok := s.indicator(r.Name)
	if !ok {
		return formula.Undefined()
	}
	pi := s.p
	if r.Back > 0 {
		target := ev.req.Calendar.Shift(p, -r.Back)
		found := false
		for i := s.p - 1; i >= 0; i-- {
			if ev.periods[i] == target {
				pi, found = i, true
				break
			}
		}
		if !found {
			return formula.Undefined()
		}
	}
	vals := s.base[ix.index]
	if vals == nil {
		return formula.Undefined()
	}
	return vals[s.row*s.stride[ix.index]+pi]
}

// periodIndexes returns the index in ev.periods of each of ps (the first
// equal one; -1: none), in time of the periods, not of their product.
func (ev *evaluation) periodIndexes(ps []period.Period) []int {
	out := make([]int, len(ps))
	// In 64 bits: on a 32-bit platform the product of two counts of a
	// century's days wraps below 1024.
	if int64(len(ps))*int64(len(ev.periods)) <= 1024 {
		for i, p := range ps {
			out[i] = slices.Index(ev.periods, p)
		}
		return out
	}
	at := make(map[period.Period]int, len(ev.periods))
	for i := len(ev.periods) - 1; i >= 0; i-- {
		at[ev.periods[i]] = i
	}
	for i, p := range ps {
		if x, ok := at[p]; ok {
			out[i] = x
		} else {
			out[i] = -1
		}
	}
	return out
}

// cellRef is one accumulator cell of a worker.
type cellRef struct {
	w    *worker
	cell int
}

// datedCode is a group member's actor code with the dates it counts for.
type datedCode struct {
	code int
	span org.Span
}

// dayCells are the cells of a scan by day: one for each actor (or
// virtual participant) and local date with an event in the evaluated
// periods, numbered by actor, then date; or, with dense, one for each
// actor and date of the periods, as dense lays them out.
type dayCells struct {
	start []int32 // by actor: its cells are start[a]:start[a+1]
	day   []int32 // the date of each cell
	dense *evaluation
}

// between returns the cells [lo, hi) of actor a's dates in [from, to).
func (dc *dayCells) between(a int, from, to date.Date) (lo, hi int) {
	days := dc.day[dc.start[a]:dc.start[a+1]]
	i, _ := slices.BinarySearch(days, int32(from))
	j, _ := slices.BinarySearch(days, int32(to))
	return int(dc.start[a]) + i, int(dc.start[a]) + j
}

// byDay scans the table again with a cell for each actor and date that has
// an event in the evaluated periods, or where they are dense every date
// (denseDays), for memberships that begin or end inside a period.
func (ev *evaluation) byDay(ctx context.Context) (*dayCells, *worker, error) {
	dev := *ev
	nDays := int64(0)
	for _, p := range ev.periods {
		nDays += max(int64(min(p.End, date.Date(colstore.EndDay))-max(p.Start, date.Date(colstore.FirstDay))), 0)
	}
	if ev.denseDays(nDays) { // a day a period

		var days, parents []period.Period
		for _, p := range ev.periods {
			for d := max(p.Start, date.Date(colstore.FirstDay)); d < min(p.End, date.Date(colstore.EndDay)); d++ {
				days = append(days, period.Period{Grain: period.Day, Start: d, End: d + 1})
				parents = append(parents, p)
			}
		}
		dev.layout(days)
		dev.cellPeriods = parents
		w, err := dev.scan(ctx)
		return &dayCells{dense: &dev}, w, err
	}
	dev.layout(ev.periods)
	dev.dayParent = dev.dayTab // the evaluated period of each date
	return dev.scanByDay(ctx, ev)
}

// denseDays reports whether a scan by day of the dates of days for the
// actors of ev keeps a cell for every actor and date: where actors times
// dates are at most four times the rows the scan reads, such cells cost
// little more than the rows, and are made without sorting them (faster
// there); sparser scans keep the cells with events (scanByDay).
func (ev *evaluation) denseDays(days int64) bool {
	n := int64(0)
	for seg := range ev.marker {
		n += int64(seg.N)
	}
	return int64(ev.nA)*days <= 4*n
}

// scanByDay scans the table with a cell for each actor (or virtual
// participant) of ev and date with an event in dev's layout: the rows'
// actors (keys, and those of the cohort groups' rows) are replaced with
// their cells, in a layout of one period.
func (dev *evaluation) scanByDay(ctx context.Context, ev *evaluation) (*dayCells, *worker, error) {
	in := dev.dayTab
	dev.dayTab = make([]int32, len(in))
	for i, p := range in {
		dev.dayTab[i] = min(p, 0)
	}
	dev.nP = 1
	dev.keys = map[*colstore.Segment][]uint32{}
	// The rows the scan reads, with the actor and date each counts for,
	// and the cell each is given.
	type rows struct {
		seg   *colstore.Segment
		day   []int32
		actor []uint32
		cell  []uint32
	}
	var all []rows
	keyed := func(seg *colstore.Segment) {
		if dev.keys[seg] != nil {
			return
		}
		actor := seg.Actor
		if ev.keys != nil {
			actor = ev.keys[seg]
		}
		r := rows{seg: seg, day: seg.Day, actor: actor, cell: make([]uint32, seg.N)}
		dev.keys[seg] = r.cell
		all = append(all, r)
	}
	if ev.cohorts != nil {
		dev.cohorts = make([]map[*colstore.Segment]*cohortRows, len(ev.cohorts))
	}
	for gi, seg := range ev.scanned() {
		var co *cohortRows
		if ev.cohorts != nil && ev.cohorts[gi] != nil {
			co = ev.cohorts[gi][seg]
		}
		if co == nil || ev.marker[seg] == gi {
			keyed(seg) // a cohort group marks presence by the rows' own dates and actors
		}
		if co != nil {
			r := rows{seg: seg, day: co.day, actor: co.actor, cell: make([]uint32, seg.N)}
			if dev.cohorts[gi] == nil {
				dev.cohorts[gi] = map[*colstore.Segment]*cohortRows{}
			}
			dev.cohorts[gi][seg] = &cohortRows{day: co.day, actor: r.cell, ts: co.ts}
			all = append(all, r)
		}
	}
	if ev.only == nil {
		for _, seg := range ev.markOnly {
			keyed(seg)
		}
	}
	// each calls f with the actor, date and cell of every row in the
	// evaluated periods, as-of and known-at.
	each := func(f func(a uint32, d int32, cell *uint32)) {
		for _, r := range all {
			for i, d := range r.day {
				x := d - dev.base
				if uint32(x) >= uint32(len(in)) || in[x] < 0 || (dev.checkTS && r.seg.TS[i] > dev.asOfNs) {
					continue
				}
				if dev.known.hides(r.seg.Known(i)) {
					continue
				}
				f(r.actor[i], d, &r.cell[i])
			}
		}
	}
	// The dates of the rows bucketed by actor, then sorted and made unique
	// in each: the cells.
	nA := ev.nA
	cells := &dayCells{start: make([]int32, nA+1)}
	each(func(a uint32, _ int32, _ *uint32) { cells.start[a+1]++ })
	for a := range nA {
		cells.start[a+1] += cells.start[a]
	}
	days := make([]int32, cells.start[nA])
	next := slices.Clone(cells.start[:nA])
	each(func(a uint32, d int32, _ *uint32) {
		days[next[a]] = d
		next[a]++
	})
	n := int32(0)
	for a := range nA {
		own := days[cells.start[a]:cells.start[a+1]]
		slices.Sort(own)
		own = slices.Compact(own)
		cells.start[a] = n
		n += int32(copy(days[n:], own))
	}
	cells.start[nA] = n
	cells.day = slices.Clip(days[:n])
	each(func(a uint32, d int32, cell *uint32) {
		i, _ := slices.BinarySearch(cells.day[cells.start[a]:cells.start[a+1]], d)
		*cell = uint32(cells.start[a]) + uint32(i)
	})
	dev.nA = int(n)
	dev.cellDays = cells.day
	w, err := dev.scan(ctx)
	return cells, w, err
}
