package formula

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// evalLimit evaluates src over s and reports its value, or limit = true
// when it failed with a limit error; any other error fails the test.
func evalLimit(t interface {
	Helper()
	Fatalf(string, ...any)
}, src string, s MapScope) (v Value, limit bool) {
	t.Helper()
	env := NewEnv(Decl{"a", TypeNumber}, Decl{"b", TypeNumber}, Decl{"c", TypeNumber}, Decl{"u", TypeNumber})
	p, err := Compile(src, env, TypeAny)
	if err != nil {
		t.Fatalf("Compile(%q): %v", src, err)
	}
	v, err = p.Eval(s)
	var fe *Error
	switch {
	case err == nil:
		return v, false
	case errors.As(err, &fe) && fe.Code == CodeLimit:
		return v, true
	}
	t.Fatalf("%s: %v, want a value or a limit error", src, err)
	return v, false
}

// abs, min, max (of arguments or of a list), clamp, sum and avg fail with
// the arithmetic's limit error when an operand is beyond MaxDigits, in
// either form of the number, wherever the operand stands: they returned
// such a number as it was (abs(5e1000) was 5e1000, max(5e1000, 1) too,
// while 5e1000 + 0 failed). An undefined operand still makes the result
// undefined, as for the arithmetic, and so does clamp's lo > hi, as x / 0
// is. A result that is not a limit error is checked against decimal's own
// arithmetic.
func TestFunctionOperandOutOfRangeFails(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := genEdgeDecimal().Draw(t, "a")
		b := genEdgeDecimal().Draw(t, "b")
		c := genEdgeDecimal().Draw(t, "c")
		big := rapid.Bool().Draw(t, "big form")
		num := func(d decimal.Decimal) Value {
			if big {
				return bigVal(d)
			}
			return Number(d)
		}
		s := MapScope{"a": num(a), "b": num(b), "c": num(c)}
		maxD := func(x, y decimal.Decimal) decimal.Decimal {
			if x.Cmp(y) >= 0 {
				return x
			}
			return y
		}
		minD := func(x, y decimal.Decimal) decimal.Decimal {
			if x.Cmp(y) <= 0 {
				return x
			}
			return y
		}
		clampD := func() (decimal.Decimal, bool) {
			switch {
			case b.Cmp(c) > 0:
				return decimal.Decimal{}, false
			case a.Cmp(b) < 0:
				return b, true
			case a.Cmp(c) > 0:
				return c, true
			}
			return a, true
		}
		for _, f := range []struct {
			src     string
			reads   []decimal.Decimal
			want    func() (decimal.Decimal, bool) // false: undefined
			isLimit func() bool                    // nil: an operand of reads beyond
		}{
			{"abs(a)", []decimal.Decimal{a}, func() (decimal.Decimal, bool) { return a.Abs(), true }, nil},
			{"max(a, b)", []decimal.Decimal{a, b}, func() (decimal.Decimal, bool) { return maxD(a, b), true }, nil},
			{"min(a, b, c)", []decimal.Decimal{a, b, c}, func() (decimal.Decimal, bool) { return minD(minD(a, b), c), true }, nil},
			{"max([a, b])", []decimal.Decimal{a, b}, func() (decimal.Decimal, bool) { return maxD(a, b), true }, nil},
			{"min([a, u, b])", []decimal.Decimal{a, b}, func() (decimal.Decimal, bool) { return minD(a, b), true }, nil},
			{"sum([a])", []decimal.Decimal{a}, func() (decimal.Decimal, bool) { return a, true }, nil},
			{"sum([u, b])", []decimal.Decimal{b}, func() (decimal.Decimal, bool) { return b, true }, nil},
			{"clamp(a, b, c)", []decimal.Decimal{a, b, c}, clampD, func() bool {
				return b.Cmp(c) <= 0 && (outOfRange(a) || outOfRange(b) || outOfRange(c))
			}},
			// An undefined operand makes the result undefined.
			{"max(a, u)", nil, func() (decimal.Decimal, bool) { return decimal.Decimal{}, false }, nil},
			{"min(u, a)", nil, func() (decimal.Decimal, bool) { return decimal.Decimal{}, false }, nil},
			{"clamp(u, a, b)", nil, func() (decimal.Decimal, bool) { return decimal.Decimal{}, false }, nil},
		} {
			beyond := false
			if f.isLimit != nil {
				beyond = f.isLimit()
			} else {
				for _, d := range f.reads {
					beyond = beyond || outOfRange(d)
				}
			}
			v, limit := evalLimit(t, f.src, s)
			if limit != beyond {
				t.Fatalf("%s with a = %s, b = %s, c = %s (big form: %v): a limit error %v, want %v", f.src, sci(a), sci(b), sci(c), big, limit, beyond)
			}
			if limit {
				continue
			}
			want, ok := f.want()
			if got, defined := v.Number(); defined != ok || ok && !got.Equal(want) {
				t.Fatalf("%s with a = %s, b = %s, c = %s: %v, want %s (defined: %v)", f.src, sci(a), sci(b), sci(c), v, sci(want), ok)
			}
		}
	})
}

