package goal

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Request says what Set.Evaluate computes.
type Request struct {
	// AsOf is the instant of the evaluation: events after it do not count,
	// and time-driven states (failed at the end, closed) follow it. Required.
	AsOf time.Time
	// From and To select the instances reported: those that overlap the
	// local dates [From, To).
	From, To date.Date
	// Since is the instant notifications are counted from: the progress at
	// Since is compared with the progress at AsOf and each transition emits
	// its notifications. Zero means the end of the day before AsOf's date.
	Since time.Time
	// KnownAt, when set, counts only the event versions known at that
	// instant.
	KnownAt time.Time
	// Org gives the members of teams and departments (org.Load reads a
	// Directory into one). Goals that name teams need it.
	Org *org.Org
	// Rates and BudgetRates convert amounts, as for indicators.
	Rates       kpi.Rates
	BudgetRates kpi.Rates
	// Records are the closed results the host stored (see Set.Close).
	Records []Record
	// Marks are the checklist items the host marked done.
	Marks []Mark
	// Series asks for the daily cumulative series of every row. A closed
	// row that keeps its frozen result draws the events known when it
	// closed, so that its series ends at that result.
	Series bool
	// AchievedAt asks for the instant each achieved row met its target
	// (Row.AchievedAt), from the events.
	AchievedAt bool
	// Workers is how many goroutines each scan uses; 0 means GOMAXPROCS.
	Workers int
	// Memo, when set, carries this evaluation's work to the next one with
	// the same Memo and takes what the last one left (see Memo). It is not
	// used when AchievedAt is set, nor when closing (Set.Close).
	Memo *Memo
	// Only, when set, narrows the result to one participant: the rows whose
	// Participant is Only, and their notifications and corrections, each
	// the same as in the result without Only (ranks among every
	// participant of the instance). Instances without the participant are
	// not computed; with a Memo, of the others' rows only those whose
	// events changed are (their ranks count), and the Memo keeps what the
	// last evaluation without Only left. With a Memo that has no such
	// evaluation, or more than a few hundred versions noted since it, the
	// evaluation is a full one, kept in the Memo, narrowed at the end.
	Only string
	// Values, when set, are indicator values the caller already has (a
	// report's own, a tracker's live ones), evaluated with this request's
	// Rates and BudgetRates: a value the goals need that they hold exactly
	// is read from them rather than evaluated again.
	Values *Values
}

// Values are indicator values already evaluated, with what they were
// evaluated for. The goals read a value from them when it is the same
// cell they would evaluate: an indicator of the set the goals were
// compiled with (Env.Compiled), as of the same instant and knowledge, in a
// period of the result, and only when every participant the goals ask for
// has a row of its own (a team's row is a group of Groups with exactly the
// team's dated members). Anything else is evaluated as without them.
type Values struct {
	Result *kpi.Result
	// AsOf and KnownAt are those of the evaluation's request.
	AsOf, KnownAt time.Time
	// Groups are the groups of the evaluation's request.
	Groups []org.Group
}

// Mark says that a participant did a manual checklist item at an instant
// (Time, which an evaluation requires).
type Mark struct {
	Goal        string    `json:"goal"`
	Item        string    `json:"item"`
	Participant string    `json:"participant"`
	Time        time.Time `json:"time"`
}

// Result is the outcome of Set.Evaluate. Rows are ordered by goal (as
// defined), period, participant kind (users, teams, the company) and
// participant id. The slice is the caller's; the rows it points to may be
// shared with other results of the same Memo (a tracker's reports), which
// read them concurrently: a row is never changed once returned, and the
// caller must not change one (copy it to change it).
type Result struct {
	// AsOf is the instant of the evaluation (Request.AsOf); each row holds
	// its local date (Row.Date).
	AsOf          time.Time
	Rows          []*Row
	Notifications []Notification
	Corrections   []Correction
}

// ErrNoDirectory is returned when goals name teams and the request has no
// Directory.
var ErrNoDirectory = errors.New("goals name teams but the evaluation has no directory")

type subject struct {
	id      string
	kind    ParticipantKind
	pid     string // participant id in kpi results
	members []string
}

type inst struct {
	g        *Goal
	p        period.Period
	subjects []subject
	dynamic  bool // company, each member, without a directory: members come from events
	// pos, when set, is the place of each subject among those of the
	// instance it was narrowed from (see narrowed).
	pos []int
	// retime says whether its rows at AsOf may be retimed (1) or not (-1);
	// 0: not known yet (retimable).
	retime int8
	// reach says whether its rows read the dates of spans only (1) or
	// any date before the end of the period (-1); 0: not known yet (see
	// evaluator.reach).
	reach int8
	spans [2]dateSpan
	// sinceAsOf says that its rows at Since are its rows at AsOf
	// (sinceAsAsOf), asOf, once computed.
	sinceAsOf bool
	asOf      *segment
}

// at returns the place of subject i among those of the instance in was
// narrowed from: where the last evaluation of a Memo has it, when it has
// the same subjects.
func (in *inst) at(i int) int {
	if in.pos == nil {
		return i
	}
	return in.pos[i]
}

type targetKey struct {
	goal int
	id   string
	p    period.Period
	v    variant
}

type markKey struct{ goal, item, participant string }

