package formula

import (
	"errors"
	"math/big"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// genDecimal generates decimals of up to 30 digits with exponents from -12
// to 12, often small and often with trailing zeros, so that both the small
// (int64) and the big representation are exercised.
func genDecimal() *rapid.Generator[decimal.Decimal] {
	return rapid.Custom(func(t *rapid.T) decimal.Decimal {
		var c *big.Int
		switch rapid.IntRange(0, 3).Draw(t, "size") {
		case 0:
			c = big.NewInt(rapid.Int64Range(-20, 20).Draw(t, "tiny"))
		case 1:
			c = big.NewInt(rapid.Int64Range(-1_000_000, 1_000_000).Draw(t, "c"))
		case 2:
			c = big.NewInt(rapid.Int64().Draw(t, "c64"))
		default:
			s := rapid.StringMatching(`-?[1-9][0-9]{0,29}`).Draw(t, "digits")
			c, _ = new(big.Int).SetString(s, 10)
		}
		e := rapid.Int32Range(-12, 12).Draw(t, "exp")
		return decimal.NewFromBigInt(c, e)
	})
}

// refDiv is the reference division, computed with shopspring only: the
// exact quotient when it has a finite expansion (found by dividing with
// many more digits and multiplying back), else the quotient rounded to 16
// significant digits.
func refDiv(a, b decimal.Decimal) (decimal.Decimal, bool) {
	if b.IsZero() {
		return decimal.Decimal{}, false
	}
	if a.IsZero() {
		return decimal.Zero, true
	}
	// A finite quotient of numbers of at most MaxDigits digits has fewer
	// than 4·MaxDigits significant digits: divide with that many more
	// digits than the quotient's magnitude, multiply back to test.
	lead := func(d decimal.Decimal) int32 { return int32(d.NumDigits()) + d.Exponent() }
	exact := a.DivRound(b, 4*MaxDigits-(lead(a)-lead(b)))
	if exact.Mul(b).Equal(a) {
		return exact, true
	}
	// L = floor(log10 |a/b|), from the long quotient (a non-terminating
	// quotient of such operands has no run of thousands of 9s).
	L := lead(exact) - 1
	return a.DivRound(b, DivisionDigits-1-L), true
}

func evalBinary(t *rapid.T, src string, a, b decimal.Decimal) Value {
	env := NewEnv(Decl{"a", TypeNumber}, Decl{"b", TypeNumber})
	p, err := Compile(src, env, TypeNumber)
	if err != nil {
		t.Fatalf("compile %s: %v", src, err)
	}
	v, err := p.Eval(MapScope{"a": Number(a), "b": Number(b)})
	if err != nil {
		t.Fatalf("eval %s: %v", src, err)
	}
	return v
}

func wantNumber(t *rapid.T, what string, got Value, want decimal.Decimal) {
	d, ok := got.Number()
	if !ok || !d.Equal(want) {
		t.Fatalf("%s = %v, want %s", what, got, want)
	}
}

func TestArithmeticMatchesShopspring(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := genDecimal().Draw(t, "a")
		b := genDecimal().Draw(t, "b")
		wantNumber(t, "a + b", evalBinary(t, "a + b", a, b), a.Add(b))
		wantNumber(t, "a - b", evalBinary(t, "a - b", a, b), a.Sub(b))
		wantNumber(t, "a * b", evalBinary(t, "a * b", a, b), a.Mul(b))
		wantNumber(t, "-a", evalBinary(t, "-a", a, b), a.Neg())
		wantNumber(t, "abs(a)", evalBinary(t, "abs(a)", a, b), a.Abs())
		wantNumber(t, "floor(a)", evalBinary(t, "floor(a)", a, b), a.Floor())
		wantNumber(t, "ceil(a)", evalBinary(t, "ceil(a)", a, b), a.Ceil())
		if q, ok := refDiv(a, b); ok {
			wantNumber(t, "a / b", evalBinary(t, "a / b", a, b), q)
			wantNumber(t, "a % b", evalBinary(t, "a % b", a, b), a.Mod(b))
		} else if v := evalBinary(t, "a / b", a, b); v.Defined() {
			t.Fatalf("a / 0 = %v, want undefined", v)
		}
		places := rapid.IntRange(-5, 15).Draw(t, "places")
		env := NewEnv(Decl{"a", TypeNumber}, Decl{"p", TypeNumber})
		p, err := Compile("round(a, p)", env, TypeNumber)
		if err != nil {
			t.Fatal(err)
		}
		v, err := p.Eval(MapScope{"a": Number(a), "p": Int(int64(places))})
		if err != nil {
			t.Fatal(err)
		}
		wantNumber(t, "round(a, p)", v, a.Round(int32(places)))

		c := a.Cmp(b)
		for _, cmp := range []struct {
			op   string
			want bool
		}{{"==", c == 0}, {"!=", c != 0}, {"<", c < 0}, {"<=", c <= 0}, {">", c > 0}, {">=", c >= 0}} {
			p, err := Compile("a "+cmp.op+" b", NewEnv(Decl{"a", TypeNumber}, Decl{"b", TypeNumber}), TypeBool)
			if err != nil {
				t.Fatal(err)
			}
			got, _ := p.EvalBool(MapScope{"a": Number(a), "b": Number(b)})
			if got != cmp.want {
				t.Fatalf("%s %s %s = %v", a, cmp.op, b, got)
			}
		}
	})
}

