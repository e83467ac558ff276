package goalkit_test

import (
	"bytes"
	"context"
	"fmt"
	"math/rand/v2"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// Reports share their goal rows (goal.Result.Rows points to rows kept
// for the next report): a report, once returned, never changes, whatever
// the reports, applies and ticks that run beside it and after it. Each
// report's JSON is taken when it returns and again at the end.
func TestTrackerReportsNeverChangeOnceReturned(t *testing.T) {
	ctx := context.Background()
	plan := compile(t, parseDef(t, racePlan))
	tr := startTracker(t, plan)
	loc := plan.Calendar().Location()
	start := time.Date(2025, 3, 3, 0, 0, 0, 0, loc)
	actors := []string{"anna", "bob", "cleo", "dan"}
	type taken struct {
		rep  *goalkit.Report
		json []byte
	}
	var mu sync.Mutex
	var reps []taken
	var wg sync.WaitGroup
	stop := make(chan struct{})
	for w := range 3 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rng := rand.New(rand.NewPCG(uint64(w), 7))
			// Reports after every tick's instant (ticks close goals; see
			// TestTrackerReportsAroundARecord for reports on both sides).
			floor := start.Add(11 * 24 * time.Hour)
			at := floor.Add(time.Duration(rng.IntN(20*24)) * time.Hour)
			for {
				select {
				case <-stop:
					return
				default:
				}
				switch rng.IntN(4) {
				case 0:
					at = at.Add(time.Second)
				case 1:
					at = at.Add(time.Duration(rng.IntN(36)) * time.Hour)
				case 2:
					at = at.Add(-time.Duration(rng.IntN(36)) * time.Hour)
				}
				if at.Before(floor) {
					at = floor
				}
				var opts []goalkit.EvalOption
				if rng.IntN(3) == 0 {
					opts = append(opts, goalkit.WithOnlyParticipant(actors[rng.IntN(len(actors))]))
				}
				rep, err := tr.Report(ctx, at, opts...)
				if err != nil {
					t.Error(err)
					return
				}
				var b bytes.Buffer
				if err := rep.WriteJSON(&b); err != nil {
					t.Error(err)
					return
				}
				mu.Lock()
				reps = append(reps, taken{rep, b.Bytes()})
				mu.Unlock()
			}
		}()
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 3000 {
		n := 1 + rng.IntN(5)
		var batch []kpi.Event
		for range n {
			id := strconv.Itoa(rng.IntN(i + 5))
			e := kpi.Event{ID: id, Actor: actors[rng.IntN(len(actors))], Time: start.Add(time.Duration(rng.IntN(35*24*60)) * time.Minute)}
			if rng.IntN(2) == 0 {
				e.Kind = "call"
			} else {
				e.Kind, e.Amount = "deal", decimalOf(int64(rng.IntN(300)))
			}
			if rng.IntN(10) == 0 {
				e = kpi.Event{ID: id, Deleted: true}
			}
			batch = append(batch, e)
		}
		if err := tr.Apply(ctx, batch...); err != nil {
			t.Fatal(err)
		}
		if i%300 == 0 {
			if _, err := tr.Tick(ctx, start.Add(time.Duration(i/300)*24*time.Hour)); err != nil {
				t.Fatal(err)
			}
		}
	}
	close(stop)
	wg.Wait()
	for i, r := range reps {
		var b bytes.Buffer
		if err := r.rep.WriteJSON(&b); err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(b.Bytes(), r.json) {
			t.Fatalf("report %d changed after it was returned:\n%s", i, firstDiff(b.Bytes(), r.json))
		}
	}
	t.Logf("%d reports", len(reps))
	// And the reports after it all are fresh evaluations'.
	recs, err := trackerRecords(tr)
	if err != nil {
		t.Fatal(err)
	}
	for d := range 40 {
		at := start.Add(11*24*time.Hour + time.Duration(d*23)*time.Hour)
		sameAsFresh(t, plan, tr, at, []goalkit.EvalOption{goalkit.WithRecords(recs...)}, nil, fmt.Sprintf("report at %s", at))
	}
}

func decimalOf(n int64) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.NewFromInt(n)) }
