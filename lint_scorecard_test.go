package goalkit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/problem"
)

// The plan's lint reports a scorecard of two KPIs (the docs ask for three
// to five), with its file and line, as Plan.Warnings does: goalkit lint
// printed "0 warning(s)" for it, the warning reachable from Go alone.
func TestLintWarnsOfAScorecardOfTwoKPIs(t *testing.T) {
	def := parseDef(t, `timezone: UTC
indicators:
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount}
  - {id: calls, kinds: [call], aggregate: count}
scorecards:
  - id: sales
    grain: month
    participants: [anna]
    kpis:
      - {indicator: revenue, target: 1000, weight: 60}
      - {indicator: calls, target: 10, weight: 40}
report: {grain: month, from: 2025-01-01, to: 2025-04-01}
`)
	for _, src := range []kpi.Source{nil, kpi.Events(nil)} {
		got, err := goalkit.Lint(context.Background(), def, src, time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC))
		if err != nil {
			t.Fatal(err)
		}
		var warned []problem.Problem
		for _, p := range got {
			if strings.HasPrefix(p.Path, "scorecards[0]") {
				warned = append(warned, p)
			}
		}
		if len(warned) != 1 || warned[0].Path != "scorecards[0].kpis" || warned[0].Severity != problem.SevWarning || warned[0].Where == "" {
			t.Fatalf("source %v: got %+v, want one warning at scorecards[0].kpis with its line", src, warned)
		}
	}
}
