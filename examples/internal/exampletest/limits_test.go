package exampletest_test

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/goalkit/goalkit"
)

// limitGoal is a plan with one goal whose {KEY} line a limit case fills.
const limitGoal = `timezone: UTC
indicators: [{id: won, kinds: [deal.won], aggregate: count}]
goals:
  - {id: deals, indicator: won, target: 10, period: {from: 2025-01-01, every: month},
     participants: {users: [anna]}, {KEY}}
report: {grain: month, from: 2025-01-01, to: 2025-03-01}
`

// limitCascade is a plan with one cascade whose {KEY} line a limit case
// fills.
const limitCascade = `timezone: UTC
indicators: [{id: revenue, kinds: [deal.won], aggregate: sum, value: amount}]
cascades:
  - {id: revenue_2025, indicator: revenue, {KEY},
     root: {period: "2025", target: 1000, split: {by: even, into: quarter}}}
report: {grain: month, from: 2025-01-01, to: 2026-01-01}
`

// limitScores is a plan with a scorecard and a bonus scheme over it, and
// a top-level {KEY} a limit case fills.
const limitScores = `timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: calls, kinds: [call], aggregate: count}
  - {id: meetings, kinds: [meeting], aggregate: count}
scorecards:
  - {id: sales, grain: month, kpis: [{indicator: won, target: 10, weight: 50}, {indicator: calls, target: 100, weight: 30}, {indicator: meetings, target: 20, weight: 20}]}
{KEY}
report: {grain: month, from: 2025-01-01, to: 2025-02-01}
`

// limits are the bounds of plan keys the docs pages give: the page says
// so, the value at the bound compiles and the one past it is refused at
// the key's path.
var limits = []struct {
	page, says, plan, key, ok, bad, path string
}{
	{"goals.md", "the goal's share (percent, 0 to 100)", limitGoal, "weight: %s", "100", "101", "goals[0].weight"},
	{"goals.md", "the goal's share (percent, 0 to 100)", limitGoal, "weight: %s", "0", "-1", "goals[0].weight"},
	{"goals.md", "`pace_history` earlier periods, default 3, written 1 to 36", limitGoal, "pace_history: %s", "36", "37", "goals[0].pace_history"},
	{"goals.md", "`history` (periods, default 6, written 1 to 36)", limitGoal, "chance: {history: %s}", "36", "37", "goals[0].chance.history"},
	{"goals.md", "`samples` (default 1000, written 1 to 100000)", limitGoal, "chance: {samples: %s}", "100000", "100001", "goals[0].chance.samples"},
	{"goals.md", "`decay` (default 0.75, above 0 and at most 1)", limitGoal, "chance: {decay: %s}", "1", "1.001", "goals[0].chance.decay"},
	{"goals.md", "`decay` (default 0.75, above 0 and at most 1)", limitGoal, "chance: {decay: %s}", "0.001", "0", "goals[0].chance.decay"},
	{"goals.md", "`window` (default 0, from 0 to 1)", limitGoal, "chance: {window: %s}", "1", "1.001", "goals[0].chance.window"},
	{"cascade.md", "# split into whole kopecks; 0 to 9, default 0", limitCascade, "places: %s", "9", "10", "cascades[0].places"},
	{"cascade.md", "# split into whole kopecks; 0 to 9, default 0", limitCascade, "places: %s", "0", "-1", "cascades[0].places"},
	{"scorecards.md", "`periods` periods (required, 2 to 60)", limitScores, "badges: [{id: hat_trick, rule: streak, scorecard: sales, periods: %s}]", "60", "61", "badges[0].periods"},
	{"scorecards.md", "`periods` periods (required, 2 to 60)", limitScores, "badges: [{id: hat_trick, rule: streak, scorecard: sales, periods: %s}]", "2", "1", "badges[0].periods"},
	{"scorecards.md", "`percent` of the gross (0 to 100)", limitScores, "bonuses: [{id: b, scorecard: sales, currency: RUB, base: 100, penalties: [{kpi: won, below_score: 50, percent: %s}]}]", "100", "100.5", "bonuses[0].penalties[0].percent"},
	{"scorecards.md", "a fixed `amount` (0 or more)", limitScores, "bonuses: [{id: b, scorecard: sales, currency: RUB, base: 100, penalties: [{kpi: won, below_score: 50, amount: %s}]}]", "0", "-0.01", "bonuses[0].penalties[0].amount"},
	{"scorecards.md", "(0, the default, shows every rank)", limitScores, "leaderboards: [{id: board, scorecard: sales, top: %s}]", "0", "-1", "leaderboards[0].top"},
}

