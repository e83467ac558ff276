package sqlcore

import (
	"math"
	"math/big"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// TestTextWithPlaces checks the text of an amount and of a decimal
// attribute (rapid) against one written digit by digit from the
// coefficient: as many places as the exponent below zero says, trailing
// and leading zeros kept; one above zero as the whole number; and that
// decimal's parser reads it back as the same value with that exponent (0
// for one above zero). Coefficients of up to 18 digits (the buffer's path)
// and past int64, exponents near 18 places and up to ±1000.
func TestTextWithPlaces(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		coef := big.NewInt(rapid.OneOf(
			rapid.Int64Range(-1000, 1000),
			rapid.SampledFrom([]int64{0, 1, -1, 10, 999_999_999_999_999_999, -999_999_999_999_999_999, 1e18, -1e18, math.MaxInt64, math.MinInt64}),
			rapid.Int64(),
		).Draw(t, "coefficient"))
		if rapid.Bool().Draw(t, "wide") {
			coef.Lsh(coef, 64).Add(coef, big.NewInt(1))
		}
		exp := rapid.OneOf(
			rapid.Int32Range(-20, 3),
			rapid.SampledFrom([]int32{-1000, -19, -18, -17, 0, 1000}),
			rapid.Int32Range(-1000, 1000),
		).Draw(t, "exponent")
		d := decimal.NewFromBigInt(coef, exp)
		got := textWithPlaces(d)

		sign, digits := "", new(big.Int).Abs(coef).String()
		if coef.Sign() < 0 {
			sign = "-"
		}
		var want string
		switch {
		case exp > 0 && coef.Sign() == 0:
			want = "0"
		case exp >= 0:
			want = sign + digits + strings.Repeat("0", int(exp))
		default:
			p := int(-exp)
			if len(digits) <= p {
				digits = strings.Repeat("0", p+1-len(digits)) + digits
			}
			want = sign + digits[:len(digits)-p] + "." + digits[len(digits)-p:]
		}
		if got != want {
			t.Fatalf("%v (coefficient %s, exponent %d) written %q, want %q", d, coef, exp, got, want)
		}
		back, err := decimal.NewFromString(got)
		if err != nil {
			t.Fatalf("%q: %v", got, err)
		}
		if wx := min(exp, 0); !back.Equal(d) || back.Exponent() != wx {
			t.Fatalf("%q reads back as %v of exponent %d, want %v of exponent %d", got, back, back.Exponent(), d, wx)
		}
	})
}
