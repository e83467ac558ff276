package sample

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit"
)

// UnpricedAtPeriodEnd returns a plan and its report of March 2025 in
// which an amount (event e1: 100 USD on 10 March) has no rate on the
// period's last day, the day its indicator (revenue, in RUB, rate:
// period_end) converts at: unpriced, its rate_date 2025-03-31.
func UnpricedAtPeriodEnd(tb testing.TB) (*goalkit.Plan, *goalkit.Report) {
	tb.Helper()
	plan, rep, err := Evaluate([]byte(`timezone: UTC
indicators:
  - {id: revenue, kinds: [won], aggregate: sum, value: amount, currency: RUB, rate: period_end}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`), []byte(`{"id":"e1","kind":"won","time":"2025-03-10T12:00:00Z","actor":"ann","amount":"100","currency":"USD"}`+"\n"), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		tb.Fatal(err)
	}
	return plan, rep
}
