package kpi_test

import (
	"context"
	"fmt"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestTrackerReadsStayPut: the tracker keeps the values it read and
// recomputes only what later batches change; a Result read earlier never
// changes afterwards (rows of it are shared with later ones), each read
// equals a batch evaluation of the versions applied so far, and a view of
// a result is the result's rows.
func TestTrackerReadsStayPut(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		set, req := drawTracking(t)
		batches := drawBatches(t, req)
		tr, err := set.Track(ctx, req, nil)
		if err != nil {
			t.Fatal(err)
		}
		type read struct {
			res  *kpi.Result
			text string
		}
		var reads []read
		var applied []kpi.Event
		for _, b := range batches {
			if err := tr.Apply(ctx, b.Events...); err != nil {
				t.Fatal(err)
			}
			applied = append(applied, b.Events...)
			for range rapid.IntRange(0, 2).Draw(t, "reads") {
				res := must(t)(tr.Result(ctx, time.Time{}))
				sameResult(t, "read", res, batchOf(t, set, req, applied))
				reads = append(reads, read{res, fmt.Sprint(res.Rows(), res.Warnings, res.Unpriced)})
				view := res.View(func(p string) bool { return p != "u1" })
				for _, row := range view.Rows() {
					if row.By != nil || row.Other {
						continue // a breakdown's
					}
					if v, ok := res.Value(row.Indicator, row.Participant, row.Period); !ok || !sameValue(v, row.Value) || row.Participant == "u1" {
						t.Fatalf("view: %+v, the result has %v", row, v)
					}
				}
			}
			for i, r := range reads {
				if got := fmt.Sprint(r.res.Rows(), r.res.Warnings, r.res.Unpriced); got != r.text {
					t.Fatalf("read %d changed after later batches:\n%s\nwas\n%s", i, got, r.text)
				}
			}
		}
	})
}

// mismatch is the Fatalf of sameResult when a difference is a finding, not
// a failure: it stops the comparison.
type mismatch struct{}

func (mismatch) Fatalf(format string, args ...any) { panic(mismatch{}) }

// equalResults reports whether two results hold the same values
// (sameResult's comparison).
func equalResults(got, want *kpi.Result) (same bool) {
	defer func() {
		if r := recover(); r != nil {
			if _, ok := r.(mismatch); !ok {
				panic(r)
			}
			same = false
		}
	}()
	sameResult(mismatch{}, "", got, want)
	return true
}

// propRates is rateFor as the rates of a request.
var propRates = kpi.RatesFunc(func(_ context.Context, from, to string, on date.Date) (decimal.Decimal, bool, error) {
	r, ok := rateFor(from, to, on.Day())
	return r, ok, nil
})

// follower keeps what a tracker's Follow told it.
type follower struct {
	mu                sync.Mutex
	applied, replaced []kpi.Event
}

func (f *follower) note(applied, replaced []kpi.Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.applied = append(f.applied, applied...)
	f.replaced = append(f.replaced, replaced...)
}

// told returns how many versions the follower was told of.
func (f *follower) told() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.applied)
}

