package goalkit_test

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
)

// A report with a goal that asks for its chance: the goal rows carry the
// probability and quantiles in JSON (valid against the report schema, with
// the changes of -explain-change too) and in the table.
func TestReportWithChance(t *testing.T) {
	plan := parsePlan(t, changePlan+`goals:
  - id: sales
    name: Revenue
    indicator: revenue
    target: 1000
    period: {from: 2025-01-01, every: month}
    participants: {users: [anna]}
    chance: {history: 2, seed: 1}
`)
	// 100 a day on the first 10 days of January and February, and of
	// March so far (to the 11th).
	var evs = deals("anna", "web", 1, 10, 10, "100")
	evs = append(evs, deals("anna", "web", 2, 10, 10, "100")...)
	evs = append(evs, deals("anna", "web", 3, 10, 10, "100")...)
	store := storeOf(t, time.UTC, evs...)
	rep := mustEvaluate(t, plan, store, time.Date(2025, 3, 12, 0, 0, 0, 0, time.UTC), goalkit.WithPeriods(month(3)))
	rep.Changes = append(rep.Changes, &goalkit.Change{Indicator: "revenue", Participant: "*", Base: "2025-02", Current: "2025-03", Kind: goalkit.ChangeAdditive})
	b := reportJSON(t, rep)
	for _, want := range []string{`"probability": "`, `"forecast_p10": "`, `"forecast_p90": "`, `"changes": [`} {
		if !bytes.Contains(b, []byte(want)) {
			t.Errorf("JSON lacks %s", want)
		}
	}
	checkReportSchema(t, "the report", b)
	var tb strings.Builder
	if err := rep.WriteTable(&tb); err != nil {
		t.Fatal(err)
	}
	// Every history month stops at 1000 after its tenth day: the target
	// is certain.
	if !strings.Contains(tb.String(), "P(reach)") || !strings.Contains(tb.String(), "100 %") {
		t.Errorf("table:\n%s", tb.String())
	}
}
