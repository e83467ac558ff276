package goal

import (
	"cmp"
	"math"
	"math/big"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A milestone is judged on numbers far apart in exponent (values near
// 10^±2147483648 a host passes) at once: 10^-2147483647 against an
// absolute milestone of 40 never returned (Cmp scaled 40 to its
// exponent), and 50 % of a target of 10^2147483647 panicked (Mul, an
// exponent of 2147483648). Hand counts; each case fails after 5 s.
func TestMilestoneReachedOfFarExponents(t *testing.T) {
	hi, lo := score.HigherIsBetter, score.LowerIsBetter
	tiny, huge := decimal.New(1, -2147483647), decimal.New(1, math.MaxInt32)
	half := Milestone{Percent: true, Value: decimal.New(5, 1)}   // 50%
	double := Milestone{Percent: true, Value: decimal.New(2, 2)} // 200%
	forty := Milestone{Value: decimal.New(4, 1)}                 // 40
	for _, c := range []struct {
		name           string
		m              Milestone
		dir            score.Direction
		actual, target decimal.Decimal
		want           bool
	}{
		{"a tiny actual below 40", forty, hi, tiny, decimal.New(5, 0), false},
		{"a tiny cost within 40", forty, lo, tiny, decimal.New(5, 0), true},
		{"a huge actual past 40", forty, hi, huge, decimal.New(5, 0), true},
		// 1 × 100 against 10^2147483647 × 50.
		{"1 of a huge target", half, hi, decimal.New(1, 0), huge, false},
		// 10^2147483647 × 100 against 10^2147483647 × 50: 100 %.
		{"a huge target met", half, hi, huge, huge, true},
		// 4 × 10^2147483646 × 100 against 10^2147483647 × 50: 40 %.
		{"40 % of a huge target", half, hi, decimal.New(4, 2147483646), huge, false},
		// A cost of 10^-2147483647 against 5: 5 × 100 against 200 × it.
		{"a tiny cost of a target of 5", double, lo, tiny, decimal.New(5, 0), true},
		// A cost of 10^2147483647 against 5: 500 against 200 × it.
		{"a huge cost of a target of 5", double, lo, huge, decimal.New(5, 0), false},
	} {
		t.Run(c.name, func(t *testing.T) {
			got := returnsIn5s(t, "Reached", func() bool {
				return c.m.Reached(c.dir, decimal.NewNullDecimal(c.actual), decimal.NewNullDecimal(c.target))
			})
			if got != c.want {
				t.Errorf("Reached: %v, want %v", got, c.want)
			}
		})
	}
}

// Milestone.Reached against a plain reference of its rule, for numbers
// of exponents anywhere in 32 bits: the comparisons of c·10^e written in
// big integers with the exponents apart taken from int64 (past 60 places,
// coefficients below 10^13 are told by their exponents).
func TestMilestoneReachedProperty(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		num := nearNumbers(t, 999_999)
		ca, ea := num("actual")
		ct, et := num("target")
		cm, em := num("milestone")
		m := Milestone{Percent: rapid.Bool().Draw(t, "percent"), Value: decimal.New(cm, em)}
		dir := rapid.SampledFrom([]score.Direction{score.HigherIsBetter, score.LowerIsBetter}).Draw(t, "direction")
		a, tg, p := int64(ea), int64(et), int64(em)
		var want bool
		switch {
		case !m.Percent && dir == score.LowerIsBetter:
			want = refCmp(ca, a, cm, p) <= 0
		case !m.Percent:
			want = refCmp(ca, a, cm, p) >= 0
		case dir == score.LowerIsBetter && ca <= 0:
			want = refCmp(ca, a, ct, tg) <= 0
		case dir == score.LowerIsBetter: // t·100 ≥ p·a
			want = refCmp(ct*100, tg, cm*ca, p+a) >= 0
		case ct <= 0:
			want = refCmp(cm, p, 100, 0) <= 0 && refCmp(ca, a, ct, tg) >= 0
		default: // a·100 ≥ t·p
			want = refCmp(ca*100, a, ct*cm, tg+p) >= 0
		}
		if got := m.Reached(dir, decimal.NewNullDecimal(decimal.New(ca, ea)), decimal.NewNullDecimal(decimal.New(ct, et))); got != want {
			t.Fatalf("milestone %s, %s: actual %de%d, target %de%d: %v, want %v", m, dir, ca, ea, ct, et, got, want)
		}
	})
}

// nearNumbers returns a generator of numbers c·10^e for a property's
// case: c within ±limit, e either a few places from an exponent drawn
// once for the case (so that its numbers are compared digit by digit)
// or anywhere in 32 bits (enginetest.Exponent).
func nearNumbers(t *rapid.T, limit int64) func(name string) (int64, int32) {
	exp := enginetest.Exponent()
	base := exp.Draw(t, "base")
	return func(name string) (int64, int32) {
		c := rapid.Int64Range(-limit, limit).Draw(t, name)
		if rapid.Bool().Draw(t, name+" near") {
			e := int64(base) + int64(rapid.IntRange(-4, 4).Draw(t, name+" by"))
			return c, int32(max(math.MinInt32, min(math.MaxInt32, e)))
		}
		return c, exp.Draw(t, name+" exponent")
	}
}

// refCmp compares c1·10^e1 with c2·10^e2 for coefficients below 10^13: by
// signs, then by exponents more than 60 apart, else exactly in big
// integers.
func refCmp(c1 int64, e1 int64, c2 int64, e2 int64) int {
	s1, s2 := cmp.Compare(c1, 0), cmp.Compare(c2, 0)
	if s1 != s2 || s1 == 0 {
		return cmp.Compare(s1, s2)
	}
	switch d := e1 - e2; {
	case d > 60:
		return s1
	case d < -60:
		return -s1
	case d >= 0:
		x := new(big.Int).Mul(big.NewInt(c1), new(big.Int).Exp(big.NewInt(10), big.NewInt(d), nil))
		return x.Cmp(big.NewInt(c2))
	default:
		y := new(big.Int).Mul(big.NewInt(c2), new(big.Int).Exp(big.NewInt(10), big.NewInt(-d), nil))
		return big.NewInt(c1).Cmp(y)
	}
}
