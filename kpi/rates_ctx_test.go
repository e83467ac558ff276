package kpi_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// blockingRates answers EUR/USD 2 at once on the dates of fast, and on any
// other date waits until its context is done (or ten seconds: the
// lookup was not given the caller's context) and fails with the context's error.
type blockingRates struct {
	fast  map[date.Date]bool
	calls atomic.Int64
}

func (r *blockingRates) Rate(ctx context.Context, from, to string, on date.Date) (decimal.Decimal, bool, error) {
	r.calls.Add(1)
	if r.fast[on] {
		return decimal.NewFromInt(2), true, nil
	}
	select {
	case <-ctx.Done():
		return decimal.Decimal{}, false, ctx.Err()
	case <-time.After(10 * time.Second):
		return decimal.Decimal{}, false, errors.New("the lookup waited ten seconds: its context was never done")
	}
}

// A host's Rates is asked under the caller's context: an evaluation and a
// tracker's Apply whose context ends while a slow rate
// lookup waits stop with the context's error; the evaluation and the
// tracker asked with context.Background() and waited for as long as the
// lookup took. The tracker stays right: the batch is undone, the rates it
// had are kept, and a later Apply with a live context is counted.
func TestRatesAskedUnderCallersContext(t *testing.T) {
	cal, set, m, events := euroDeal(t) // 100 EUR on 2025-03-07
	slow := date.New(2025, 3, 7)
	quick := date.New(2025, 3, 3)
	earlier := kpi.Event{ID: "e0", Kind: "won", Actor: "anna", Time: time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC),
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(10)), Currency: "EUR"}
	timeout := func() (context.Context, context.CancelFunc) {
		return context.WithTimeout(context.Background(), 50*time.Millisecond)
	}
	within := func(what string, start time.Time, err error) {
		t.Helper()
		if !errors.Is(err, context.DeadlineExceeded) {
			t.Errorf("%s: %v, want the context's deadline", what, err)
		}
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%s took %s", what, d)
		}
	}

	rates := &blockingRates{fast: map[date.Date]bool{quick: true}}
	req := kpi.Request{Calendar: cal, Periods: []period.Period{m}, Rates: rates}
	ctx, cancel := timeout()
	start := time.Now()
	_, err := set.Evaluate(ctx, events, req)
	cancel()
	within("Evaluate", start, err)

	tr, err := set.Track(context.Background(), req, nil)
	if err != nil {
		t.Fatal(err)
	}
	if err := tr.Apply(context.Background(), earlier); err != nil {
		t.Fatal(err)
	}
	before := rates.calls.Load()
	ctx, cancel = timeout()
	start = time.Now()
	err = tr.Apply(ctx, events...)
	cancel()
	within("tracker's Apply", start, err)
	rates.fast[slow] = true
	if err := tr.Apply(context.Background(), events...); err != nil {
		t.Fatalf("Apply after the cancelled one: %v", err)
	}
	res, err := tr.Result(context.Background(), time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// (10 + 100) EUR at 2.
	if v, _ := res.Value("revenue", "anna", m); !v.Valid || !v.Decimal.Equal(decimal.NewFromInt(220)) {
		t.Errorf("revenue after the cancelled Apply: %v, want 220", v)
	}
	// The slow date's rate, asked by the cancelled Apply and again by the
	// next; the rollback applied the earlier event again with the rate it
	// had, without asking the host.
	if n := rates.calls.Load() - before; n != 2 {
		t.Errorf("the tracker asked for %d rates after the earlier event, want 2 (the slow date's, twice)", n)
	}
}