type evaluator struct {
	s         *Set
	req       *Request
	cal       *period.Calendar
	org       *org.Org
	f         *fetcher
	itemsView int
	records   map[recordKey]*Record
	marks     map[markKey][]time.Time
	targets   map[targetKey]decimal.NullDecimal
	groupIDs  map[string]string
	// closing computes each row's next target (Set.Close).
	closing bool
	// v0 is the variant of the evaluation's instant.
	v0 variant
	// prior is what the last evaluation of req.Memo left (nil: nothing),
	// seq the sequence number of this one's.
	prior *prior
	// closedIn holds, by goal, the earliest start of a period a record
	// closed between the last evaluation's instant and this one's, at
	// AsOf [0] and at Since [1] (see closedBetween).
	closedIn [2]map[string]date.Date
	seq      uint64
	key      memoKey
	at       instants
	// clocked is the clock of the last row clock set, arounds the periods
	// around the last row's (around).
	clocked clocked
	arounds around
	// kept is keptRows' list, reused from one instance to the next, and
	// ranked rank's.
	kept   []*Row
	ranked []int
	// label is the label of the period of the last row computed.
	label struct {
		p    period.Period
		text string
	}
	// comparing: the rows computed are those at Since, which only the
	// notifications read (Notify), against the rows at AsOf: they go
	// without the values of other periods (Previous, YearAgo), which
	// neither the notifications nor anything else reads of them.
	comparing bool
	// tab is the table the evaluation reads (nil: not known), busy the
	// dates of its events by indicator (quietDays).
	ctx  context.Context
	tab  *kpi.Table
	busy map[string][]date.Date
}

// comparedAlone is whether the rows at Since go without the values of
// other periods (evaluator.comparing); a test switches it off to compare.
var comparedAlone = true

func (s *Set) newEvaluator(ctx context.Context, tab *kpi.Table, req *Request) (*evaluator, error) {
	if req.AsOf.IsZero() {
		return nil, errors.New("goal: the request has no as-of instant")
	}
	views := slices.Clone(s.views)
	if len(views) == 0 {
		return nil, errors.New("goal: the plan's indicators did not compile")
	}
	itemsView := -1
	if s.items != nil {
		itemsView = len(views)
		views = append(views, s.items)
	}
	e := &evaluator{s: s, req: req, cal: s.cal, itemsView: itemsView, ctx: ctx, tab: tab,
		records: map[recordKey]*Record{}, marks: map[markKey][]time.Time{},
		targets: map[targetKey]decimal.NullDecimal{}, groupIDs: map[string]string{}}
	e.f = newFetcher(views, kpi.Request{Calendar: s.cal, Rates: req.Rates, BudgetRates: req.BudgetRates, Workers: req.Workers})
	e.f.known = req.Values
	e.f.lean = s.lean
	for i := range req.Records {
		r := &req.Records[i]
		e.records[r.key()] = r
	}
	for i, m := range req.Marks {
		if m.Time.IsZero() {
			// Zero is no instant: in no period, the mark would be
			// dropped and its item left undone without a word.
			return nil, fmt.Errorf("goal: mark %d (goal %s, item %s, participant %s) has no time", i, display.QuoteID(m.Goal), display.QuoteID(m.Item), display.QuoteID(m.Participant))
		}
		k := markKey{m.Goal, m.Item, m.Participant}
		e.marks[k] = append(e.marks[k], m.Time)
	}
	needOrg := false
	for _, g := range s.goals {
		d := g.def.Participants
		if len(d.Teams) > 0 || (d.Company && d.Mode == Each) {
			needOrg = true
		}
	}
	if needOrg {
		e.org = req.Org
	}
	return e, nil
}

// Evaluate computes the progress of every goal instance that overlaps
// [req.From, req.To), for every participant, at req.AsOf, and the
// notifications of the transitions since req.Since (zero: since the end
// of the day before req.AsOf), from the events of tab (a kpi.Snapshot). It
// is safe for concurrent use. It refuses what Check refuses, a zero
// req.AsOf and a mark without a time, each error naming it.
func (s *Set) Evaluate(ctx context.Context, tab *kpi.Table, req Request) (*Result, error) {
	if req.To <= req.From {
		return nil, fmt.Errorf("goal: request to (%s) must be after from (%s)", req.To, req.From)
	}
	e, err := s.newEvaluator(ctx, tab, &req)
	if err != nil {
		return nil, err
	}
	var insts []*inst
	for _, g := range s.goals {
		ps, err := g.Instances(s.cal, req.From, req.To)
		if err != nil {
			return nil, fmt.Errorf("%s.period: %w", g.path, err)
		}
		for _, p := range ps {
			in, err := e.instance(g, p)
			if err != nil {
				return nil, err
			}
			insts = append(insts, in)
		}
	}
	return e.evaluate(ctx, tab, insts)
}

