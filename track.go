package goalkit

import (
	"context"
	"encoding/json"
	"fmt"
	"hash/fnv"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// Tracker is the live counterpart of Plan.Evaluate: events are applied as
// they arrive (Apply), the indicator values are kept up to date
// incrementally (kpi.Tracker), and Tick moves goals along in time and emits
// each notification once. Reports equal Plan.Evaluate over the same event
// versions.
//
// The host's kpi.TrackStore keeps the event versions, the ledger of emitted
// notification keys and the closed goal results; a Tracker started again on
// the same store restores all of them and does not emit again what was
// emitted before.
//
// A Tracker is safe for concurrent use. Reports see the events of whole
// Apply calls: every Apply that returned before the report started, and
// perhaps later ones. Reports do not hold up Apply: once the two meet,
// they read a replica of the events that catches up with the batches
// applied (see kpi.Tracker); callers asking at once for the same report
// share one computation (see Report). Ticks are serialised.
type Tracker struct {
	plan *Plan
	kt   *kpi.Tracker
	opts []EvalOption
	// groups are those the live values are evaluated for.
	groups []org.Group
	tick   sync.Mutex // serialises Tick
	// memo carries the goals' work from one report to the next (nil when
	// the plan has no goals), for the closed results of closedSum; mu
	// guards closedSum and a change of memo. The kpi tracker tells it of
	// each batch as its reads take the batch in (kpi.Tracker.Follow),
	// without the lock.
	mu        sync.Mutex
	memo      atomic.Pointer[goal.Memo]
	closedSum uint64
	// flights share the computations of reports asked for at once.
	flights reportFlights
	// applies counts the Apply calls; seen is the count when the last
	// report started (see besideWriter).
	applies, seen atomic.Uint64
}

// tickKey is the closed-record key under which Tick keeps the instant of the
// last tick, so that a restarted tracker notices the transitions since then.
const tickKey = "goalkit.tick"

// recordPrefix starts the keys of closed goal records.
const recordPrefix = "goal.record|"

// Track returns a live tracker of the plan over store (nil: state kept in
// memory only), started from the events of WithSeed when it is given.
// Options are those of Evaluate but WithKnownAt (a report's option); the
// periods, participants, groups and rates they give hold for the tracker's
// life. A directory (WithDirectory) is read again at each report and tick:
// once its teams' members differ from those at Track, a report evaluates
// its values over the tracker's events, as Evaluate does, rather than take
// the live ones (slower; a tracker started again takes the new teams live).
// What Evaluate would refuse whatever the instant (goals that name teams
// without WithDirectory, a team the directory does not have, a scorecard's
// members_of group, a pool's team or a leaderboard's department that is not
// a group of the evaluation) fails here, before anything is tracked.
func (p *Plan) Track(ctx context.Context, store kpi.TrackStore, opts ...EvalOption) (*Tracker, error) {
	c := p.config(time.Time{}, opts)
	if !c.req.KnownAt.IsZero() {
		// The live values count every version applied, and Tick reports
		// the transitions of what is known at each tick: a tracker as of
		// a fixed knowledge instant would be neither. AsKnownAt and a
		// report's own WithKnownAt give that view.
		return nil, fmt.Errorf("goalkit: Track: WithKnownAt is an option of a report (Report, AsKnownAt), not of a tracker")
	}
	if err := p.loadOrg(ctx, &c); err != nil {
		return nil, err
	}
	if p.goals != nil {
		if err := p.goals.Check(ctx, p.goalRequest(time.Time{}, &c)); err != nil {
			return nil, err
		}
	}
	if !p.scoring.Empty() {
		if err := p.scoring.Check(p.scoreRequest(&c)); err != nil {
			return nil, err
		}
	}
	kt, err := p.indicators.Track(ctx, c.req, store)
	if err != nil {
		return nil, err
	}
	if c.seed != nil {
		if err := p.seed(ctx, kt, c.seed); err != nil {
			_ = kt.Close()
			return nil, err
		}
	}
	t := &Tracker{plan: p, kt: kt, opts: opts, groups: c.req.Groups}
	if p.goals != nil {
		t.memo.Store(new(goal.Memo))
		kt.Follow(t.note)
	}
	return t, nil
}

// Close releases the tracker's store for another tracker (a store that is a
// kpi.TrackLocker admits one tracker at a time).
func (t *Tracker) Close() error { return t.kt.Close() }

// Plan returns the plan the tracker tracks: the one Track was called on.
func (t *Tracker) Plan() *Plan { return t.plan }

// Indicators returns the tracker of the indicator values. Events applied
// to it directly count in the reports as those of Apply do.
func (t *Tracker) Indicators() *kpi.Tracker { return t.kt }

// Apply applies event versions (new events, corrections, retractions) as one
// batch, whole or not at all. Each event's Known says when it became known
// (zero: always); AsKnownAt replays by it, and Tick compares with the
// progress the versions known at the previous tick made. Give a version
// that arrives live the instant it arrived, as the service and the
// scale-out do: one without, dated before the previous tick, counts as
// known then, as if that tick had seen it, and the transitions it makes
// (achieved, a milestone) are never told. It does not wait for the
// reports under way. A store's failure to commit the batch comes back as
// kpi.Tracker.Commit says (StoreFailure): the batch may be sent again.
func (t *Tracker) Apply(ctx context.Context, events ...kpi.Event) error {
	t.applies.Add(1)
	return t.kt.Apply(ctx, events...)
}

// besideWriter reports whether Apply was called since the last report
// started: a report then scans with a goroutine fewer than GOMAXPROCS,
// leaving a core to the writer (unless WithWorkers says how many).
func (t *Tracker) besideWriter() bool {
	n := t.applies.Load()
	return t.seen.Swap(n) != n
}

// note tells the goals' Memo of versions the reports' events take in, with
// those they replaced (kpi.Tracker.Follow): exactly the batches the state a
// report reads holds, never one it has not applied.
func (t *Tracker) note(applied, replaced []kpi.Event) {
	t.memo.Load().Note(applied, replaced)
}

// Report returns the report as of asOf: the same as Plan.Evaluate over the
// applied events. Indicator values come from the live aggregates; goals,
// scorecards and cascades are evaluated over the tracker's events, with the
// closed results committed by Tick. Goals read the live values where those
// hold what they need, and a report computes again only the goal rows whose
// events changed since the previous one, and those of periods not over at
// both instants that an event, record or mark between the two instants
// may change, or over at both that read a record of their goal closed
// between them (their own, or an earlier period's: Previous, YearAgo, a
// next target); the others of those periods only the clock moved are
// retimed (goal.Memo): the rows its Goals.Rows points to are shared
// with the reports before and after it and must not be modified (the slice
// is the caller's); a report never changes once returned. Options add to
// the tracker's for this report
// only: WithSeries, say, when a chart needs the daily series (a report with
// options other than WithParticipants and WithOnlyParticipant computes every
// goal row); WithOnlyParticipant computes the goal rows of one participant,
// and of the others only those whose events changed since the last full
// report (a full report, kept, narrowed at the end, when there is none or
// it is many versions behind). Options
// that change what the indicators are evaluated with (WithKnownAt,
// WithRates, WithPeriods, WithGroups, a participant the live values do not
// have) evaluate the values over the tracker's events for this report, so
// that values and goals agree.
//
// Callers asking at once for the same report (the same instant and
// participant options, or none) share its computation: a call made while
// the report is computed waits for the next computation, which starts
// after it and serves every call made in between; each gets a Report of
// its own, whose parts and lists it may change (what the lists point to,
// goal rows and the like, it must not). A report made while the tracker
// is written (Apply was called since the last report started) scans with
// a goroutine fewer than GOMAXPROCS, leaving a core to the writer, unless
// WithWorkers says how many.
func (t *Tracker) Report(ctx context.Context, asOf time.Time, opts ...EvalOption) (*Report, error) {
	if err := needAsOf("Tracker.Report", "asOf", asOf); err != nil {
		return nil, err
	}
	if k, ok := flightKeyOf(asOf, opts); ok {
		return t.flights.do(ctx, k, func(ctx context.Context) (*Report, error) {
			return t.report(ctx, asOf, opts)
		})
	}
	return t.report(ctx, asOf, opts)
}

// report computes the report of Report.
func (t *Tracker) report(ctx context.Context, asOf time.Time, opts []EvalOption) (*Report, error) {
	base, sum, err := t.withRecords()
	if err != nil {
		return nil, err
	}
	c := t.plan.config(asOf, append(base, opts...))
	if t.besideWriter() && c.req.Workers == 0 {
		c.req.Workers = max(1, runtime.GOMAXPROCS(0)-1)
	}
	extra := added(opts)
	if participantsOnly(extra) {
		c.memo = t.memoFor(sum)
	}
	if err := t.plan.loadOrg(ctx, &c); err != nil {
		return nil, err
	}
	var rep *Report
	if !sameRequest(extra) || !sameGroups(c.req.Groups, t.groups) {
		// The values are evaluated over the table for this report: its
		// options ask for other values than the live ones, or the
		// directory's teams changed since Track (the live values hold
		// the teams as they were then).
		err = t.kt.ReadTable(ctx, func(tab *kpi.Table) error {
			var err error
			rep, err = t.plan.report(ctx, tab, nil, &c)
			return err
		})
		return rep, err
	}
	err = t.kt.ReadResult(ctx, asOf, func(res *kpi.Result, tab *kpi.Table) error {
		if holdsAll(res, extra.req.Participants) {
			c.values = &goal.Values{Result: res, AsOf: asOf, Groups: t.groups}
		} else {
			res = nil
		}
		var err error
		rep, err = t.plan.report(ctx, tab, res, &c)
		return err
	})
	return rep, err
}

// memoFor returns the goals' Memo for the closed results of sum: a new
// one when they changed.
func (t *Tracker) memoFor(sum uint64) *goal.Memo {
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.memo.Load() != nil && t.closedSum != sum {
		t.memo.Store(new(goal.Memo))
		t.closedSum = sum
	}
	return t.memo.Load()
}

// participantsOnly reports whether c, what a report's options set (added),
// adds nothing but participants to the tracker's options, or narrows the
// goals to one (which leave the goals as they are).
func participantsOnly(c evalConfig) bool {
	c.req.Participants = nil
	c.req.Workers = 0 // how many goroutines scan changes no value
	c.goals.only = ""
	return reflect.ValueOf(c).IsZero()
}

// sameRequest reports whether c, what a report's options set (added),
// leaves what the indicators are evaluated with (known at, rates, periods,
// groups…) as the tracker's options have it,
// participants aside: only then do the live values answer the report.
// (Otherwise they would count other versions, or convert at other rates,
// than the goals of the same report.)
func sameRequest(c evalConfig) bool {
	c.req.Participants = nil
	c.req.Workers = 0
	return reflect.ValueOf(c.req).IsZero()
}

// sameGroups reports whether a and b are the same groups with the same
// dated members.
func sameGroups(a, b []org.Group) bool {
	return slices.EqualFunc(a, b, func(x, y org.Group) bool {
		return x.ID == y.ID && slices.Equal(x.Members, y.Members) && slices.Equal(x.Spans, y.Spans)
	})
}

// holdsAll reports whether res has a row for each of participants (added
// by a report's WithParticipants; rows of participants without events are
// what Evaluate adds).
func holdsAll(res *kpi.Result, participants []string) bool {
	if len(participants) == 0 {
		return true
	}
	have := res.Participants()
	for _, p := range participants {
		if !slices.Contains(have, p) {
			return false
		}
	}
	return true
}

// added is what opts set, alone.
func added(opts []EvalOption) evalConfig {
	var c evalConfig
	for _, o := range opts {
		o(&c)
	}
	return c
}

// AsKnownAt returns the report as it was at the instant at: only the event
// versions known then count, and only the goal results closed by then. A
// later correction to a period closed by then follows its goal's policy
// (freeze, or restate with before and after) in the current Report, not here.
func (t *Tracker) AsKnownAt(ctx context.Context, at time.Time) (*Report, error) {
	if err := needAsOf("Tracker.AsKnownAt", "at", at); err != nil {
		return nil, err
	}
	src, recs, err := t.knownAt(ctx, at)
	if err != nil {
		return nil, err
	}
	opts := append(t.opts[:len(t.opts):len(t.opts)], WithRecords(recs...))
	return t.plan.Evaluate(ctx, src, at, opts...)
}

// knownAt returns the source of the event versions known at the instant
// at and the goal records closed by then.
func (t *Tracker) knownAt(ctx context.Context, at time.Time) (kpi.TableSource, []goal.Record, error) {
	src, err := t.kt.SourceAt(ctx, at)
	if err != nil {
		return nil, nil, err
	}
	recs, _, err := t.records(at)
	if err != nil {
		return nil, nil, err
	}
	return src, recs, nil
}

// closing takes the lock of a change of the goals' lifecycle (Tick,
// CloseGoal: one at a time, beside reports and applies) and returns the
// tracker's options with the goal results closed so far; done releases
// the lock.
func (t *Tracker) closing() (opts []EvalOption, done func(), err error) {
	t.tick.Lock()
	done = t.tick.Unlock
	opts, _, err = t.withRecords()
	return opts, done, err
}

// withRecords returns the tracker's options with the goal results closed
// so far (WithRecords), and their sum (records).
func (t *Tracker) withRecords() ([]EvalOption, uint64, error) {
	recs, sum, err := t.records(time.Time{})
	if err != nil {
		return nil, 0, err
	}
	return append(t.opts[:len(t.opts):len(t.opts)], WithRecords(recs...)), sum, nil
}

// records decodes the closed goal results committed (closed by until, when
// it is not zero), with a sum of hashes of all of them that changes when
// one does.
func (t *Tracker) records(until time.Time) ([]goal.Record, uint64, error) {
	var out []goal.Record
	var sum uint64
	h := fnv.New64a()
	for k, data := range t.kt.Closed() {
		if !strings.HasPrefix(k, recordPrefix) {
			continue
		}
		h.Reset()
		h.Write([]byte(k))
		h.Write([]byte{0})
		h.Write(data)
		sum += h.Sum64()
		var r goal.Record
		if err := json.Unmarshal(data, &r); err != nil {
			return nil, 0, fmt.Errorf("closed record %q: %w", k, err)
		}
		if until.IsZero() || !r.ClosedAt.After(until) {
			out = append(out, r)
		}
	}
	return out, sum, nil
}

// Tick moves the plan's goals to the instant asOf without any event, with
// goal.Set.Tick: every transition crossed since the previous tick is
// noticed once, whatever the rate of the ticks (deadline_approaching,
// failed at the end of a period, milestones, at_risk and the others, judged
// at every day boundary in between), goals that ended without reaching
// their target turn failed, instances of goals that close automatically are
// closed (their results recorded for the freeze/restate policies), and
// goals whose achieved notification was emitted but that are no longer
// achieved emit achievement_revoked. A first tick starts from the instant
// of WithNotificationsSince when Track was given it, and otherwise from the
// start of every instance: it reports, say, at_risk for participants who
// are already behind. No tick tells a transition before the instant of
// WithNotificationsSince: a tick before it tells nothing. A first tick over
// a ledger seeded by the host (WithSeed over a store holding keys emitted
// before) takes back an achievement only at an instant not before the one
// it was told at, when the ledger holds the notification's JSON.
//
// It returns the notifications not emitted before, each once: their keys
// are committed to the store with the closed results and the instant of the
// tick in one batch, so a restarted tracker neither emits them again nor
// misses what happened while it was down. The keys are committed before
// Tick returns: a host that crashes before delivering them finds each
// notification, as JSON, under its key in the store's ledger. Host clocks
// call Tick at any rate; asOf comes from the host. A tick at an instant
// before the previous tick's ticks at the previous tick's instant: time
// does not run back for the goals, and what was told stays told.
// TickCommitted ticks and says what the tick committed. An instant
// outside the years 1678 to 2261, in which the stores keep instants (as
// int64 nanoseconds), is refused naming it, before anything is ticked:
// the tick would commit it as its instant, and the records and
// notifications would hold it.
func (t *Tracker) Tick(ctx context.Context, asOf time.Time) ([]goal.Notification, error) {
	c, err := t.advance(ctx, "Tracker.Tick", asOf)
	return c.Notifications, err
}

// Committed is what one write of a tracker's goals (TickCommitted,
// CloseGoal) committed to its store, in one batch, which a restarted
// tracker reads back and replays none of; the zero Committed: nothing was
// committed, and the store holds what it held before.
type Committed struct {
	// Records are the results of closed goal instances committed: those
	// not closed before (a close sent again commits none).
	Records []goal.Record
	// Notifications are the notifications committed to the ledger: those
	// not emitted before, each once.
	Notifications []goal.Notification
	// Tick is the instant a tick committed as its own, the next tick's
	// starting point (in UTC); zero when it committed none: a tick at or
	// before the last tick's instant, and every CloseGoal. A tick that
	// commits only its instant changes no report.
	Tick time.Time
}

// TickCommitted is Tick, and says all that the tick committed: the
// notifications Tick returns, the records of the goals it closed and its
// instant. A host that keeps anything beside the tracker's store (a
// snapshot of it, a cache of its reports) reads there whether the tick
// changed more than the time: a tick that closed goals without a
// notification left a batch that a restart replays unless a snapshot
// covers it.
func (t *Tracker) TickCommitted(ctx context.Context, asOf time.Time) (Committed, error) {
	return t.advance(ctx, "Tracker.TickCommitted", asOf)
}

// advance is Tick, named as the caller (name) in its refusal of the zero
// instant and of one its store cannot keep.
func (t *Tracker) advance(ctx context.Context, name string, asOf time.Time) (Committed, error) {
	if err := needKept(name, "asOf", asOf); err != nil {
		return Committed{}, err
	}
	gs := t.plan.goals
	if gs == nil {
		return Committed{}, nil
	}
	opts, done, err := t.closing()
	defer done()
	if err != nil {
		return Committed{}, err
	}
	var last time.Time
	if data, ok := t.kt.Closed()[tickKey]; ok {
		if err := last.UnmarshalText(data); err != nil {
			return Committed{}, fmt.Errorf("last tick: %w", err)
		}
	}
	if asOf.Before(last) {
		// What the last tick told stays told: a tick back in time (a
		// clock stepped back, two tickers whose calls cross) ticks at the
		// last tick's instant, which still tells what changed since it.
		asOf = last
	}
	c := t.plan.config(asOf, opts)
	if err := t.plan.loadOrg(ctx, &c); err != nil {
		return Committed{}, err
	}
	// The keys emitted before, read before the table: the tick reads the
	// tracker's table under its lock and must not take it again.
	emitted := t.emitted()
	var res *goal.TickResult
	err = t.kt.ReadTable(ctx, func(tab *kpi.Table) error {
		var err error
		res, err = gs.Tick(ctx, tab, t.plan.goalRequest(asOf, &c), goal.TickState{Last: last,
			Emitted:   func(key string) bool { _, ok := emitted[key]; return ok },
			EmittedAt: func(key string) (time.Time, bool) { return toldAt(emitted[key]) }})
		return err
	})
	if err != nil {
		return Committed{}, err
	}
	var ledger, closed []kpi.TrackRecord
	for i := range res.Records {
		r := &res.Records[i]
		data, err := json.Marshal(r)
		if err != nil {
			return Committed{}, err
		}
		closed = append(closed, kpi.TrackRecord{Key: recordKey(r), Data: data})
	}
	for _, n := range res.Notifications {
		data, err := json.Marshal(n)
		if err != nil {
			return Committed{}, err
		}
		ledger = append(ledger, kpi.TrackRecord{Key: n.Key, Data: data})
	}
	out := Committed{Records: res.Records, Notifications: res.Notifications}
	if asOf.After(last) {
		// In UTC: RFC 3339 has no seconds in an offset, and the text of
		// an instant in a zone whose offset has them (a local mean time,
		// a host's time.FixedZone) is its wall clock with the offset cut
		// to the minute, another instant.
		data, err := asOf.UTC().MarshalText()
		if err != nil {
			return Committed{}, err
		}
		closed = append(closed, kpi.TrackRecord{Key: tickKey, Data: data})
		out.Tick = asOf.UTC()
	}
	if len(ledger) > 0 || len(closed) > 0 {
		if err := t.kt.Commit(ctx, &kpi.TrackBatch{Ledger: ledger, Closed: closed}); err != nil {
			return Committed{}, err
		}
	}
	return out, nil
}

// needKept is needAsOf for a write of a tracker's goals (a tick, a close),
// which commits asOf to its store (the tick's instant, a record's
// closed_at, a notification's at): an instant outside the years 1678 to
// 2261 is refused as well, which the stores (an SQL store's int64
// nanoseconds) cannot keep or read back. A report reads there freely: it
// commits nothing.
func needKept(fn, arg string, asOf time.Time) error {
	if err := needAsOf(fn, arg, asOf); err != nil {
		return err
	}
	if !colstore.InYears(asOf) {
		return fmt.Errorf("goalkit: %s: %s %s is outside the years 1678 to 2261 in which a tracker's store keeps instants: give one inside them (a clock that reads so is set wrong)", fn, arg, asOf.Format(time.RFC3339Nano))
	}
	return nil
}

// emitted returns the notification keys committed to the ledger, with
// what each holds (the notification as JSON; nil for a key a host seeded
// alone).
func (t *Tracker) emitted() map[string][]byte {
	out := map[string][]byte{}
	t.kt.LedgerRange(func(key string, data []byte) bool {
		out[key] = data
		return true
	})
	return out
}

// toldAt is the instant a ledger entry's notification was told at (its
// At), false when the entry holds none.
func toldAt(data []byte) (time.Time, bool) {
	var n goal.Notification
	if len(data) == 0 || json.Unmarshal(data, &n) != nil || n.At.IsZero() {
		return time.Time{}, false
	}
	return n.At, true
}

func recordKey(r *goal.Record) string {
	return recordPrefix + r.Goal + "|" + r.Participant + "|" + r.PeriodStart.String() + "|" + r.PeriodEnd.String()
}
