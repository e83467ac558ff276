package kpi

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/shopspring/decimal"
)

// PartialSource is an optional capability of a Source whose events are
// split between several trackers (the partitions of a log, each with its
// own Tracker): Partials hands over what each tracker's Partial encoded, and
// Evaluate merges them into the values, as one tracker over every event
// would give them, without scanning. Teams are merged from their members'
// parts and ratios from their merged components.
//
// Evaluate scans instead when the parts cannot answer the request exactly:
// they were made for other indicators or periods, an event of a part
// happens after the request's AsOf, the request replays KnownAt, or a group
// has dated memberships.
type PartialSource interface {
	Source
	// Partials calls fn with the encoding of each part, in any order.
	Partials(ctx context.Context, fn func(data []byte) error) error
}

// partialVersion is the version of the encoding of a part.
const partialVersion = 1

// partial is the encoding of one tracker's aggregates: per actor and
// evaluated period, a count per filter group and, per value slot, the
// components every aggregate is finished from.
type partial struct {
	Version int    `json:"v"`
	Plan    string `json:"plan"`
	// MaxTime is the latest instant of an applied event (unix ns).
	MaxTime  int64             `json:"max_time"`
	Actors   []string          `json:"actors"`
	Seen     []int             `json:"seen,omitempty"`
	Counts   [][]partialCount  `json:"counts"`
	Slots    [][][]partialCell `json:"slots"`
	Unpriced []partialUnpriced `json:"unpriced,omitempty"`
}

type partialCount struct {
	A int   `json:"a"`
	P int   `json:"p"`
	N int64 `json:"n"`
}

// partialCell is a value slot's cell: the defined values (N), their exact
// sum, the numbers among them with their min and max (MN), the distinct
// values as an exact set, and the currencies of the amounts.
type partialCell struct {
	A   int              `json:"a"`
	P   int              `json:"p"`
	N   int64            `json:"n"`
	Sum *decimal.Decimal `json:"sum,omitempty"`
	MN  int64            `json:"mn,omitempty"`
	Min *decimal.Decimal `json:"min,omitempty"`
	Max *decimal.Decimal `json:"max,omitempty"`
	Set []string         `json:"set,omitempty"`
	Cur []string         `json:"cur,omitempty"`
}

type partialUnpriced struct {
	Unpriced
	Actor string `json:"actor"`
}