func (e *evaluator) evaluate(ctx context.Context, tab *kpi.Table, insts []*inst) (*Result, error) {
	req := e.req
	since := req.Since
	if since.IsZero() {
		since = e.cal.Midnight(e.cal.Date(req.AsOf)).Add(-time.Nanosecond)
	}
	notify := false
	for _, in := range insts {
		if len(in.g.def.Notify) > 0 {
			notify = true
		}
	}
	notify = notify && since.Before(req.AsOf)
	v0 := variant{asOf: req.AsOf, knownAt: req.KnownAt}
	vs := variant{asOf: since, knownAt: earliest(since, req.KnownAt)}
	e.v0 = v0
	memo := req.Memo
	if memo != nil && !req.AchievedAt && !e.closing {
		e.begin(memo, memoKey{knownAt: req.KnownAt, from: req.From, to: req.To, series: req.Series}, instants{req.AsOf, since}, insts)
		if pr := e.prior; pr != nil {
			defer memo.release(pr)
		}
	} else {
		memo = nil
	}
	narrow := req.Only != "" && !req.AchievedAt
	if narrow && memo != nil && e.prior.stale() {
		// A full evaluation, kept for the next, narrowed at the end.
		narrow = false
	}
	// mine are the instances whose rows at Since are computed, for the
	// notifications: narrowed to the participant of Only when they can be.
	mine := insts
	if narrow {
		insts = e.narrow(insts)
		mine = narrowed(insts, req.Only)
		memo = nil // its rows would be the participant's only
	}

	if notify && !narrow {
		// (Narrowed, the rows at Since are of the participant's
		// instances: not the instances at AsOf.)
		e.sinceAsAsOf(tab, insts, since)
	}
	e.pass(insts, v0, req.Series, true)
	if notify {
		e.comparing = comparedAlone
		e.pass(mine, vs, false, false)
		e.comparing = false
	}
	res := &Result{AsOf: req.AsOf}
	if ok, err := e.fetch(ctx, tab, insts); err != nil || !ok && e.prior == nil {
		return res, err
	}
	// (Flattened once ranked: rank puts copies of rows in their segments.)
	cur := e.pass(insts, v0, req.Series, false)
	var rows []*Row
	if narrow {
		rows, cur = e.own(insts, mine, cur)
	} else {
		e.rank(insts, cur)
		cur.flatten()
		rows = cur.rows
	}
	corrections := cur.compact() // the participant's, narrowed
	if req.AchievedAt {
		if err := e.achievedAt(ctx, tab, insts, rows, v0); err != nil {
			return nil, err
		}
	}
	// The Memo keeps the segments' slices of rows: the flat one is the
	// caller's.
	res.Rows, res.Corrections = rows, corrections
	var prev *passed
	var notes []rowNotes
	if notify {
		clear(e.targets)
		e.comparing = comparedAlone
		prev = e.pass(mine, vs, false, false)
		e.comparing = false
		notes = e.notifications(mine, cur, prev)
	}
	// The list of notifications is made once, with room for the
	// corrections' (none without any).
	n := 0
	for _, rn := range notes {
		for _, ns := range rn.at {
			n += len(ns)
		}
	}
	for _, c := range corrections {
		if c.Applied {
			n++
		}
	}
	if n > 0 {
		res.Notifications = make([]Notification, 0, n)
	}
	for _, rn := range notes {
		for _, ns := range rn.at {
			res.Notifications = append(res.Notifications, ns...)
		}
	}
	if memo != nil {
		if st := e.state(insts, cur, prev, notes); st != nil {
			var err error
			if st.latest, err = e.latest(ctx, tab); err != nil {
				return nil, err
			}
			st.events = tab.Len()
			memo.keep(st)
		}
	}
	for _, c := range corrections {
		if c.Applied {
			res.Notifications = append(res.Notifications, restated(c, e.rowName(c.Goal), req.AsOf))
		}
	}
	sortNotifications(e.s, res.Notifications)
	if req.Only != "" {
		res.only(req.Only)
	}
	return res, nil
}

func earliest(a, b time.Time) time.Time {
	if b.IsZero() || (!a.IsZero() && a.Before(b)) {
		return a
	}
	return b
}

// Kinds returns the event kinds the goals read, sorted: a kpi.Snapshot for
// Evaluate, Close or LintHistory must hold them.
func (s *Set) Kinds() []string {
	var ks []string
	for _, v := range s.views {
		ks = append(ks, v.Kinds()...)
	}
	if s.items != nil {
		ks = append(ks, s.items.Kinds()...)
	}
	slices.Sort(ks)
	return slices.Compact(ks)
}

// goalKinds returns the event kinds a goal reads.
func (e *evaluator) goalKinds(g *Goal) []string {
	if len(g.items) > 0 {
		var ks []string
		for _, it := range g.items {
			if ix, ok := e.s.items.Lookup(it.id); ok {
				ks = append(ks, ix.Def.Kinds...)
			}
		}
		slices.Sort(ks)
		return slices.Compact(ks)
	}
	set := e.f.views[g.view]
	if ix, ok := set.Lookup(g.def.Indicator); ok && !ix.IsFormula() {
		return ix.Def.Kinds
	}
	return set.Kinds()
}

// instance resolves the participants of a goal's period, after checking
// that the working-day calendar covers it.
func (e *evaluator) instance(g *Goal, p period.Period) (*inst, error) {
	// Pace, forecast and the working days left count the working days of
	// the whole period.
	if err := e.cal.WorkCalendar().Check(p.Start, p.End); err != nil {
		return nil, fmt.Errorf("%s, period %s: %w", g.path, e.cal.Label(p), err)
	}
	in := &inst{g: g, p: p}
	d := g.def.Participants
	seen := map[string]bool{}
	addUser := func(u string) {
		if !seen[u] {
			seen[u] = true
			e.f.users[u] = true
			in.subjects = append(in.subjects, subject{id: u, kind: User, pid: u})
		}
	}
	for _, u := range d.Users {
		addUser(u)
	}
	if len(d.Teams) > 0 && e.org == nil {
		return nil, fmt.Errorf("%s.participants.teams: %w", g.path, ErrNoDirectory)
	}
	for _, t := range d.Teams {
		if !e.org.Has(t) {
			return nil, fmt.Errorf("%s.participants.teams: team %q is not in the directory", g.path, t)
		}
		members := e.org.Members(t, p)
		if d.Mode == Each {
			for _, m := range members {
				addUser(m)
			}
			continue
		}
		in.subjects = append(in.subjects, subject{id: t, kind: Team, pid: e.group(t), members: members})
	}
	if d.Company {
		switch {
		case d.Mode != Each:
			in.subjects = append(in.subjects, subject{id: org.Everyone, kind: Company, pid: org.Everyone})
		case e.org != nil:
			for _, u := range e.org.Users(p) {
				addUser(u)
			}
		default:
			in.dynamic = true
		}
	}
	sortSubjects(in.subjects)
	return in, nil
}

// fetch computes, over tab, the values the recording passes over insts
// asked for, so that the next passes answer them; false when nothing was
// asked for.
func (e *evaluator) fetch(ctx context.Context, tab *kpi.Table, insts []*inst) (bool, error) {
	if !e.f.needed() {
		e.f.recording = false
		return false, nil
	}
	for _, in := range insts {
		if in.dynamic {
			e.resolveDynamic(in, tab)
		}
	}
	if err := e.f.run(ctx, tab); err != nil {
		return false, err
	}
	clear(e.targets)
	return true, nil
}

