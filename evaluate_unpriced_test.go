package goalkit_test

import (
	"bytes"
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A report whose amount has no rate on its period's last day (rate:
// period_end) says that date as rate_date, beside the event's own date,
// and the report schema takes it.
func TestReportUnpricedRateDate(t *testing.T) {
	plan := parsePlan(t, `timezone: UTC
indicators:
  - id: revenue
    kinds: [won]
    aggregate: sum
    value: amount
    currency: RUB
    rate: period_end
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`)
	events := kpi.Events{{ID: "e1", Kind: "won", Actor: "ann", Time: time.Date(2025, 1, 10, 12, 0, 0, 0, time.UTC),
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(100)), Currency: "USD"}}
	only10 := kpi.RatesFunc(func(_ context.Context, from, to string, on date.Date) (decimal.Decimal, bool, error) {
		return decimal.NewFromInt(90), on == date.New(2025, 1, 10), nil
	})
	rep := mustEvaluate(t, plan, events, time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), goalkit.WithRates(only10))
	b := reportJSON(t, rep)
	want := `{"indicator":"revenue","event":"e1","currency":"USD","amount":"100","date":"2025-01-10","rate_date":"2025-01-31"}`
	if !bytes.Contains(bytes.Join(bytes.Fields(b), nil), []byte(want)) {
		t.Errorf("report\n%s\nlists no %s", b, want)
	}
	checkReportSchema(t, "a report with rate_date", b)
	var text bytes.Buffer
	if err := rep.WriteTable(&text); err != nil {
		t.Fatal(err)
	}
	if want := "unpriced: revenue event e1, 100 USD on 2025-01-10 (no rate on 2025-01-31)"; !bytes.Contains(text.Bytes(), []byte(want)) {
		t.Errorf("text report\n%s\nhas no line %q", text.Bytes(), want)
	}
}
