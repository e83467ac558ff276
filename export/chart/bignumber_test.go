package chart_test

import (
	"fmt"
	"math"
	"math/big"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/chart"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Axis labels from a billion on are written short: the burn-up of a goal
// of 3×10²³ wrote "320 000 000 000 000 000 000 000" beside its axis, a
// third of the image's width, and a label of 10^300 ran off it.
func TestAxisNumberOfLargeValues(t *testing.T) {
	for f, want := range map[float64]string{
		999_999_999.99: "999 999 999.99", 1e9: "1B", -2.5e9: "-2.5B", 3.2e11: "320B",
		999_995_000_000: "1T", 4.56e13: "45.6T", 999.994e12: "999.99T",
		// A thousand trillions and on: a power of ten, rounded up to
		// the next where the mantissa rounds to ten.
		999.995e12: "1×10¹⁵", 1e15: "1×10¹⁵", 1.5e18: "1.5×10¹⁸", -2.345e21: "-2.35×10²¹",
		9.999e15: "1×10¹⁶", 8e22: "8×10²²", 1e300: "1×10³⁰⁰", math.MaxFloat64: "1.8×10³⁰⁸",
	} {
		if got := chart.AxisNumber(f); got != want {
			t.Errorf("axisNumber(%g) = %q, want %q", f, got, want)
		}
	}
	for f, want := range map[float64]string{4.56e13: "45.6T", 999_995_000_000: "1T", 1.5e18: "1.5×10¹⁸"} {
		if got := chart.CompactNumber(f); got != want {
			t.Errorf("compactNumber(%g) = %q, want %q", f, got, want)
		}
	}
	// The burn-up of a goal of 3×10²³ (the sample's, scaled).
	row := rowOf(t, "revenue_plan", "vera")
	scale := decimal.New(1, 18)
	for i := range row.Series {
		p := &row.Series[i]
		p.Plan.Decimal, p.Actual.Decimal = p.Plan.Decimal.Mul(scale), p.Actual.Decimal.Mul(scale)
	}
	row.Target.Decimal = row.Target.Decimal.Mul(scale)
	svg, err := chart.BurnUp(row, chart.Options{Format: chart.SVG})
	if err != nil {
		t.Fatal(err)
	}
	text := svgText(t, svg)
	if !strings.Contains(text, "×10²³") || strings.Contains(text, "000 000") {
		t.Errorf("the burn-up's labels:\n%s", text)
	}
}

// Property: a label written as a power of ten, m×10ⁿ, reads as the
// number to within half a unit of m's second place: 1 ≤ |m| < 10, and
// |m·10ⁿ − f| ≤ 0.005·10ⁿ, computed in big floats.
func TestPowerOfTenReadsAsTheNumber(t *testing.T) {
	digits := []rune("⁰¹²³⁴⁵⁶⁷⁸⁹")
	rapid.Check(t, func(t *rapid.T) {
		f := rapid.Float64Range(1e15, math.MaxFloat64).Draw(t, "f")
		if rapid.Bool().Draw(t, "negative") {
			f = -f
		}
		label := chart.AxisNumber(f)
		mant, exp, ok := strings.Cut(label, "×10")
		if !ok {
			t.Fatalf("axisNumber(%g) = %q: no power of ten", f, label)
		}
		m, err := strconv.ParseFloat(mant, 64)
		if err != nil || math.Abs(m) < 1 || math.Abs(m) >= 10 || math.Abs(m*100-math.Round(m*100)) > 1e-9 {
			t.Fatalf("axisNumber(%g) = %q: mantissa %q", f, label, mant)
		}
		n := 0
		for _, r := range exp {
			d := slices.Index(digits, r)
			if d < 0 {
				t.Fatalf("axisNumber(%g) = %q: exponent %q", f, label, exp)
			}
			n = n*10 + d
		}
		pow := new(big.Float).SetPrec(2000).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil))
		diff := new(big.Float).SetPrec(2000).Mul(new(big.Float).SetPrec(2000).SetFloat64(m), pow)
		diff.Sub(diff, new(big.Float).SetPrec(2000).SetFloat64(f))
		diff.Abs(diff)
		bound := new(big.Float).SetPrec(2000).Mul(pow, big.NewFloat(0.0050001))
		if diff.Cmp(bound) > 0 {
			t.Fatalf("axisNumber(%g) = %q: %s off", f, label, fmt.Sprint(diff))
		}
	})
}

// Property: compactNumber's label reads as the number to within half a
// unit of its second place (k, M, B and T for 10³, 10⁶, 10⁹ and 10¹²,
// m×10ⁿ for 10ⁿ; below ten thousand, grouped digits), and its mantissa is
// under a thousand of its unit (under ten for a power of ten): at every
// magnitude, computed in big floats.
func TestCompactNumberReadsAsTheNumber(t *testing.T) {
	units := map[string]float64{"k": 1e3, "M": 1e6, "B": 1e9, "T": 1e12}
	digits := []rune("⁰¹²³⁴⁵⁶⁷⁸⁹")
	rapid.Check(t, func(t *rapid.T) {
		f := math.Pow(10, rapid.Float64Range(-3, 308.25).Draw(t, "log10"))
		if rapid.Bool().Draw(t, "negative") {
			f = -f
		}
		label := chart.CompactNumber(f)
		mant, unit, limit := label, big.NewFloat(1), 1e300
		if m, exp, ok := strings.Cut(label, "×10"); ok {
			n := 0
			for _, r := range exp {
				n = n*10 + slices.Index(digits, r)
			}
			mant, limit = m, 10
			unit.SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(n)), nil))
		} else if u, ok := units[label[len(label)-1:]]; ok {
			mant, limit = label[:len(label)-1], 1000
			unit.SetFloat64(u)
		} else {
			mant = strings.ReplaceAll(label, " ", "")
		}
		m, err := strconv.ParseFloat(mant, 64)
		if err != nil || math.Abs(m) >= limit || (limit == 10 && math.Abs(m) < 1) {
			t.Fatalf("compactNumber(%g) = %q: mantissa %q", f, label, mant)
		}
		got := new(big.Float).SetPrec(2000).Mul(new(big.Float).SetPrec(2000).SetFloat64(m), unit)
		diff := got.Sub(got, new(big.Float).SetPrec(2000).SetFloat64(f))
		bound := new(big.Float).SetPrec(2000).Mul(unit, big.NewFloat(0.0050001))
		if diff.Abs(diff).Cmp(bound) > 0 {
			t.Fatalf("compactNumber(%g) = %q: %s off", f, label, diff.Text('g', 5))
		}
	})
}
