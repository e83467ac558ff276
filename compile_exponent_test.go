package goalkit_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A number of a definition built in Go whose exponent is past what a plan
// file's reader takes (±10000) is refused at compile, naming each at its
// path; a goal's target of 10^100000000 compiled, and every evaluation then
// computed its achievement for minutes. The largest exponents a plan file
// may write compile.
func TestCompileRefusesNumbersTooLarge(t *testing.T) {
	num := func(exp int32) *decimal.Decimal { d := decimal.New(1, exp); return &d }
	plan := func(target, node, rate *decimal.Decimal) *goalkit.Definition {
		return &goalkit.Definition{
			Timezone:   "UTC",
			Indicators: []kpi.IndicatorDef{{ID: "won", Kinds: []string{"won"}, Aggregate: kpi.Count}},
			Goals: []goal.Def{{ID: "g", Indicator: "won", Target: target, Period: goal.Every(period.Month, date.New(2025, 1, 1)),
				Participants: goal.ParticipantsDef{Users: []string{"u1"}}}},
			Cascades: []cascade.Def{{ID: "c", Indicator: "won", Root: cascade.NodeDef{Period: "2025", Target: num(2),
				Children: []cascade.NodeDef{{User: "u1", Target: node}}}}},
			BudgetRates: map[string]decimal.Decimal{"USD/RUB": *rate},
			Report:      goalkit.ReportDef{Grain: period.Month, From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)},
		}
	}
	_, err := goalkit.Compile(plan(num(100000000), num(-10001), num(10001)))
	want := []string{
		"budget_rates.USD/RUB: the number's exponent 10001 is out of range: at most ±10000",
		"cascades[0].root.children[0].target: the number's exponent -10001 is out of range: at most ±10000",
		"goals[0].target: the number's exponent 100000000 is out of range: at most ±10000",
	}
	if err == nil || err.Error() != strings.Join(want, "\n") {
		t.Fatalf("got %v, want\n%s", err, strings.Join(want, "\n"))
	}
	if _, err := goalkit.Compile(plan(num(10000), num(-10000), num(-10000))); err != nil && strings.Contains(err.Error(), "exponent") {
		t.Fatalf("the plan file's largest exponents are refused: %v", err)
	}
}