// TestTrackerReadersDuringApplies applies random batches (new events,
// corrections, retractions; some batches refused) while three goroutines
// read the values in a loop, through the tracker's own state or its
// replica, with or without a store: every read equals a batch evaluation
// of the first j whole batches, for a j no smaller than the batches applied
// when the read started, and exactly of the versions the tracker's
// follower was told of when the read took place (ReadResult); the
// follower is told each version once, in order, with the live version it
// replaced, as a map of the ids computes it.
func TestTrackerReadersDuringApplies(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		cal := goalkittest.Calendars().Draw(t, "calendar")
		periods := []period.Period{cal.Containing(period.Week, date.New(2025, 10, 26))}
		periods = append(periods, cal.Next(periods[0]))
		set, err := kpi.Compile(genDefs(t), kpi.Env{Attributes: propAttrs})
		if err != nil {
			t.Fatalf("compile: %v", err)
		}
		req := kpi.Request{Calendar: cal, Periods: periods, Rates: propRates}
		var store kpi.TrackStore
		if rapid.Bool().Draw(t, "store") {
			store = memory.NewTrackStore()
		}
		tr, err := set.Track(ctx, req, store)
		if err != nil {
			t.Fatal(err)
		}
		var fol follower
		tr.Follow(fol.note)
		if rapid.Bool().Draw(t, "replica from the start") {
			kpi.ShareReads(tr)
		}
		stream := genStream(t, cal, periods)
		var batches [][]kpi.Event
		for len(stream) > 0 {
			n := rapid.IntRange(1, min(5, len(stream))).Draw(t, "batch")
			batches = append(batches, stream[:n])
			stream = stream[n:]
		}
		// want[j]: the batch evaluation of the first j batches; ends[j]:
		// the versions in them.
		want := []*kpi.Result{batchOf(t, set, req, nil)}
		ends := []int{0}
		var applied []kpi.Event
		for _, b := range batches {
			applied = append(applied, b...)
			want = append(want, batchOf(t, set, req, applied))
			ends = append(ends, len(applied))
		}
		var done atomic.Int64 // batches applied
		type read struct {
			from, told int
			res        *kpi.Result
		}
		var (
			mu    sync.Mutex
			reads []read
		)
		stop := enginetest.ReadLoop(3, func() error {
			from := int(done.Load())
			var r read
			err := tr.ReadResult(ctx, time.Time{}, func(res *kpi.Result, _ *kpi.Table) error {
				r = read{from: from, told: fol.told(), res: res}
				return nil
			})
			if err != nil {
				return err
			}
			mu.Lock()
			reads = append(reads, r)
			mu.Unlock()
			if _, err := tr.Result(ctx, time.Time{}); err != nil {
				return err
			}
			return nil
		})
		for i, b := range batches {
			if i%3 == 1 {
				bad := []kpi.Event{b[0], {ID: "refused", Kind: "a", Actor: "u1"}}
				if err := tr.Apply(ctx, bad...); err == nil {
					t.Fatal("a batch with an event without a time was applied")
				}
			}
			if err := tr.Apply(ctx, b...); err != nil {
				t.Fatal(err)
			}
			done.Add(1)
			time.Sleep(time.Duration(rapid.IntRange(0, 200).Draw(t, "pause µs")) * time.Microsecond)
		}
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		for _, r := range reads {
			j := slices.Index(ends, r.told)
			if j < 0 || j < r.from {
				t.Fatalf("a read started after %d of %d batches was told of %d versions, not the whole batches since", r.from, len(batches), r.told)
			}
			if !equalResults(r.res, want[j]) {
				t.Fatalf("a read told of the first %d batches differs from their batch evaluation", j)
			}
		}
		sameResult(t, "after", must(t)(tr.Result(ctx, time.Time{})), want[len(batches)])
		// What the follower was told, checked against a map of the ids.
		if fol.told() != len(applied) {
			t.Fatalf("the follower was told of %d versions, %d were applied", fol.told(), len(applied))
		}
		live := map[string]kpi.Event{}
		for i, e := range applied {
			if fol.applied[i].ID != e.ID || fol.applied[i].Deleted != e.Deleted || !fol.applied[i].Time.Equal(e.Time) || fol.applied[i].Actor != e.Actor {
				t.Fatalf("version %d told as %+v, applied %+v", i, fol.applied[i], e)
			}
			old, ok := live[e.ID]
			if got := fol.replaced[i]; got.ID != old.ID || ok && (got.Actor != old.Actor || got.Kind != old.Kind || !got.Time.Equal(old.Time)) {
				t.Fatalf("version %d (%s) replaced %+v, told %+v", i, e.ID, old, got)
			}
			if e.Deleted {
				delete(live, e.ID)
			} else {
				live[e.ID] = e
			}
		}
	})
}

// BenchmarkTrackerApplyQueued is what the replica costs the writer: single
// events of the workload (5 % corrections, 2 % retractions) applied to a
// tracker that keeps no replica ("own"), and to one whose reads go to a
// replica ("queued"), which reads each version from the writer's table. Both
// are read every 4,096 versions with the timer stopped (the replica then
// catches up): only the writer's work is timed.
func BenchmarkTrackerApplyQueued(b *testing.B) {
	ctx := context.Background()
	set, req := workloadTracking(b)
	buf, err := goalkittest.Workload{N: 100_000, CorrectedPerMille: 50, RetractedPerMille: 20}.Draw()
	if err != nil {
		b.Fatal(err)
	}
	for _, queued := range []bool{false, true} {
		name := "own"
		if queued {
			name = "queued"
		}
		b.Run(name, func(b *testing.B) {
			for b.Loop() {
				tr, err := set.Track(ctx, req, nil)
				if err != nil {
					b.Fatal(err)
				}
				if queued {
					kpi.ShareReads(tr)
					if _, err := tr.Result(ctx, time.Time{}); err != nil {
						b.Fatal(err)
					}
				}
				var one [1]kpi.Event
				n := 0
				err = buf.Replay(func(e *kpi.Event) error {
					one[0] = *e
					if n++; n%4096 == 0 {
						b.StopTimer()
						if _, err := tr.Result(ctx, time.Time{}); err != nil {
							return err
						}
						b.StartTimer()
					}
					return tr.Apply(ctx, one[:]...)
				})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(buf.Len())/float64(b.N), "ns/version")
		})
	}
}

