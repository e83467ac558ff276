package stats

import (
	"math/big"
	"slices"
	"testing"

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

// The cases are PostgreSQL's: SELECT percentile_cont(p) WITHIN GROUP
// (ORDER BY x) FROM (VALUES …) t(x).
func TestPercentileCont(t *testing.T) {
	for _, tt := range []struct {
		name   string
		values []decimal.Decimal
		p      string
		want   string
	}{
		{"one value", decs("7"), "0.9", "7"},
		{"median of an odd count", decs("1", "3", "8"), "0.5", "3"},
		{"median of an even count", decs("1", "2", "3", "4"), "0.5", "2.5"},
		{"p90 of four", decs("1", "2", "3", "4"), "0.9", "3.7"},
		{"p0 is the least", decs("-5", "0", "12.25"), "0", "-5"},
		{"p1 is the greatest", decs("-5", "0", "12.25"), "1", "12.25"},
		{"p90 of ten", decs("10", "20", "30", "40", "50", "60", "70", "80", "90", "100"), "0.9", "91"},
		{"exact between decimals", decs("0.1", "0.2"), "0.25", "0.125"},
		{"ties", decs("2", "2", "2", "9"), "0.5", "2"},
		{"a third", decs("0", "3"), "0.3333", "0.9999"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got := PercentileCont(tt.values, decimal.RequireFromString(tt.p))
			if got.String() != tt.want {
				t.Errorf("PercentileCont(%v, %s) = %s, want %s", tt.values, tt.p, got, tt.want)
			}
		})
	}
}

func TestPercentileContPanics(t *testing.T) {
	for _, tt := range []struct {
		name   string
		values []decimal.Decimal
		p      string
	}{{"no values", nil, "0.5"}, {"above 1", decs("1"), "1.01"}, {"below 0", decs("1"), "-0.1"}} {
		t.Run(tt.name, func(t *testing.T) {
			defer func() {
				if recover() == nil {
					t.Error("no panic")
				}
			}()
			PercentileCont(tt.values, decimal.RequireFromString(tt.p))
		})
	}
}

func genDecimal(t *rapid.T, label string) decimal.Decimal {
	return decimal.New(rapid.Int64Range(-1_000_000, 1_000_000).Draw(t, label), -rapid.Int32Range(0, 3).Draw(t, label+"_places"))
}

// The percentile lies between the least and the greatest value, grows with
// p, and equals the interpolation computed with exact rationals.
func TestPercentileContProperties(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 30).Draw(t, "n")
		vs := make([]decimal.Decimal, n)
		for i := range vs {
			vs[i] = genDecimal(t, "v")
		}
		slices.SortFunc(vs, decimal.Decimal.Cmp)
		p := decimal.New(rapid.Int64Range(0, 1000).Draw(t, "p"), -3)
		q := decimal.New(rapid.Int64Range(0, 1000).Draw(t, "q"), -3)
		got := PercentileCont(vs, p)
		if got.LessThan(vs[0]) || got.GreaterThan(vs[n-1]) {
			t.Fatalf("percentile %s of %v = %s, outside [min, max]", p, vs, got)
		}
		if other := PercentileCont(vs, q); p.LessThan(q) && other.LessThan(got) {
			t.Fatalf("percentile %s = %s > percentile %s = %s", p, got, q, other)
		}
		if med := PercentileCont(vs, decimal.RequireFromString("0.5")); med.LessThan(vs[0]) || med.GreaterThan(vs[n-1]) {
			t.Fatalf("median %s outside [%s, %s]", med, vs[0], vs[n-1])
		}
		// The reference: position h = p(n−1) as a rational, x[⌊h⌋] + (h − ⌊h⌋)(x[⌊h⌋+1] − x[⌊h⌋]).
		h := new(big.Rat).Mul(rat(p), big.NewRat(int64(n-1), 1))
		lo := new(big.Int).Quo(h.Num(), h.Denom())
		i := int(lo.Int64())
		want := rat(vs[i])
		if frac := new(big.Rat).Sub(h, new(big.Rat).SetInt(lo)); frac.Sign() != 0 {
			want.Add(want, frac.Mul(frac, new(big.Rat).Sub(rat(vs[i+1]), rat(vs[i]))))
		}
		if rat(got).Cmp(want) != 0 {
			t.Fatalf("percentile %s of %v = %s, want %s", p, vs, got, want.RatString())
		}
	})
}

func rat(d decimal.Decimal) *big.Rat {
	r, ok := new(big.Rat).SetString(d.String())
	if !ok {
		panic(d.String())
	}
	return r
}
