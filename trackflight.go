package goalkit

import (
	"context"
	"errors"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalstats"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/score"
)

// Reports that several goroutines ask a tracker for at once (dashboards
// polling the same instant) are computed once for all of them, as a
// database commits the transactions that wait for a disk write in one
// group: a report asked for while the same report is computed waits for
// the next computation, which starts when the one under way ends and is
// shared by every caller that asked in between. A report therefore still
// holds every Apply that returned before it was asked for, and callers
// that ask together cost about one report: they wait, they do not take
// the processor time that the writer needs.
//
// Only reports that differ by nothing but the caller are shared: the same
// instant (the same location too) and the same participant options
// (WithParticipants, WithOnlyParticipant), or none. Each caller gets a
// Report of its own (its parts and their lists are its own; what the
// lists point to, such as goal rows, is shared, as goal rows are between
// reports one after the other).

// reportFlights are the shared report computations of a tracker, by what
// they compute; mu guards them and every flight's fields.
type reportFlights struct {
	mu sync.Mutex
	by map[flightKey]*flightSlot
	// off: every report is computed for its caller alone (for tests).
	off bool
}

// flightKey is what a shared report is computed for.
type flightKey struct {
	sec          int64 // the instant: Unix seconds and nanoseconds (UnixNano
	nsec         int32 // wraps for instants past 2262)
	loc          *time.Location
	only         string // WithOnlyParticipant
	participants string // WithParticipants, joined by NUL
	workers      int    // WithWorkers: how many goroutines the computation scans with
}

// flightSlot holds the computation under way of one key, and the next
// one, which callers join until it starts.
type flightSlot struct {
	running, pending *flight
}

// flight is one computation of a report.
type flight struct {
	done    chan struct{} // closed when the report is computed
	waiting int           // callers waiting for its report
	ended   bool
	rep     *Report
	err     error
	// gaveUp: the computing caller's context ended the computation, which
	// the callers waiting for it do again.
	gaveUp bool
}

// errFlightPanicked is the error of the callers that waited for a report
// whose computation panicked (in the computing caller's goroutine).
var errFlightPanicked = errors.New("report: the computation shared with this call panicked")

// flightKeyOf returns the key under which a report as of asOf with opts
// is shared, if it is: when opts add nothing but participants.
func flightKeyOf(asOf time.Time, opts []EvalOption) (flightKey, bool) {
	extra := added(opts)
	if !participantsOnly(extra) {
		return flightKey{}, false
	}
	return flightKey{sec: asOf.Unix(), nsec: int32(asOf.Nanosecond()), loc: asOf.Location(), only: extra.goals.only,
		participants: strings.Join(extra.req.Participants, "\x00"), workers: extra.req.Workers}, true
}

// do returns the report of k: computed by compute, or by a computation
// that starts after this call and is shared with other callers.
func (fs *reportFlights) do(ctx context.Context, k flightKey, compute func(context.Context) (*Report, error)) (*Report, error) {
	if fs.off {
		return compute(ctx)
	}
	for {
		f, mine := fs.join(k)
		if mine {
			return fs.run(ctx, k, f, compute)
		}
		rep, err, again := fs.wait(ctx, k, f, compute)
		if !again {
			return rep, err
		}
	}
}

// join returns the flight of k that the caller takes part in: a new one
// it computes at once (mine) when none is under way, or else the next one,
// which it waits for.
func (fs *reportFlights) join(k flightKey) (f *flight, mine bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if fs.by == nil {
		fs.by = map[flightKey]*flightSlot{}
	}
	s := fs.by[k]
	if s == nil {
		s = &flightSlot{}
		fs.by[k] = s
	}
	if s.running == nil && s.pending == nil {
		s.running = &flight{done: make(chan struct{})}
		return s.running, true
	}
	if s.pending == nil {
		s.pending = &flight{done: make(chan struct{})}
	}
	s.pending.waiting++
	return s.pending, false
}

