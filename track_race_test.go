package goalkit_test

import (
	"context"
	"errors"
	"math/rand/v2"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
)

// A tracker on a store that keeps snapshots, applied one version at a
// time (its columns copied aside from the first row on) while dashboards
// ask for the same report at once (shared computations, some of their
// callers giving up), ticks run and snapshots are written: every report
// succeeds or ends with its caller's context, the last report is a fresh
// evaluation's, and a tracker started again on the store (from the
// latest snapshot and the batches after it) reports the same.
func TestTrackerSharedReportsBesideSnapshotsAndTicks(t *testing.T) {
	defer func(n int) { colstore.AsideRows = n }(colstore.AsideRows)
	colstore.AsideRows = 1
	ctx := context.Background()
	plan := compile(t, parseDef(t, racePlan))
	store := memory.NewTrackStore()
	tr := startTrackerOn(t, plan, store)
	loc := plan.Calendar().Location()
	start := time.Date(2025, 3, 3, 0, 0, 0, 0, loc)
	at := start.Add(20 * 24 * time.Hour)

	var wg sync.WaitGroup
	stop := make(chan struct{})
	var reports, gaveUp atomic.Int64
	for w := range 4 {
		wg.Go(func() {
			rng := rand.New(rand.NewPCG(uint64(w), 3))
			for {
				select {
				case <-stop:
					return
				default:
				}
				rctx, cancel := context.WithCancel(ctx)
				if rng.IntN(4) == 0 {
					// Give up at once, or a little later.
					if rng.IntN(2) == 0 {
						cancel()
					} else {
						time.AfterFunc(time.Duration(rng.IntN(200))*time.Microsecond, cancel)
					}
				}
				_, err := tr.Report(rctx, at)
				cancel()
				switch {
				case err == nil:
					reports.Add(1)
				case errors.Is(err, context.Canceled) && rctx.Err() != nil:
					gaveUp.Add(1)
				default:
					t.Errorf("report: %v", err)
					return
				}
			}
		})
	}
	wg.Go(func() {
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
			}
			if err := tr.Indicators().Snapshot(ctx); err != nil {
				t.Errorf("snapshot: %v", err)
				return
			}
			if _, err := tr.Tick(ctx, start.Add(time.Duration(i%30)*12*time.Hour)); err != nil {
				t.Errorf("tick: %v", err)
				return
			}
			time.Sleep(time.Millisecond)
		}
	})
	rng := rand.New(rand.NewPCG(1, 2))
	for i := 0; i < 3000 || reports.Load()+gaveUp.Load() < 300 && i < 30000; i++ {
		if err := tr.Apply(ctx, raceEvent(rng, i, start)); err != nil {
			t.Fatal(err)
		}
	}
	close(stop)
	wg.Wait()
	if t.Failed() {
		return
	}
	t.Logf("%d reports, %d given up", reports.Load(), gaveUp.Load())

	recs, err := trackerRecords(tr)
	if err != nil {
		t.Fatal(err)
	}
	opts := []goalkit.EvalOption{goalkit.WithRecords(recs...)}
	rep := sameAsFresh(t, plan, tr, at, opts, nil, "the last report")
	rep2, err := restartTracker(t, plan, tr, store).Report(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	if d := freshDiff(t, rep2, rep); d != "" {
		t.Fatalf("the tracker started again reports otherwise:\n%s", d)
	}
}

// flakyStore is a track store whose Commit fails every third call,
// storing nothing, as a store that lost its connection does.
type flakyStore struct {
	*memory.TrackStore
	mu    sync.Mutex
	calls int
}

var errFlaky = errors.New("store unavailable")

func (s *flakyStore) Commit(ctx context.Context, b *kpi.TrackBatch) error {
	s.mu.Lock()
	s.calls++
	fail := s.calls%3 == 0
	s.mu.Unlock()
	if fail {
		return errFlaky
	}
	return s.TrackStore.Commit(ctx, b)
}

// A batch the store fails to commit is taken back (the tracker's state
// rebuilt from its log) while its columns are copied aside and reports
// read it: the reports after it all are those of the batches committed,
// and a tracker started again on the store reports the same.
func TestTrackerRollbacksBesideCopiesAndReports(t *testing.T) {
	defer func(n int) { colstore.AsideRows = n }(colstore.AsideRows)
	colstore.AsideRows = 1
	ctx := context.Background()
	plan := compile(t, parseDef(t, racePlan))
	store := &flakyStore{TrackStore: memory.NewTrackStore()}
	tr := startTrackerOn(t, plan, store)
	start := time.Date(2025, 3, 3, 0, 0, 0, 0, plan.Calendar().Location())
	at := start.Add(20 * 24 * time.Hour)
	stop := enginetest.ReadLoop(2, func() error { _, err := tr.Report(ctx, at); return err })
	rng := rand.New(rand.NewPCG(5, 6))
	var kept []kpi.Event
	failed := 0
	for i := range 2000 {
		n := 1 + rng.IntN(3)
		var batch []kpi.Event
		for range n {
			batch = append(batch, raceEvent(rng, i, start))
		}
		switch err := tr.Apply(ctx, batch...); {
		case err == nil:
			kept = append(kept, batch...)
		case errors.Is(err, errFlaky):
			failed++
		default:
			stop()
			t.Fatal(err)
		}
	}
	if err := stop(); err != nil {
		t.Fatalf("report: %v", err)
	}
	t.Logf("%d batches failed", failed)
	loc := plan.Calendar().Location()
	want := mustEvaluate(t, plan, storeOf(t, loc, kept...), at)
	got := mustReport(t, tr, at)
	if d := freshDiff(t, got, want); d != "" {
		t.Fatalf("the report differs from an evaluation of the batches committed:\n%s", d)
	}
	got2, err := restartTracker(t, plan, tr, store.TrackStore).Report(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	if d := freshDiff(t, got2, want); d != "" {
		t.Fatalf("the tracker started again differs:\n%s", d)
	}
}

// racePlan is the plan of the race tests: calls counted and deals summed,
// a weekly goal of every caller that closes itself and notifies, and a
// monthly one of four users and the company.
const racePlan = `timezone: Europe/Berlin
indicators:
  - id: calls
    kinds: [call]
    aggregate: count
  - id: won
    kinds: [deal]
    aggregate: sum
    value: amount
report: {grain: week, from: 2025-03-03, to: 2025-04-07}
goals:
  - id: g
    indicator: calls
    target: 6
    period: {from: 2025-03-03, every: week}
    participants: {company: true, mode: each}
    notify: [{on: achieved}, {on: at_risk}]
    close: {auto: true, after_days: 1}
  - id: h
    indicator: won
    target: 500
    period: {from: 2025-03-01, every: month}
    participants: {users: [anna, bob, cleo, dan], company: true}
`

// raceEvent draws the version of the i-th apply of a race test: a call or
// a deal of one of four users within five weeks of start, now and then a
// retraction, of an id among the i+5 first.
func raceEvent(rng *rand.Rand, i int, start time.Time) kpi.Event {
	id := strconv.Itoa(rng.IntN(i + 5))
	if rng.IntN(10) == 0 {
		return kpi.Event{ID: id, Deleted: true}
	}
	actors := []string{"anna", "bob", "cleo", "dan"}
	e := kpi.Event{ID: id, Actor: actors[rng.IntN(len(actors))], Time: start.Add(time.Duration(rng.IntN(35*24*60)) * time.Minute)}
	if rng.IntN(2) == 0 {
		e.Kind = "call"
	} else {
		e.Kind, e.Amount = "deal", decimalOf(int64(rng.IntN(300)))
	}
	return e
}
