package goal

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// TickState is what a live tracker remembers from one tick to the next.
type TickState struct {
	// Last is the instant of the previous tick; zero when there was none.
	Last time.Time
	// Emitted reports whether a notification key was emitted before (the
	// host's ledger holds it); nil means that none was.
	Emitted func(key string) bool
	// EmittedAt, when not nil, tells the instant a key emitted before was
	// told at (its Notification.At; false when unknown). A first tick (Last
	// zero) judges an achievement emitted before only at instants not
	// before it: before it, what reached the achievement is not in yet (a
	// host that ticks a fresh tracker as of an earlier instant than its
	// last call, or on a clock behind another notifier's).
	EmittedAt func(key string) (time.Time, bool)
}

// toldAfter reports whether key is known to have been told after asOf.
func (st *TickState) toldAfter(key string, asOf time.Time) bool {
	if st.EmittedAt == nil {
		return false
	}
	at, ok := st.EmittedAt(key)
	return ok && at.After(asOf)
}

// TickResult is the outcome of Set.Tick.
type TickResult struct {
	AsOf time.Time
	// Notifications are those not emitted before, each once.
	Notifications []Notification
	// Records are the results this tick closed (goals that close
	// automatically), for the host to store and pass back in
	// Request.Records.
	Records []Record
}

// tickChunk is how many judged instants one read of the source serves.
const tickChunk = 32

