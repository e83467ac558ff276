package goal

import (
	"maps"
	"slices"
	"sync"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// Memo carries the work of one evaluation to the next evaluation of the
// same Set and request, but for the event versions applied since (a live
// tracker's reports as of one instant): the next one takes from it the rows
// of every participant none of whose events changed, the values of every
// period no changed event falls in, and the actors of a company goal found
// among the events, and computes only the rest. Its reports are those of
// an evaluation without it.
//
// The caller notes every version applied to the events evaluated (Note)
// and passes the Memo only to evaluations whose request differs in AsOf,
// Since and Values alone; one with other records, marks or options needs a
// Memo of its own (NewMemo). A Memo is safe for concurrent use.
type Memo struct {
	mu   sync.Mutex
	last *memoState
	// seq counts the versions noted; changes are those noted after
	// last.seq, kept only while last is set.
	seq     uint64
	changes []change
}

// maxChanges bounds the versions a Memo keeps between two evaluations;
// past it, the next evaluation starts afresh.
const maxChanges = 1 << 16

// NewMemo returns an empty Memo.
func NewMemo() *Memo { return &Memo{} }

// change is one version noted: a version applied, or the version it
// replaced or retracted (removed).
type change struct {
	seq     uint64
	actor   string
	kind    string
	at      time.Time
	removed bool
}

// Note records event versions applied to the events the evaluations read:
// applied are the new versions (retractions included), replaced the
// versions they replaced, in the same order (a zero Event where a version
// replaced none).
func (m *Memo) Note(applied, replaced []kpi.Event) {
	m.mu.Lock()
	defer m.mu.Unlock()
	for i := range applied {
		m.seq++
		if m.last == nil {
			continue
		}
		if e := &applied[i]; !e.Deleted {
			m.changes = append(m.changes, change{seq: m.seq, actor: e.Actor, kind: e.Kind, at: e.Time})
		}
		if i < len(replaced) && replaced[i].ID != "" {
			r := &replaced[i]
			m.changes = append(m.changes, change{seq: m.seq, actor: r.Actor, kind: r.Kind, at: r.Time, removed: true})
		}
	}
	if len(m.changes) > maxChanges {
		m.last, m.changes = nil, nil
	}
}

// memoKey is what an evaluation's rows depend on besides the events.
type memoKey struct {
	asOf, since, knownAt time.Time
	from, to             date.Date
	series               bool
}

type memoInst struct {
	goal int
	p    period.Period
}

type rowKey struct {
	memoInst
	id    string
	since bool // the row at Since, for the notifications
}

// memoRow is a row, its correction and, at AsOf, its notifications.
type memoRow struct {
	row        Row
	correction *Correction
	notes      []Notification
}

// answer is where the fetcher reads a value: a kpi result, and the groups
// of the goals under their ids there.
type answer struct {
	res   *kpi.Result
	alias map[string]string
}

// memoState is what one evaluation leaves for the next.
type memoState struct {
	seq      uint64
	key      memoKey
	rows     map[rowKey]*memoRow
	subjects map[memoInst][]subject
	answers  map[fetchKey]map[period.Period]answer
	users    map[string]bool // asked for in answers
	groups   map[string]org.Group
}

// prior is what an evaluation takes from a Memo: the last state and the
// changes since.
type prior struct {
	state *memoState
	// dirty are the actors of the changes at or before AsOf.
	dirty map[string]bool
	// changes are those at or before AsOf.
	changes []change
	removed bool // a change removed a version
}

// begin returns the state an evaluation for key may reuse (nil if none)
// and the sequence number its own state will have.
func (m *Memo) begin(key memoKey) (*prior, uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.last == nil || m.last.key != key {
		return nil, m.seq
	}
	pr := &prior{state: m.last, dirty: map[string]bool{}}
	for _, c := range m.changes {
		if c.at.After(key.asOf) {
			continue
		}
		pr.changes = append(pr.changes, c)
		pr.dirty[c.actor] = true
		pr.removed = pr.removed || c.removed
	}
	return pr, m.seq
}

// keep stores an evaluation's state, unless a later one is stored.
func (m *Memo) keep(st *memoState) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.last != nil && m.last.seq > st.seq {
		return
	}
	if st.seq != m.seq {
		// Versions were noted while it evaluated: not what it read.
		return
	}
	m.last = st
	m.changes = slices.DeleteFunc(m.changes, func(c change) bool { return c.seq <= st.seq })
}

// clean reports whether none of a subject's events changed: a user's own,
// a team's members', anyone's for the company.
func (pr *prior) clean(sj subject, groups map[string]org.Group) bool {
	switch {
	case sj.pid == org.Everyone:
		return len(pr.dirty) == 0
	case sj.kind == Team:
		g := groups[sj.pid]
		for _, m := range g.Members {
			if pr.dirty[m] {
				return false
			}
		}
		for _, sp := range g.Spans {
			if pr.dirty[sp.Member] {
				return false
			}
		}
		return true
	}
	return !pr.dirty[sj.pid]
}

// row returns the row of a subject of an instance kept by the last
// evaluation, when none of the subject's events changed since.
func (e *evaluator) priorRow(in *inst, sj subject, since bool) *memoRow {
	pr := e.prior
	if pr == nil {
		return nil
	}
	mr := pr.state.rows[rowKey{memoInst{in.g.index, in.p}, sj.id, since}]
	if mr == nil || !pr.clean(sj, e.f.groups) || !slices.Equal(mr.row.Members, sj.members) {
		return nil
	}
	return mr
}

