package goalkit_test

import (
	"io"
	"testing"
	"time"
)

// BenchmarkWriters writes the report of the standard workload's plan over
// 200,000 events: 2,000 users and everyone, twelve months, six indicators
// (24,012 rows of a table, 144,072 values of JSON and CSV).
func BenchmarkWriters(b *testing.B) {
	plan := workloadPlan(b, "", "")
	store := workloadStore(b, plan, 200_000)
	rep := mustEvaluate(b, plan, store, time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC))
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