func TestPowerMatchesRepeatedMultiplication(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := genDecimal().Draw(t, "a")
		n := rapid.IntRange(0, 8).Draw(t, "n")
		want := decimal.NewFromInt(1)
		for range n {
			want = want.Mul(a)
		}
		src := "a ** " + string(rune('0'+n))
		wantNumber(t, src, evalBinary(t, src, a, a), want)
		if !a.IsZero() {
			q, _ := refDiv(decimal.NewFromInt(1), want)
			src := "a ** -" + string(rune('0'+n))
			wantNumber(t, src, evalBinary(t, src, a, a), q)
		}
	})
}

// The small (int64) and big representations of a number give the same
// results.
func TestSmallAndBigFormsAgree(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		a := genDecimal().Draw(t, "a")
		b := genDecimal().Draw(t, "b")
		sa, sb := bigNum(a), bigNum(b)
		ba, bb := bigVal(a), bigVal(b) // forced big form
		for _, f := range []struct {
			name string
			fn   func(x, y Value) Value
		}{
			{"add", func(x, y Value) Value { return addNum(x, y, 0) }},
			{"sub", func(x, y Value) Value { return subNum(x, y, 0) }},
			{"mul", func(x, y Value) Value { return mulNum(x, y, 0) }},
			{"div", func(x, y Value) Value { return divNum(x, y, 0) }},
			{"mod", func(x, y Value) Value { return modNum(x, y, 0) }},
			{"round2", func(x, _ Value) Value { return roundNum(x, 2, 0) }},
			{"floor", func(x, _ Value) Value { return floorNum(x, 0) }},
			{"ceil", func(x, _ Value) Value { return ceilNum(x, 0) }},
			{"cmp", func(x, y Value) Value { return Int(int64(cmpNum(x, y))) }},
		} {
			s, g := f.fn(sa, sb), f.fn(ba, bb)
			if !s.Equal(g) {
				t.Fatalf("%s(%s, %s): small form %v, big form %v", f.name, a, b, s, g)
			}
		}
	})
}

func TestDivision(t *testing.T) {
	for _, c := range []struct{ a, b, want string }{
		{"1", "3", "0.3333333333333333"},
		{"2", "3", "0.6666666666666667"},
		{"-2", "3", "-0.6666666666666667"},
		{"145", "277", "0.5234657039711191"},
		{"1", "4", "0.25"},
		{"1", "1024", "0.0009765625"},
		{"12345678901234567890123", "1", "12345678901234567890123"},
		{"99999999999999999", "2", "49999999999999999.5"},
		{"1", "30000", "0.00003333333333333333"},
		{"20000", "3", "6666.666666666667"},
		{"1e20", "3", "33333333333333330000"},
		{"1", "7e-20", "14285714285714290000"},
		{"0.000001", "0.000003", "0.3333333333333333"},
		{"10", "0.1", "100"},
		{"0", "7", "0"},
	} {
		a, b := decimal.RequireFromString(c.a), decimal.RequireFromString(c.b)
		got := divNum(Number(a), Number(b), 0)
		if got.String() != c.want {
			t.Errorf("%s / %s = %s, want %s", c.a, c.b, got, c.want)
		}
		if big := divNum(bigVal(a), bigVal(b), 0); big.String() != c.want {
			t.Errorf("%s / %s (big) = %s, want %s", c.a, c.b, big, c.want)
		}
	}
	if v := divNum(Int(1), Int(0), 0); v.Defined() {
		t.Errorf("1 / 0 = %v, want undefined", v)
	}
}