// An event passed to Apply alone is not copied to the heap (the variadic
// list stays on the caller's stack): applying one new event of the
// workload allocates only the tracker's amortised growth, on average
// less than one allocation, with a follower told of it, and with a
// replica that reads it from the writer's table.
func TestTrackerApplyOfOneEventDoesNotAllocateIt(t *testing.T) {
	ctx := context.Background()
	set, req := workloadTracking(t)
	events, err := goalkittest.Workload{N: 30_000}.Events()
	if err != nil {
		t.Fatal(err)
	}
	for _, replica := range []bool{false, true} {
		tr, err := set.Track(ctx, req, nil)
		if err != nil {
			t.Fatal(err)
		}
		tr.Follow(func(applied, replaced []kpi.Event) {})
		if replica {
			kpi.ShareReads(tr)
			if _, err := tr.Result(ctx, time.Time{}); err != nil {
				t.Fatal(err)
			}
		}
		i := 0
		apply := func() {
			if err := tr.Apply(ctx, events[i]); err != nil {
				t.Fatal(err)
			}
			i++
		}
		for range 10_000 {
			apply()
		}
		if got := testing.AllocsPerRun(10_000, apply); got >= 0.5 {
			t.Errorf("replica %v: %.2f allocations per event applied, want the tracker's growth only (< 0.5)", replica, got)
		}
		if err := tr.Close(); err != nil {
			t.Fatal(err)
		}
	}
}

// BenchmarkTrackerCatchUp is what a read of a tracker beside its writer
// costs per version applied since the last read: a tracker holding the
// first 100,000 versions of the workload (5 % corrections, 2 %
// retractions) with its replica built and a follower, then 100,000 more
// versions applied one at a time with the timer stopped, and the read of
// its table (ReadTable: the replica takes them in, the follower is told of
// them) timed. ns/version and B/version are the catch-up's, per version.
func BenchmarkTrackerCatchUp(b *testing.B) {
	ctx := context.Background()
	set, req := workloadTracking(b)
	buf, err := goalkittest.Workload{N: 200_000, CorrectedPerMille: 50, RetractedPerMille: 20}.Draw()
	if err != nil {
		b.Fatal(err)
	}
	const held = 100_000
	var versions int
	var one [1]kpi.Event
	b.ReportAllocs()
	for b.Loop() {
		b.StopTimer()
		tr, err := set.Track(ctx, req, nil)
		if err != nil {
			b.Fatal(err)
		}
		tr.Follow(func(applied, replaced []kpi.Event) {})
		n := 0
		err = buf.Replay(func(e *kpi.Event) error {
			if n++; n == held {
				kpi.ShareReads(tr)
				if err := tr.ReadTable(ctx, func(*kpi.Table) error { return nil }); err != nil {
					return err
				}
			}
			one[0] = *e
			return tr.Apply(ctx, one[:]...)
		})
		if err != nil {
			b.Fatal(err)
		}
		versions += n - held
		b.StartTimer()
		if err := tr.ReadTable(ctx, func(*kpi.Table) error { return nil }); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		tr.Close()
		b.StartTimer()
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(versions), "ns/version")
}

// TestTrackerReplicaKeepsNoIDOfItsCaller: a caller may reuse the bytes of
// an event's ID once Apply returned (a replayed workload does, as Import
// allows): a tracker read through its replica while such events are
// applied one at a time (5 % corrections, 2 % retractions) reads the same
// values as one that was never read beside its writer.
func TestTrackerReplicaKeepsNoIDOfItsCaller(t *testing.T) {
	ctx := context.Background()
	set, req := workloadTracking(t)
	buf, err := goalkittest.Workload{N: 20_000, CorrectedPerMille: 50, RetractedPerMille: 20}.Draw()
	if err != nil {
		t.Fatal(err)
	}
	own, err := set.Track(ctx, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	shared, err := set.Track(ctx, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	kpi.ShareReads(shared)
	must(t)(shared.Result(ctx, time.Time{}))
	n := 0
	err = buf.Replay(func(e *kpi.Event) error {
		if err := own.Apply(ctx, *e); err != nil {
			return err
		}
		if err := shared.Apply(ctx, *e); err != nil {
			return err
		}
		if n++; n%3000 == 0 {
			_, err := shared.Result(ctx, time.Time{}) // the replica catches up
			return err
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	sameResult(t, "replica", must(t)(shared.Result(ctx, time.Time{})), must(t)(own.Result(ctx, time.Time{})))
}
