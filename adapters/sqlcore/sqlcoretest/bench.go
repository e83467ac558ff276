package sqlcoretest

import (
	"context"
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/adaptertest"
	"github.com/goalkit/goalkit/adapters/sqlcore"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
)

// WorkloadQueries are the filter groups of the standard benchmark plan
// (bench/plan.yaml) as the engine would push them: calendar months of 2025
// in Europe/Moscow.
func WorkloadQueries() []kpi.PushQuery {
	loc, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		panic(err)
	}
	var bounds []time.Time
	for m := 1; m <= 13; m++ {
		bounds = append(bounds, time.Date(2025, time.Month(m), 1, 0, 0, 0, 0, loc))
	}
	src := formula.In{X: formula.Ident{Name: "source", Type: formula.TypeString},
		List: []formula.Value{formula.String("web"), formula.String("partner")}}
	attrs := map[string]kpi.AttrType{"source": kpi.AttrString, "pipeline": kpi.AttrInt}
	return []kpi.PushQuery{
		{Kinds: []string{"deal_created"}, Where: src, Bounds: bounds, Attributes: attrs},
		{Kinds: []string{"deal_won"}, Where: src, Value: "amount", Bounds: bounds, Attributes: attrs},
		{Kinds: []string{"call", "meeting"}, Bounds: bounds, Attributes: attrs},
	}
}

// BenchWorkload measures, on a store loaded with the standard workload
// (goalkit import), the plan's aggregates computed in the database (Push,
// the three filter groups) and by the engine over scanned rows
// (plan.Evaluate over the store).
func BenchWorkload(b *testing.B, s *sqlcore.Store) {
	ctx := context.Background()
	// First check that Push equals aggregating the scanned events.
	var events []kpi.Event
	if err := s.Scan(ctx, kpi.Query{Kinds: []string{"deal_created", "deal_won", "call", "meeting"}}, func(e *kpi.Event) error {
		events = append(events, e.Clone())
		return nil
	}); err != nil {
		b.Fatal(err)
	}
	for _, q := range WorkloadQueries() {
		ok, err := adaptertest.CheckPush(ctx, s, events, q)
		if err != nil || !ok {
			b.Fatalf("push: ok %v, %v", ok, err)
		}
	}
	events = nil
	b.Run("push", func(b *testing.B) {
		rows := 0
		for b.Loop() {
			rows = 0
			for _, q := range WorkloadQueries() {
				r, ok, err := s.Push(ctx, q)
				if err != nil || !ok {
					b.Fatalf("push: ok %v, %v", ok, err)
				}
				rows += len(r)
			}
		}
		b.ReportMetric(float64(rows), "rows")
	})
	b.Run("scan+evaluate", func(b *testing.B) {
		plan := workloadPlan(b)
		asOf := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
		for b.Loop() {
			if _, err := plan.Evaluate(ctx, s, asOf); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// workloadPlan compiles the standard benchmark plan.
func workloadPlan(tb testing.TB) *goalkit.Plan {
	def, err := goalkit.ParseDefinition("workload.yaml", goalkittest.WorkloadPlan())
	if err != nil {
		tb.Fatal(err)
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		tb.Fatal(err)
	}
	return plan
}

// envCount reads the environment's whole number name, def unless set.
func envCount(tb testing.TB, name string, def int64) int64 {
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.ParseInt(v, 10, 64)
	if err != nil || n <= 0 {
		tb.Fatalf("%s=%q: want a whole number above 0", name, v)
	}
	return n
}
