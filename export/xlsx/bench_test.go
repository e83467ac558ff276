package xlsx_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/export/xlsx"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
)

// BenchmarkWrite writes the report of the standard workload's plan over
// 200,000 events (2,000 users and everyone, twelve months, six indicators:
// 144,072 values) as a workbook, beside WriteCSV of the same values for
// scale.
func BenchmarkWrite(b *testing.B) {
	plan := goalkittest.CompilePlan(b, string(goalkittest.WorkloadPlan()))
	store := memory.New(plan.Calendar().Location())
	err := store.Import(context.Background(), func(add func(*kpi.Event) error) error {
		return goalkittest.Workload{N: 200_000}.Generate(add)
	})
	if err != nil {
		b.Fatal(err)
	}
	rep, err := plan.Evaluate(context.Background(), store, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		b.Fatal(err)
	}
	b.Run("CSV", func(b *testing.B) {
		for b.Loop() {
			if err := rep.WriteCSV(io.Discard); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("XLSX", func(b *testing.B) {
		for b.Loop() {
			if err := xlsx.Write(io.Discard, plan, rep); err != nil {
				b.Fatal(err)
			}
		}
	})
}
