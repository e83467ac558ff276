package sqlcoretest

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"reflect"
	"regexp"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

const (
	crashBatches   = 24
	crashBatchSize = 250
)

// crashInput is the ingest: batches of event versions with corrections and
// retractions, each batch with an idempotency key.
func crashInput() []*kpi.TrackBatch {
	r := rand.New(rand.NewPCG(7, 11))
	at := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	var out []*kpi.TrackBatch
	for i := range crashBatches {
		b := &kpi.TrackBatch{Ledger: []kpi.TrackRecord{{Key: fmt.Sprintf("input-%d", i)}}}
		for range crashBatchSize {
			e := kpi.Event{ID: fmt.Sprintf("e%d", r.IntN(5000))}
			if r.IntN(20) == 0 {
				e.Deleted = true
			} else {
				e.Kind = []string{"deal.won", "deal.created"}[r.IntN(2)]
				e.Time = at.Add(time.Duration(r.IntN(30*24*3600)) * time.Second)
				e.Actor = fmt.Sprintf("u%d", r.IntN(20))
				e.Amount = decimal.NewNullDecimal(decimal.New(r.Int64N(1_000_000), -2))
				e.Currency = "RUB"
			}
			b.Events = append(b.Events, e)
		}
		out = append(out, b)
	}
	return out
}

func crashSet(t testing.TB) (*kpi.Set, kpi.Request) {
	cal, err := period.LoadCalendar("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "won", Kinds: []string{"deal.won"}, Aggregate: "count"},
		{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: "sum", Value: "amount"},
		{ID: "created", Kinds: []string{"deal.created"}, Aggregate: "count"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return set, kpi.Request{Calendar: cal, Periods: []period.Period{cal.Containing(period.Month, date.New(2025, 3, 1))}}
}

// crashIngest restores a tracker from s's track store and applies the whole
// crash-test input, skipping batches already committed. The crash test's
// child process runs it, and then the test itself, after the kill.
func crashIngest(t testing.TB, s *sqlcore.Store) {
	ctx := context.Background()
	ts, err := s.TrackStore()
	if err != nil {
		t.Fatal(err)
	}
	// A killed ingest leaves its lease behind: a short one, that the
	// restart waits out.
	ts.SetLease(300 * time.Millisecond)
	set, req := crashSet(t)
	tr, err := set.Track(ctx, req, ts)
	for wait := time.Now().Add(5 * time.Second); errors.Is(err, kpi.ErrStoreInUse) && time.Now().Before(wait); {
		time.Sleep(50 * time.Millisecond)
		tr, err = set.Track(ctx, req, ts)
	}
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	for _, b := range crashInput() {
		if err := tr.Commit(ctx, b); err != nil && !errors.Is(err, kpi.ErrDuplicateKey) {
			t.Fatal(err)
		}
	}
}

// crashAt is the variable of the environment that tells TestCrash it runs
// in the child process, and where the child's database is.
const crashAt = "GOALKIT_CRASH_AT"

// TestCrash starts a child process that ingests into the database at
// where(t), kills it with SIGKILL in the middle of the ingest, runs the
// ingest again on the same database with the same input, and checks that
// nothing is lost or counted twice: every input batch is committed exactly
// once, and the restored tracker's results equal an uninterrupted in-memory
// tracker's. open(t, at) opens the database at at (a file, a URL) for
// the test. The child is the test binary again, running the calling test
// alone (so call TestCrash from a top-level test) with GOALKIT_CRASH_AT
// set: there TestCrash opens that database and ingests until it is killed.
func TestCrash(t *testing.T, open func(t testing.TB, at string) *sqlcore.Store, where func(t testing.TB) string) {
	if at := os.Getenv(crashAt); at != "" {
		crashIngest(t, open(t, at))
		return
	}
	ctx := context.Background()
	at := where(t)
	s := open(t, at)
	child := exec.Command(os.Args[0], "-test.run=^"+regexp.QuoteMeta(t.Name())+"$", "-test.count=1")
	child.Env = append(os.Environ(), crashAt+"="+at)
	child.Stdout, child.Stderr = os.Stderr, os.Stderr
	if err := child.Start(); err != nil {
		t.Fatal(err)
	}
	count := func() int {
		n := 0
		_ = s.DB().QueryRowContext(ctx, "SELECT count(*) FROM goalkit_track_batches").Scan(&n)
		return n
	}
	deadline := time.Now().Add(60 * time.Second)
	for count() < crashBatches/4 && time.Now().Before(deadline) {
		time.Sleep(2 * time.Millisecond)
	}
	if err := child.Process.Kill(); err != nil {
		t.Fatal(err)
	}
	_ = child.Wait()
	committed := count()
	if committed == 0 || committed >= crashBatches {
		t.Fatalf("killed after %d of %d batches: not in the middle", committed, crashBatches)
	}
	t.Logf("killed after %d of %d batches", committed, crashBatches)

	crashIngest(t, s) // restart, re-apply the same input

	ts, _ := s.TrackStore()
	keys := map[string]int{}
	if err := ts.Load(ctx, func(b *kpi.TrackBatch) error {
		for _, r := range b.Ledger {
			keys[r.Key]++
		}
		return nil
	}); err != nil {
		t.Fatal(err)
	}
	for i := range crashBatches {
		if n := keys[fmt.Sprintf("input-%d", i)]; n != 1 {
			t.Fatalf("input batch %d committed %d times", i, n)
		}
	}
	set, req := crashSet(t)
	restored, err := set.Track(ctx, req, ts)
	if err != nil {
		t.Fatal(err)
	}
	defer restored.Close()
	if _, err := set.Track(ctx, req, ts); !errors.Is(err, kpi.ErrStoreInUse) {
		t.Fatalf("a second tracker on the store: got %v, want an error matching ErrStoreInUse", err)
	}
	ref, err := set.Track(ctx, req, nil)
	if err != nil {
		t.Fatal(err)
	}
	for _, b := range crashInput() {
		if err := ref.Commit(ctx, b); err != nil {
			t.Fatal(err)
		}
	}
	got, err := restored.Result(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	want, err := ref.Result(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if len(want.Rows()) == 0 {
		t.Fatal("the reference has no rows")
	}
	if !reflect.DeepEqual(got.Rows(), want.Rows()) {
		t.Fatalf("after the crash and restart:\n got %v\nwant %v", got.Rows(), want.Rows())
	}
}