// Tick moves the goal instances that overlap [req.From, req.To) to the
// instant req.AsOf, for a live tracker, and returns what happened since the
// previous tick (st.Last): the notifications not emitted before, and the
// records of the instances that close automatically and have closed, each
// taken as of its close with the versions known then (a later version is a
// correction of it, whenever the tick that closes it comes).
//
// A tick judges the instances at a series of instants: every day boundary
// (a local midnight, and the last instant of a local day) after the one at
// or before the previous tick, up to req.AsOf, and req.AsOf itself. The
// progress at each instant is compared (Notify) with the progress at the
// boundary before it, starting from the progress at the previous tick's
// boundary, so every transition crossed between two ticks is noticed,
// whatever the rate of the ticks: milestone_reached, achieved,
// deadline_approaching on the day it applies, failed at the end of the
// period, period_closed at the close. The kinds whose key holds a date
// (at_risk, back_on_track, daily_digest) are judged at day boundaries only:
// at_risk and back_on_track compare consecutive boundaries, and the digest of
// a day comes from its midnight. The other kinds are judged at req.AsOf
// too, so they fire as soon as a tick sees them.
//
// The result does not depend on when the earlier ticks happened: with the
// same events, the keys emitted by ticks up to an instant T are those
// emitted by ticks at every day boundary up to T and at the same instants;
// when the ticks happen at day boundaries, or when the goals' values only
// grow (counts and sums of non-negative amounts, higher is better), they are
// those of ticks at every day boundary and at T alone.
//
// Without a previous tick, the tick starts from req.Since when it is set,
// and otherwise from nothing: every instance is judged from its start, so a
// first tick reports at_risk for participants who are behind, the
// milestones already reached, and so on, as a tracker that ticked from the
// start would have. Before its period starts an instance emits nothing, and
// its first progress after the start is compared with nothing. The progress
// at the previous tick's boundary counts the event versions known at the
// previous tick (its KnownAt), so a late event that changed the past emits
// its transitions at the next tick: one whose Known is after the previous
// tick. A version without a Known is always known, to the previous tick
// too, and a late one's transitions are never told.
//
// An instance whose achieved notification was emitted (st.Emitted) and that
// is no longer achieved emits achievement_revoked (judged at every instant
// after st.Last, or at req.AsOf alone without a previous tick, which cannot
// tell when the achievement was emitted); a correction applied to a
// closed result under restate emits restated. Notifications are listed in
// the order of the instants that saw them (those of one instant as Evaluate
// lists them), then the restatements and the closings; st.Emitted keys are
// left out and no key is listed twice.
//
// A tick evaluates the goals once per judged instant: at most two per day
// crossed since the previous tick, up to the end (and the close) of the
// last instance, and two more; a first tick from nothing, or a tick after a
// long pause, replays every day since. Instances are evaluated only where
// they may change: from their start, until time alone no longer changes
// them. req.KnownAt must be zero. Tick is safe for concurrent use; the
// host serialises the ticks that share a ledger.
func (s *Set) Tick(ctx context.Context, tab *kpi.Table, req Request, st TickState) (*TickResult, error) {
	if req.To <= req.From {
		return nil, fmt.Errorf("goal: request to (%s) must be after from (%s)", req.To, req.From)
	}
	if !req.KnownAt.IsZero() {
		return nil, errors.New("goal: a tick counts the event versions known now: the request must not set KnownAt")
	}
	req.Series = false
	e, err := s.newEvaluator(ctx, tab, &req)
	if err != nil {
		return nil, err
	}
	type instance struct {
		g *Goal
		p period.Period
		// settled is when time alone stops changing the instance: its end,
		// its automatic close, its records' closing.
		settled time.Time
	}
	var all []instance
	var first, horizon date.Date
	for _, g := range s.goals {
		ps, err := g.Instances(s.cal, req.From, req.To)
		if err != nil {
			return nil, fmt.Errorf("%s.period: %w", g.path, err)
		}
		for _, p := range ps {
			if len(all) == 0 || p.Start < first {
				first = p.Start
			}
			end := p.End
			if g.def.Close.Auto {
				end += date.Date(g.def.Close.AfterDays)
			}
			horizon = max(horizon, end)
			settled := s.cal.Midnight(end)
			for _, r := range req.Records {
				if r.Goal == g.def.ID && r.PeriodStart == p.Start && r.PeriodEnd == p.End && r.ClosedAt.After(settled) {
					settled = r.ClosedAt
				}
			}
			all = append(all, instance{g: g, p: p, settled: settled})
		}
	}
	out := &TickResult{AsOf: req.AsOf}
	if len(all) == 0 {
		return out, nil
	}
	// Transitions are told from the previous tick on, and never from
	// before req.Since (a host that starts notifying from a go-live date).
	from := st.Last
	if req.Since.After(from) {
		from = req.Since
	}
	steps := tickSteps(s.cal, from, req.AsOf, req.Since, first, horizon)

	emitted := st.Emitted
	if emitted == nil {
		emitted = func(string) bool { return false }
	}
	listed := map[string]bool{}
	add := func(ns []Notification) {
		for _, n := range ns {
			// Nothing from before req.Since: a restatement or a close
			// noticed by a tick before it, or dated before it.
			if listed[n.Key] || emitted(n.Key) || n.At.Before(req.Since) {
				continue
			}
			listed[n.Key] = true
			out.Notifications = append(out.Notifications, n)
		}
	}
	type rowKey struct {
		goal, participant string
		p                 period.Period
	}
	prev := map[rowKey]*Row{}
	// judge compares the rows at a step with those at the step before. The
	// rows of the instances left out at the step (kept) stand as they were.
	judge := func(stp step, rows []*Row, kept map[instKey]bool) {
		next := make(map[rowKey]*Row, len(rows))
		for k, r := range prev {
			if kept[instKey{k.goal, k.p}] {
				next[k] = r
			}
		}
		var ns []Notification
		for _, r := range rows {
			if !r.Started {
				continue
			}
			k := rowKey{r.Goal, r.Participant, r.Period}
			next[k] = r
			if stp.baseline {
				continue
			}
			for _, n := range Notify(s.byID[r.Goal].def.Notify, prev[k], r, stp.v.asOf) {
				if stp.grid || !dated(n.Kind) {
					ns = append(ns, n)
				}
			}
			if r.Status == Achieved || r.State == StateDraft {
				continue
			}
			// An achievement emitted before this tick is judged at every
			// instant after the previous tick; a first tick (a host that
			// ticks a fresh tracker over its ledger) judges it at asOf
			// alone, and only when it was told at asOf or before.
			ak := notificationKey(NotifyAchieved, r.Goal, r.Participant, r.Label, "")
			if listed[ak] || emitted(ak) && (!st.Last.IsZero() || stp.v.asOf.Equal(req.AsOf) && !st.toldAfter(ak, req.AsOf)) {
				n := r.notification(NotifyAchievementRevoked, "", stp.v.asOf)
				n.Key = string(NotifyAchievementRevoked) + "|" + ak
				ns = append(ns, n)
			}
		}
		sortNotifications(s, ns)
		add(ns)
		prev = next
	}

	var final []*Row
	var corrections []Correction
	cur := e
	for lo := 0; lo < len(steps); lo += tickChunk {
		chunk := steps[lo:min(lo+tickChunk, len(steps))]
		if lo > 0 {
			cur = cur.fork()
		}
		insts := make([][]*inst, len(chunk))
		kept := make([]map[instKey]bool, len(chunk))
		for i, stp := range chunk {
			kept[i] = map[instKey]bool{}
			// An instance that has not started is compared with nothing, so
			// it is left out, as are, but at the last step, those of goals
			// that emit nothing (drafts, no rules); one that time no longer
			// changes is left out of the day boundaries after one that saw
			// it settled.
			j := lo + i
			settledBefore := func(x instance) bool {
				return stp.grid && j+1 < len(steps) && j > 0 && steps[j-1].grid && !steps[j-1].v.asOf.Before(x.settled)
			}
			for _, x := range all {
				quiet := len(x.g.def.Notify) == 0 || x.g.def.State == StateDraft
				if stp.v.asOf.Before(s.cal.Midnight(x.p.Start)) || (quiet && j+1 < len(steps)) {
					continue
				}
				if settledBefore(x) {
					kept[i][instKey{x.g.def.ID, x.p}] = true
					continue
				}
				in, err := cur.instance(x.g, x.p)
				if err != nil {
					return nil, err
				}
				insts[i] = append(insts[i], in)
			}
			cur.pass(insts[i], stp.v, false, true)
		}
		if !cur.f.needed() {
			for i, stp := range chunk {
				judge(stp, nil, kept[i])
			}
			continue
		}
		err := func() error {
			for i, stp := range chunk {
				for _, in := range insts[i] {
					if in.dynamic {
						cur.resolveDynamicAt(in, tab, stp.v)
					}
				}
			}
			if err := cur.f.run(ctx, tab); err != nil {
				return err
			}
			clear(cur.targets)
			for i, stp := range chunk {
				ps := cur.pass(insts[i], stp.v, false, true)
				judge(stp, ps.rows, kept[i])
				if lo+i == len(steps)-1 {
					final, corrections = ps.rows, ps.compact()
				}
			}
			return nil
		}()
		if err != nil {
			return nil, err
		}
	}
	var rs []Notification
	for _, c := range corrections {
		if c.Applied {
			rs = append(rs, restated(c, e.rowName(c.Goal), req.AsOf))
		}
	}
	add(rs)

	// Close the instances that close automatically and have closed, unless
	// every participant has a record already.
	have := map[recordKey]bool{}
	for k := range e.records {
		have[k] = true
	}
	for _, x := range all {
		g := x.g
		if !g.def.Close.Auto || g.def.State == StateDraft || req.AsOf.Before(e.closeAt(g, x.p)) {
			continue
		}
		open := false
		for _, r := range final {
			if r.Goal == g.def.ID && r.Period == x.p && !have[recordKey{goal: r.Goal, participant: r.Participant, start: x.p.Start, end: x.p.End}] {
				open = true
				break
			}
		}
		if !open {
			continue
		}
		// The instance closed at its automatic close, with what was known
		// then (or at the previous tick, when that came after the close),
		// whenever the tick that notices it comes: a version known after
		// it is a correction of the closed result, as for a tracker that
		// ticked right at the close. A first tick counts every version
		// known now: nothing was seen before it (a tracker started after
		// the close, with history applied since).
		at := e.closeAt(g, x.p)
		creq := req
		creq.AsOf, creq.Values, creq.Memo, creq.Only = at, nil, nil, ""
		creq.KnownAt = req.AsOf
		if !st.Last.IsZero() {
			creq.KnownAt = at
			if st.Last.After(at) {
				creq.KnownAt = st.Last
			}
		}
		cl, err := s.Close(ctx, tab, creq, g.def.ID, x.p)
		if err != nil {
			return nil, err
		}
		for _, r := range cl.Records {
			if !have[r.key()] {
				have[r.key()] = true
				out.Records = append(out.Records, r)
			}
		}
		add(cl.Notifications)
	}
	return out, nil
}