// unchanged reports whether the value of a need of a view in the period p
// is the same as when the last evaluation read it: no change at or before
// the need's instant falls in the dates p's value reads.
func (pr *prior) unchanged(cal *period.Calendar, set *kpi.Set, k fetchKey, p period.Period) bool {
	from, to := p.Start, p.End
	if windowed(set) {
		from, to = date.Date(-1<<31), date.Date(1<<31-1)
	} else if n := set.Lookback(); n > 0 {
		if q := cal.Shift(p, -n); !q.IsZero() {
			from = min(from, q.Start)
		}
	}
	for _, c := range pr.changes {
		if c.at.After(k.v.asOf) {
			continue
		}
		if d := cal.Date(c.at); d >= from && d < to {
			return false
		}
	}
	return true
}

// windowed reports whether a value of the set may read events outside its
// period and the periods of prev(): cumulative and cohort indicators.
func windowed(set *kpi.Set) bool {
	for _, ix := range set.Indicators() {
		if ix.Def.ToDate != "" || ix.Def.Window != "" || ix.Def.Cohort != nil {
			return true
		}
	}
	return false
}

// foundActors returns the actors of a company goal for each member
// without a directory, from the last evaluation's and the actors of the
// new versions since; false when a version was replaced or retracted (an
// actor may have left).
func (e *evaluator) foundActors(in *inst) ([]subject, bool) {
	pr := e.prior
	if pr == nil || pr.removed {
		return nil, false
	}
	ss, ok := pr.state.subjects[memoInst{in.g.index, in.p}]
	if !ok {
		return nil, false
	}
	kinds := e.goalKinds(in.g)
	out := slices.Clone(ss)
	for _, c := range pr.changes {
		if d := e.cal.Date(c.at); d < in.p.Start || d >= in.p.End || !slices.Contains(kinds, c.kind) || c.actor == "" {
			continue
		}
		if !slices.ContainsFunc(out, func(s subject) bool { return s.id == c.actor }) {
			out = append(out, subject{id: c.actor, kind: User, pid: c.actor})
		}
	}
	sortSubjects(out)
	return out, true
}

// begin takes from memo what its last evaluation for key left, when it
// evaluated the same groups: the actors found of company goals for each
// member are taken from it too.
func (e *evaluator) begin(memo *Memo, key memoKey, insts []*inst) {
	e.key = key
	e.prior, e.seq = memo.begin(key)
	if e.prior != nil && !maps.EqualFunc(e.prior.state.groups, e.f.groups, sameGroup) {
		e.prior = nil
	}
	e.f.prior = e.prior
	for _, in := range insts {
		if !in.dynamic {
			continue
		}
		if ss, ok := e.foundActors(in); ok {
			in.subjects, in.dynamic = ss, false
			for _, sj := range ss {
				e.f.actors[sj.id] = true
			}
		}
	}
}

func sameGroup(a, b org.Group) bool {
	return a.ID == b.ID && slices.Equal(a.Members, b.Members) && slices.Equal(a.Spans, b.Spans)
}

// ranked returns whether an instance keeps the ranks of the last
// evaluation: all its rows were kept (kept), for the same participants.
func (e *evaluator) ranked(insts []*inst, kept []bool) func(goal string, p period.Period) bool {
	if e.prior == nil {
		return nil
	}
	keep := map[memoInst]bool{}
	i := 0
	for _, in := range insts {
		k := memoInst{in.g.index, in.p}
		ss := in.measured()
		same := !in.dynamic && slices.EqualFunc(ss, e.prior.state.subjects[k], func(a, b subject) bool { return a.id == b.id })
		for range ss {
			same = same && kept[i]
			i++
		}
		if same {
			keep[k] = true
		}
	}
	return func(goal string, p period.Period) bool {
		g, ok := e.s.byID[goal]
		return ok && keep[memoInst{g.index, p}]
	}
}

// state is what this evaluation leaves for the next one of its Memo: the
// rows at AsOf (cur) and at Since (prev, nil without notifications) with
// the notifications of each row at AsOf, the participants of every
// instance, and the values read.
func (e *evaluator) state(insts []*inst, cur, prev *passed, notes [][]Notification) *memoState {
	st := &memoState{seq: e.seq, key: e.key, rows: make(map[rowKey]*memoRow, 2*len(cur.rows)),
		subjects: map[memoInst][]subject{}, answers: e.f.results, users: map[string]bool{}, groups: e.f.groups}
	for _, set := range []map[string]bool{e.f.users, e.f.actors} {
		for u := range set {
			st.users[u] = true
		}
	}
	for pi, ps := range []*passed{cur, prev} {
		if ps == nil {
			continue
		}
		i := 0
		for _, in := range insts {
			k := memoInst{in.g.index, in.p}
			ss := in.measured()
			if !in.dynamic {
				st.subjects[k] = ss
			}
			for _, sj := range ss {
				mr := &memoRow{row: ps.rows[i], correction: ps.corrections[i]}
				if pi == 0 && notes != nil {
					mr.notes = notes[i]
				}
				st.rows[rowKey{k, sj.id, pi == 1}] = mr
				i++
			}
		}
	}
	return st
}
