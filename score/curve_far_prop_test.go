package score

import (
	"cmp"
	"math/big"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A linear curve's score of an actual c·10^e, for exponents anywhere in
// 32 bits, is as its documentation says: where e is within 100,000 places
// of every point's exponent, the exact value of the line (big.Rat) rounded
// half away from zero to the places, held by the floor and the cap; past
// them, an actual far above the points in size scores the cap where the
// end segment rises towards it (the floor without a cap), the floor where
// it falls, the end segment's score where it is flat; any other far
// actual (nearer zero than the points) scores the floor.
func TestCurvePointsAgainstRat(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		dir := rapid.SampledFrom([]Direction{HigherIsBetter, LowerIsBetter}).Draw(t, "dir")
		n := rapid.IntRange(2, 3).Draw(t, "points")
		var pts []CurvePoint
		scores := make([]decimal.Decimal, n)
		for i := range n {
			scores[i] = decimal.New(rapid.Int64Range(-50, 200).Draw(t, "score"), int32(rapid.IntRange(-1, 1).Draw(t, "se")))
		}
		slices.SortFunc(scores, func(a, b decimal.Decimal) int { return a.Cmp(b) })
		if dir == LowerIsBetter {
			slices.Reverse(scores)
		}
		for range n {
			at := decimal.New(rapid.Int64Range(-1000, 1000).Draw(t, "at"), int32(rapid.IntRange(-3, 3).Draw(t, "ae")))
			if slices.ContainsFunc(pts, func(p CurvePoint) bool { return p.At.Equal(at) }) {
				t.Skip("two points at one actual")
			}
			pts = append(pts, CurvePoint{At: at})
		}
		slices.SortFunc(pts, func(a, b CurvePoint) int { return a.At.Cmp(b.At) })
		for i := range pts {
			pts[i].Score = scores[i]
		}
		var capPtr *decimal.Decimal
		if rapid.Bool().Draw(t, "capped") {
			c := decimal.NewFromInt(rapid.Int64Range(0, 300).Draw(t, "cap"))
			capPtr = &c
		}
		places := int32(rapid.IntRange(0, 3).Draw(t, "places"))
		cv, err := NewCurve(CurveSpec{Direction: dir, Target: decimal.NewFromInt(100), Curve: &CurveDef{Points: pts}, Cap: capPtr, Places: places})
		if err != nil {
			t.Fatal(err)
		}
		e := enginetest.Exponent().Draw(t, "e")
		x := decimal.New(rapid.Int64Range(-999_999, 999_999).Draw(t, "c"), e)
		got, err := cv.Score(decimal.NewNullDecimal(x))
		if err != nil {
			t.Fatal(err)
		}
		floor := decimal.Zero
		hold := func(s *big.Rat) *big.Rat {
			if s.Cmp(floor.Rat()) < 0 {
				return floor.Rat()
			}
			if capPtr != nil && s.Cmp(capPtr.Rat()) > 0 {
				return capPtr.Rat()
			}
			return s
		}
		var want *big.Rat
		far := x.Sign() != 0 && slices.ContainsFunc(pts, func(p CurvePoint) bool {
			d := int64(e) - int64(p.At.Exponent())
			return d > 100_000 || d < -100_000
		})
		switch {
		case far && e > 0:
			a, b := pts[len(pts)-2], pts[len(pts)-1]
			if x.Sign() < 0 {
				a, b = pts[0], pts[1]
			}
			rises := b.Score.Cmp(a.Score) * x.Sign() // the way the value goes as |x| grows
			switch {
			case rises > 0 && capPtr != nil:
				want = capPtr.Rat()
			case rises != 0:
				want = floor.Rat()
			default:
				want = hold(roundRatHalfAway(a.Score.Rat(), places))
			}
		case far:
			want = floor.Rat()
		default:
			xr := new(big.Rat) // 0e-2147483648 without its power of ten
			if x.Sign() != 0 {
				xr = x.Rat()
			}
			i := 0
			for i < len(pts)-2 && xr.Cmp(pts[i+1].At.Rat()) >= 0 {
				i++
			}
			a, b := pts[i], pts[i+1]
			// y0 + (x − x0)·(y1 − y0)/(x1 − x0)
			v := new(big.Rat).Sub(xr, a.At.Rat())
			v.Mul(v, new(big.Rat).Sub(b.Score.Rat(), a.Score.Rat()))
			v.Quo(v, new(big.Rat).Sub(b.At.Rat(), a.At.Rat()))
			v.Add(v, a.Score.Rat())
			want = hold(roundRatHalfAway(v, places))
		}
		if got.Rat().Cmp(want) != 0 {
			t.Fatalf("score of %se%d = %s, want %s", x.Coefficient(), e, got, want.RatString())
		}
	})
}

// roundRatHalfAway is r rounded half away from zero to places.
func roundRatHalfAway(r *big.Rat, places int32) *big.Rat {
	p := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil))
	x := new(big.Rat).Mul(r, p)
	half := big.NewRat(int64(cmp.Compare(x.Sign(), 0)), 2)
	x.Add(x, half)
	q := new(big.Int).Quo(x.Num(), x.Denom())
	return new(big.Rat).Quo(new(big.Rat).SetInt(q), p)
}
