package goal

import (
	"maps"
	"regexp"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// Memo carries the work of one evaluation to the next evaluation of the
// same Set and request, but for the event versions applied since and the
// instant (a live tracker's reports): the next one takes from it the rows
// of every participant none of whose events changed (as of another instant,
// of the periods over by both instants that no record of their goal for
// them or an earlier period took effect between, and the others retimed
// when no event, record or mark falls between the two instants), the values of
// every period no changed event falls in, and the actors of a company goal
// found among the events, and computes only the rest. Its reports are
// those of an evaluation without it.
//
// The caller notes every version applied to the events evaluated (Note)
// and passes the Memo only to evaluations with the same Records, Marks,
// Rates and BudgetRates: others need a Memo of their own. The
// rest of a request may change: what the kept work depends on (the
// instant, the range, the teams and their members) is compared. The rows
// a result points to are kept for the next evaluation, whose result points
// to those it takes: they must not be modified. A Memo is safe for
// concurrent use; the zero Memo is ready to use.
type Memo struct {
	mu   sync.Mutex
	last *memoState
	// seq counts the versions noted, with the noting bit set while last
	// is (both change under mu): until an evaluation is kept there is
	// nothing to note but the count, which Note adds without the lock.
	// changes are those noted after last.seq, kept only while last is
	// set.
	seq     atomic.Uint64
	changes []change
	// bound is how many changes are kept (changesBound of the events the
	// last evaluation read; 0: minChanges).
	bound int
	// spare is the scratch of an evaluation that ended, for the next
	// (evaluations take their prior from the Memo one at a time, or else
	// the others make their own).
	spare *prior
}

// minChanges and maxChanges bound the changes a Memo keeps between two
// evaluations (changesBound); past the bound, the next evaluation starts
// afresh.
const (
	minChanges = 1 << 16
	maxChanges = 1 << 21
)

// noting is the bit of Memo.seq set while the Memo keeps an evaluation.
const noting = 1 << 63

// changesBound is how many changes a Memo keeps after an evaluation that
// read events events: as many as the events, within [minChanges,
// maxChanges]. Past as many changes as events (a version applied is one
// change, a version replaced another) an evaluation that takes from the
// last one computes again about as much as one that starts afresh; a
// change kept takes about as much memory as an event of a tracker, and a
// writer that outpaces the reports of a large table (a million versions
// between two reports) still has its reports take from the last one.
func changesBound(events int) int { return min(max(events, minChanges), maxChanges) }

// change is one version noted: a version applied, or the version it
// replaced or retracted (removed).
type change struct {
	seq   uint64
	actor string
	kind  string
	// sec and nsec are the version's instant (time.Unix): a Memo keeps
	// up to maxChanges of them, and a time.Time takes 8 bytes more.
	sec     int64
	nsec    int32
	removed bool
}

func newChange(seq uint64, e *kpi.Event, removed bool) change {
	return change{seq: seq, actor: e.Actor, kind: e.Kind, sec: e.Time.Unix(), nsec: int32(e.Time.Nanosecond()), removed: removed}
}

// at returns the version's instant.
func (c *change) at() time.Time { return time.Unix(c.sec, int64(c.nsec)) }

// Note records event versions applied to the events the evaluations read:
// applied are the new versions (retractions included), replaced the
// versions they replaced, in the same order (a zero Event where a version
// replaced none; nil where none did).
func (m *Memo) Note(applied, replaced []kpi.Event) {
	for {
		// Nothing kept: the count alone, without the lock (a writer
		// noting each version it applies while nobody reads).
		s := m.seq.Load()
		if s&noting != 0 {
			break
		}
		if m.seq.CompareAndSwap(s, s+uint64(len(applied))) {
			return
		}
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.last == nil {
		m.seq.Add(uint64(len(applied)))
		return
	}
	// The noting bit is set: the count changes only here, under the lock.
	seq := m.seq.Load()
	bound := m.bound
	if bound == 0 {
		bound = minChanges
	}
	if n := len(m.changes) + len(applied) + len(replaced); n > cap(m.changes) {
		// Twice the room (append grows a long list by a quarter, and
		// copies it each time).
		// No more than the bound needs: past it the list is emptied.
		m.changes = slices.Grow(m.changes, max(n, min(2*cap(m.changes), bound+1), 64)-len(m.changes))
	}
	for i := range applied {
		seq++
		n := seq &^ noting
		if e := &applied[i]; !e.Deleted {
			m.changes = append(m.changes, newChange(n, e, false))
		}
		if i < len(replaced) && replaced[i].ID != "" {
			r := &replaced[i]
			m.changes = append(m.changes, newChange(n, r, true))
		}
	}
	if len(m.changes) > bound {
		// The list keeps its room for the changes after the next
		// evaluation: a writer outpacing the reports fills it again.
		clear(m.changes)
		m.last, m.changes = nil, m.changes[:0]
		seq &^= noting
	}
	m.seq.Store(seq)
}

// memoKey is what an evaluation's rows depend on besides the events and
// its instants.
type memoKey struct {
	knownAt  time.Time
	from, to date.Date
	series   bool
}

// instants are the instants of an evaluation: AsOf, and Since of the
// notifications.
type instants struct{ asOf, since time.Time }

type memoInst struct {
	goal int
	p    period.Period
}

// memoRows are the rows of one instance an evaluation computed, by
// subject: at AsOf, and at Since for the notifications (nil without).
type memoRows struct {
	subjects []subject
	at       *segment
	since    *segment
	// notes are the notifications of each row at AsOf.
	notes rowNotes
}

// of returns the rows at Since or at AsOf.
func (mr *memoRows) of(since bool) *segment {
	if since {
		return mr.since
	}
	return mr.at
}

// answer is where the fetcher reads a value: a kpi result, and the groups
// of the goals under their ids there.
type answer struct {
	res   *kpi.Result
	alias map[string]string
}

// memoState is what one evaluation leaves for the next.
type memoState struct {
	seq     uint64
	key     memoKey
	at      instants
	insts   map[memoInst]*memoRows
	answers map[fetchKey]map[period.Period]answer
	users   map[string]bool // asked for in answers
	// checked are the participants of the caller's values that held a
	// row of each of users (fetcher.checked).
	checked []string
	groups  map[string]org.Group
	// latest bounds the times of the events evaluated: none is later.
	latest time.Time
	// events is how many events the evaluation read (changesBound).
	events int
}

// prior is what an evaluation takes from a Memo: the last state and the
// changes since.
type prior struct {
	state *memoState
	// at are the instants of the evaluation that takes from it.
	at instants
	// dirty are the actors of the changes at or before AsOf, with the
	// first and last dates of their changes (the first is the earliest
	// date of all when a change counts in every period: always).
	// earliest date of their changes.
	dirty map[string]dates
	// first is the earliest date of any change.
	first date.Date
	// changes are those at or before AsOf, and days their local dates
	// (note), from lo to hi; before[d-lo] counts the changes dated
	// before d (for d from lo to hi+1), and early and late are the
	// earliest and latest of their instants.
	changes     []change
	days        []date.Date
	lo, hi      date.Date
	before      []int32
	early, late time.Time
	// byDay are the places of the changes by date, next the counts that
	// place them (inDays); looked the actors foundActors looked at.
	byDay, next []int32
	looked      map[string]struct{}
	// always: a change counts in every period (see note).
	always bool
	// latest bounds the times of the events evaluated now: those of the
	// last evaluation and every version noted since.
	latest time.Time
	// quiet: the rows at AsOf of the last evaluation whose events did not
	// change may be retimed (see retimed).
	quiet bool
	// arena holds the lists ints hands out (emptied by release);
	// changed is changedPlaces' list, reused from one instance to the
	// next.
	arena, changed []int
	// users is the list of the participants fetcher.run asks for, and
	// added the actors foundActors finds, reused by the Memo's reports.
	users []string
	added []subject
}

// ints returns a list of n ints for the evaluation that took pr, until it
// ends (the places of its segments' rows): a part of the arena, which the
// Memo's evaluations reuse, or of a new one twice as long (the lists
// handed out keep the last).
func (pr *prior) ints(n int) []int {
	a := pr.arena
	if cap(a)-len(a) < n {
		a = make([]int, 0, max(2*cap(a), n, 1024))
	}
	pr.arena = a[:len(a)+n]
	return a[len(a) : len(a)+n : len(a)+n]
}

// begin returns the state an evaluation for key as of at may reuse (nil
// if none) and the sequence number its own state will have.
func (m *Memo) begin(key memoKey, at instants) (*prior, uint64) {
	m.mu.Lock()
	defer m.mu.Unlock()
	seq := m.seq.Load() &^ noting
	if m.last == nil || m.last.key != key {
		return nil, seq
	}
	pr := m.spare
	m.spare = nil
	if pr == nil {
		pr = &prior{dirty: map[string]dates{}, looked: map[string]struct{}{}}
	}
	pr.state, pr.at, pr.first, pr.latest = m.last, at, date.Date(1<<31-1), m.last.latest
	pr.changes = atLeast(pr.changes, len(m.changes))
	for _, c := range m.changes {
		t := c.at()
		if t.After(pr.latest) {
			pr.latest = t
		}
		// A version after the instant does not count. (The last
		// evaluation's rows kept at another instant are of periods over by
		// both instants, which no version after either reads.)
		if t.After(at.asOf) {
			continue
		}
		pr.changes = append(pr.changes, c)
	}
	return pr, seq
}

// release gives the Memo back the scratch of an evaluation that took pr
// from it (begin), for the next one: its lists and maps, emptied.
func (m *Memo) release(pr *prior) {
	clear(pr.changes)
	clear(pr.dirty)
	clear(pr.looked)
	*pr = prior{changes: pr.changes[:0], days: pr.days[:0], before: pr.before[:0], byDay: pr.byDay[:0], next: pr.next[:0],
		dirty: pr.dirty, looked: pr.looked, arena: pr.arena[:0], changed: pr.changed[:0], users: pr.users[:0], added: pr.added[:0]}
	m.mu.Lock()
	m.spare = pr
	m.mu.Unlock()
}

// atLeast returns s emptied, with room for n elements: s's own, or a new
// list of twice its room when that is more than n. The scratch of a
// Memo's evaluations follows the changes between two reports, which grow
// while a writer speeds up: doubling, it is made again a few times, not at
// every report.
func atLeast[T any](s []T, n int) []T {
	if cap(s) >= n {
		return s[:0]
	}
	return make([]T, 0, max(n, 2*cap(s)))
}

// restores reports whether c, a version applied, puts back what r, the
// version it replaced, held of an actor's events (the actor, kind and
// instant: a correction of the amount or the attributes, say), so that the
// actors found with events stay as they were. Note notes a version applied
// right before the one it replaced, with the same seq.
func (c change) restores(r change) bool {
	return c.seq == r.seq && !c.removed && r.removed && c.actor == r.actor && c.kind == r.kind && c.sec == r.sec && c.nsec == r.nsec
}

// maxNarrowed bounds the versions noted since the last evaluation of a
// Memo that an evaluation narrowed to one participant (Request.Only) takes
// its rows from: a narrowed evaluation keeps nothing for the next, so each
// computes again the rows of every participant those versions changed.
// Past it, the evaluation is a full one, kept, then narrowed.
const maxNarrowed = 256

// stale reports whether an evaluation narrowed to one participant should
// rather be a full one: nothing to take from (nil), or too many changes.
func (pr *prior) stale() bool { return pr == nil || len(pr.changes) > maxNarrowed }

// same reports whether the last evaluation was as of the same instants.
func (pr *prior) same() bool { return pr.at == pr.state.at }

// lasting reports whether the rows of an instance (at Since, or at AsOf)
// are the same as of the last evaluation's instant and as of this one's but
// for their dates: the same instant, or both past the end of its period,
// on the same side of its automatic close, with no record of its goal for
// it or a period before it taking effect between them (closedBetween),
// with values that read no later event (no cohort indicator: always), and,
// at Since, the same versions known.
func (e *evaluator) lasting(in *inst, since bool) bool {
	pr := e.prior
	if pr.same() {
		return true
	}
	was, now := pr.state.at.asOf, pr.at.asOf
	if since {
		was, now = pr.state.at.since, pr.at.since
		// Rows at Since count the versions known by then: between two
		// instants a version applied long ago may become known, whatever
		// its date (its Known is not among the changes noted).
		if !earliest(was, e.key.knownAt).Equal(earliest(now, e.key.knownAt)) {
			return false
		}
	}
	if was.Equal(now) {
		return true // the same instant (at Since: the same day)
	}
	if e.closedBetween(in, since, was, now) {
		return false // a record took effect between the two instants
	}
	_, end := e.cal.Bounds(in.p)
	if was.Before(end) || now.Before(end) || pr.always {
		return false
	}
	if g := in.g; g.def.Close.Auto && g.def.State != StateDraft {
		at := e.closeAt(g, in.p)
		return was.Before(at) == now.Before(at)
	}
	return true
}

// closedBetween reports whether a record of the instance's goal for it
// or a period before it took effect after one of the two instants and by
// the other: a report counts a record from its ClosedAt on, and a row
// reads the records of its own period, of the one before (Previous, a
// next-target rule's record, and through it the records before that) and
// of the one a year before (YearAgo), so the rows of either instant are
// not the other's. The records are looked at once an evaluation, for its
// rows at AsOf and at Since: by goal, the earliest start of a period a
// record closed between the instants.
func (e *evaluator) closedBetween(in *inst, since bool, a, b time.Time) bool {
	i := 0
	if since {
		i = 1
	}
	if e.closedIn[i] == nil {
		if b.Before(a) {
			a, b = b, a
		}
		m := map[string]date.Date{}
		for _, r := range e.records {
			if r.ClosedAt.After(a) && !r.ClosedAt.After(b) {
				if d, ok := m[r.Goal]; !ok || r.PeriodStart < d {
					m[r.Goal] = r.PeriodStart
				}
			}
		}
		e.closedIn[i] = m
	}
	d, ok := e.closedIn[i][in.g.def.ID]
	return ok && d < in.p.End
}

// sameDate reports whether the last evaluation of a Memo was as of the
// same local date as this one (at Since, or at AsOf): the rows taken from
// it stand as they are, shared (a row holds its date, not its instant).
func (e *evaluator) sameDate(since bool) bool {
	pr := e.prior
	if pr == nil {
		return false
	}
	if since {
		return pr.same() || e.cal.Date(pr.at.since) == e.cal.Date(pr.state.at.since)
	}
	return pr.same() || e.cal.Date(pr.at.asOf) == e.cal.Date(pr.state.at.asOf)
}

// restamp sets the date of rows taken from the last evaluation to this
// one's (at Since, or at AsOf).
func (e *evaluator) restamp(rows []Row, since bool) {
	t := e.prior.at.asOf
	if since {
		t = e.prior.at.since
	}
	for i := range rows {
		rows[i].Date = e.cal.Date(t)
	}
}

// note notes the dates of the changes in the calendar's zone; always
// means a change counts whatever its date (a cumulative or cohort
// indicator reads events outside its period).
func (pr *prior) note(cal *period.Calendar, always bool) {
	pr.always = always
	pr.days = atLeast(pr.days, len(pr.changes))[:len(pr.changes)]
	pr.lo, pr.hi = date.Date(1<<31-1), date.Date(-1<<31)
	for k, c := range pr.changes {
		t := c.at()
		if k == 0 || t.Before(pr.early) {
			pr.early = t
		}
		if k == 0 || t.After(pr.late) {
			pr.late = t
		}
		d := cal.Date(t)
		pr.days[k], pr.lo, pr.hi = d, min(pr.lo, d), max(pr.hi, d)
		lo := d
		if always {
			lo = date.Date(-1 << 31)
		}
		if f, ok := pr.dirty[c.actor]; !ok {
			pr.dirty[c.actor] = dates{lo, d}
		} else if lo < f.lo || d > f.hi {
			pr.dirty[c.actor] = dates{min(lo, f.lo), max(d, f.hi)}
		}
		pr.first = min(pr.first, lo)
	}
	pr.before = pr.before[:0]
	if n := len(pr.changes); n > 0 && int64(pr.hi)-int64(pr.lo) < maxDaySpan {
		// The changes by date, counted: whether one falls in a span of
		// dates is a difference of two counts.
		span := int(pr.hi-pr.lo) + 2
		pr.before = slices.Grow(pr.before, span)[:span]
		clear(pr.before)
		for _, d := range pr.days {
			pr.before[int(d-pr.lo)+1]++
		}
		for i := 1; i < span; i++ {
			pr.before[i] += pr.before[i-1]
		}
	}
}

// maxDaySpan bounds the span of dates whose changes note counts by date.
const maxDaySpan = 1 << 20

// dated reports whether a change is dated in [from, to) (false: none is;
// true: one may be, when the changes were not counted by date).
func (pr *prior) dated(from, to date.Date) bool {
	if len(pr.changes) == 0 || to <= pr.lo || from > pr.hi {
		return false
	}
	if len(pr.before) == 0 {
		return true
	}
	a, b := max(from, pr.lo), min(to, pr.hi+1)
	return pr.before[int(b-pr.lo)] > pr.before[int(a-pr.lo)]
}

// keep stores an evaluation's state (nil: none to keep), unless a later one
// is stored.
func (m *Memo) keep(st *memoState) {
	if st == nil {
		return
	}
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.last != nil && m.last.seq > st.seq {
		return
	}
	// Versions noted while it evaluated: not what it read. Else the
	// noting bit is set, and Note takes the lock from now on.
	if m.last != nil && m.seq.Load() != st.seq|noting || m.last == nil && !m.seq.CompareAndSwap(st.seq, st.seq|noting) {
		return
	}
	m.last, m.bound = st, changesBound(st.events)
	m.changes = slices.DeleteFunc(m.changes, func(c change) bool { return c.seq <= st.seq })
}

// untouched reports whether no change since the last evaluation of a Memo
// is dated before the end of an instance, whose subjects ss are those of
// then: all its rows (at Since, or at AsOf) are the last evaluation's. mr
// are the instance's rows then (priorInst).
func (e *evaluator) untouched(mr *memoRows, in *inst, ss []subject, since bool) bool {
	if mr == nil || since && mr.since == nil || e.changedIn(in) || len(ss) != len(mr.subjects) || !e.lasting(in, since) {
		return false
	}
	if len(ss) > 0 && &ss[0] == &mr.subjects[0] {
		return true // the same subjects (foundActors)
	}
	rows := mr.at.rows
	for i, sj := range ss {
		if was := mr.subjects[i]; was.id != sj.id || was.kind != sj.kind || sj.kind == Team && !slices.Equal(rows[i].Members, sj.members) {
			return false
		}
	}
	return true
}

// priorInst returns the rows of an instance the last evaluation of a Memo
// computed (nil: none).
func (e *evaluator) priorInst(in *inst) *memoRows {
	if e.prior == nil {
		return nil
	}
	return e.prior.state.insts[memoInst{in.g.index, in.p}]
}

// priorRow returns the row of the subject at position i of an instance
// that the last evaluation computed (at Since, or at AsOf), its correction
// and its position there, when none of the events it reads changed since;
// the position is -1 otherwise.
func (e *evaluator) priorRow(mr *memoRows, in *inst, i int, sj subject, since bool) (*Row, *Correction, int) {
	if mr == nil || since && mr.since == nil {
		return nil, nil, -1
	}
	if i = e.priorPlace(mr, in, i, sj); i < 0 {
		return nil, nil, -1
	}
	ps := mr.of(since)
	r := ps.rows[i]
	if !e.clean(sj, in, e.f.groups) || !slices.Equal(r.Members, sj.members) || !e.lasting(in, since) {
		return nil, nil, -1
	}
	return r, ps.correction(i), i
}

// priorPlace returns the place of subject sj among the last evaluation's
// subjects of an instance (mr), i when it is there; -1 when it is not
// among them. Those subjects are sorted (sortSubjects): sj is found by a
// binary search, the last of equal ones when a subject is there twice (a
// team listed twice).
func (e *evaluator) priorPlace(mr *memoRows, in *inst, i int, sj subject) int {
	ss := mr.subjects
	if i < len(ss) && ss[i].id == sj.id && ss[i].kind == sj.kind {
		return i
	}
	j, ok := slices.BinarySearchFunc(ss, sj, cmpSubjects)
	if !ok {
		return -1
	}
	for j+1 < len(ss) && ss[j+1].id == sj.id && ss[j+1].kind == sj.kind {
		j++
	}
	return j
}

// keptRows returns, for each subject of an instance (ss, at Since or at
// AsOf), the row the last evaluation of a Memo computed when none of the
// events it reads changed since (priorRow), nil otherwise; into sg, when
// set, their corrections (nil: none at all) and places there (-1: to be
// computed; nil: all are). The list of rows is the evaluator's, reused
// from one instance to the next; the places are the prior's (ints).
func (e *evaluator) keptRows(mr *memoRows, in *inst, ss []subject, since bool, sg *segment) []*Row {
	// The rows are read before the next instance's: its list is reused.
	e.kept = slices.Grow(e.kept[:0], len(ss))[:len(ss)]
	rows := e.kept
	clear(rows)
	if mr == nil || since && mr.since == nil {
		return rows // nothing to keep (priorRow)
	}
	var from []int
	if sg != nil {
		from = e.prior.ints(len(ss))
		sg.from = from
	}
	if changed, ok := e.changedPlaces(mr, in, ss, since); ok {
		was := mr.of(since)
		copy(rows, was.rows)
		if sg != nil {
			if was.corrections != nil {
				sg.corrections = slices.Clone(was.corrections)
			}
			for i := range from {
				from[i] = i
			}
		}
		for _, i := range changed {
			rows[i] = nil
			if sg != nil {
				sg.correct(i, len(ss), nil)
				from[i] = -1
			}
		}
		return rows
	}
	for i, sj := range ss {
		r, c, j := e.priorRow(mr, in, in.at(i), sj, since)
		rows[i] = r
		if sg != nil {
			sg.correct(i, len(ss), c)
			from[i] = j
		}
	}
	return rows
}

// changedPlaces returns the places of the subjects of an instance whose
// rows priorRow would not take from the last evaluation of a Memo, when
// the subjects are that evaluation's own (the same slice: foundActors),
// users only, and the changed actors few: the users with a change before
// the end of the period, found by their ids. It is false otherwise, and
// priorRow looks at every row.
func (e *evaluator) changedPlaces(mr *memoRows, in *inst, ss []subject, since bool) ([]int, bool) {
	pr := e.prior
	if mr == nil || in.pos != nil || len(ss) == 0 || len(ss) != len(mr.subjects) || &ss[0] != &mr.subjects[0] ||
		ss[len(ss)-1].kind != User || mr.of(since) == nil || len(pr.dirty) > max(8, len(ss)/16) || !e.lasting(in, since) {
		return nil, false
	}
	out := pr.changed[:0]
	for actor, d := range pr.dirty {
		if !e.touched(in, d) {
			continue
		}
		i, _ := slices.BinarySearchFunc(ss, actor, byUser)
		for ; i < len(ss) && ss[i].kind == User && ss[i].id == actor; i++ {
			out = append(out, i)
		}
	}
	slices.Sort(out)
	pr.changed = out
	return out, true
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
	return !pr.datedBy(from, to, k.v.asOf)
}

// datedBy reports whether a change at or before t is dated in [from, to).
func (pr *prior) datedBy(from, to date.Date, t time.Time) bool {
	switch {
	case !pr.dated(from, to) || t.Before(pr.early):
		return false // no change in those dates, or none at or before t
	case !t.Before(pr.late) && len(pr.before) > 0:
		return true // every change is at or before t, one in those dates
	}
	for i := range pr.changes {
		if pr.changes[i].at().After(t) {
			continue
		}
		if d := pr.days[i]; d >= from && d < to {
			return true
		}
	}
	return false
}

// windowed reports whether a value of the set may read events outside its
// period and the periods of prev(): cumulative and cohort indicators, and
// formulas that read a formula's earlier values (a running formula, one
// that reads its own prev(), reads every period from the first one its
// evaluation asks for, whatever its lookback says).
func windowed(set *kpi.Set) bool {
	for _, ix := range set.Indicators() {
		if ix.Def.ToDate != "" || ix.Def.Window != "" || ix.Def.Cohort != nil {
			return true
		}
		if !ix.IsFormula() || !strings.Contains(ix.Def.Formula, "prev") {
			continue
		}
		for _, m := range prevOf.FindAllStringSubmatch(ix.Def.Formula, -1) {
			if dep, ok := set.Lookup(m[1]); ok && dep.IsFormula() {
				return true
			}
		}
	}
	return false
}

// prevOf finds the indicator each prev() of a formula reads.
var prevOf = regexp.MustCompile(`prev\s*\(\s*([a-z][a-z0-9_]*)`)

// foundActors returns the actors of a company goal for each member
// without a directory: the last evaluation's and the actors of the new
// versions since in the instance's kinds and period; false when a version
// there was replaced or retracted (its actor may have left), or when one
// is of a new actor or replaced another and the evaluation counts the
// versions known at an instant (a change does not hold when its version
// became known).
func (e *evaluator) foundActors(in *inst) ([]subject, bool) {
	pr := e.prior
	if pr == nil {
		return nil, false
	}
	mr, ok := pr.state.insts[memoInst{in.g.index, in.p}]
	if !ok || !pr.quiet && !e.lasting(in, false) {
		// (Between quiet instants the same events count.)
		return nil, false
	}
	out := mr.subjects[:len(mr.subjects):len(mr.subjects)]
	if in.p.End <= pr.lo || in.p.Start > pr.hi {
		return out, true // no change in the period
	}
	kinds := e.goalKinds(in.g)
	// The new actors go in a list of the prior's, merged with the last
	// evaluation's into one made once.
	added := pr.added[:0]
	defer func() { pr.added = added[:0] }()
	known := !e.key.knownAt.IsZero()
	clear(pr.looked)
	// look looks at the change k: false when the instance's actors may
	// have changed otherwise than by new ones.
	look := func(k int) bool {
		c := &pr.changes[k]
		if !slices.Contains(kinds, c.kind) {
			return true
		}
		if c.removed && (known || k == 0 || !pr.changes[k-1].restores(*c)) {
			// (As known at an instant, the version that replaced it may
			// have become known after it: the event is not counted then.)
			return false
		}
		if c.actor == "" {
			return true
		}
		if _, ok := pr.looked[c.actor]; ok {
			return true
		}
		pr.looked[c.actor] = struct{}{}
		if _, ok := slices.BinarySearchFunc(mr.subjects, c.actor, byUser); ok {
			return true
		}
		if known {
			// A new actor's version may have become known only after
			// KnownAt, which the changes do not say: found among the
			// versions known then.
			return false
		}
		added = append(added, subject{id: c.actor, kind: User, pid: c.actor})
		return true
	}
	if ks, ok := pr.inDays(in.p.Start, in.p.End); ok {
		for _, k := range ks {
			if !look(int(k)) {
				return nil, false
			}
		}
	} else {
		for k := range pr.changes {
			if d := pr.days[k]; d >= in.p.Start && d < in.p.End && !look(k) {
				return nil, false
			}
		}
	}
	if len(added) > 0 {
		sortSubjects(added)
		out = mergeSubjects(out, added)
	}
	return out, true
}

// mergeSubjects returns the subjects of a and b, each sorted
// (sortSubjects), sorted in one list (those of a first where they tie, as
// a stable sort of both puts them).
func mergeSubjects(a, b []subject) []subject {
	out := make([]subject, 0, len(a)+len(b))
	for len(a) > 0 && len(b) > 0 {
		if cmpSubjects(b[0], a[0]) < 0 {
			out, b = append(out, b[0]), b[1:]
		} else {
			out, a = append(out, a[0]), a[1:]
		}
	}
	out = append(out, a...)
	return append(out, b...)
}

// inDays returns the places of the changes dated in [from, to), by date,
// true; false when the changes were not counted by date (note).
func (pr *prior) inDays(from, to date.Date) ([]int32, bool) {
	if len(pr.before) == 0 {
		return nil, false
	}
	if len(pr.byDay) != len(pr.changes) {
		// The places by date, counted: stable, in one pass.
		pr.byDay = atLeast(pr.byDay, len(pr.changes))[:len(pr.changes)]
		pr.next = append(pr.next[:0], pr.before...)
		for k, d := range pr.days {
			i := int(d - pr.lo)
			pr.byDay[pr.next[i]] = int32(k)
			pr.next[i]++
		}
	}
	if to <= pr.lo || from > pr.hi || to <= from {
		return nil, true
	}
	a, b := max(from, pr.lo), min(to, pr.hi+1)
	return pr.byDay[pr.before[int(a-pr.lo)]:pr.before[int(b-pr.lo)]], true
}

// begin takes from memo what its last evaluation for key left, when it
// evaluated the same groups: the actors found of company goals for each
// member are taken from it too.
func (e *evaluator) begin(memo *Memo, key memoKey, at instants, insts []*inst) {
	e.key, e.at = key, at
	e.prior, e.seq = memo.begin(key, at)
	if e.prior != nil && !maps.EqualFunc(e.prior.state.groups, e.f.groups, sameGroup) {
		memo.release(e.prior)
		e.prior = nil
	}
	if e.prior != nil {
		always := false
		for _, set := range e.f.views {
			always = always || windowed(set)
		}
		if e.s.items != nil {
			always = always || windowed(e.s.items)
		}
		e.prior.note(e.cal, always)
		e.prior.quiet = e.quiet(e.prior)
	}
	e.f.prior = e.prior
	var found [][]subject
	// as: every instance whose subjects are found among the events takes
	// the last evaluation's as they were, whose users were all noted then.
	as := e.prior != nil
	for _, in := range insts {
		if !in.dynamic {
			continue
		}
		ss, ok := e.foundActors(in)
		if !ok {
			as = false
			continue
		}
		was := e.priorInst(in).subjects
		as = as && len(ss) == len(was) && (len(ss) == 0 || &ss[0] == &was[0])
		in.subjects, in.dynamic = ss, false
		found = append(found, ss)
	}
	if as && len(found) > 0 && len(e.f.actors) == 0 {
		// The same users as then, shared (users the goals list
		// themselves are among them, as they are among f.users now).
		e.f.actors, e.f.sameActors = e.prior.state.users, true
		return
	}
	e.f.addFound(found)
}

// addFound adds the actors found of instances (found: their subjects,
// users only).
func (f *fetcher) addFound(found [][]subject) {
	if n := 0; len(f.actors) == 0 && !f.sameActors {
		// Room for the actors at once (thousands), not grown by adds:
		// those of an instance, most of them in each.
		for _, ss := range found {
			n = max(n, len(ss))
		}
		f.actors = make(map[string]bool, n)
	}
	for _, ss := range found {
		for _, sj := range ss {
			f.addActor(sj.id)
		}
	}
}

func sameGroup(a, b org.Group) bool { return a.ID == b.ID && sameMembers(a, b) }

// sameMembers reports whether two groups have the same dated members.
func sameMembers(a, b org.Group) bool {
	return slices.Equal(a.Members, b.Members) && slices.Equal(a.Spans, b.Spans)
}

// keepsRanks reports whether the rows of an instance at AsOf (sg) keep
// their ranks from the last evaluation of a Memo: every row was kept, in
// its place.
func (e *evaluator) keepsRanks(in *inst, sg *segment) bool {
	mr := e.priorInst(in)
	if in.dynamic || mr == nil || len(sg.rows) != len(mr.subjects) {
		return false
	}
	if sg.whole {
		return true
	}
	for i := range sg.rows {
		if sg.place(i) != i {
			return false
		}
	}
	return true
}

// state is what this evaluation leaves for the next one of its Memo: the
// rows at AsOf (cur) and at Since (prev, nil without notifications) with
// the notifications of each row at AsOf, the participants of every
// instance, and the values read.
func (e *evaluator) state(insts []*inst, cur, prev *passed, notes []rowNotes) *memoState {
	st := &memoState{seq: e.seq, key: e.key, at: e.at, insts: make(map[memoInst]*memoRows, len(insts)),
		answers: whole(e.f.results, e.f.groups), users: e.f.actors, groups: e.f.groups, checked: e.f.checked}
	switch {
	case !e.f.sameActors:
		// The actors found are this evaluation's own: the users join
		// them, where a new map of both was made.
		for u := range e.f.users {
			e.f.actors[u] = true
		}
	case !within(e.f.users, e.f.actors):
		// The last evaluation's users, shared: not changed.
		st.users = make(map[string]bool, max(len(e.f.users), len(e.f.actors)))
		for _, set := range []map[string]bool{e.f.users, e.f.actors} {
			for u := range set {
				st.users[u] = true
			}
		}
	}
	for k, in := range insts {
		if in.dynamic {
			return nil // its rows are not those of its actors
		}
		mr := &memoRows{subjects: in.subjects, at: cur.segs[k]}
		if prev != nil {
			mr.since = prev.segs[k]
		}
		// The places of the rows are in the arena of this evaluation's
		// prior (ints), which the next one reuses: no later evaluation
		// reads them.
		for _, sg := range []*segment{mr.at, mr.since} {
			if sg != nil {
				sg.from = nil
			}
		}
		if notes != nil {
			mr.notes = notes[k]
		}
		st.insts[memoInst{in.g.index, in.p}] = mr
	}
	return st
}

// whole returns the answers that hold every group of the goals: those an
// evaluation asked for with all of them, and those of the caller's values
// with a group of theirs for each (alias). An answer of the caller's values
// that lacks one answered only the needs of its evaluation, which may not
// have asked for that group (its rows were kept): a later evaluation that
// does must not take it.
func whole(results map[fetchKey]map[period.Period]answer, groups map[string]org.Group) map[fetchKey]map[period.Period]answer {
	out := make(map[fetchKey]map[period.Period]answer, len(results))
	for k, ps := range results {
		m := make(map[period.Period]answer, len(ps))
		for p, a := range ps {
			if a.alias != nil && !covers(a.alias, groups) {
				continue
			}
			m[p] = a
		}
		out[k] = m
	}
	return out
}

// covers reports whether alias has an entry for every group.
func covers(alias map[string]string, groups map[string]org.Group) bool {
	for id := range groups {
		if _, ok := alias[id]; !ok {
			return false
		}
	}
	return true
}