// resolveDynamic adds, to an instance of a company goal for each member
// without a directory, every actor with an event of the goal's kinds in the
// period.
func (e *evaluator) resolveDynamic(in *inst, tab *kpi.Table) {
	e.resolveDynamicAt(in, tab, variant{asOf: e.req.AsOf, knownAt: e.req.KnownAt})
}

// resolveDynamicAt is resolveDynamic with the events up to v's asOf known
// at v's knownAt (zero: all).
func (e *evaluator) resolveDynamicAt(in *inst, tab *kpi.Table, v variant) {
	e.resolveDynamicOver(in, tab, in.p, v)
}

// resolveDynamicOver is resolveDynamicAt with the actors of the span of
// dates p rather than of the instance's period.
func (e *evaluator) resolveDynamicOver(in *inst, tab *kpi.Table, p period.Period, v variant) {
	seen := map[string]bool{}
	for _, sj := range in.subjects {
		seen[sj.id] = true
	}
	actors := tab.Actors(e.goalKinds(in.g), p, v.asOf, v.knownAt)
	for _, a := range actors {
		e.f.addActor(a)
		if !seen[a] {
			if len(in.subjects) == cap(in.subjects) {
				// Room for every actor at once, not grown by append.
				in.subjects = slices.Grow(in.subjects, len(actors))
			}
			in.subjects = append(in.subjects, subject{id: a, kind: User, pid: a})
		}
	}
	sortSubjects(in.subjects)
	in.dynamic = false
}

func sortSubjects(ss []subject) { slices.SortStableFunc(ss, cmpSubjects) }

// cmpSubjects orders subjects as an instance lists them: users, teams,
// then the company, each by id.
func cmpSubjects(a, b subject) int {
	return cmp.Or(cmp.Compare(kindOrder(a.kind), kindOrder(b.kind)), strings.Compare(a.id, b.id))
}

func kindOrder(k ParticipantKind) int {
	switch k {
	case Team:
		return 1
	case Company:
		return 2
	}
	return 0
}

// group returns the internal kpi group id of a team: its members' events
// count on the dates they belonged to the unit or a unit below it. The id
// begins with a control character, which no actor's id has
// (kpi.Event.Validate): kpi gives a row whose id is an actor's to the
// actor, so an actor named "team:sales#0" took the team's row.
func (e *evaluator) group(unit string) string {
	if id, ok := e.groupIDs[unit]; ok {
		return id
	}
	id := fmt.Sprintf("\x00team:%s#%d", unit, len(e.groupIDs))
	e.groupIDs[unit] = id
	e.f.groups[id] = e.org.Group(id, unit)
	return id
}

// measured returns the subjects measured in the instance: its subjects, and
// while they are still to be found among the actors (a company goal for
// each member without a directory), everyone.
func (in *inst) measured() []subject {
	if !in.dynamic {
		return in.subjects
	}
	return append(slices.Clone(in.subjects), subject{id: org.Everyone, kind: User, pid: org.Everyone})
}

// passed is what a pass computed, by instance, and for a flat pass all
// its rows in one slice too.
type passed struct {
	rows []*Row
	segs []*segment
}

// segment is what a pass computed for one instance: its rows, their
// corrections (a nil list: none at all; see correction) and, for a row
// taken from the last evaluation of a Memo, its place there (-1:
// computed; a nil list: every row was; see place). whole says the segment is the
// last evaluation's, row for row, and shared that its slice of rows is
// the last evaluation's too. A row taken from the last evaluation may be
// the very row of its result: it is changed only through mutable.
type segment struct {
	rows        []*Row
	corrections []*Correction
	from        []int
	whole       bool
	shared      bool
}

// mutable returns row i to be changed: the row itself when this evaluation
// computed it, otherwise a copy put in its place (a kept row may be the
// last evaluation's own, which its result and the Memo share).
func (sg *segment) mutable(i int) *Row {
	if sg.place(i) < 0 {
		return sg.rows[i]
	}
	if sg.shared {
		sg.rows, sg.shared = slices.Clone(sg.rows), false
	}
	c := *sg.rows[i]
	sg.rows[i] = &c
	return &c
}

// place returns where row i was among the last evaluation's rows of its
// instance (-1: it was computed).
func (sg *segment) place(i int) int {
	switch {
	case sg.whole:
		return i
	case sg.from == nil:
		return -1
	}
	return sg.from[i]
}

// correction returns the correction of row i (nil: none).
func (sg *segment) correction(i int) *Correction {
	if sg.corrections == nil {
		return nil
	}
	return sg.corrections[i]
}

// correct sets the correction of row i of n (nil: none), making the list
// of them for the first one: most segments have none.
func (sg *segment) correct(i, n int, c *Correction) {
	switch {
	case sg.corrections != nil:
		sg.corrections[i] = c
	case c != nil:
		sg.corrections = make([]*Correction, n)
		sg.corrections[i] = c
	}
}

// flatten sets ps.rows to the rows of every instance, in order, in one
// slice made once (the result's: no segment points into it).
func (ps *passed) flatten() {
	n := 0
	for _, sg := range ps.segs {
		n += len(sg.rows)
	}
	ps.rows = make([]*Row, 0, n)
	for _, sg := range ps.segs {
		ps.rows = append(ps.rows, sg.rows...)
	}
}

// compact returns the corrections of the rows, in order.
func (ps *passed) compact() []Correction {
	var cs []Correction
	for _, sg := range ps.segs {
		for _, c := range sg.corrections {
			if c != nil {
				cs = append(cs, *c)
			}
		}
	}
	return cs
}