// Partial encodes the tracker's aggregates for a PartialSource: parts of
// trackers of the same indicators and periods over disjoint events (no
// event ID in two of them) merge into the values of their union. It fails,
// naming the indicator, when an indicator's aggregate cannot be merged
// exactly from parts.
func (t *Tracker) Partial(ctx context.Context) ([]byte, error) {
	if err := t.set.mergeable(); err != nil {
		return nil, err
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	var out []byte
	err := t.read(ctx, func(st *trackState) error {
		var err error
		out, err = t.partial(st)
		return err
	})
	return out, err
}

// partial encodes the aggregates of st.
func (t *Tracker) partial(st *trackState) ([]byte, error) {
	nP := st.ev.nP
	actors := st.tab.Actors()
	curs := st.tab.Currencies()
	cells := len(actors) * nP
	p := &partial{Version: partialVersion, Plan: t.set.fingerprint(&t.req), MaxTime: st.maxTS, Actors: actors}
	for a := range min(len(actors), len(st.seen)) {
		if st.seen[a] > 0 {
			p.Seen = append(p.Seen, a)
		}
	}
	for gi, g := range st.ev.plan.groups {
		var cs []partialCount
		for c, n := range st.counts[gi][:min(cells, len(st.counts[gi]))] {
			if n != 0 {
				cs = append(cs, partialCount{A: c / nP, P: c % nP, N: n})
			}
		}
		p.Counts = append(p.Counts, cs)
		var slots [][]partialCell
		for si, sl := range g.slots {
			slots = append(slots, st.slots[gi][si].partial(sl, cells, nP, st.scale, curs))
		}
		p.Slots = append(p.Slots, slots)
	}
	for u := range st.unpriced {
		p.Unpriced = append(p.Unpriced, partialUnpriced{Unpriced: u, Actor: u.actor})
	}
	slices.SortFunc(p.Unpriced, func(a, b partialUnpriced) int {
		return cmpUnpriced(a.Unpriced, b.Unpriced)
	})
	return json.Marshal(p)
}

func cmpUnpriced(a, b Unpriced) int {
	for _, c := range [...][2]string{{a.Indicator, b.Indicator}, {a.Event, b.Event}, {a.Date, b.Date}, {a.RateDate, b.RateDate}} {
		switch {
		case c[0] < c[1]:
			return -1
		case c[0] > c[1]:
			return 1
		}
	}
	return 0
}

// partial lists the slot's cells that hold anything, in cell order.
func (a *trackSlot) partial(sl *valueSlot, cells, nP int, scale int32, curs []string) []partialCell {
	var out []partialCell
	for c := range min(cells, len(a.nv)) {
		d := a.dec[c]
		cur := a.cur[c]
		if a.nv[c] == 0 && len(cur) == 0 {
			continue // no value: whatever is left of what came and went adds nothing
		}
		pc := partialCell{A: c / nP, P: c % nP, N: a.nv[c]}
		if sl.sum {
			sum := decimal.Zero
			if a.hasInt {
				sum, _ = (&slotAcc{lo: a.lo, hi: a.hi}).intSum(c, scale).Number()
			}
			if d != nil {
				sum = sum.Add(d.sum)
			}
			pc.Sum = &sum
		}
		if d != nil && sl.minmax {
			for _, e := range d.mm {
				if pc.MN == 0 || e.v.Cmp(*pc.Min) < 0 {
					pc.Min = &e.v
				}
				if pc.MN == 0 || e.v.Cmp(*pc.Max) > 0 {
					pc.Max = &e.v
				}
				pc.MN += e.n
			}
		}
		if d != nil && sl.distinct {
			pc.Set = slices.Sorted(maps.Keys(d.set))
		}
		for code, n := range cur {
			if code != 0 && n > 0 {
				pc.Cur = append(pc.Cur, curs[code])
			}
		}
		slices.Sort(pc.Cur)
		out = append(out, pc)
	}
	return out
}

// mergeable reports the first indicator whose values parts cannot give
// exactly: a breakdown, a cumulative (to-date or windowed) or cohort
// indicator, whose parts are not per actor and period, or an aggregate
// other than count, sum, avg, min, max and distinct.
func (s *Set) mergeable() error {
	for _, ix := range s.list {
		d := &ix.Def
		switch {
		case len(d.By) > 0:
			return fmt.Errorf("indicator %s: a breakdown (by) cannot be merged from the parts of partitions", d.ID)
		case d.ToDate != "" || d.Window != "":
			return fmt.Errorf("indicator %s: a cumulative indicator (to_date, window) cannot be merged from the parts of partitions", d.ID)
		case d.Cohort != nil:
			return fmt.Errorf("indicator %s: a cohort indicator cannot be merged from the parts of partitions", d.ID)
		}
		if ix.IsFormula() {
			continue
		}
		switch ix.Aggregate {
		case Count, Sum, Avg, Min, Max, Distinct:
		default:
			return fmt.Errorf("indicator %s: aggregate %q cannot be merged from the parts of partitions", ix.Def.ID, ix.Aggregate)
		}
	}
	return nil
}

// fingerprint identifies what a part holds: the indicators, the zone (its
// name and offsets) and the evaluated periods.
func (s *Set) fingerprint(req *Request) string {
	h := sha256.New()
	enc := json.NewEncoder(h)
	for _, ix := range s.list {
		_ = enc.Encode(ix.Def)
	}
	// The zone by its name and its offsets at the probes sameZone reads:
	// zones parsed from offsets, or made by time.FixedZone, may all be
	// named "", and parts made in one must not answer a request in another.
	loc := req.Calendar.Location()
	_ = enc.Encode(loc.String())
	for _, t := range zoneProbes {
		_, off := t.In(loc).Zone()
		_ = enc.Encode(off)
	}
	for _, p := range s.evalPeriods(req) {
		_ = enc.Encode([3]string{p.Grain.String(), p.Start.String(), p.End.String()})
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// errNotMerged says the parts cannot answer a request: Evaluate scans.
var errNotMerged = errors.New("parts do not answer the request")

// evaluatePartials evaluates from the parts of a PartialSource; done is
// false, and the caller scans, when src has none or they cannot answer req.
func (s *Set) evaluatePartials(ctx context.Context, src Source, req Request) (res *Result, done bool, err error) {
	ps, ok := src.(PartialSource)
	if !ok || !req.KnownAt.IsZero() || s.mergeable() != nil {
		return nil, false, nil
	}
	for _, g := range req.Groups {
		if len(g.Spans) > 0 {
			return nil, false, nil
		}
	}
	res, err = s.mergePartials(ctx, ps, req)
	if errors.Is(err, errNotMerged) {
		return nil, false, nil
	}
	return res, true, err
}

func (s *Set) mergePartials(ctx context.Context, ps PartialSource, req Request) (*Result, error) {
	fp := s.fingerprint(&req)
	tab := colstore.New(req.Calendar.Location())
	ev := &evaluation{set: s, req: &req, tab: tab, plan: buildPlan(s), logic: newLogicTables()}
	ev.periods = s.evalPeriods(&req)
	ev.layout(ev.periods)
	var parts []*partial
	err := ps.Partials(ctx, func(data []byte) error {
		p := &partial{}
		if err := json.Unmarshal(data, p); err != nil {
			return fmt.Errorf("partial aggregates: %w", err)
		}
		if p.Version != partialVersion || p.Plan != fp {
			return errNotMerged
		}
		if !req.AsOf.IsZero() && p.MaxTime > nanos(req.AsOf) {
			return errNotMerged
		}
		// Checked here, so that the source names the part it handed over
		// (a log's partition), as it names one that does not decode.
		if err := p.check(ev.plan, ev.nP); err != nil {
			return err
		}
		parts = append(parts, p)
		return nil
	})
	if err != nil {
		return nil, err
	}
	// Actor codes of the merged table, by part.
	codes := make([][]uint32, len(parts))
	for i, p := range parts {
		for _, a := range p.Actors {
			codes[i] = append(codes[i], tab.AddActor(a))
		}
	}
	ev.nA = len(tab.Actors())
	w := ev.newWorker()
	for gi, g := range ev.plan.groups {
		for si, sl := range g.slots {
			if sl.readsAmount {
				w.slots[gi][si].cur = make([]int32, ev.nA*ev.nP)
			}
		}
	}
	curCodes := map[string]int32{}
	for i, p := range parts {
		m := merger{w: w, nP: ev.nP, codes: codes[i], curCodes: curCodes}
		m.merge(p)
	}
	return ev.finish(ctx, w)
}

// check refuses a part whose filter groups, value slots, actors or periods
// are not those of the plan pl with nP periods, which merge would read out
// of range.
func (p *partial) check(pl *evalPlan, nP int) error {
	if len(p.Counts) != len(pl.groups) || len(p.Slots) != len(pl.groups) {
		return errors.New("partial aggregates: filter groups do not match the indicators")
	}
	for _, a := range p.Seen {
		if a < 0 || a >= len(p.Actors) {
			return fmt.Errorf("partial aggregates: actor %d out of range", a)
		}
	}
	cell := func(a, per int) error {
		if a < 0 || a >= len(p.Actors) || per < 0 || per >= nP {
			return fmt.Errorf("partial aggregates: cell (%d, %d) out of range", a, per)
		}
		return nil
	}
	for gi, cs := range p.Counts {
		for _, c := range cs {
			if err := cell(c.A, c.P); err != nil {
				return err
			}
		}
		if len(p.Slots[gi]) != len(pl.groups[gi].slots) {
			return errors.New("partial aggregates: value slots do not match the indicators")
		}
		for _, pcs := range p.Slots[gi] {
			for _, pc := range pcs {
				if err := cell(pc.A, pc.P); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// merger adds one part into a worker's accumulators.
type merger struct {
	w        *worker
	nP       int
	codes    []uint32
	curCodes map[string]int32
}

// cell is the merged table's cell of the part's actor a in period p.
func (m *merger) cell(a, p int) int { return int(m.codes[a])*m.nP + p }

// merge adds part p, which check accepted.
func (m *merger) merge(p *partial) {
	w := m.w
	for _, a := range p.Seen {
		w.seen[m.codes[a]] = true
	}
	for gi, cs := range p.Counts {
		for _, c := range cs {
			w.counts[gi][m.cell(c.A, c.P)] += c.N
		}
		for si, pcs := range p.Slots[gi] {
			acc := w.slots[gi][si]
			for _, pc := range pcs {
				m.mergeCell(acc, m.cell(pc.A, pc.P), &pc)
			}
		}
	}
	for _, u := range p.Unpriced {
		uu := u.Unpriced
		uu.actor = u.Actor
		w.unpriced = append(w.unpriced, uu)
	}
}

func (m *merger) mergeCell(acc *slotAcc, cell int, pc *partialCell) {
	acc.nv[cell] += pc.N
	if pc.Sum != nil || pc.MN > 0 || pc.Set != nil {
		d := acc.cell(cell)
		if pc.Sum != nil {
			d.sum = d.sum.Add(*pc.Sum)
		}
		if pc.MN > 0 && pc.Min != nil && pc.Max != nil {
			if d.n == 0 || pc.Min.Cmp(d.min) < 0 {
				d.min = *pc.Min
			}
			if d.n == 0 || pc.Max.Cmp(d.max) > 0 {
				d.max = *pc.Max
			}
			d.n += pc.MN
		}
		if pc.Set != nil {
			if d.set == nil {
				d.set = make(map[string]struct{}, len(pc.Set))
			}
			for _, k := range pc.Set {
				d.set[k] = struct{}{}
			}
		}
	}
	if acc.cur != nil {
		for _, c := range pc.Cur {
			code, ok := m.curCodes[c]
			if !ok {
				code = int32(len(m.curCodes) + 1)
				m.curCodes[c] = code
			}
			acc.cur[cell] = mergeCur(acc.cur[cell], code)
		}
	}
}
