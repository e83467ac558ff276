package formula_test

import (
	"testing"

	"github.com/goalkit/goalkit/formula"
)

// TestComparisonsReadAsDocumented pins what docs/formulas.md says of
// comparisons written one after another and of an undefined element in a
// list: only < <= > >= chain, the others read left to right, and an
// undefined element matches nothing.
func TestComparisonsReadAsDocumented(t *testing.T) {
	env := formula.EventEnv(map[string]formula.Type{"x": formula.TypeString, "y": formula.TypeString, "n": formula.TypeNumber})
	scope := formula.MapScope{"x": formula.String("a"), "n": formula.Int(2)} // y undefined
	for _, c := range []struct {
		src  string
		want bool
	}{
		{`1 < n < 3`, true},
		{`1 < n < 2`, false},
		{`n < 3 == true`, true},  // (n < 3) == true
		{`n > 3 == false`, true}, // (n > 3) == false
		{`n == 2 != false`, true},
		{`x in [y]`, false},
		{`x not in [y]`, true},
		{`x != y`, false},
		{`x in ["a", y]`, true},
	} {
		p, err := formula.Compile(c.src, env, formula.TypeBool)
		if err != nil {
			t.Errorf("%s: %v", c.src, err)
			continue
		}
		if got, err := p.EvalBool(scope); err != nil || got != c.want {
			t.Errorf("%s = %v, %v; want %v", c.src, got, err, c.want)
		}
	}
	for _, c := range []struct{ src, want string }{
		{`n == 2 == n`, "cannot compare bool with number (1:8)"},
		{`true == n < 3`, "cannot compare bool with number (1:6)"},
	} {
		if _, err := formula.Compile(c.src, env, formula.TypeBool); err == nil || err.Error() != c.want {
			t.Errorf("%s: error %v, want %q", c.src, err, c.want)
		}
	}
}
