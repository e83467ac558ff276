package cascade_test

import (
	"math"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/cascade"
	"github.com/shopspring/decimal"
)

// A number of a cascade built in Go whose exponent is past what a plan
// file's reader takes (±10000) is refused by Compile itself, first and
// alone, naming each at its path: a host that compiles cascades without the
// root's Compile split a target of 10^1000000 in a quarter of a second, and
// one of 10^1000000000 for ever. The largest exponents a plan file may
// write compile.
func TestCompileRefusesNumbersTooLarge(t *testing.T) {
	e := newEnv(t)
	num := func(exp int32) *decimal.Decimal { d := decimal.New(1, exp); return &d }
	def := func(id string, root, child, weight *decimal.Decimal) cascade.Def {
		return cascade.Def{ID: id, Indicator: "revenue", Root: cascade.NodeDef{Period: "2025", Target: root,
			Split:    &cascade.SplitDef{By: cascade.Capacity, Into: cascade.IntoUnits, Weights: map[string]decimal.Decimal{"sales": *weight}},
			Children: []cascade.NodeDef{{User: "u1", Target: child}}}}
	}
	for _, c := range []struct {
		name string
		env  cascade.Env
		want []string
	}{
		{"default path", cascade.Env{Calendar: e.cal, Indicators: e.inds}, []string{
			"cascades[0].root.children[0].target: the number's exponent -10001 is out of range: at most ±10000",
			"cascades[0].root.split.weights.sales: the number's exponent 10001 is out of range: at most ±10000",
			"cascades[1].root.target: the number's exponent 2147483647 is out of range: at most ±10000",
		}},
		// Refused before the missing calendar is reported.
		{"own path, no calendar", cascade.Env{Path: "trees", Indicators: e.inds}, []string{
			"trees[0].root.children[0].target: the number's exponent -10001 is out of range: at most ±10000",
			"trees[0].root.split.weights.sales: the number's exponent 10001 is out of range: at most ±10000",
			"trees[1].root.target: the number's exponent 2147483647 is out of range: at most ±10000",
		}},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := cascade.Compile([]cascade.Def{def("c", num(2), num(-10001), num(10001)), def("d", num(math.MaxInt32), nil, num(0))}, c.env)
			if err == nil || err.Error() != strings.Join(c.want, "\n") {
				t.Fatalf("got %v, want\n%s", err, strings.Join(c.want, "\n"))
			}
		})
	}
	if _, err := cascade.Compile([]cascade.Def{def("c", num(10000), nil, num(-10000))}, cascade.Env{Calendar: e.cal, Indicators: e.inds}); err != nil {
		t.Fatalf("the plan file's largest exponents are refused: %v", err)
	}
}