// pass computes the rows of every instance at v (or records what they
// need, in the fetcher's recording pass). A row the last evaluation of a
// Memo computed is taken from it when none of the events it reads changed
// since, and an instance none of whose rows changed is taken whole: the
// last evaluation's rows themselves, shared, when it was as of the same
// date, copies restamped otherwise; an open row whose events did not
// change since an evaluation as of another instant is the last one's,
// retimed (retimed). A flat pass puts all the rows in one slice too
// (flatten). Each instance's rows are a slice of their own, which a Memo
// keeps (or the last evaluation's, shared), never a part of the flat one:
// that one is the caller's.
func (e *evaluator) pass(insts []*inst, v variant, series, flat bool) *passed {
	atSince := v != e.v0
	if e.f.recording {
		for _, in := range insts {
			if atSince && in.sinceAsOf {
				continue // its rows at AsOf
			}
			mr := e.priorInst(in)
			ss := in.measured()
			if e.untouched(mr, in, ss, atSince) {
				continue // every row is the last evaluation's
			}
			kept := e.keptRows(mr, in, ss, atSince, nil)
			for i, sj := range ss {
				if kept[i] != nil {
					continue
				}
				if old, _ := e.retimed(mr, in, i, sj, atSince); old == nil {
					e.row(in.g, sj, in.p, v, series)
				}
			}
		}
		return nil
	}
	ps := &passed{segs: make([]*segment, 0, len(insts))}
	same := e.sameDate(atSince)
	for _, in := range insts {
		if atSince && in.sinceAsOf && in.asOf != nil && !flat {
			sg := *in.asOf
			sg.shared = true
			ps.segs = append(ps.segs, &sg)
			continue
		}
		mr := e.priorInst(in)
		ss := in.measured()
		var sg *segment
		var kept []*Row
		whole := e.untouched(mr, in, ss, atSince)
		if !whole {
			sg = &segment{whole: mr != nil && mr.of(atSince) != nil && len(ss) == len(mr.subjects)}
			kept = e.keptRows(mr, in, ss, atSince, sg)
			for i := range ss {
				sg.whole = sg.whole && sg.from[i] == i
			}
			whole = sg.whole
		}
		if whole && same {
			was := mr.of(atSince)
			ps.segs = append(ps.segs, &segment{rows: was.rows, corrections: was.corrections, whole: true, shared: true})
			continue
		}
		rows := make([]*Row, 0, len(ss))
		if whole {
			was := mr.of(atSince)
			block := make([]Row, len(was.rows))
			for i, r := range was.rows {
				block[i] = *r
				rows = append(rows, &block[i])
			}
			e.restamp(block, atSince)
			ps.segs = append(ps.segs, &segment{rows: rows, corrections: was.corrections, whole: true})
			continue
		}
		// The rows computed, and the kept ones restamped, in one block.
		n := 0
		for _, r := range kept {
			if r == nil || !same {
				n++
			}
		}
		block := make([]Row, 0, n)
		for i, sj := range ss {
			if r := kept[i]; r != nil {
				if same {
					rows = append(rows, r)
					continue
				}
				block = append(block, *r)
				e.restamp(block[len(block)-1:], atSince)
			} else if old, j := e.retimed(mr, in, i, sj, atSince); old != nil {
				block = append(block, *old)
				e.retime(&block[len(block)-1], in.g, v.asOf)
				sg.from[i] = j // its achievement, and so its rank, as they were
			} else {
				r, c := e.row(in.g, sj, in.p, v, series)
				sg.correct(i, len(ss), c)
				block = append(block, r)
			}
			rows = append(rows, &block[len(block)-1])
		}
		sg.rows = rows
		ps.segs = append(ps.segs, sg)
	}
	if flat {
		ps.flatten()
	}
	if !atSince {
		for k, in := range insts {
			in.asOf = ps.segs[k]
		}
	}
	return ps
}

// measure returns the actual of a goal for a participant and period at v,
// and its checklist.
func (e *evaluator) measure(g *Goal, sj subject, p period.Period, v variant) (decimal.NullDecimal, []ItemProgress) {
	if len(g.items) == 0 {
		return e.f.value(g.view, v, g.def.Indicator, sj.pid, p), nil
	}
	total := decimal.Zero
	items := make([]ItemProgress, len(g.items))
	for i, it := range g.items {
		ip := ItemProgress{ID: it.def.ID, Name: it.def.Name, Weight: it.weight, Manual: it.def.Manual}
		if it.def.Manual {
			ip.Done = e.marked(g, it, sj, p, v.asOf)
		} else if e.itemsView >= 0 {
			c := e.f.value(e.itemsView, v, it.id, sj.pid, p)
			if c.Valid {
				ip.Count = c.Decimal.IntPart()
			}
			ip.Done = ip.Count >= it.count
		}
		if ip.Done {
			total = total.Add(it.weight)
		}
		items[i] = ip
	}
	return decimal.NewNullDecimal(total), items
}

// marked reports whether the host marked a manual item done in p by t.
func (e *evaluator) marked(g *Goal, it item, sj subject, p period.Period, t time.Time) bool {
	start, end := e.cal.Bounds(p)
	for _, at := range e.marks[markKey{g.def.ID, it.def.ID, sj.id}] {
		if !at.Before(start) && at.Before(end) && !at.After(t) {
			return true
		}
	}
	return false
}

// actualIn is the actual of any period of the goal's shape: settled for
// the goal's own instances (instance: p is one), measured for the others.
func (e *evaluator) actualIn(g *Goal, sj subject, p period.Period, instance bool, v variant) decimal.NullDecimal {
	if instance {
		return e.settle(g, sj, p, v).actual
	}
	a, _ := e.measure(g, sj, p, v)
	return a
}

// around is what the rows of a goal's period read of the periods around
// it: the one before (Previous) and the one a year before (YearAgo), and
// whether each is an instance of the goal. The rows of an instance are
// computed one after the other: the evaluator keeps the last (arounds).
type around struct {
	ok                            bool
	goal                          int
	p                             period.Period
	prev, yearAgo                 period.Period
	prevInstance, yearAgoInstance bool
}

// around returns the periods around p that a row of g reads.
func (e *evaluator) around(g *Goal, p period.Period) around {
	a := &e.arounds
	if !a.ok || a.goal != g.index || a.p != p {
		prev, ya := back(e.cal, p, 1), yearAgo(e.cal, p)
		*a = around{ok: true, goal: g.index, p: p, prev: prev, yearAgo: ya,
			prevInstance: g.isInstance(e.cal, prev), yearAgoInstance: g.isInstance(e.cal, ya)}
	}
	return *a
}

