package goalkit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
)

const prevPlan = `
timezone: UTC
report: {grain: month, from: 2025-02-01, to: 2025-04-01}
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: growth, formula: "won / prev(won) - 1"}
`

// The explanation of a formula that reads prev() gives the earlier
// period's value and events, in Go, JSON and text: March's 3 deals over
// February's 2 is 3/2 - 1 = 0.5.
func TestExplainPrevOutput(t *testing.T) {
	plan := parsePlan(t, prevPlan)
	at := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 10, 0, 0, 0, time.UTC) }
	store := storeOf(t, time.UTC,
		kpi.Event{ID: "f1", Kind: "deal.won", Actor: "anna", Time: at(2, 3)},
		kpi.Event{ID: "f2", Kind: "deal.won", Actor: "anna", Time: at(2, 4)},
		kpi.Event{ID: "m1", Kind: "deal.won", Actor: "anna", Time: at(3, 3)},
		kpi.Event{ID: "m2", Kind: "deal.won", Actor: "anna", Time: at(3, 4)},
		kpi.Event{ID: "m3", Kind: "deal.won", Actor: "anna", Time: at(3, 5)},
	)
	march, err := plan.Calendar().ParseLabel("2025-03")
	if err != nil {
		t.Fatal(err)
	}
	ex, err := plan.Explain(context.Background(), store, at(4, 1), goalkit.Cell{Indicator: "growth", Participant: "anna", Period: march})
	if err != nil {
		t.Fatal(err)
	}
	var b bytes.Buffer
	if err := goalkit.WriteExplanation(&b, ex); err != nil {
		t.Fatal(err)
	}
	want := `growth for anna in 2025-03 = 0.5
  formula: won / prev(won) - 1
  won for anna in 2025-03 = 3
    count of 3 events:
      + m1  2025-03-03T10:00:00Z  anna
      + m2  2025-03-04T10:00:00Z  anna
      + m3  2025-03-05T10:00:00Z  anna
    left out:
      outside the period: 2 events
        - f1  2025-02-03T10:00:00Z  anna
        - f2  2025-02-04T10:00:00Z  anna
  prev(won) for anna in 2025-02 = 2
    count of 2 events:
      + f1  2025-02-03T10:00:00Z  anna
      + f2  2025-02-04T10:00:00Z  anna
    left out:
      outside the period: 3 events
        - m1  2025-03-03T10:00:00Z  anna
        - m2  2025-03-04T10:00:00Z  anna
        - m3  2025-03-05T10:00:00Z  anna
`
	if b.String() != want {
		t.Errorf("explanation:\n%s\nwant:\n%s", b.String(), want)
	}
	js, err := json.Marshal(ex)
	if err != nil {
		t.Fatal(err)
	}
	var doc struct {
		Inputs []struct {
			Period string `json:"period"`
			Value  string `json:"value"`
			Back   int    `json:"back"`
		} `json:"inputs"`
	}
	if err := json.Unmarshal(js, &doc); err != nil {
		t.Fatal(err)
	}
	if len(doc.Inputs) != 2 || doc.Inputs[1].Period != "2025-02" || doc.Inputs[1].Value != "2" || doc.Inputs[1].Back != 1 || doc.Inputs[0].Back != 0 {
		t.Errorf("JSON inputs %+v\n%s", doc.Inputs, js)
	}
}

// The explanation of a running total in a later period of the report is
// the report's value: 3 wins by March from January, 2 by February. It
// evaluated March alone, where the total restarted at 1.
func TestExplainRunningTotal(t *testing.T) {
	plan := parsePlan(t, `
timezone: UTC
report: {grain: month, from: 2025-01-01, to: 2025-04-01}
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: won_to_date, formula: "coalesce(prev(won_to_date), 0) + won"}
`)
	at := func(m time.Month, d int) time.Time { return time.Date(2025, m, d, 10, 0, 0, 0, time.UTC) }
	store := storeOf(t, time.UTC,
		kpi.Event{ID: "j1", Kind: "deal.won", Actor: "anna", Time: at(1, 3)},
		kpi.Event{ID: "f1", Kind: "deal.won", Actor: "anna", Time: at(2, 3)},
		kpi.Event{ID: "m1", Kind: "deal.won", Actor: "anna", Time: at(3, 3)},
	)
	rep, err := plan.Evaluate(context.Background(), store, at(4, 1))
	if err != nil {
		t.Fatal(err)
	}
	for m, want := range map[string]string{"2025-01": "1", "2025-02": "2", "2025-03": "3"} {
		p, err := plan.Calendar().ParseLabel(m)
		if err != nil {
			t.Fatal(err)
		}
		ex, err := plan.Explain(context.Background(), store, at(4, 1), goalkit.Cell{Indicator: "won_to_date", Participant: "anna", Period: p})
		if err != nil {
			t.Fatal(err)
		}
		reported := ""
		for _, r := range rep.Values.Rows() {
			if r.Indicator == "won_to_date" && r.Participant == "anna" && r.Period == p {
				reported = r.Value.Decimal.String()
			}
		}
		if got := ex.Value.Decimal.String(); got != want || reported != want {
			t.Errorf("won_to_date for anna in %s explained as %s, the report's is %s, want %s", m, got, reported, want)
		}
	}
}