// wait waits for the flight f of k: while it is pending, for the one
// under way, after which the first waiter to wake starts f (with its own
// context) and the others wait for it. again: f's computation ended with
// its caller's context, and the caller asks again.
func (fs *reportFlights) wait(ctx context.Context, k flightKey, f *flight, compute func(context.Context) (*Report, error)) (rep *Report, err error, again bool) {
	fs.mu.Lock()
	for !f.ended {
		s := fs.by[k]
		if s.pending == f && s.running == nil {
			s.running, s.pending = f, nil
			f.waiting--
			fs.mu.Unlock()
			rep, err := fs.run(ctx, k, f, compute)
			return rep, err, false
		}
		next := f.done
		if s.pending == f {
			next = s.running.done
		}
		fs.mu.Unlock()
		select {
		case <-next:
		case <-ctx.Done():
			fs.leave(k, f)
			return nil, ctx.Err(), false
		}
		fs.mu.Lock()
	}
	f.waiting--
	rep, err, gaveUp := f.rep, f.err, f.gaveUp
	fs.mu.Unlock()
	if gaveUp && ctx.Err() == nil {
		return nil, nil, true
	}
	if err != nil {
		return nil, err, false
	}
	return rep.own(), nil, false
}

// leave takes a caller whose context ended off the flight f of k; a
// pending flight nobody waits for any more goes.
func (fs *reportFlights) leave(k flightKey, f *flight) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	f.waiting--
	s := fs.by[k]
	if f.waiting == 0 && s != nil && s.pending == f {
		s.pending = nil
		if s.running == nil {
			delete(fs.by, k)
		}
	}
}

// run computes the flight f of k, which the caller has started, and
// hands its report to the callers waiting for it. The caller gets the
// report computed when nobody waits for it, a Report of its own otherwise.
func (fs *reportFlights) run(ctx context.Context, k flightKey, f *flight, compute func(context.Context) (*Report, error)) (rep *Report, err error) {
	ended := false
	defer func() {
		if !ended {
			fs.end(k, f, nil, errFlightPanicked, false)
		}
	}()
	rep, err = compute(ctx)
	ended = true
	if shared := fs.end(k, f, rep, err, err != nil && ctx.Err() != nil); shared && err == nil {
		return rep.own(), nil
	}
	return rep, err
}

// end records the result of the flight f of k and wakes those waiting
// for it (and for the next flight); shared reports whether some wait for
// its report.
func (fs *reportFlights) end(k flightKey, f *flight, rep *Report, err error, gaveUp bool) (shared bool) {
	fs.mu.Lock()
	f.rep, f.err, f.gaveUp, f.ended = rep, err, gaveUp, true
	shared = f.waiting > 0
	if s := fs.by[k]; s != nil && s.running == f {
		s.running = nil
		if s.pending == nil {
			delete(fs.by, k)
		}
	}
	fs.mu.Unlock()
	close(f.done)
	return shared
}

// own returns a Report of the caller's own with r's contents: the report
// and its parts are copies, their lists too; what the lists point to (goal
// rows, trees, the entries of a scorecard) is shared, and r is left as it
// is, for the other callers.
func (r *Report) own() *Report {
	out := *r
	out.Values = ownPart(r.Values, func(v *kpi.Result) {
		v.Unpriced, v.Warnings = slices.Clone(v.Unpriced), slices.Clone(v.Warnings)
	})
	out.Scores = ownPart(r.Scores, func(s *score.Scores) {
		s.Scorecards, s.Bonuses, s.Leaderboards = slices.Clone(s.Scorecards), slices.Clone(s.Bonuses), slices.Clone(s.Leaderboards)
		s.Badges, s.Competitions = slices.Clone(s.Badges), slices.Clone(s.Competitions)
	})
	out.Goals = ownPart(r.Goals, func(g *goal.Result) {
		g.Rows, g.Notifications, g.Corrections = slices.Clone(g.Rows), slices.Clone(g.Notifications), slices.Clone(g.Corrections)
	})
	out.Cascade = ownPart(r.Cascade, func(c *cascade.Result) {
		c.Trees, c.Issues = slices.Clone(c.Trees), slices.Clone(c.Issues)
	})
	out.GoalStats = ownPart(r.GoalStats, func(g *goalstats.Result) {
		g.ByGoal, g.ByType, g.ByKind = slices.Clone(g.ByGoal), slices.Clone(g.ByType), slices.Clone(g.ByKind)
		g.ByTeam, g.ByPeriod, g.Correlations = slices.Clone(g.ByTeam), slices.Clone(g.ByPeriod), slices.Clone(g.Correlations)
	})
	out.Changes = slices.Clone(r.Changes)
	return &out
}

// ownPart returns a copy of the part p (nil for nil) with its lists
// copied by clone.
func ownPart[T any](p *T, clone func(*T)) *T {
	if p == nil {
		return nil
	}
	c := *p
	clone(&c)
	return &c
}
