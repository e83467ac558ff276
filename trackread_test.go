package goalkit_test

import (
	"bytes"
	"context"
	"reflect"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// Reports read while batches are applied, from several goroutines at one
// to three instants (so that they take rows from one another through the
// goals' Memo), whole or narrowed to one participant, shared by callers
// asking at once or each computed alone, whatever goalScenario draws
// (plan, events, directory): each report equals Plan.Evaluate over the
// first j whole batches as of its instant, for a j no smaller than the
// batches applied when the report was asked for; the report after the
// last batch equals that of every batch. Overwriting every list of a
// report, one after the other, changes no other report.
func TestTrackerReportsDuringApplies(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		plan, stream, opts, instants := goalScenario(t)
		loc := plan.Calendar().Location()
		at := rapid.SliceOfN(instants, 1, 3).Draw(t, "reportsAt")
		share := rapid.Bool().Draw(t, "share")
		// The readers' options: none, and one participant's goals.
		only := rapid.SampledFrom(viewActors).Draw(t, "only")
		variants := [][]goalkit.EvalOption{nil, {goalkit.WithOnlyParticipant(only)}}
		var batches [][]kpi.Event
		for len(stream) > 0 {
			n := rapid.IntRange(1, min(4, len(stream))).Draw(t, "batch")
			batches = append(batches, stream[:n])
			stream = stream[n:]
		}
		// want[i][v][j]: the report as of at[i] with variants[v] over the
		// first j batches, evaluated in batch.
		want := make([][][][]byte, len(at))
		for i, asOf := range at {
			want[i] = make([][][]byte, len(variants))
			for v, extra := range variants {
				var applied []kpi.Event
				for j := 0; j <= len(batches); j++ {
					if j > 0 {
						applied = append(applied, batches[j-1]...)
					}
					rep := mustEvaluate(t, plan, storeOf(t, loc, goalkittest.Final(applied)...), asOf, append(opts[:len(opts):len(opts)], extra...)...)
					want[i][v] = append(want[i][v], reportJSON(t, rep))
				}
			}
		}
		tr := startTracker(t, plan, opts...)
		goalkit.ShareReports(tr, share)
		var done atomic.Int64 // batches applied
		type read struct {
			from, at, variant int
			rep               *goalkit.Report
			json              []byte
		}
		var (
			mu    sync.Mutex
			reads []read
			turn  atomic.Int64
		)
		stop := enginetest.ReadLoop(3, func() error {
			k := int(turn.Add(1))
			i, v := k%len(at), k/len(at)%len(variants)
			from := int(done.Load())
			rep, err := tr.Report(ctx, at[i], variants[v]...)
			if err != nil {
				return err
			}
			js := reportJSON(t, rep)
			mu.Lock()
			reads = append(reads, read{from, i, v, rep, js})
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
			w := want[r.at][r.variant]
			for j := r.from; j < len(w) && !found; j++ {
				found = bytes.Equal(r.json, w[j])
			}
			if !found {
				t.Fatalf("a report (variant %d) as of %s asked for after %d of %d batches equals no evaluation of %d or more whole batches:\n%s", r.variant, at[r.at], r.from, len(batches), r.from, r.json)
			}
		}
		// A caller may overwrite its report's lists: no other report
		// changes.
		for k, r := range reads {
			if got := reportJSON(t, r.rep); !bytes.Equal(got, r.json) {
				t.Fatalf("report %d of %d changed when those before it were overwritten:\n%s\nwas:\n%s", k, len(reads), got, r.json)
			}
			overwriteLists(r.rep)
		}
		for i, asOf := range at {
			rep := mustReport(t, tr, asOf)
			if got := reportJSON(t, rep); !bytes.Equal(got, want[i][0][len(batches)]) {
				t.Fatalf("the report as of %s after every batch differs from Plan.Evaluate:\n%s\nwant:\n%s", asOf, got, want[i][0][len(batches)])
			}
		}
	})
}

// overwriteLists sets every element of every exported list of a report's
// parts (Goals, Values, Scores, Cascade, GoalStats) and of the report
// itself to its zero value: what a caller may do to its own report.
func overwriteLists(rep *goalkit.Report) {
	zeroLists(reflect.ValueOf(rep).Elem(), true)
}

func zeroLists(v reflect.Value, parts bool) {
	for i := range v.NumField() {
		f := v.Field(i)
		if !v.Type().Field(i).IsExported() {
			continue
		}
		switch f.Kind() {
		case reflect.Slice:
			for k := range f.Len() {
				f.Index(k).SetZero()
			}
		case reflect.Pointer:
			if parts && !f.IsNil() && f.Elem().Kind() == reflect.Struct {
				zeroLists(f.Elem(), false)
			}
		}
	}
}