// The cases a user meets, with the error they read: an attribute past the
// limit, handed on by a function that only chooses (coalesce), fails the
// first function that computes with it, as it fails + and *; every
// argument of min and max is computed, so that one that fails fails the
// call beside an undefined one, as undefined + 1 / huge fails (max returned
// undefined at its first undefined argument and computed no more).
func TestFunctionOperandOutOfRangeCases(t *testing.T) {
	huge := Number(decimal.New(5, 1000)) // 5 and 1000 zeros: 1001 digits
	s := MapScope{"a": huge, "b": Int(1), "c": Int(2), "w": String("x"), "h": huge}
	// h and w are of type any: min and max of them compare whatever type
	// comes, numbers beyond the limit included.
	env := NewEnv(Decl{"a", TypeNumber}, Decl{"b", TypeNumber}, Decl{"c", TypeNumber}, Decl{"u", TypeNumber},
		Decl{"w", TypeAny}, Decl{"h", TypeAny})
	for _, c := range []struct{ src, err string }{
		{"abs(a)", "number out of range (limit: 1000 digits) (1:1)"},
		{"b + abs(coalesce(a, 0))", "number out of range (limit: 1000 digits) (1:5)"},
		{"max(b, a)", "number out of range (limit: 1000 digits) (1:1)"},
		{"min([b, a, c])", "number out of range (limit: 1000 digits) (1:1)"},
		{"clamp(b, a * 0, a)", "number out of range (limit: 1000 digits) (1:12)"},
		{"clamp(b, 0, a)", "number out of range (limit: 1000 digits) (1:1)"},
		{"sum([a])", "number out of range (limit: 1000 digits) (1:1)"},
		{"max(u, a * 2)", "number out of range (limit: 1000 digits) (1:10)"},
		{"max(h, h)", "number out of range (limit: 1000 digits) (1:1)"},
		{"min(b, h)", "number out of range (limit: 1000 digits) (1:1)"},
		{"max(u, h, h * 2)", "number out of range (limit: 1000 digits) (1:13)"},
		{"0 / a", "number out of range (limit: 1000 digits) (1:3)"},
		{"a * 0", "number out of range (limit: 1000 digits) (1:3)"},
		{"-a", "number out of range (limit: 1000 digits) (1:1)"},
		{"b + -(a)", "number out of range (limit: 1000 digits) (1:5)"},
		{"-h", "number out of range (limit: 1000 digits) (1:1)"},
	} {
		p, err := Compile(c.src, env, TypeNumber)
		if err != nil {
			t.Fatalf("Compile(%q): %v", c.src, err)
		}
		v, err := p.Eval(s)
		if err == nil || err.Error() != c.err || err.(*Error).Code != CodeLimit {
			t.Errorf("%s = %v, %v; want the limit error %q", c.src, v, err, c.err)
		}
	}
	// Undefined wins over an operand past the limit, as in a + u, and
	// clamp's lo > hi is undefined whatever the numbers, as a / 0 is.
	for _, src := range []string{"a + u", "a / 0", "abs(u)", "max(a, u)", "max(u, a)", "min([a, b, w])", "sum([a, w])", "min(h, w)", "max(w, h)", "clamp(u, b, a)", "clamp(a, c, b)", "-u"} {
		p, err := Compile(src, env, TypeAny)
		if err != nil {
			t.Fatalf("Compile(%q): %v", src, err)
		}
		if v, err := p.Eval(s); err != nil || v.Defined() {
			t.Errorf("%s = %v, %v; want undefined", src, v, err)
		}
	}
}
