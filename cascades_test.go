package goalkit_test

import (
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/shopspring/decimal"
)

const cascadePlan = `timezone: Europe/Moscow
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
report: {grain: quarter, from: 2025-01-01, to: 2025-04-01}
cascades:
  - id: won_q1
    indicator: won
    root:
      period: 2025-Q1
      target: 10
      split: {by: even, into: units, then: {by: calendar_days, into: month}}
`

// A plan's cascades are compiled with it, evaluated with the directory of
// WithDirectory, and written in every report format.
func TestPlanCascades(t *testing.T) {
	plan := parsePlan(t, cascadePlan)
	dir, err := memory.NewDirectory([]org.Unit{{ID: "east"}, {ID: "west"}}, []org.Membership{{User: "ann", Unit: "east"}, {User: "bob", Unit: "west"}})
	if err != nil {
		t.Fatal(err)
	}
	loc := plan.Calendar().Location()
	store := storeOf(t, loc, kpi.Event{ID: "1", Kind: "deal.won", Actor: "ann", Time: time.Date(2025, 2, 3, 10, 0, 0, 0, loc)},
		kpi.Event{ID: "2", Kind: "deal.won", Actor: "bob", Time: time.Date(2025, 3, 3, 10, 0, 0, 0, loc)})
	rep := mustEvaluate(t, plan, store, time.Date(2025, 4, 1, 0, 0, 0, 0, loc), goalkit.WithDirectory(dir))
	root := rep.Cascade.Trees[0].Root
	if !root.Actual.Decimal.Equal(decimal.NewFromInt(2)) || len(root.Children) != 2 || !root.Children[0].Target.Decimal.Equal(decimal.NewFromInt(5)) {
		t.Fatalf("root: %+v", root)
	}
	want := `
cascade won_q1 (won_q1), won, roll-up by measure
  node              target  actual  achievement  contribution
  company 2025-Q1       10       2         20 %             —
    east 2025-Q1         5       1         20 %          10 %
      east 2025-01       2       0          0 %           0 %
      east 2025-02       1       1        100 %          20 %
      east 2025-03       2       0          0 %           0 %
    west 2025-Q1         5       1         20 %          10 %
      west 2025-01       2       0          0 %           0 %
      west 2025-02       1       0          0 %           0 %
      west 2025-03       2       1         50 %          20 %
`
	if got := string(reportTable(t, rep)); !strings.HasSuffix(got, want) {
		t.Fatalf("table:\n%s\nwant it to end with:\n%s", got, want)
	}
	// A user sees the company's node, not the departments'; an admin all.
	if v := rep.ForViewer(goal.Viewer{User: "ann"}, nil).Cascade; len(v.Trees[0].Root.Children) != 0 || !v.Trees[0].Root.Actual.Valid {
		t.Fatalf("ann sees %+v", v.Trees[0].Root)
	}
	if v := rep.ForViewer(goal.Viewer{Admin: true}, nil).Cascade; len(v.Trees[0].Root.Children) != 2 {
		t.Fatal("the admin does not see the departments")
	}
	if js := string(reportJSON(t, rep)); !strings.Contains(js, `"cascade": {`) || !strings.Contains(js, `"issues": []`) {
		t.Fatalf("json has no cascade section:\n%s", js)
	}
}

// Cascade problems are reported with the plan's others, with file and line.
func TestPlanCascadeProblems(t *testing.T) {
	bad := strings.Replace(cascadePlan, "into: month}", "into: fortnight}", 1)
	bad = strings.Replace(bad, "indicator: won\n    root", "indicator: wins\n    root", 1)
	_, err := goalkit.Compile(parseDef(t, bad))
	want := "plan.yaml:7: cascades[0].indicator: unknown indicator \"wins\"\n" +
		"plan.yaml:11: cascades[0].root.split.then.into: into must be units, members or a grain (day, week, month, quarter, …), got \"fortnight\""
	if err == nil || err.Error() != want {
		t.Fatalf("got:\n%v\nwant:\n%s", err, want)
	}
}
