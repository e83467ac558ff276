package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/cascade"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/problem"
)

// The plan's lint reports a cascade node's weight that nothing reads (a
// split by even beside a roll-up by measure), with the weight's file and
// line: the cascade's own lint found it, and goalkit lint did not ask.
func TestLintWarnsOfACascadeWeightNothingReads(t *testing.T) {
	def := parseDef(t, `timezone: UTC
indicators:
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount}
cascades:
  - id: plan
    indicator: revenue
    root:
      period: 2025-Q1
      target: 1000
      children:
        - {user: anna, weight: 3}
        - {user: ivan}
report: {grain: month, from: 2025-01-01, to: 2025-04-01}
`)
	got, err := goalkit.Lint(context.Background(), def, kpi.Events(nil), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC))
	if err != nil {
		t.Fatal(err)
	}
	var warned []problem.Problem
	for _, p := range got {
		if p.Code == cascade.UnusedWeight {
			warned = append(warned, p)
		}
	}
	if len(warned) != 1 || warned[0].Path != "cascades[0].root.children[0].weight" || warned[0].Severity != problem.SevWarning || warned[0].Where == "" {
		t.Fatalf("got %+v, want one unused_weight warning at cascades[0].root.children[0].weight with its line", warned)
	}
}
