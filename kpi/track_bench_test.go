package kpi_test

import (
	"context"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/internal/colstore"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// BenchmarkTrackerApply applies 100,000 events of the standard workload,
// with 5 % corrected later and 2 % retracted, one version per Apply.
func BenchmarkTrackerApply(b *testing.B) {
	ctx := context.Background()
	set, req := workloadTracking(b)
	buf, err := goalkittest.Workload{N: 100_000, CorrectedPerMille: 50, RetractedPerMille: 20}.Draw()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		tr, err := set.Track(ctx, req, nil)
		if err != nil {
			b.Fatal(err)
		}
		var one [1]kpi.Event
		err = buf.Replay(func(e *kpi.Event) error {
			one[0] = *e
			return tr.Apply(ctx, one[:]...)
		})
		if err != nil {
			b.Fatal(err)
		}
		if _, err := tr.Result(ctx, time.Time{}); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())*float64(b.N)/b.Elapsed().Seconds(), "versions/s")
}

// workloadTracking is the standard plan's indicators (goalkittest.WorkloadPlan)
// over the twelve months of 2025 in Moscow.
func workloadTracking(b testing.TB) (*kpi.Set, kpi.Request) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "created", Kinds: []string{"deal_created"}, Where: `source in ["web", "partner"]`, Aggregate: "count"},
		{ID: "won", Kinds: []string{"deal_won"}, Where: `source in ["web", "partner"]`, Aggregate: "count"},
		{ID: "won_sum", Kinds: []string{"deal_won"}, Where: `source in ["web", "partner"]`, Aggregate: "sum", Value: "amount"},
		{ID: "conversion", Formula: "won / created"},
		{ID: "activity", Kinds: []string{"call", "meeting"}, Aggregate: "count"},
	}, benchAttrs)
	if err != nil {
		b.Fatal(err)
	}
	cal, err := period.LoadCalendar("Europe/Moscow")
	if err != nil {
		b.Fatal(err)
	}
	first := cal.Containing(period.Month, date.New(2025, 1, 1))
	ps := []period.Period{first}
	for len(ps) < 12 {
		ps = append(ps, cal.Next(ps[len(ps)-1]))
	}
	return set, kpi.Request{Calendar: cal, Periods: ps}
}

