package forecast

import (
	"testing"

	"github.com/shopspring/decimal"
)

// BenchmarkScorer scores 1000 cases of three methods at two points, as a
// backtest of a goal over a year of months does a few times over.
func BenchmarkScorer(b *testing.B) {
	cases := make([]Case, 1000)
	for i := range cases {
		p := decimal.New(int64(i%1001), -3)
		cases[i] = Case{Final: decimal.New(int64(1000+i), -2), Points: []decimal.Decimal{decimal.New(int64(900+i), -2), decimal.New(int64(1100+i), -2), decimal.New(int64(1000+i/2), -2)},
			P: []decimal.NullDecimal{decimal.NewNullDecimal(decimal.Zero), decimal.NewNullDecimal(one), decimal.NewNullDecimal(p)}, Reached: i%3 == 0}
	}
	for b.Loop() {
		sc := NewScorer([]string{"run_rate", "seasonal", "probabilistic"}, []string{"25%", "75%"})
		for i, c := range cases {
			sc.Add(i%2, c)
		}
		sc.Result()
	}
}
