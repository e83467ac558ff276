package goal

import (
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// BenchmarkAccrue accrues 1,000 amounts of two places (one an hour) into a
// sum, a mean, a max and a median against a target none meets, as a
// crossing of a goal's achieved-at reads its events.
func BenchmarkAccrue(b *testing.B) {
	start := time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC)
	contribs := make([]kpi.Contribution, 1000)
	for i := range contribs {
		contribs[i] = kpi.Contribution{Time: start.Add(time.Duration(i) * time.Hour), Value: fmt.Sprintf("%d.%02d", i%500, i%100)}
	}
	target := decimal.NewNullDecimal(decimal.NewFromInt(1_000_000))
	for _, agg := range []kpi.Aggregate{kpi.Sum, kpi.Avg, kpi.Max, kpi.Median} {
		p := decimal.New(5, -1) // the median's; the others read none
		b.Run(string(agg), func(b *testing.B) {
			for b.Loop() {
				if _, _, err := accrue(agg, p, contribs, target, start); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
