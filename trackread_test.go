package goalkit_test

import (
	"bytes"
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// Reports read while batches are applied, from several goroutines at one
// to three instants (so that they take rows from one another through the
// goals' Memo), whatever goalScenario draws (plan, events, directory): each
// report equals Plan.Evaluate over the first j whole batches as of its
// instant, for a j no smaller than the batches applied when the report
// started; the report after the last batch equals that of every batch.
func TestTrackerReportsDuringApplies(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		plan, stream, opts, instants := goalScenario(t)
		loc := plan.Calendar().Location()
		at := rapid.SliceOfN(instants, 1, 3).Draw(t, "reportsAt")
		var batches [][]kpi.Event
		for len(stream) > 0 {
			n := rapid.IntRange(1, min(4, len(stream))).Draw(t, "batch")
			batches = append(batches, stream[:n])
			stream = stream[n:]
		}
		// want[i][j]: the report as of at[i] over the first j batches,
		// evaluated in batch.
		want := make([][][]byte, len(at))
		for i, asOf := range at {
			var applied []kpi.Event
			for j := 0; j <= len(batches); j++ {
				if j > 0 {
					applied = append(applied, batches[j-1]...)
				}
				rep, err := plan.Evaluate(ctx, storeOf(t, loc, goalkittest.Final(applied)...), asOf, opts...)
				if err != nil {
					t.Fatal(err)
				}
				want[i] = append(want[i], reportJSON(t, rep))
			}
		}
		tr, err := plan.Track(ctx, nil, opts...)
		if err != nil {
			t.Fatal(err)
		}
		defer tr.Close()
		var done atomic.Int64 // batches applied
		type read struct {
			from, at int
			json     []byte
		}
		var (
			mu    sync.Mutex
			reads []read
			turn  atomic.Int64
		)
		stop := enginetest.ReadLoop(3, func() error {
			i := int(turn.Add(1)) % len(at)
			from := int(done.Load())
			rep, err := tr.Report(ctx, at[i])
			if err != nil {
				return err
			}
			mu.Lock()
			reads = append(reads, read{from, i, reportJSON(t, rep)})
			mu.Unlock()
			return nil
		})
		pauses := rapid.SliceOfN(rapid.IntRange(0, 300), len(batches), len(batches)).Draw(t, "pauses µs")
		for k, b := range batches {
			if err := tr.Apply(ctx, b...); err != nil {
				t.Fatal(err)
			}
			done.Add(1)
			time.Sleep(time.Duration(pauses[k]) * time.Microsecond)
		}
		if err := stop(); err != nil {
			t.Fatal(err)
		}
		for _, r := range reads {
			found := false
			for j := r.from; j < len(want[r.at]) && !found; j++ {
				found = bytes.Equal(r.json, want[r.at][j])
			}
			if !found {
				t.Fatalf("a report as of %s started after %d of %d batches equals no evaluation of %d or more whole batches:\n%s", at[r.at], r.from, len(batches), r.from, r.json)
			}
		}
		for i, asOf := range at {
			rep, err := tr.Report(ctx, asOf)
			if err != nil {
				t.Fatal(err)
			}
			if got := reportJSON(t, rep); !bytes.Equal(got, want[i][len(batches)]) {
				t.Fatalf("the report as of %s after every batch differs from Plan.Evaluate:\n%s\nwant:\n%s", asOf, got, want[i][len(batches)])
			}
		}
	})
}