// instKey names a goal instance.
type instKey struct {
	goal string
	p    period.Period
}

// step is an instant a tick judges.
type step struct {
	v variant
	// baseline is the progress a tick starts from: compared with, not
	// judged.
	baseline bool
	// grid is a day boundary: a local midnight or the last instant of a
	// local day.
	grid bool
}

// tickSteps returns the instants a tick at asOf judges, after a previous
// tick (or a start) at from: the day boundary at or before from, or since
// when that is later (the baseline, known as at from), the day boundaries
// after it up to asOf, and
// asOf. The boundaries are those of the days [first, horizon]: before first
// nothing has started, after horizon nothing changes with time alone. A
// baseline before first is left out, since nothing is compared with a
// progress that has not started.
func tickSteps(cal *period.Calendar, from, asOf, since time.Time, first, horizon date.Date) []step {
	if asOf.Before(from) && !from.IsZero() {
		// Before the instant transitions are told from: the instances as
		// they are, and nothing judged.
		return []step{{v: variant{asOf: asOf}, baseline: true}}
	}
	var steps []step
	var after time.Time
	if !from.IsZero() {
		after = boundaryAtOrBefore(cal, from)
		if after.Before(since) {
			// Since inside a day: the progress at Since is the baseline,
			// so nothing crossed before it is told.
			after = since
		}
		if !after.Before(cal.Midnight(first)) {
			steps = append(steps, step{v: variant{asOf: after, knownAt: from}, baseline: true})
		}
	}
	d := first
	if !after.IsZero() {
		d = max(d, cal.Date(after))
	}
	for ; d <= horizon; d++ {
		m := cal.Midnight(d)
		if m.After(asOf) {
			break
		}
		for _, x := range [2]time.Time{m, cal.Midnight(d + 1).Add(-time.Nanosecond)} {
			if (after.IsZero() || x.After(after)) && !x.After(asOf) {
				steps = append(steps, step{v: variant{asOf: x}, grid: true})
			}
		}
	}
	if n := len(steps); n == 0 || steps[n-1].baseline || !steps[n-1].v.asOf.Equal(asOf) {
		steps = append(steps, step{v: variant{asOf: asOf}})
	}
	return steps
}

// boundaryAtOrBefore returns the last day boundary at or before t: the last
// instant of t's day when t is that, else the midnight that began it.
func boundaryAtOrBefore(cal *period.Calendar, t time.Time) time.Time {
	d := cal.Date(t)
	if end := cal.Midnight(d + 1).Add(-time.Nanosecond); !t.Before(end) {
		return end
	}
	return cal.Midnight(d)
}

// dated reports whether a kind's key holds the local date of the change, so
// that it may fire again another day. A tick judges such kinds at day
// boundaries only.
func dated(k NotifyKind) bool {
	return k == NotifyAtRisk || k == NotifyBackOnTrack || k == NotifyDailyDigest
}

// fork returns an evaluator with the same request, directory and records
// and a fresh fetcher that knows the participants and groups of e's.
func (e *evaluator) fork() *evaluator {
	f := newFetcher(e.f.views, e.f.base)
	f.lean = e.f.lean
	maps.Copy(f.users, e.f.users)
	maps.Copy(f.groups, e.f.groups)
	c := *e
	c.f = f
	c.targets = map[targetKey]decimal.NullDecimal{}
	c.closedIn = [2]map[string]date.Date{}
	return &c
}
