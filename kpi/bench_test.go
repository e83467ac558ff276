package kpi_test

import (
	"context"
	"os"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// benchDefs are the indicators of the standard benchmark plan.
var benchDefs = []kpi.IndicatorDef{
	{ID: "created", Kinds: []string{"deal_created"}, Where: `source in ["web", "partner"]`, Aggregate: "count"},
	{ID: "won", Kinds: []string{"deal_won"}, Where: `source in ["web", "partner"]`, Aggregate: "count"},
	{ID: "won_sum", Kinds: []string{"deal_won"}, Where: `source in ["web", "partner"]`, Aggregate: "sum", Value: "amount"},
	{ID: "conversion", Formula: "won / created"},
	{ID: "avg_won", Kinds: []string{"deal_won"}, Where: `source in ["web", "partner"]`, Aggregate: "avg", Value: "amount"},
	{ID: "activity", Kinds: []string{"call", "meeting"}, Aggregate: "count"},
}

func benchEvents(b *testing.B) int {
	n := 1_000_000
	if s := os.Getenv("GOALKIT_BENCH_N"); s != "" {
		v, err := strconv.Atoi(s)
		if err != nil {
			b.Fatal(err)
		}
		n = v
	}
	return n
}

// BenchmarkEvaluateWorkload evaluates the standard plan over the standard
// workload (1M events; GOALKIT_BENCH_N sets another size).
func BenchmarkEvaluateWorkload(b *testing.B) {
	n := benchEvents(b)
	cal, err := period.LoadCalendar("Europe/Moscow")
	if err != nil {
		b.Fatal(err)
	}
	set, err := kpi.Compile(benchDefs, kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString, "pipeline": kpi.AttrInt}})
	if err != nil {
		b.Fatal(err)
	}
	store := memory.New(cal.Location())
	if err := store.Import(context.Background(), func(add func(*kpi.Event) error) error { return goalkittest.Workload{N: n}.Generate(add) }); err != nil {
		b.Fatal(err)
	}
	periods, err := cal.Periods(period.Month, date.New(2025, 1, 1), date.New(2026, 1, 1))
	if err != nil {
		b.Fatal(err)
	}
	req := kpi.Request{Calendar: cal, Periods: periods, AsOf: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	ctx := context.Background()
	b.ResetTimer()
	cpu0 := cpuTime()
	for b.Loop() {
		if _, err := set.Evaluate(ctx, store, req); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/event")
	b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/1e6, "cpu-ms/op")
}

// BenchmarkEvaluateBreakdown evaluates the standard plan over the standard
// workload four ways in one run: plain; with revenue broken down by source;
// with revenue and conversion broken down by source (their closure: the
// deal kinds); and with every indicator broken down by source.
func BenchmarkEvaluateBreakdown(b *testing.B) {
	n := benchEvents(b)
	cal, err := period.LoadCalendar("Europe/Moscow")
	if err != nil {
		b.Fatal(err)
	}
	store := memory.New(cal.Location())
	if err := store.Import(context.Background(), func(add func(*kpi.Event) error) error { return goalkittest.Workload{N: n}.Generate(add) }); err != nil {
		b.Fatal(err)
	}
	periods, err := cal.Periods(period.Month, date.New(2025, 1, 1), date.New(2026, 1, 1))
	if err != nil {
		b.Fatal(err)
	}
	req := kpi.Request{Calendar: cal, Periods: periods, AsOf: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	attrs := kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString, "pipeline": kpi.AttrInt}}
	bySource := func(ids ...string) []kpi.IndicatorDef {
		defs := slices.Clone(benchDefs)
		for i := range defs {
			if len(ids) == 0 || slices.Contains(ids, defs[i].ID) {
				defs[i].By = []string{"source"}
			}
		}
		return defs
	}
	for _, c := range []struct {
		name string
		defs []kpi.IndicatorDef
	}{{"plain", benchDefs}, {"by_source_revenue", bySource("won_sum")}, {"by_source_deals", bySource("won_sum", "conversion")}, {"by_source_all", bySource()}} {
		set, err := kpi.Compile(c.defs, attrs)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) {
			cpu0 := cpuTime()
			for b.Loop() {
				if _, err := set.Evaluate(context.Background(), store, req); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/event")
			// CPU time of the process per evaluation: on a shared machine,
			// a steadier measure than the wall clock.
			b.ReportMetric(float64((cpuTime()-cpu0).Nanoseconds())/float64(b.N)/1e6, "cpu-ms/op")
		})
	}
}
