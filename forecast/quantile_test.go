package forecast

import (
	"fmt"
	"math"
	"slices"
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
