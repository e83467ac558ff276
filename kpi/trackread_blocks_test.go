package kpi_test

import (
	"context"
	"errors"
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
	"pgregory.net/rapid"
)

// failingStore is a TrackStore whose Commit fails while fail is set: the
// tracker rolls the batch back (after applying it to its own state).
type failingStore struct {
	kpi.TrackStore
	fail atomic.Bool
}

var errCommit = errors.New("commit refused")

func (s *failingStore) Commit(ctx context.Context, b *kpi.TrackBatch) error {
	if s.fail.Load() {
		return errCommit
	}
	return s.TrackStore.Commit(ctx, b)
}

// TestTrackerReadersAcrossTellChunks is TestTrackerReadersDuringApplies
// with batches around the size of the chunks a follower is told of (1,023 to
// 1,025 versions, and longer, beside single events), batches the store
// refuses after the tracker applied them (rolled back, then applied
// again), refused batches, and readers that start late: every read equals
// the batch evaluation of the whole batches its follower was told of, no
// fewer than those committed when it started, and still holds what it held
// when it was read after every later read (results share the rows of
// their periods that stayed the same); the last read equals the batch
// evaluation of everything.
func TestTrackerReadersAcrossTellChunks(t *testing.T) {
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
		var store *failingStore
		var ts kpi.TrackStore
		if rapid.Bool().Draw(t, "store") {
			store = &failingStore{TrackStore: memory.NewTrackStore()}
			ts = store
		}
		tr, err := set.Track(ctx, req, ts)
		if err != nil {
			t.Fatal(err)
		}
		defer tr.Close()
		var fol follower
		tr.Follow(fol.note)
		// Copies of one drawn stream under other ids, so that the
		// versions run past several blocks.
		base := genStream(t, cal, periods)
		if len(base) == 0 {
			t.Skip("no versions")
		}
		var stream []kpi.Event
		for c := 0; len(stream) < 2600 && len(base) > 0; c++ {
			for _, e := range base {
				e.ID = fmt.Sprintf("%s.%d", e.ID, c)
				stream = append(stream, e)
			}
		}
		var batches [][]kpi.Event
		for len(stream) > 0 {
			n := rapid.SampledFrom([]int{1, 1, 2, 1023, 1024, 1025, 1500}).Draw(t, "batch")
			n = min(n, len(stream))
			batches = append(batches, stream[:n])
			stream = stream[n:]
		}
		want := []*kpi.Result{batchOf(t, set, req, nil)}
		ends := []int{0}
		var applied []kpi.Event
		for _, b := range batches {
			applied = append(applied, b...)
			want = append(want, batchOf(t, set, req, applied))
			ends = append(ends, len(applied))
		}
		var done atomic.Int64
		type read struct {
			from, told int
			res        *kpi.Result
			text       string // the result when read
		}
		var (
			mu    sync.Mutex
			reads []read
		)
		readOnce := func() error {
			from := int(done.Load())
			var r read
			err := tr.ReadResult(ctx, time.Time{}, func(res *kpi.Result, _ *kpi.Table) error {
				r = read{from: from, told: fol.told(), res: res, text: fmt.Sprint(res.Rows(), res.Warnings, res.Unpriced)}
				return nil
			})
			if err != nil {
				return err
			}
			mu.Lock()
			reads = append(reads, r)
			mu.Unlock()
			return nil
		}
		lateReaders := rapid.IntRange(0, len(batches)-1).Draw(t, "readers start after")
		var stop func() error
		for i, b := range batches {
			if i == lateReaders {
				stop = enginetest.ReadLoop(2, readOnce)
			}
			if store != nil && rapid.IntRange(0, 3).Draw(t, "refused by the store") == 0 {
				store.fail.Store(true)
				if err := tr.Apply(ctx, b...); !errors.Is(err, errCommit) {
					t.Fatalf("a batch the store refused: %v", err)
				}
				store.fail.Store(false)
			}
			if i%4 == 2 {
				bad := append(slices.Clone(b), kpi.Event{ID: "refused", Kind: "a", Actor: "u1"})
				if err := tr.Apply(ctx, bad...); err == nil {
					t.Fatal("a batch with an event without a time was applied")
				}
			}
			if err := tr.Apply(ctx, b...); err != nil {
				t.Fatal(err)
			}
			done.Add(1)
			if rapid.Bool().Draw(t, "pause") {
				time.Sleep(100 * time.Microsecond)
			}
		}
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		if err := readOnce(); err != nil {
			t.Fatal(err)
		}
		for _, r := range reads {
			j := slices.Index(ends, r.told)
			if j < 0 || j < r.from {
				t.Fatalf("a read started after %d of %d batches was told of %d versions, not the whole batches since (ends %v)", r.from, len(batches), r.told, ends)
			}
			if got := fmt.Sprint(r.res.Rows(), r.res.Warnings, r.res.Unpriced); got != r.text {
				t.Fatalf("a result read after %d versions changed after later reads:\n%s\nwas\n%s", r.told, got, r.text)
			}
			if !equalResults(r.res, want[j]) {
				t.Fatalf("a read told of the first %d batches differs from their batch evaluation", j)
			}
		}
		sameResult(t, "after", must(t)(tr.Result(ctx, time.Time{})), want[len(batches)])
		if fol.told() != len(applied) {
			t.Fatalf("the follower was told of %d versions, %d were applied", fol.told(), len(applied))
		}
		for i, e := range applied {
			if f := fol.applied[i]; f.ID != e.ID || f.Deleted != e.Deleted || !f.Time.Equal(e.Time) || f.Actor != e.Actor {
				t.Fatalf("version %d told as %+v, applied %+v", i, f, e)
			}
		}
	})
}
