package memory_test

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goalkittest"
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
		if err := s.Load(func(l *memory.Loader) error { return goalkittest.Workload{N: n}.Generate(l.Add) }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/event")
}
