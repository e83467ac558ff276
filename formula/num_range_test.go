package formula

import (
	"math/big"
	"strconv"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// genEdgeDecimal draws numbers in and out of MaxDigits' range: short
// coefficients (a small form) and long ones (a big form), with exponents
// up to past ±MaxDigits.
func genEdgeDecimal() *rapid.Generator[decimal.Decimal] {
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		var c *big.Int
		if rapid.Bool().Draw(t, "long") {
			s := rapid.StringMatching(`-?[1-9][0-9]{18,25}`).Draw(t, "digits")
			c, _ = new(big.Int).SetString(s, 10)
		} else {
			c = big.NewInt(rapid.Int64Range(-999, 999).Draw(t, "c"))
		}
		e := rapid.SampledFrom([]int32{-1100, -1010, -1001, -1000, -999, -990, -10, 0, 10, 960, 978, 982, 990, 999, 1000, 1010, 1100}).Draw(t, "exp")
		return decimal.NewFromBigInt(c, e)
	})
}

// sci writes d as its coefficient and exponent, short where the plain
// text of a number beyond MaxDigits is thousands of digits.
func sci(d decimal.Decimal) string {
	return d.Coefficient().String() + "e" + strconv.Itoa(int(d.Exponent()))
}

// limited runs fn and reports whether it stopped with a limit error.
func limited(fn func() Value) (v Value, limit bool) {
	defer func() {
		if r := recover(); r != nil {
			p, ok := r.(*evalPanic)
			if !ok || p.code != CodeLimit {
				panic(r)
			}
			limit = true
		}
	}()
	return fn(), false
}

// outOfRange reports whether d is beyond MaxDigits: more significant
// digits, digits before the point or digits after it.
func outOfRange(d decimal.Decimal) bool {
	if d.IsZero() {
		return false
	}
	n, e := int64(d.NumDigits()), int64(d.Exponent())
	return n > MaxDigits || e < -MaxDigits || n+e > MaxDigits
}

// An operand beyond MaxDigits fails an arithmetic operation, rounding,
// floor and ceil with a limit error, whether it is held in the small form
// (a coefficient under 10^18) or the big one: the small form's shortcuts
// gave a value where the same number's big form failed (5e1000 × 0 was 0,
// 12345678901234567890e1000 × 0 a limit error).
func TestOperandOutOfRangeFailsInEveryForm(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := genEdgeDecimal().Draw(t, "a")
		b := genEdgeDecimal().Draw(t, "b")
		if rapid.IntRange(0, 4).Draw(t, "zero b") == 0 {
			b = decimal.Zero
		}
		for _, f := range []struct {
			name   string
			binary bool
			fn     func(x, y Value) Value
		}{
			{"add", true, func(x, y Value) Value { return addNum(x, y, 0) }},
			{"sub", true, func(x, y Value) Value { return subNum(x, y, 0) }},
			{"mul", true, func(x, y Value) Value { return mulNum(x, y, 0) }},
			{"div", true, func(x, y Value) Value { return divNum(x, y, 0) }},
			{"mod", true, func(x, y Value) Value { return modNum(x, y, 0) }},
			{"round", false, func(x, _ Value) Value { return roundNum(x, 2, 0) }},
			{"floor", false, func(x, _ Value) Value { return floorNum(x, 0) }},
			{"ceil", false, func(x, _ Value) Value { return ceilNum(x, 0) }},
			{"pow0", false, func(x, _ Value) Value { return powNum(x, 0, 0) }},
			{"pow2", false, func(x, _ Value) Value { return powNum(x, 2, 0) }},
		} {
			beyond := outOfRange(a) || (f.binary && outOfRange(b))
			switch {
			case (f.name == "div" || f.name == "mod") && b.IsZero():
				beyond = false // x / 0 is undefined, never an error
			case f.name == "div" && a.IsZero():
				beyond = false // 0 / x is 0
			}
			for _, form := range []struct {
				name string
				x, y Value
			}{{"natural", Number(a), Number(b)}, {"big", bigVal(a), bigVal(b)}} {
				v, limit := limited(func() Value { return f.fn(form.x, form.y) })
				if beyond && !limit {
					t.Fatalf("%s(%s, %s), %s form: %s, want a limit error", f.name, sci(a), sci(b), form.name, sci(v.dec()))
				}
				if (f.name == "div" || f.name == "mod") && b.IsZero() && (limit || v.Defined()) {
					t.Fatalf("%s(%s, 0), %s form: %v (a limit error: %v), want undefined", f.name, sci(a), form.name, v, limit)
				}
			}
		}
	})
}
