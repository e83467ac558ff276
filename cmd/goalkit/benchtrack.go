package main

import (
	"context"
	"errors"
	"runtime"
	"runtime/debug"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
)

// trackFigures are the live-tracking figures of the benchmark: the workload
// with 5 % of the events corrected later and 2 % retracted, applied to a
// tracker one event version at a time, on one core (or Cores).
type trackFigures struct {
	Versions      int     `json:"track_versions"`
	EventsPerS    float64 `json:"track_events_per_s"`
	BytesPerEvent float64 `json:"track_bytes_per_event"`
	ApplyMS       float64 `json:"track_apply_ms"`
	ReadMS        float64 `json:"track_read_ms"`
	Cores         int     `json:"track_cores"`
}

// benchTrack applies the corrected workload to a live tracker (no store:
// the tracker's own state only), one version per Apply, and measures the
// versions applied per second and the heap the tracker retains per event of
// the workload. It fails if the tracker's values differ from a batch
// evaluation of its own events as of asOf, an instant after every event of
// the workload (the tracker's values are read with no limit).
func benchTrack(ctx context.Context, plan *goalkit.Plan, opt goalkittest.Workload, cores int, asOf time.Time) (trackFigures, error) {
	opt.CorrectedPerMille, opt.RetractedPerMille = 50, 20
	buf, err := opt.Draw()
	if err != nil {
		return trackFigures{}, err
	}
	prev := runtime.GOMAXPROCS(cores) // one core unless told
	defer runtime.GOMAXPROCS(prev)
	// Twice, as after: the first collection leaves the evaluation's pooled
	// arrays (sync.Pool's victims) for the second to free, and a heap
	// counted with them before and without them after came out negative.
	runtime.GC()
	runtime.GC()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	tr, err := plan.Track(ctx, nil)
	if err != nil {
		return trackFigures{}, err
	}
	kt := tr.Indicators()
	var one [1]kpi.Event
	t0 := time.Now()
	err = buf.Replay(func(e *kpi.Event) error {
		one[0] = *e
		return kt.Apply(ctx, one[:]...)
	})
	if err != nil {
		return trackFigures{}, err
	}
	d := time.Since(t0)
	runtime.GC()
	debug.FreeOSMemory()
	runtime.ReadMemStats(&after)
	n := buf.Len()
	f := trackFigures{
		Versions:   n,
		EventsPerS: float64(n) / d.Seconds(),
		// Per event of the workload, not per version applied: the stricter.
		BytesPerEvent: float64(int64(after.HeapAlloc)-int64(before.HeapAlloc)) / float64(max(opt.N, 1)),
		ApplyMS:       ms(d),
		Cores:         cores,
	}
	runtime.GOMAXPROCS(prev)
	tr0 := time.Now()
	live, err := kt.Result(ctx, time.Time{})
	if err != nil {
		return f, err
	}
	f.ReadMS = ms(time.Since(tr0))
	batch, err := plan.Evaluate(ctx, kt, asOf)
	if err != nil {
		return f, err
	}
	if !sameRows(live.Rows(), batch.Values.Rows()) {
		return f, errors.New("track: the tracker's values differ from a batch evaluation of its events")
	}
	runtime.KeepAlive(tr)
	return f, nil
}

func sameRows(a, b []kpi.Row) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		x, y := a[i], b[i]
		if x.Indicator != y.Indicator || x.Participant != y.Participant || x.Period != y.Period || x.Value.Valid != y.Value.Valid ||
			(x.Value.Valid && !x.Value.Decimal.Equal(y.Value.Decimal)) {
			return false
		}
	}
	return true
}