// profile learns the seasonal profile of a goal from its earlier periods.
func (e *evaluator) profile(g *Goal, sj subject, p period.Period, v variant) *forecast.Profile {
	if len(g.items) > 0 || (g.pace != PaceSeasonal && g.forecast != ForecastSeasonal) {
		return nil
	}
	return e.learnProfile(g, sj, p, v)
}

// learnProfile learns the seasonal profile of an additive goal from its
// earlier periods, whatever its pace and forecast; nil when none taught
// anything.
func (e *evaluator) learnProfile(g *Goal, sj subject, p period.Period, v variant) *forecast.Profile {
	var daily [][]decimal.Decimal
	for k := 1; k <= g.history; k++ {
		q := back(e.cal, p, k)
		quiet := e.quietDays(g, q.Start, q.End)
		vals := make([]decimal.Decimal, 0, max(int(q.End-q.Start), 0))
		for d := q.Start; d < q.End; d++ {
			x := e.dayValue(g, sj, v, d, quiet)
			if x.Valid {
				vals = append(vals, x.Decimal)
			} else {
				vals = append(vals, decimal.Zero)
			}
		}
		daily = append(daily, vals)
	}
	pr, ok := forecast.LearnProfile(daily...)
	if !ok {
		return nil
	}
	return &pr
}

// row computes the progress of one goal instance for one participant at v.
func (e *evaluator) row(g *Goal, sj subject, p period.Period, v variant, series bool) (Row, *Correction) {
	cal := e.cal
	start, _ := cal.Bounds(p)
	asOf := v.asOf
	st := e.settle(g, sj, p, v)
	pr := e.profile(g, sj, p, v)
	base := e.startValue(g, sj, p, v)
	if e.f.recording {
		// The recording pass notes what the row reads, and nothing more:
		// the same reads as below, with the same arguments.
		if g.chance != nil {
			e.chance(g, sj, p, v, st.actual, st.target)
		}
		if !e.comparing {
			a := e.around(g, p)
			e.actualIn(g, sj, a.prev, a.prevInstance, v)
			e.actualIn(g, sj, a.yearAgo, a.yearAgoInstance, v)
		}
		if series && !asOf.Before(start) {
			e.series(g, sj, p, st.seriesVariant(v), st.target, pr)
		}
		if e.closing && g.next != nil {
			e.evalNext(g, sj, p, v, st.target, st.actual)
		}
		return Row{}, st.correction
	}
	r := Row{
		Goal: g.def.ID, Name: g.def.Name, Participant: sj.id, Kind: sj.kind, Visibility: g.def.Visibility, Members: sj.members,
		Period: p, Label: e.labelOf(p), Direction: g.dir, Measure: g.measure,
		Target: st.target, Actual: st.actual, Items: st.items, ClosedAt: st.closedAt,
	}
	r.Achievement = score.Achieve(g.dir, r.Actual, r.Target)
	r.Remaining = score.Remaining(g.dir, r.Actual, r.Target)
	e.clock(&r, g, asOf, pr, base)
	in := r.statusInput(g)
	if g.chance != nil {
		r.Chance = e.chance(g, sj, p, v, r.Actual, r.Target)
		if g.forecast == ForecastProbabilistic && r.Chance.P50.Valid && !r.Ended {
			r.Forecast, r.ForecastMethod = r.Chance.P50, Probabilistic
			in.Forecast = r.Forecast
		}
		in.Chance, in.ChanceAtRisk, in.ChanceOffTrack = r.Chance.Reach, g.chance.atRisk, g.chance.offTrack
	}
	r.Status = Classify(in)
	r.State = stateOf(g.def.State, r.Status, st.closed)
	r.Milestones = g.milestonesOf(&r)
	if !e.comparing {
		a := e.around(g, p)
		r.Previous = e.actualIn(g, sj, a.prev, a.prevInstance, v)
		r.DeltaPrevious = delta(r.Actual, r.Previous)
		r.YearAgo = e.actualIn(g, sj, a.yearAgo, a.yearAgoInstance, v)
		r.DeltaYearAgo = delta(r.Actual, r.YearAgo)
	}
	if series && r.Started {
		r.Series = e.series(g, sj, p, st.seriesVariant(v), r.Target, pr)
	}
	if e.closing && g.next != nil {
		r.nextTarget = e.evalNext(g, sj, p, v, r.Target, r.Actual)
	}
	return r, st.correction
}

// labelOf returns the calendar's label of p: the last row's when it is of
// the same period (the rows of an instance are computed one after the
// other).
func (e *evaluator) labelOf(p period.Period) string {
	if l := &e.label; l.text == "" || l.p != p {
		l.p, l.text = p, e.cal.Label(p)
	}
	return e.label.text
}

// clock sets the fields of a row that follow its instant, but its status
// and state: whether its period started and ended, its date, the time and
// the days left, the value expected by now and the forecast. A valid base
// is the value at the start of a windowed goal's instance (startValue):
// the expected value and the forecast run from it rather than from 0.
func (e *evaluator) clock(r *Row, g *Goal, asOf time.Time, pr *forecast.Profile, base decimal.NullDecimal) {
	c := &e.clocked
	if pr != nil || !c.ok || c.p != r.Period || !c.asOf.Equal(asOf) || c.pace != g.pace {
		*c = e.time(r.Period, asOf, g.pace, pr)
		c.ok = pr == nil
	}
	r.Date, r.Started, r.Ended = c.date, c.started, c.ended
	r.Elapsed, r.TimeLeft, r.DaysLeft, r.WorkdaysLeft = c.elapsed, c.timeLeft, c.daysLeft, c.workdaysLeft
	r.Expected, r.Pace = c.expected(g.measure, r.Target), c.method
	rr := c.rate(g.forecast)
	r.Forecast, r.ForecastMethod = forecastAt(e.cal, r.Period, asOf, g.measure, g.forecast, r.Actual, pr, rr)
	if base.Valid && !c.ended {
		f, _ := forecastAt(e.cal, r.Period, asOf, g.measure, g.forecast, less(r.Actual, base), pr, rr)
		r.Expected, r.Forecast = fromBase(base, Expected(g.measure, less(r.Target, base), c.frac)), fromBase(base, f)
	}
}

