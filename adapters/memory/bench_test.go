package memory_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/kpi"
)

// BenchmarkLoadWorkload loads the standard workload (1M events) through the
// public API.
func BenchmarkLoadWorkload(b *testing.B) {
	const n = 1_000_000
	msk, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		s := memory.New(msk)
		s.Grow(n)
		err := s.Import(context.Background(), func(add func(*kpi.Event) error) error {
			return goalkittest.Workload{N: n}.Generate(add)
		})
		if err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/event")
}
