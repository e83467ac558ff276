package memory_test

import (
	"context"
	"runtime"
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

// BenchmarkImportWorkload loads 1M drawn events of the standard workload
// (so that drawing them is not timed), in one Import and in parts on every
// core (ImportParallel); replay hands the same versions to a function that
// keeps nothing: the producer's share of both.
func BenchmarkImportWorkload(b *testing.B) {
	const n = 1_000_000
	msk, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		b.Fatal(err)
	}
	buf, err := goalkittest.Workload{N: n}.Draw()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("replay", func(b *testing.B) {
		for b.Loop() {
			if err := buf.Replay(func(*kpi.Event) error { return nil }); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/event")
	})
	b.Run("serial", func(b *testing.B) {
		for b.Loop() {
			s := memory.New(msk)
			s.Grow(n)
			if err := s.Import(context.Background(), func(add func(*kpi.Event) error) error { return buf.Replay(add) }); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/event")
	})
	b.Run("parallel", func(b *testing.B) {
		parts := 16 * runtime.GOMAXPROCS(0)
		for b.Loop() {
			s := memory.New(msk)
			err := s.ImportParallel(context.Background(), parts, n, func(part int, add func(*kpi.Event) error) error {
				return buf.ReplayPart(part, parts, add)
			})
			if err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/n, "ns/event")
	})
}
