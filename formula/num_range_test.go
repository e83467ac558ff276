package formula

import (
	"errors"
	"math/big"
	"strconv"
	"strings"
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

// outOfRange reports whether d's value is beyond MaxDigits: more
// significant digits, digits before the point or digits after it, read
// from its digits written out without the coefficient's trailing zeros.
func outOfRange(d decimal.Decimal) bool {
	if d.IsZero() {
		return false
	}
	digits := strings.TrimLeft(d.Coefficient().String(), "-")
	e := int64(d.Exponent())
	for strings.HasSuffix(digits, "0") {
		digits = digits[:len(digits)-1]
		e++
	}
	n := int64(len(digits))
	return n > MaxDigits || e < -MaxDigits || n+e > MaxDigits
}

// padded is d held with k more trailing zeros in its coefficient: the same
// value, as a table at a fixed scale holds an amount (1e999 at scale 2 is
// 100…0e-2).
func padded(d decimal.Decimal, k int) decimal.Decimal {
	c := new(big.Int).Mul(d.Coefficient(), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(k)), nil))
	return decimal.NewFromBigInt(c, d.Exponent()-int32(k))
}

// A literal is read by its value too: 1000…000.00 (1e999) compiles,
// 1000…0000 (1e1000) does not.
func TestLiteralLimitIsOnTheValue(t *testing.T) {
	for _, c := range []struct {
		src  string
		want decimal.Decimal
	}{
		{"1" + strings.Repeat("0", 999) + ".00", decimal.New(1, 999)},
		{"0." + strings.Repeat("0", 999) + "1000", decimal.New(1, -1000)},
		{"2" + strings.Repeat("0", 999) + ".0 / 2", decimal.New(1, 999)},
	} {
		p, err := Compile(c.src, nil, TypeNumber)
		if err != nil {
			t.Fatalf("Compile(%.20q…): %v", c.src, err)
		}
		if v, _ := p.Eval(nil); !v.Equal(Number(c.want)) {
			t.Errorf("%.20q…: %v, want %s", c.src, v, sci(c.want))
		}
	}
	_, err := Compile("1"+strings.Repeat("0", 1000), nil, TypeNumber)
	if err == nil || err.(*Error).Code != CodeLimit {
		t.Errorf("1e1000 written out: %v, want a limit error", err)
	}
}

// The limit is on a number's value, not on how it is held: a number within
// it with trailing zeros in its coefficient (1e999 held as 100…0e-2, as a
// table at scale 2 holds an amount of 1e999) failed every operation as
// beyond it, and a literal written 1000…000.00 did not compile. Each
// operation gives the same value, or the same limit error, for a number
// and for the same number padded with zeros.
func TestLimitIsOnTheValue(t *testing.T) {
	ops := []struct {
		src string
		ref func(x decimal.Decimal) (decimal.Decimal, bool) // nil: no exact reference here
	}{
		{"x * 1", func(x decimal.Decimal) (decimal.Decimal, bool) { return x, true }},
		{"x + 0", func(x decimal.Decimal) (decimal.Decimal, bool) { return x, true }},
		{"x - x", func(decimal.Decimal) (decimal.Decimal, bool) { return decimal.Zero, true }},
		{"x / 1", func(x decimal.Decimal) (decimal.Decimal, bool) { return x, true }},
		{"x % 1", nil},
		{"x ** 1", func(x decimal.Decimal) (decimal.Decimal, bool) { return x, true }},
		{"x ** 2", nil},
		{"round(x, 2)", nil},
		{"floor(x)", func(x decimal.Decimal) (decimal.Decimal, bool) { return x.Floor(), true }},
		{"abs(x)", func(x decimal.Decimal) (decimal.Decimal, bool) { return x.Abs(), true }},
		{"max(x, 0)", nil},
		{"sum([x])", func(x decimal.Decimal) (decimal.Decimal, bool) { return x, true }},
	}
	env := NewEnv(Decl{"x", TypeNumber})
	rapid.Check(t, func(t *rapid.T) {
		x := genEdgeDecimal().Draw(t, "x")
		k := rapid.SampledFrom([]int{1, 2, 3, 17, 18, 19, 40, 1001, 2500}).Draw(t, "zeros")
		px := padded(x, k)
		beyond := outOfRange(x)
		if outOfRange(px) != beyond {
			t.Fatalf("reference: %s and %s differ", sci(x), sci(px))
		}
		for _, op := range ops {
			p, err := Compile(op.src, env, TypeNumber)
			if err != nil {
				t.Fatalf("Compile(%q): %v", op.src, err)
			}
			var outs [2]Value
			for i, v := range []Value{Number(x), Number(px)} {
				got, err := p.Eval(MapScope{"x": v})
				var fe *Error
				switch {
				case err == nil:
				case errors.As(err, &fe) && fe.Code == CodeLimit:
					if !beyond && op.ref != nil {
						t.Fatalf("%s with x = %s: %v, want a value", op.src, sci(v.dec()), err)
					}
					got = String("limit")
				default:
					t.Fatalf("%s with x = %s: %v", op.src, sci(v.dec()), err)
				}
				if beyond && err == nil {
					t.Fatalf("%s with x = %s beyond the limit: %v, want a limit error", op.src, sci(v.dec()), got)
				}
				outs[i] = got
			}
			if !outs[0].Equal(outs[1]) {
				t.Fatalf("%s: x = %s gives %v, the same padded with %d zeros %v", op.src, sci(x), outs[0], k, outs[1])
			}
			if op.ref == nil || beyond {
				continue
			}
			want, _ := op.ref(x)
			if d, ok := outs[0].Number(); !ok || !d.Equal(want) {
				t.Fatalf("%s with x = %s: %v, want %s", op.src, sci(x), outs[0], sci(want))
			}
		}
	})
}

// An operand beyond MaxDigits fails an arithmetic operation, rounding,
// floor and ceil with a limit error, whether it is held in the small form
// (a coefficient under 10^18) or the big one: the small form's shortcuts
// gave a value where the same number's big form failed (5e1000 × 0 was 0,
// 12345678901234567890e1000 × 0 a limit error). 0 / x fails too, as 0 × x
// does (it was 0); x / 0 is undefined whatever x.
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
