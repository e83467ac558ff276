package forecast

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// quantileOf catches Quantile's panic, as its text.
func quantileOf(d Distribution, q float64) (v decimal.Decimal, panicked string) {
	defer func() {
		if r := recover(); r != nil {
			panicked = fmt.Sprint(r)
		}
	}()
	return d.Quantile(q), ""
}

// Over any float64: a q in [0, 1] gives one of the samples, no smaller for
// a larger q; NaN and a q outside [0, 1] panic, naming q. They returned
// the smallest sample (NaN, below 0) or the largest (above 1).
func TestQuantileOverAnyQ(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		finals := rapid.SliceOfN(rapid.Int64Range(-1000, 1000), 1, 50).Draw(t, "finals")
		slices.Sort(finals)
		d := Distribution{finals: finals}
		pick := func(label string) float64 {
			return rapid.OneOf(rapid.Float64(), rapid.Float64Range(0, 1), rapid.Float64Range(-1e-300, 1e-300),
				rapid.SampledFrom([]float64{math.NaN(), math.Inf(1), math.Inf(-1), -0.5, 1.5, math.Nextafter(1, 2), math.Nextafter(0, -1), 0, 1})).Draw(t, label)
		}
		q1, q2 := pick("q1"), pick("q2")
		v1, p1 := quantileOf(d, q1)
		v2, p2 := quantileOf(d, q2)
		for _, c := range []struct {
			q float64
			v decimal.Decimal
			p string
		}{{q1, v1, p1}, {q2, v2, p2}} {
			in := c.q >= 0 && c.q <= 1
			switch {
			case in && c.p != "":
				t.Fatalf("Quantile(%v) panicked: %s", c.q, c.p)
			case !in && !strings.Contains(c.p, fmt.Sprintf("Quantile(%v): q must be in [0, 1]", c.q)):
				t.Fatalf("Quantile(%v) = %s, panic %q: want a panic naming q", c.q, c.v, c.p)
			case in && !slices.Contains(finals, c.v.IntPart()):
				t.Fatalf("Quantile(%v) = %s: no sample", c.q, c.v)
			}
		}
		if p1 == "" && p2 == "" && q1 <= q2 && v1.GreaterThan(v2) {
			t.Fatalf("Quantile(%v) = %s > Quantile(%v) = %s", q1, v1, q2, v2)
		}
	})
}

// The rank of a q written in decimal is exact: ⌈q·n⌉ of q as written, the
// first sample for q = 0. The reference reads the decimal's digits into
// a big.Rat. The rank came from the float product, so 0.07 of 100 samples
// (7.000000000000001 in binary) gave the 8th sample, and 0.29 of 100 the
// 30th. Decimals of up to 15 significant digits read back as written; half
// the draws take a count of samples of which q is a whole number of
// samples, where the float product can land just above it.
func TestQuantileRankOfADecimalQ(t *testing.T) {
	check := func(t interface {
		Fatal(...any)
		Fatalf(string, ...any)
	}, written *big.Rat, places, n int) {
		q, err := strconv.ParseFloat(written.FloatString(places), 64)
		if err != nil {
			t.Fatal(err)
		}
		// ⌈written·n⌉, at least 1.
		prod := new(big.Rat).Mul(written, new(big.Rat).SetInt64(int64(n)))
		rank := new(big.Int).Quo(prod.Num(), prod.Denom())
		if new(big.Rat).SetInt(rank).Cmp(prod) < 0 {
			rank.Add(rank, big.NewInt(1))
		}
		want := max(rank.Int64(), 1) - 1 // the sample of that rank: finals[i] = i
		finals := make([]int64, n)
		for i := range finals {
			finals[i] = int64(i)
		}
		if got := (Distribution{finals: finals}).Quantile(q); !got.Equal(decimal.NewFromInt(want)) {
			t.Fatalf("Quantile(%s) of %d samples = the sample of rank %s, want %d", written.FloatString(places), n, got.Add(decimal.NewFromInt(1)), want+1)
		}
	}
	for _, c := range []struct {
		num, den int64
		places   int
		n        int
	}{{7, 100, 2, 100}, {29, 100, 2, 100}, {57, 100, 2, 100}, {1, 10, 1, 1000}, {9, 10, 1, 1000}, {1, 2, 1, 1000}} {
		check(t, big.NewRat(c.num, c.den), c.places, c.n)
	}
	const most = 1 << 20
	rapid.Check(t, func(t *rapid.T) {
		places := rapid.IntRange(0, 15).Draw(t, "places")
		scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil).Int64()
		digits := rapid.OneOf(rapid.Int64Range(0, scale), rapid.SampledFrom([]int64{0, 1, 7, 29, 57, 99, scale})).Draw(t, "digits")
		digits = min(digits, scale)
		written := big.NewRat(digits, scale)
		n := rapid.IntRange(1, 2000).Draw(t, "n")
		if den := written.Denom().Int64(); den <= most && rapid.Bool().Draw(t, "whole") {
			n = int(den) * rapid.IntRange(1, int(most/den)).Draw(t, "times")
		}
		check(t, written, places, n)
	})
}
