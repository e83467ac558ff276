package stats_test

import (
	"fmt"
	"math/big"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/internal/stats"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func decs(ss ...string) []decimal.Decimal {
	out := make([]decimal.Decimal, len(ss))
	for i, s := range ss {
		out[i] = decimal.RequireFromString(s)
	}
	return out
}

// The expected values are PostgreSQL's: SELECT percentile_cont(p) WITHIN
// GROUP (ORDER BY v) FROM unnest(array[...]) v.
func TestPercentileCont(t *testing.T) {
	for _, tc := range []struct {
		name   string
		values []decimal.Decimal
		p      string
		want   string
	}{
		{"one value", decs("7"), "0.9", "7"},
		{"median of odd", decs("1", "2", "10"), "0.5", "2"},
		{"median of even", decs("1", "2", "3", "10"), "0.5", "2.5"},
		{"p90 of ten", decs("1", "2", "3", "4", "5", "6", "7", "8", "9", "10"), "0.9", "9.1"},
		{"p0 is the minimum", decs("-3", "0", "4"), "0", "-3"},
		{"p1 is the maximum", decs("-3", "0", "4"), "1", "4"},
		{"exact decimals", decs("0.1", "0.2"), "0.25", "0.125"},
		{"equal neighbours", decs("5", "5", "5"), "0.37", "5"},
		{"negative", decs("-10", "-2"), "0.75", "-4"},
		{"p below 0 is 0", decs("1", "2"), "-1", "1"},
		{"p above 1 is 1", decs("1", "2"), "2", "2"},
		{"none", nil, "0.5", "0"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := stats.PercentileCont(tc.values, decimal.RequireFromString(tc.p))
			if !got.Equal(decimal.RequireFromString(tc.want)) {
				t.Fatalf("PercentileCont(%v, %s) = %s, want %s", tc.values, tc.p, got, tc.want)
			}
		})
	}
}

// ratOf is d as an exact rational.
func ratOf(d decimal.Decimal) *big.Rat {
	r, _ := new(big.Rat).SetString(d.String())
	return r
}

// TestPercentileContMatchesRationals checks the interpolation against the
// same definition computed in rationals: the value lies between its
// neighbours, at the fraction of the way the position says.
func TestPercentileContMatchesRationals(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		vals := rapid.SliceOfN(rapid.Int64Range(-1_000_000, 1_000_000), 1, 30).Draw(t, "values")
		scale := rapid.Int32Range(0, 4).Draw(t, "scale")
		ds := make([]decimal.Decimal, len(vals))
		for i, v := range vals {
			ds[i] = decimal.New(v, -scale)
		}
		slices.SortFunc(ds, func(a, b decimal.Decimal) int { return a.Cmp(b) })
		pn := rapid.Int64Range(0, 1000).Draw(t, "p per mille")
		p := decimal.New(pn, -3)
		// pos = p(n-1) as a fraction pn(n-1)/1000.
		num := pn * int64(len(ds)-1)
		lo := num / 1000
		frac := big.NewRat(num%1000, 1000)
		want := ratOf(ds[lo])
		if frac.Sign() != 0 {
			diff := new(big.Rat).Sub(ratOf(ds[lo+1]), ratOf(ds[lo]))
			want.Add(want, diff.Mul(diff, frac))
		}
		got := stats.PercentileCont(ds, p)
		if ratOf(got).Cmp(want) != 0 {
			t.Fatalf("PercentileCont(%v, %s) = %s, want %s", ds, p, got, want.FloatString(10))
		}
		if got.Cmp(ds[0]) < 0 || got.Cmp(ds[len(ds)-1]) > 0 {
			t.Fatalf("PercentileCont(%v, %s) = %s lies outside the values", ds, p, got)
		}
	})
}

func ExamplePercentileCont() {
	days := decs("2", "3", "3", "8", "21") // days to close, sorted
	fmt.Println(stats.PercentileCont(days, decimal.RequireFromString("0.5")))
	fmt.Println(stats.PercentileCont(days, decimal.RequireFromString("0.9")))
	// Output:
	// 3
	// 15.8
}