func TestNumberLimits(t *testing.T) {
	env := NewEnv(Decl{"x", TypeNumber})
	for _, c := range []struct{ src, err string }{
		{"x * 1e600 * 1e600", "number out of range (limit: 1000 digits) (1:11)"},
		{"(x + 1e-999) ** 2", "number out of range (limit: 1000 digits) (1:14)"},
		{"x + 1e-990 + 1e10", "number out of range (limit: 1000 digits) (1:12)"},
	} {
		p, err := Compile(c.src, env, TypeNumber)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		_, err = p.Eval(MapScope{"x": Int(3)})
		if err == nil || err.Error() != c.err {
			t.Errorf("%s: error %v, want %s", c.src, err, c.err)
		}
	}
	// A carry past 10^1000 has 1001 digits before the point: 9e999 + 1e999
	// and round(9.5e999, -999) are 10^1000. The operands are the host's, so
	// nothing is folded when the formula compiles.
	for i, c := range []struct {
		src  string
		x, y Value
	}{
		{"x + y", Scaled(9, 999), Scaled(1, 999)},
		{"x + y", Scaled(5, 999), Scaled(5, 999)},
		{"x - y", Scaled(-5, 999), Scaled(5, 999)},
		{"x + y", Scaled(999_999_999_999_999_999, 982), Scaled(1, 982)},
		{"x + y", Scaled(99_999_999_999_999_999, 983), Scaled(1, 984)},
		{"sum([x, y])", Scaled(9, 999), Scaled(1, 999)},
		{"round(x, y)", Scaled(95, 998), Int(-999)},
		{"round(x, -1000)", Scaled(5, 999), Int(0)},
	} {
		env := NewEnv(Decl{"x", TypeNumber}, Decl{"y", TypeNumber})
		p, err := Compile(c.src, env, TypeNumber)
		if err != nil {
			t.Fatalf("%s: %v", c.src, err)
		}
		scope := MapScope{"x": c.x, "y": c.y}
		v, err := p.Eval(scope)
		var fe *Error
		if !errors.As(err, &fe) || fe.Code != CodeLimit {
			t.Errorf("%s of case %d: %.20v… (%d characters), %v; want a limit error", c.src, i, v, len(v.String()), err)
		}
		if n := p.Node(); n != nil {
			if v, ok := TryEvalNode(n, scope); ok {
				t.Errorf("%s of case %d: the native evaluator gave %.20v…, want a failure", c.src, i, v)
			}
		}
	}
	// A literal in another base has the limits of a decimal one: 900 hex
	// digits are 1084 decimal digits.
	if _, err := Compile("0x"+strings.Repeat("F", 900), env, TypeNumber); err == nil || err.(*Error).Code != CodeLimit {
		t.Errorf("a hex literal of 1084 digits: %v, want a limit error", err)
	}
	// A host number far out of range is an error when used, not a hang.
	huge := Number(decimal.New(1, 2_000_000_000))
	p, _ := Compile("x + 1", env, TypeNumber)
	if _, err := p.Eval(MapScope{"x": huge}); err == nil || err.(*Error).Code != CodeLimit {
		t.Errorf("huge + 1: error %v, want a limit error", err)
	}
	p, _ = Compile("x > 1", env, TypeBool)
	if v, err := p.Eval(MapScope{"x": huge}); err != nil || v != Bool(true) {
		t.Errorf("huge > 1 = %v, %v", v, err)
	}
}

func TestDigitsU(t *testing.T) {
	for _, u := range []uint64{0, 1, 9, 10, 99, 100, 999999999999999999, 1e18, 1e19 - 1, 1e19, 1<<64 - 1} {
		if got, want := digitsU(u), len(new(big.Int).SetUint64(u).String()); got != want {
			t.Errorf("digitsU(%d) = %d, want %d", u, got, want)
		}
	}
	rapid.Check(t, func(t *rapid.T) {
		u := rapid.Uint64().Draw(t, "u")
		if got, want := digitsU(u), len(new(big.Int).SetUint64(u).String()); got != want {
			t.Fatalf("digitsU(%d) = %d, want %d", u, got, want)
		}
		x := new(big.Int).Lsh(new(big.Int).SetUint64(u), uint(rapid.IntRange(0, 300).Draw(t, "shift")))
		if got, want := digitsBig(x), len(x.String()); got != want {
			t.Fatalf("digitsBig(%s) = %d, want %d", x, got, want)
		}
	})
}
