package goalkit_test

import (
	"testing"

	"github.com/goalkit/goalkit"
)

// Compile reports every bad budget rate at once, each at its key and line,
// in the order of their keys: it reported one, the first a map's random
// order gave, so that the error changed from run to run.
func TestCompileReportsEveryBadBudgetRate(t *testing.T) {
	def := parseDef(t, `timezone: UTC
budget_rates:
  usd/rub: 92.5
  EUR/RUB: -1
  USD/EUR: 0.92
indicators:
  - {id: won, kinds: [deal.won], aggregate: sum, value: amount, currency: RUB, rate: budget}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`)
	want := `plan.yaml:4: budget_rates.EUR/RUB: rate EUR/RUB must be positive, got -1
plan.yaml:3: budget_rates.usd/rub: rate key "usd/rub" must look like USD/RUB`
	for range 20 {
		_, err := goalkit.Compile(def)
		if err == nil || err.Error() != want {
			t.Fatalf("Compile: %v, want\n%s", err, want)
		}
	}
}
