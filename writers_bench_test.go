package goalkit_test

import (
	"context"
	"io"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
)

// BenchmarkWriters writes the report of the standard workload's plan over
// 200,000 events: 2,000 users and everyone, twelve months, six indicators
// (24,012 rows of a table, 144,072 values of JSON and CSV).
func BenchmarkWriters(b *testing.B) {
	def, err := goalkit.ParseDefinition("plan.yaml", goalkittest.WorkloadPlan())
	if err != nil {
		b.Fatal(err)
	}
	plan := compile(b, def)
	store := memory.New(plan.Calendar().Location())
	err = store.Import(context.Background(), func(add func(*kpi.Event) error) error {
		return goalkittest.Workload{N: 200_000}.Generate(add)
	})
	if err != nil {
		b.Fatal(err)
	}
	rep, err := plan.Evaluate(context.Background(), store, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		b.Fatal(err)
	}
	for _, w := range []struct {
		name  string
		write func(io.Writer) error
	}{{"JSON", rep.WriteJSON}, {"Table", rep.WriteTable}, {"CSV", rep.WriteCSV}} {
		b.Run(w.name, func(b *testing.B) {
			for b.Loop() {
				if err := w.write(io.Discard); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
