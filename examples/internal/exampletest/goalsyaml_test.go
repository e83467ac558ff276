package exampletest_test

import (
	"context"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"go.yaml.in/yaml/v3"
)

// TestGoalsPageIsTheSeed checks that the goals docs/goals.md shows first,
// "the seed's examples", are those of testdata/goals/seed.yaml key for key:
// the page's notification example is what the seed's goals send, so a
// goal the page shows otherwise would not send it.
func TestGoalsPageIsTheSeed(t *testing.T) {
	_, block, ok := strings.Cut(string(repoFile(t, "docs", "goals.md")), "```yaml\ngoals:\n")
	if !ok {
		t.Fatal("docs/goals.md shows no goals")
	}
	block, _, _ = strings.Cut("goals:\n"+block, "```")
	seed := repoFile(t, "testdata", "goals", "seed.yaml")
	goals := func(name string, data []byte) map[string]map[string]any {
		var f struct {
			Goals []map[string]any `yaml:"goals"`
		}
		if err := yaml.Unmarshal(data, &f); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		byID := map[string]map[string]any{}
		for _, g := range f.Goals {
			id, _ := g["id"].(string)
			byID[id] = g
		}
		return byID
	}
	shown, want := goals("docs/goals.md", []byte(block)), goals("seed.yaml", seed)
	if len(shown) == 0 {
		t.Fatal("docs/goals.md shows no goals")
	}
	for id, g := range shown {
		if !reflect.DeepEqual(g, want[id]) {
			t.Errorf("docs/goals.md shows goal %s as\n%v\nseed.yaml has\n%v", id, g, want[id])
		}
	}
}

// TestGoalsCloseAsDocumented checks the close row of docs/goals.md's
// table of keys: auto: true closes an instance after_days after its end,
// and without auto nothing closes it by time and after_days is refused at
// its line.
func TestGoalsCloseAsDocumented(t *testing.T) {
	page := string(repoFile(t, "docs", "goals.md"))
	i := strings.Index(page, "\n| `close` |")
	if i < 0 {
		t.Fatal("docs/goals.md has no row for close")
	}
	row, _, _ := strings.Cut(page[i+1:], "\n")
	for _, says := range []string{"`auto: true` closes every instance automatically `after_days`", "without `auto`", "`after_days` is refused at its line: add `auto: true`"} {
		if !strings.Contains(row, says) {
			t.Errorf("the close row of docs/goals.md does not say %q:\n%s", says, row)
		}
	}

	// January's instance ends at midnight on 1 February (UTC); after_days
	// 2 closes it at midnight on 3 February.
	state := func(close string, asOf time.Time) goal.State {
		t.Helper()
		rep := evaluateYAML(t, `timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
goals:
  - {id: deals, indicator: won, target: 1, participants: {users: [anna]},
     period: {from: 2025-01-01, to: 2025-02-01}, close: `+close+`}
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`, asOf)
		if rep.Goals == nil || len(rep.Goals.Rows) != 1 {
			t.Fatalf("close %s: want one goal row, got %+v", close, rep.Goals)
		}
		return rep.Goals.Rows[0].State
	}
	before := time.Date(2025, 2, 2, 23, 59, 59, 0, time.UTC)
	at := time.Date(2025, 2, 3, 0, 0, 0, 0, time.UTC)
	for _, c := range []struct {
		close string
		asOf  time.Time
		want  goal.State
	}{
		{"{auto: true, after_days: 2}", before, goal.StateFailed},
		{"{auto: true, after_days: 2}", at, goal.StateClosed},
		{"{auto: true}", time.Date(2025, 2, 1, 0, 0, 0, 0, time.UTC), goal.StateClosed},
		{"{}", at.AddDate(1, 0, 0), goal.StateFailed},
	} {
		if got := state(c.close, c.asOf); got != c.want {
			t.Errorf("close %s as of %s: state %s, want %s", c.close, c.asOf.Format(time.RFC3339), got, c.want)
		}
	}
	const plan = `timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
goals:
  - {id: deals, indicator: won, target: 1, participants: {users: [anna]},
     period: {from: 2025-01-01, to: 2025-02-01}, close: {after_days: 2}}
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(plan))
	if err == nil {
		_, err = goalkit.Compile(def)
	}
	if want := "plan.yaml:6: goals[0].close.after_days: after_days applies to auto: true"; err == nil || !strings.HasPrefix(err.Error(), want) {
		t.Errorf("close {after_days: 2} without auto: %v, want %q…", err, want)
	}
}

// TestGoalsVisibilityAsDocumented checks the visibility row of
// docs/goals.md's table of keys: left out, the policy alone decides (a
// user sees their own row, not a colleague's), and public shows every row
// to everyone.
func TestGoalsVisibilityAsDocumented(t *testing.T) {
	page := strings.Join(strings.Fields(string(repoFile(t, "docs", "goals.md"))), " ")
	if says := "| `visibility` | left out (the default), the visibility policy alone decides who sees a row: under the default policy a user sees their own rows"; !strings.Contains(page, says) {
		t.Errorf("docs/goals.md does not say %q", says)
	}
	rep := evaluateYAML(t, `timezone: UTC
indicators: [{id: won, kinds: [deal.won], aggregate: count}]
goals:
  - {id: unset, indicator: won, target: 5, period: {from: 2025-01-01, to: 2025-02-01}, participants: {users: [anna, boris]}}
  - {id: open, indicator: won, target: 5, period: {from: 2025-01-01, to: 2025-02-01}, participants: {users: [anna, boris]}, visibility: public}
  - {id: all, indicator: won, target: 5, period: {from: 2025-01-01, to: 2025-02-01}, participants: {company: true}}
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`, time.Date(2025, 1, 15, 0, 0, 0, 0, time.UTC))
	seen := rep.ForViewer(goal.Viewer{User: "boris"}, goal.DefaultVisibility{Date: rep.Goals.Rows[0].Date})
	var got []string
	for _, r := range seen.Goals.Rows {
		got = append(got, r.Goal+"/"+r.Participant)
	}
	if want := "unset/boris open/anna open/boris all/*"; strings.Join(got, " ") != want {
		t.Errorf("boris sees %v, want %s", got, want)
	}
}

// evaluateYAML compiles the plan and evaluates it over no events as of
// asOf, failing the test on an error.
func evaluateYAML(t *testing.T, plan string, asOf time.Time) *goalkit.Report {
	t.Helper()
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(plan))
	var p *goalkit.Plan
	if err == nil {
		p, err = goalkit.Compile(def)
	}
	var rep *goalkit.Report
	if err == nil {
		rep, err = p.Evaluate(context.Background(), memory.New(time.UTC), asOf)
	}
	if err != nil {
		t.Fatal(err)
	}
	return rep
}
