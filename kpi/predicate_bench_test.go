package kpi_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
)

// BenchmarkPredicate measures a filter alone, over every event of the
// standard workload: the native path (truth tables over dictionary codes)
// against the general path (the compiled formula run per event).
func BenchmarkPredicate(b *testing.B) {
	store := memory.New(time.UTC)
	if err := store.Import(context.Background(), func(add func(*kpi.Event) error) error { return goalkittest.Workload{N: 1_000_000}.Generate(add) }); err != nil {
		b.Fatal(err)
	}
	env := benchAttrs.EventEnv()
	for _, src := range []string{
		`source in ["web", "partner"]`,
		`source == "web"`,
		`source in ["web", "partner"] && pipeline == 2`,
		`amount > 5000`,
	} {
		prog, err := formula.Compile(src, env, formula.TypeBool)
		if err != nil {
			b.Fatal(err)
		}
		for _, native := range []bool{true, false} {
			name := "general/" + src
			if native {
				name = "native/" + src
			}
			b.Run(name, func(b *testing.B) {
				_ = store.ReadTable(context.Background(), func(tab *kpi.Table) error {
					run, rows := kpi.PredicateRunner(tab, prog, native)
					for b.Loop() {
						run()
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(rows), "ns/event")
					return nil
				})
			})
		}
	}
}
