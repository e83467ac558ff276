package formula

import (
	"errors"
	"testing"

	"github.com/shopspring/decimal"
)

// A number right after a number or a name, with nothing between them
// (1.2.3 is the number 1.2 and the number .3), is a syntax error naming
// it, as it is with a space between. The placeholder that stands for a
// number while expr parses joined the two into one identifier: 1.2.3
// evaluated to 1.2 and 1e3.5 to 1000, the second number dropped without a
// word, and x.3 was an unknown name "x$3".
func TestNumberAfterAnOperandWithoutSpace(t *testing.T) {
	env := NewEnv(Decl{"x", TypeNumber}, Decl{"amount", TypeNumber})
	for _, c := range []struct{ src, want string }{
		{"1.2.3", "unexpected number .3 (1:4)"},
		{"1.2.3 + 1", "unexpected number .3 (1:4)"},
		{"1e3.5", "unexpected number .5 (1:4)"},
		{"1_2.3_4.5", "unexpected number .5 (1:8)"},
		{"1.5.5.5", "unexpected number .5.5 (1:4)"},
		{"amount * 1.10.5", "unexpected number .5 (1:14)"},
		{"x.3", "unexpected number .3 (1:2)"},
		{"round(amount.25)", "unexpected number .25 (1:13)"},
		{"x > 1 and.5 > 0", "unexpected number .5 (1:10)"},
		// As with a space between.
		{"1.2 .3", "unexpected number .3 (1:5)"},
	} {
		p, err := Compile(c.src, env, TypeAny)
		var fe *Error
		if !errors.As(err, &fe) || err.Error() != c.want || fe.Code != CodeSyntax {
			var v Value
			if p != nil {
				v, _ = p.Eval(MapScope{"x": Int(1), "amount": Int(1)})
			}
			t.Errorf("Compile(%q) = %v (evaluates to %v); want the syntax error %q", c.src, err, v, c.want)
		}
	}
	// A number after a string, a bracket or an operator reads as before.
	for src, want := range map[string]Value{"1.5": Number(decimal.RequireFromString("1.5")), "-.5": Number(decimal.RequireFromString("-0.5")), "x+.5": Number(decimal.RequireFromString("1.5")), "sum([.5])": Number(decimal.RequireFromString("0.5")), "(.5)": Number(decimal.RequireFromString("0.5")), "7.": Int(7)} {
		p, err := Compile(src, env, TypeAny)
		if err != nil {
			t.Errorf("Compile(%q): %v", src, err)
			continue
		}
		if v, err := p.Eval(MapScope{"x": Int(1)}); err != nil || !v.Equal(want) {
			t.Errorf("%s = %v, %v; want %v", src, v, err, want)
		}
	}
}

// The names that stand for contains, startsWith and endsWith called as
// functions while expr parses a formula ($ontains, …) are no names of the
// language: written by hand they are unknown functions. They were read as
// the functions, so $ontains("ab", "a") compiled and was true.
func TestOperatorPlaceholdersAreNoNames(t *testing.T) {
	env := NewEnv(Decl{"s", TypeString})
	for src, want := range map[string]string{
		`$ontains("ab", "a")`:         `unknown function "$ontains" (did you mean "contains"?) (1:1)`,
		`$tartsWith(s, "a")`:          `unknown function "$tartsWith" (did you mean "startsWith"?) (1:1)`,
		`s == "" || $ndsWith(s, "b")`: `unknown function "$ndsWith" (did you mean "endsWith"?) (1:12)`,
	} {
		_, err := Compile(src, env, TypeBool)
		var fe *Error
		if !errors.As(err, &fe) || err.Error() != want || fe.Code != CodeUnknownFunction {
			t.Errorf("Compile(%s) = %v, want %q", src, err, want)
		}
	}
	// Called as functions by their names they are the functions.
	for src, want := range map[string]bool{`contains("ab", "a")`: true, `startsWith(s, "w")`: true, `endsWith(s, "x")`: false, `not contains(s, "e")`: false} {
		p, err := Compile(src, env, TypeBool)
		if err != nil {
			t.Fatalf("Compile(%s): %v", src, err)
		}
		if v, err := p.EvalBool(MapScope{"s": String("web")}); err != nil || v != want {
			t.Errorf("%s = %v, %v; want %v", src, v, err, want)
		}
	}
}