// clocked is what clock sets alike in every row of a period as of an
// instant with the same pace (and no profile): the last computed, kept
// for the next row.
type clocked struct {
	ok   bool
	p    period.Period
	asOf time.Time
	pace PaceMethod

	date                   date.Date
	started, ended         bool
	elapsed                decimal.Decimal
	timeLeft               time.Duration
	daysLeft, workdaysLeft int
	frac                   forecast.Share
	method                 PaceMethod

	// exp is Expected of the target expTarget (hasExp: computed) with
	// frac, and rates the run rates of the workdays and the calendar
	// basis: the last row's, which the next row of its instance, of the
	// same target, takes rather than multiplying and dividing again.
	hasExp    bool
	expTarget decimal.Decimal
	exp       decimal.NullDecimal
	rates     [2]runRate
}

// expected returns Expected(m, target, c.frac): the last one's when its
// target was the same number, with the same exponent (the same digits, so
// the same result).
func (c *clocked) expected(m Measure, target decimal.NullDecimal) decimal.NullDecimal {
	if m == Level || !target.Valid {
		return Expected(m, target, c.frac)
	}
	if !c.hasExp || c.expTarget.Exponent() != target.Decimal.Exponent() || c.expTarget.Cmp(target.Decimal) != 0 {
		c.hasExp, c.expTarget, c.exp = true, target.Decimal, Expected(m, target, c.frac)
	}
	return c.exp
}

// rate returns the run rate of a forecast basis (forecastAt).
func (c *clocked) rate(basis ForecastBasis) *runRate {
	if basis == ForecastCalendar {
		return &c.rates[1]
	}
	return &c.rates[0]
}

// time computes the clock of period p as of asOf, for a pace.
func (e *evaluator) time(p period.Period, asOf time.Time, pace PaceMethod, pr *forecast.Profile) clocked {
	cal := e.cal
	start, end := cal.Bounds(p)
	c := clocked{p: p, asOf: asOf, pace: pace, date: cal.Date(asOf), started: !asOf.Before(start), ended: !asOf.Before(end)}
	c.elapsed = fractionDecimal(cal.Elapsed(p, asOf, period.CalendarTime))
	if !c.ended {
		from := asOf
		if from.Before(start) {
			from = start
		}
		c.timeLeft = end.Sub(from)
		day := max(c.date, p.Start)
		c.daysLeft = int(p.End - day)
		c.workdaysLeft = cal.WorkCalendar().CountWorkdays(day, p.End)
	}
	c.frac, c.method = PaceFraction(cal, p, asOf, pace, pr)
	return c
}

// statusInput is what Classify reads of a row, but its chance.
func (r *Row) statusInput(g *Goal) StatusInput {
	return StatusInput{Direction: g.dir, Measure: g.measure, Started: r.Started, Ended: r.Ended,
		Actual: r.Actual, Target: r.Target, Forecast: r.Forecast, OnTrack: g.onTrack, AtRisk: g.atRisk}
}

// rank sets the rank of every row at AsOf (cur) among the rows of its
// instance and participant kind, but in the instances whose rows keep
// their ranks from the last evaluation of a Memo, or are ranked from
// theirs (keepsRanks, rerank).
func (e *evaluator) rank(insts []*inst, cur *passed) {
	for k, in := range insts {
		sg := cur.segs[k]
		if e.prior != nil && (e.keepsRanks(in, sg) || e.rerank(in, sg)) {
			continue
		}
		sg.rank(&e.ranked)
	}
}

// rank ranks the rows of an instance among those of the same participant
// kind as score.Rank does: competition ranks (1, 1, 3) by achievement,
// the rows without one 0. A row's rank is one more than the rows of its
// kind ahead of it, whatever the order of those tied.
//
// The places of the rows of a kind go in scratch, a list the caller
// reuses (the evaluator's: one list for every instance of a report).
func (sg *segment) rank(scratch *[]int) {
	// The kinds, in the order of their first rows: users, teams and the
	// company, at most.
	var room [3]ParticipantKind
	kinds := room[:0]
	for _, r := range sg.rows {
		if !slices.Contains(kinds, r.Kind) {
			kinds = append(kinds, r.Kind)
		}
	}
	for _, kind := range kinds {
		idx := (*scratch)[:0]
		for i, r := range sg.rows {
			if r.Kind == kind {
				idx = append(idx, i)
			}
		}
		*scratch = idx
		slices.SortFunc(idx, func(a, b int) int {
			return cmpStanding(standing(sg.rows[a].Achievement), standing(sg.rows[b].Achievement))
		})
		rank := 0
		for k, i := range idx {
			s := standing(sg.rows[i].Achievement)
			switch {
			case !s.Ranked():
				rank = 0
			case k == 0 || cmpStanding(standing(sg.rows[idx[k-1]].Achievement), s) != 0:
				rank = k + 1
			}
			if sg.rows[i].Rank != rank {
				sg.mutable(i).Rank = rank
			}
		}
	}
}

// cmpStanding is score.Compare (higher first), without allocating to
// compare two values.
func cmpStanding(a, b score.Standing) int {
	if a.Value.Valid && b.Value.Valid {
		return decimalx.Cmp(b.Value.Decimal, a.Value.Decimal)
	}
	return score.Compare(a, b, false)
}