// BenchmarkTrackerApplyWorkload applies the standard workload (10 million
// events, or GOALKIT_TRACK_N; 5 % corrected later, 2 % retracted) to a
// tracker without a store, one version per Apply, on the cores GOMAXPROCS
// allows, and reports what `goalkit bench` reports: versions/s, and the
// heap the tracker retains after a GC divided by the events of the
// workload (not the versions); one version per Apply, also versions per
// second of the process's processor time and of the applying thread's. The values read at the end must equal a
// batch evaluation of the tracker's events. With GOALKIT_TRACK_BATCH=n the
// versions go n to an Apply, and versions/s counts the time in Apply only
// (copying the versions out of the workload buffer is not the tracker's).
// GOALKIT_ASIDE_ROWS=n sets colstore.AsideRows.
func BenchmarkTrackerApplyWorkload(b *testing.B) {
	ctx := context.Background()
	var err error
	n := 10_000_000
	if os.Getenv("GOALKIT_TRACK_N") != "" {
		n = trackN(b)
	}
	batch := 1
	if s := os.Getenv("GOALKIT_TRACK_BATCH"); s != "" {
		if batch, err = strconv.Atoi(s); err != nil || batch < 1 {
			b.Fatalf("GOALKIT_TRACK_BATCH=%q: want a number of events", s)
		}
	}
	if s := os.Getenv("GOALKIT_ASIDE_ROWS"); s != "" {
		// The fewest rows of a segment whose columns are copied aside
		// (colstore.AsideRows), to compare with the copies off (a number
		// past the workload's rows).
		rows, err := strconv.Atoi(s)
		if err != nil || rows < 1 {
			b.Fatalf("GOALKIT_ASIDE_ROWS=%q: want a number of rows", s)
		}
		defer func(prev int) { colstore.AsideRows = prev }(colstore.AsideRows)
		colstore.AsideRows = rows
	}
	set, req := workloadTracking(b)
	buf, err := goalkittest.Workload{N: n, CorrectedPerMille: 50, RetractedPerMille: 20}.Draw()
	if err != nil {
		b.Fatal(err)
	}
	var tr *kpi.Tracker
	var retained float64
	var applying, applyingCPU, applyingOwn time.Duration
	for b.Loop() {
		tr = nil
		b.StopTimer()
		runtime.GC()
		var before, after runtime.MemStats
		runtime.ReadMemStats(&before)
		b.StartTimer()
		if tr, err = set.Track(ctx, req, nil); err != nil {
			b.Fatal(err)
		}
		if batch > 1 {
			applying += applyBatches(b, tr, buf, batch)
		} else {
			var one [1]kpi.Event
			runtime.LockOSThread()
			start, cpu0, own0 := time.Now(), cpuTime(), threadCPU()
			err = buf.Replay(func(e *kpi.Event) error {
				one[0] = *e
				return tr.Apply(ctx, one[:]...)
			})
			applying += time.Since(start)
			applyingCPU += cpuTime() - cpu0
			applyingOwn += threadCPU() - own0
			runtime.UnlockOSThread()
			if err != nil {
				b.Fatal(err)
			}
		}
		b.StopTimer()
		runtime.GC()
		debug.FreeOSMemory()
		runtime.ReadMemStats(&after)
		retained += float64(int64(after.HeapAlloc) - int64(before.HeapAlloc))
		b.StartTimer()
	}
	b.ReportMetric(float64(buf.Len())*float64(b.N)/applying.Seconds(), "versions/s")
	if applyingCPU > 0 {
		// The process's processor time, a steadier measure than the wall
		// clock on a machine other processes share.
		b.ReportMetric(float64(buf.Len())*float64(b.N)/applyingCPU.Seconds(), "versions/cpu-s")
	}
	if applyingOwn > 0 {
		// The processor time of the applying thread alone (its goroutine
		// locked to it): what Apply costs the caller, without what other
		// goroutines do beside it (a copy aside on a second core) and
		// without the time other processes take the core.
		b.ReportMetric(float64(buf.Len())*float64(b.N)/applyingOwn.Seconds(), "versions/own-cpu-s")
	}
	b.ReportMetric(retained/float64(b.N)/float64(n), "bytes/event")
	live, err := tr.Result(ctx, time.Time{})
	if err != nil {
		b.Fatal(err)
	}
	want, err := set.Evaluate(ctx, tr, req)
	if err != nil {
		b.Fatal(err)
	}
	sameResult(b, "live", live, want)
}

// applyBatches applies the workload's versions to tr, n to an Apply, and
// returns the time spent in Apply.
func applyBatches(b *testing.B, tr *kpi.Tracker, buf *goalkittest.WorkloadBuffer, n int) time.Duration {
	ctx := context.Background()
	batch := make([]kpi.Event, 0, n)
	var d time.Duration
	flush := func() error {
		start := time.Now()
		err := tr.Apply(ctx, batch...)
		d += time.Since(start)
		batch = batch[:0]
		return err
	}
	err := buf.Replay(func(e *kpi.Event) error {
		c := e.Clone()
		c.ID = strings.Clone(e.ID)
		if batch = append(batch, c); len(batch) == n {
			return flush()
		}
		return nil
	})
	if err == nil && len(batch) > 0 {
		err = flush()
	}
	if err != nil {
		b.Fatal(err)
	}
	return d
}

// threadCPU is the processor time of the calling thread so far (zero where
// it is not read: the versions/own-cpu-s figure is then left out).
func threadCPU() time.Duration {
	ns, _ := enginetest.ThreadCPU()
	return time.Duration(ns)
}
