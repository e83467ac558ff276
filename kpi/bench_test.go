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
	"github.com/shopspring/decimal"
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

// benchAttrs types the workload's attributes.
var benchAttrs = kpi.Env{Attributes: map[string]kpi.AttrType{"source": kpi.AttrString, "pipeline": kpi.AttrInt}}

// benchWorkload loads the standard workload (1M events; GOALKIT_BENCH_N sets
// another size) into a store and returns it with the request of its year
// by month.
func benchWorkload(b *testing.B) (int, *memory.Store, kpi.Request) {
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
	return n, store, kpi.Request{Calendar: cal, Periods: periods, AsOf: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
}

// benchEvaluate evaluates set over the workload b.N times, and reports the
// time per event and the process's CPU time per evaluation (on a shared
// machine, steadier than the wall clock).
func benchEvaluate(b *testing.B, set *kpi.Set, n int, store *memory.Store, req kpi.Request) {
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

// BenchmarkEvaluateWorkload evaluates the standard plan over the standard
// workload.
func BenchmarkEvaluateWorkload(b *testing.B) {
	set, err := kpi.Compile(benchDefs, benchAttrs)
	if err != nil {
		b.Fatal(err)
	}
	n, store, req := benchWorkload(b)
	benchEvaluate(b, set, n, store, req)
}

// BenchmarkEvaluateBreakdown evaluates the standard plan over the standard
// workload in one run: plain; with revenue broken down by source; with
// revenue and conversion broken down by source (their closure: the deal
// kinds); with every indicator broken down by source; and, for their cost,
// with a revenue year to date and with a 90th percentile of the deals won
// added.
func BenchmarkEvaluateBreakdown(b *testing.B) {
	n, store, req := benchWorkload(b)
	p90 := decimal.New(9, -1)
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
	}{{"plain", benchDefs}, {"by_source_revenue", bySource("won_sum")}, {"by_source_deals", bySource("won_sum", "conversion")}, {"by_source_all", bySource()},
		{"revenue_ytd", append(slices.Clone(benchDefs), kpi.IndicatorDef{ID: "won_ytd", Kinds: []string{"deal_won"}, Where: `source in ["web", "partner"]`, Aggregate: kpi.Sum, Value: "amount", ToDate: "year"})},
		{"p90_deal", append(slices.Clone(benchDefs), kpi.IndicatorDef{ID: "p90", Kinds: []string{"deal_won"}, Where: `source in ["web", "partner"]`, Aggregate: kpi.Percentile, P: &p90, Value: "amount"})},
	} {
		set, err := kpi.Compile(c.defs, benchAttrs)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(c.name, func(b *testing.B) { benchEvaluate(b, set, n, store, req) })
	}
}

// BenchmarkTableApply applies 100,000 events of the standard workload, with
// 5 % corrected later and 2 % retracted, to a new Table, as Snapshot does
// with the events of a source that is not a TableSource.
func BenchmarkTableApply(b *testing.B) {
	buf, err := goalkittest.Workload{N: 100_000, CorrectedPerMille: 50, RetractedPerMille: 20}.Draw()
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		tab := kpi.NewTable(time.UTC)
		if err := buf.Replay(tab.Apply); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(buf.Len())*float64(b.N)/b.Elapsed().Seconds(), "versions/s")
}

// BenchmarkTableScan reads 100,000 events of the standard workload back
// from a table in Moscow's zone, as a host's Scan of a memory store does.
func BenchmarkTableScan(b *testing.B) {
	buf, err := goalkittest.Workload{N: 100_000}.Draw()
	if err != nil {
		b.Fatal(err)
	}
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		b.Fatal(err)
	}
	tab := kpi.NewTable(moscow)
	if err := buf.Replay(tab.Apply); err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ResetTimer()
	for b.Loop() {
		n := 0
		if err := tab.Scan(ctx, kpi.Query{}, func(*kpi.Event) error { n++; return nil }); err != nil || n != tab.Len() {
			b.Fatal(n, err)
		}
	}
}
