package goalkit_test

import (
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// An attribute declared in Go with a type that is none of the five (the
// zero value of a map's element, a number past AttrTime) is refused at
// compile, naming it: a plan file cannot write it, formulas read it as a
// string and a cohort's entity as undeclared.
func TestCompileRefusesAnAttributeWithoutAType(t *testing.T) {
	def := func(t kpi.AttrType) *goalkit.Definition {
		return &goalkit.Definition{
			Timezone:   "UTC",
			Attributes: map[string]kpi.AttrType{"region": t},
			Indicators: []kpi.IndicatorDef{{ID: "calls", Kinds: []string{"call"}, Where: `region == "north"`, Aggregate: kpi.Count}},
			Report:     goalkit.ReportDef{Grain: period.Month, From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)},
		}
	}
	for _, c := range []struct {
		t    kpi.AttrType
		want string
	}{
		{0, `attributes.region: attribute "region" has no type (AttrType(0)): want string, int, decimal, bool or time`},
		{kpi.AttrTime + 1, `attributes.region: attribute "region" has no type (AttrType(6)): want string, int, decimal, bool or time`},
		{kpi.AttrString, ""},
	} {
		_, err := goalkit.Compile(def(c.t))
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("type %d: %q, want %q", c.t, got, c.want)
		}
	}
}
