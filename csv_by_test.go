package goalkit_test

import (
	"bytes"
	"encoding/csv"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/shopspring/decimal"
)

// The by columns of a CSV report write a number attribute as the number
// it is, so -5 stays a number and ParseAttr reads it back; text that a
// spreadsheet would run as a formula still gets its leading quote. A
// negative integer or decimal was written '-5, a text no reader took back.
func TestCSVByColumnsKeepNegativeNumbers(t *testing.T) {
	plan := parsePlan(t, `timezone: UTC
attributes: {delta: int, rate: decimal, source: string}
indicators:
  - {id: n, kinds: [k], aggregate: count, by: [delta, rate, source]}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
`)
	at := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	store := storeOf(t, time.UTC,
		kpi.Event{ID: "1", Kind: "k", Time: at, Actor: "anna", Attrs: map[string]any{"delta": int64(-5), "rate": decimal.RequireFromString("-0.25"), "source": "-web"}},
		kpi.Event{ID: "2", Kind: "k", Time: at, Actor: "anna", Attrs: map[string]any{"delta": int64(7), "rate": decimal.RequireFromString("1.5"), "source": "=cmd"}})
	rep := mustEvaluate(t, plan, store, time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC))
	var b bytes.Buffer
	if err := rep.WriteCSV(&b); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&b).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		col[h] = i
	}
	type combo struct{ delta, rate, source string }
	got := map[combo]bool{}
	for _, r := range rows[1:] {
		if r[col["by"]] == "" || r[col["participant"]] != "anna" {
			continue
		}
		got[combo{r[col["by.delta"]], r[col["by.rate"]], r[col["by.source"]]}] = true
		if v, err := goalkit.ParseAttr(kpi.AttrInt, r[col["by.delta"]]); err != nil {
			t.Errorf("by.delta %q does not read back: %v (%v)", r[col["by.delta"]], err, v)
		}
		if v, err := goalkit.ParseAttr(kpi.AttrDecimal, r[col["by.rate"]]); err != nil {
			t.Errorf("by.rate %q does not read back: %v (%v)", r[col["by.rate"]], err, v)
		}
	}
	for _, want := range []combo{{"-5", "-0.25", "'-web"}, {"7", "1.5", "'=cmd"}} {
		if !got[want] {
			t.Errorf("no breakdown row of anna %v in the CSV:\n%s", want, rows)
		}
	}
}
