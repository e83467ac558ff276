package stats_test

import (
	"fmt"

	"github.com/goalkit/goalkit/internal/stats"
	"github.com/shopspring/decimal"
)

func decs(ss ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = decimal.RequireFromString(s)
	}
	return out
}

func ExamplePercentileCont() {
	days := decs("1", "2", "3", "4") // sorted
	fmt.Println(stats.PercentileCont(days, decimal.RequireFromString("0.5")))
	fmt.Println(stats.PercentileCont(days, decimal.RequireFromString("0.9")))
	// Output:
	// 2.5
	// 3.7
}

func ExamplePearson() {
	calls := decs("1", "2", "3")
	r, err := stats.Pearson(calls, decs("1", "2", "4"))
	fmt.Println(r, err)
	r, err = stats.Pearson(calls, decs("10", "20", "30"))
	fmt.Println(r, err)
	_, err = stats.Pearson(calls, decs("5", "5", "5"))
	fmt.Println(err)
	// Output:
	// 0.9819805060619657 <nil>
	// 1 <nil>
	// the second variable is constant (zero variance)
}
