package kpi_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goalkittest"
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
func workloadTracking(b *testing.B) (*kpi.Set, kpi.Request) {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "created", Kinds: []string{"deal_created"}, Where: `source in ["web", "partner"]`, Aggregate: "count"},
		{ID: "won", Kinds: []string{"deal_won"}, Where: `source in ["web", "partner"]`, Aggregate: "count"},
		{ID: "won_sum", Kinds: []string{"deal_won"}, Where: `source in ["web", "partner"]`, Aggregate: "sum", Value: "amount"},
		{ID: "conversion", Formula: "won / created"},
		{ID: "activity", Kinds: []string{"call", "meeting"}, Aggregate: "count"},
	}, kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString, "pipeline": kpi.AttrInt}})
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
