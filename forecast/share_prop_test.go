package forecast

import (
	"math"
	"math/big"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// Share.Of is x·Num/Den as big.Rat gives it (exact when it terminates,
// else to 16 significant digits), for exponents anywhere in 32 bits: the
// reference divides the coefficients and moves the result by
// x's exponent plus Num's less Den's, counted in 64 bits. It is undefined
// when an exact result's last digit is below 10^-2147483648, and defined
// wherever the result's last digit is within 32 bits.
func TestShareOfAgainstRat(t *testing.T) {
	exp := enginetest.Exponent()
	rapid.Check(t, func(t *rapid.T) {
		cx := rapid.Int64Range(-1_000_000, 1_000_000).Draw(t, "cx")
		cn := rapid.Int64Range(0, 1_000_000).Draw(t, "cn")
		cd := rapid.Int64Range(1, 1_000_000).Draw(t, "cd")
		ex, en, ed := exp.Draw(t, "ex"), exp.Draw(t, "en"), exp.Draw(t, "ed")
		x, num, den := decimal.New(cx, ex), decimal.New(cn, en), decimal.New(cd, ed)
		got, ok := Share{Num: num, Den: den}.Of(x)
		r := big.NewRat(cx*cn, cd) // the value over 10^e
		e := int64(ex) + int64(en) - int64(ed)
		if r.Sign() == 0 {
			if !ok || !got.IsZero() {
				t.Fatalf("Of = %se%d, %v; want 0", got.Coefficient(), got.Exponent(), ok)
			}
			return
		}
		// The exponent of the result's last digit, relative to 10^e: the
		// last nonzero digit of r when it terminates, else its 16th.
		last, terminates := lastDigit(r)
		switch abs := e + last; {
		case abs < math.MinInt32 && !ok:
			return
		case abs < math.MinInt32 && terminates:
			if ok {
				t.Fatalf("Of(%de%d) by %de%d/%de%d = %se%d, want undefined (last digit at 10^%d)", cx, ex, cn, en, cd, ed, got.Coefficient(), got.Exponent(), abs)
			}
			return
		case abs > math.MaxInt32 && !ok:
			// Undefined unless trailing zeros of the quotient keep it
			// within (Div adds none).
			return
		}
		// Past 32 bits and defined: a 16-digit rounding that ends in
		// zeros, checked below.
		if !ok {
			t.Fatalf("Of(%de%d) by %de%d/%de%d undefined, want r·10^%d, r = %s", cx, ex, cn, en, cd, ed, e, r.RatString())
		}
		shift := int64(got.Exponent()) - e
		if shift < -40 || shift > 40 {
			t.Fatalf("Of = %se%d, want r·10^%d, r = %s", got.Coefficient(), got.Exponent(), e, r.RatString())
		}
		g := new(big.Rat).SetInt(got.Coefficient())
		p := new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(max(shift, -shift)), nil))
		if shift >= 0 {
			g.Mul(g, p)
		} else {
			g.Quo(g, p)
		}
		diff := new(big.Rat).Abs(new(big.Rat).Sub(g, r))
		if terminates {
			if diff.Sign() != 0 {
				t.Fatalf("Of = %se%d, want exactly %s·10^%d", got.Coefficient(), got.Exponent(), r.RatString(), e)
			}
			return
		}
		// Within half a unit of the 16th significant digit, 10^last.
		half := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(-last), nil))
		half.Quo(half, big.NewRat(2, 1))
		if diff.Cmp(half) > 0 {
			t.Fatalf("Of = %se%d, want %s·10^%d to 16 digits", got.Coefficient(), got.Exponent(), r.FloatString(20), e)
		}
	})
}

// lastDigit is the exponent of r's last nonzero digit when r terminates,
// else of its 16th significant digit.
func lastDigit(r *big.Rat) (int64, bool) {
	ten := big.NewRat(10, 1)
	y := new(big.Rat).Abs(r)
	if y.IsInt() {
		k := int64(0)
		n := new(big.Int).Set(y.Num())
		for q, m := new(big.Int), new(big.Int); ; k++ {
			if q.QuoRem(n, big.NewInt(10), m); m.Sign() != 0 {
				return k, true
			}
			n.Set(q)
		}
	}
	for k := int64(1); k <= 80; k++ {
		y.Mul(y, ten)
		if y.IsInt() {
			return -k, true
		}
	}
	a := new(big.Rat).Abs(r)
	lead := int64(0)
	for p := big.NewRat(10, 1); a.Cmp(p) >= 0; p.Mul(p, ten) {
		lead++
	}
	for p := big.NewRat(1, 1); a.Cmp(p) < 0; p.Quo(p, ten) {
		lead--
	}
	return lead - 15, false
}