// notifications compares the rows at Since (prev) with the rows at AsOf
// (cur): the notifications of each row at AsOf, by instance, taken from
// the last evaluation of a Memo when both rows were.
func (e *evaluator) notifications(insts []*inst, cur, prev *passed) []rowNotes {
	type key struct {
		goal, participant string
		p                 period.Period
	}
	// Both passes measured the same subjects in the same order: the row at
	// Since is at the same place, unless two rows share a key (then the
	// last of them is the one compared, as a map of the keys would).
	type at struct{ seg, i int }
	var byKey map[key]at
	if !uniqueKeys(insts) {
		byKey = map[key]at{}
		for k, sg := range prev.segs {
			for i, r := range sg.rows {
				byKey[key{r.Goal, r.Participant, r.Period}] = at{k, i}
			}
		}
	}
	out := make([]rowNotes, len(insts))
	same := e.prior != nil && e.prior.same()
	for k, in := range insts {
		var was rowNotes
		mr := e.priorInst(in)
		if mr != nil && same {
			was = mr.notes
		}
		sg, pg := cur.segs[k], prev.segs[k]
		// While every row's notifications are the last evaluation's at
		// the same place, the instance's are its list itself.
		kept := byKey == nil && was.n == len(sg.rows)
		notes := rowNotes{n: len(sg.rows)}
		put := func(i int, ns []Notification) {
			if kept {
				kept = false
				if was.at != nil {
					notes.at = make([][]Notification, len(sg.rows))
					copy(notes.at, was.at[:i])
				}
			}
			notes.set(i, ns)
		}
		for i, r := range sg.rows {
			if byKey != nil {
				var p *Row
				if a, ok := byKey[key{r.Goal, r.Participant, r.Period}]; ok {
					p = prev.segs[a.seg].rows[a.i]
				}
				put(i, Notify(in.g.def.Notify, p, r, e.req.AsOf))
				continue
			}
			if j := sg.place(i); j >= 0 && j == pg.place(i) && j < was.n {
				if !kept || j != i {
					put(i, was.of(j))
				}
				continue
			}
			if j := sg.place(i); !same && j >= 0 && j == pg.place(i) && mr != nil && j < mr.notes.n && mr.since != nil &&
				r == mr.at.rows[j] && pg.rows[i] == mr.since.rows[j] {
				// The last evaluation's very rows at both instants: its
				// notifications, at this instant.
				put(i, restampNotes(mr.notes.of(j), e.req.AsOf))
				continue
			}
			put(i, Notify(in.g.def.Notify, pg.rows[i], r, e.req.AsOf))
		}
		if kept {
			notes = was
		}
		out[k] = notes
	}
	return out
}

// rowNotes are the notifications of each of the n rows of an instance at
// AsOf: at[i] those of row i, and at nil while none has any (most
// instances at most reports: no list of n empty entries is made).
type rowNotes struct {
	n  int
	at [][]Notification
}

// of returns the notifications of row i.
func (rn *rowNotes) of(i int) []Notification {
	if rn.at == nil {
		return nil
	}
	return rn.at[i]
}

// set sets the notifications of row i, making the list for the first row
// that has any.
func (rn *rowNotes) set(i int, ns []Notification) {
	if rn.at == nil {
		if len(ns) == 0 {
			return
		}
		rn.at = make([][]Notification, rn.n)
	}
	rn.at[i] = ns
}

// restampNotes returns notifications as of the instant at: ns themselves
// when there are none, copies otherwise.
func restampNotes(ns []Notification, at time.Time) []Notification {
	if len(ns) == 0 {
		return ns
	}
	out := slices.Clone(ns)
	for i := range out {
		out[i].At = at
	}
	return out
}

// uniqueKeys reports whether no two subjects of an instance share an id.
func uniqueKeys(insts []*inst) bool {
	for _, in := range insts {
		ss := in.measured()
		sorted := true // of one kind, by id: a repeat is next to its first
		for i := 1; i < len(ss) && sorted; i++ {
			sorted = ss[i].kind == ss[0].kind && ss[i-1].id < ss[i].id
		}
		if sorted {
			continue
		}
		seen := make(map[string]bool, len(ss))
		for _, s := range ss {
			if seen[s.id] {
				return false
			}
			seen[s.id] = true
		}
	}
	return true
}

func (e *evaluator) rowName(goal string) string {
	if g, ok := e.s.byID[goal]; ok && g.def.Name != "" {
		return g.def.Name
	}
	return goal
}

// restated is the notification of a correction applied to a closed result.
func restated(c Correction, name string, at time.Time) Notification {
	return Notification{
		Key:  notificationKey(NotifyRestated, c.Goal, c.Participant, c.Period, numText(c.Before.Actual)+"->"+numText(c.After.Actual)),
		Kind: NotifyRestated, Goal: c.Goal, Participant: c.Participant, ParticipantKind: c.ParticipantKind, Period: c.Period,
		PeriodStart: c.PeriodStart, PeriodEnd: c.PeriodEnd, At: at, Status: c.After.Status,
		Actual: c.After.Actual, Target: c.After.Target, Before: c.Before.Actual,
		Message: fmt.Sprintf("%q for %s in %s was restated: %s, was %s", name, c.Participant, c.Period, numText(c.After.Actual), numText(c.Before.Actual)),
	}
}

func sortNotifications(s *Set, ns []Notification) {
	kindOrder := func(k NotifyKind) int {
		if i := slices.Index(notifyKinds, k); i >= 0 {
			return i
		}
		return len(notifyKinds)
	}
	goalOrder := func(id string) int {
		if g, ok := s.byID[id]; ok {
			return g.index
		}
		return -1
	}
	slices.SortStableFunc(ns, func(a, b Notification) int {
		return cmp.Or(cmp.Compare(goalOrder(a.Goal), goalOrder(b.Goal)), cmp.Compare(a.PeriodStart, b.PeriodStart),
			strings.Compare(a.Participant, b.Participant), cmp.Compare(kindOrder(a.Kind), kindOrder(b.Kind)), strings.Compare(a.Key, b.Key))
	})
}