// TestLimitsAsDocumented checks each bound of limits.
func TestLimitsAsDocumented(t *testing.T) {
	for _, c := range limits {
		page := strings.Join(strings.Fields(string(repoFile(t, "docs", c.page))), " ")
		if !strings.Contains(page, c.says) {
			t.Errorf("docs/%s does not say %q", c.page, c.says)
		}
		plan := func(v string) string {
			return strings.Replace(c.plan, "{KEY}", strings.Replace(c.key, "%s", v, 1), 1)
		}
		if err := compileErr(t, plan(c.ok)); err != nil {
			t.Errorf("%s %s: %v", c.path, c.ok, err)
		}
		var ce *goalkit.CompileError
		if err := compileErr(t, plan(c.bad)); !errors.As(err, &ce) || len(ce.Problems) != 1 || ce.Problems[0].Path != c.path {
			t.Errorf("%s %s: %v, want one problem at %s", c.path, c.bad, err, c.path)
		}
	}
}

// TestAttributeNamesAsDocumented checks what docs/formats.md says of the
// names a plan's attributes may have: [a-z][a-z0-9_]*, none an event
// field's.
func TestAttributeNamesAsDocumented(t *testing.T) {
	page := strings.Join(strings.Fields(string(repoFile(t, "docs", "formats.md"))), " ")
	fields := []string{"id", "kind", "time", "actor", "amount", "currency"}
	says := "names of the form `[a-z][a-z0-9_]*` other than the event fields (`" + strings.Join(fields, "`, `") + "`)"
	if !strings.Contains(page, says) {
		t.Errorf("docs/formats.md does not say %q", says)
	}
	plan := func(name string) string {
		return "timezone: UTC\nattributes: {'" + name + "': string}\nindicators: [{id: won, kinds: [deal.won], aggregate: count}]\nreport: {grain: month, from: 2025-01-01, to: 2025-02-01}\n"
	}
	if err := compileErr(t, plan("utm_source2")); err != nil {
		t.Errorf("attribute utm_source2: %v", err)
	}
	for _, name := range append(fields, "UF_CRM_5", "utm-source", "2nd", "_x") {
		var ce *goalkit.CompileError
		if err := compileErr(t, plan(name)); !errors.As(err, &ce) || len(ce.Problems) != 1 || ce.Problems[0].Path != "attributes."+name {
			t.Errorf("attribute %s: %v, want one problem at attributes.%s", name, err, name)
		}
	}
}

// TestCalendarHoursAsDocumented checks the bounds docs/calendars.md gives
// a calendar file's hours: more than 0 and at most 24, in whole minutes.
func TestCalendarHoursAsDocumented(t *testing.T) {
	page := strings.Join(strings.Fields(string(repoFile(t, "docs", "calendars.md"))), " ")
	if says := "in whole minutes, more than 0 and at most 24"; !strings.Contains(page, says) {
		t.Errorf("docs/calendars.md does not say %q", says)
	}
	for hours, ok := range map[string]bool{"24": true, "7.5": true, "0.0166666": false, "24.5": false, "0": false, "7.51": false} {
		fsys := fstest.MapFS{
			"plan.yaml":    {Data: []byte("timezone: UTC\ncalendar: company.yaml\nindicators: [{id: won, kinds: [deal.won], aggregate: count}]\nreport: {grain: month, from: 2025-01-01, to: 2025-02-01}\n")},
			"company.yaml": {Data: []byte("hours: " + hours + "\n")},
		}
		def, err := goalkit.ReadDefinitionFS(fsys, "plan.yaml")
		if err == nil {
			_, err = goalkit.Compile(def)
		}
		if got := err == nil; got != ok || !ok && !strings.Contains(err.Error(), "company.yaml:1: hours must be") {
			t.Errorf("a calendar of %s hours: %v, want accepted %v", hours, err, ok)
		}
	}
}
