package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// TestTrackChecksScorecardGroupsUpFront: a scorecard section that Evaluate
// refuses whatever the events (a group it names that is not a group of the
// evaluation) is refused by Track with Evaluate's error, not by every
// later report; a range in which the scorecard has no period is refused by
// neither.
func TestTrackChecksScorecardGroupsUpFront(t *testing.T) {
	const kpis = `
    kpis:
      - {indicator: calls, target: 10, weight: 50}
      - {indicator: deals, target: 10, weight: 25}
      - {indicator: won, target: 10, weight: 25}`
	plan := func(t *testing.T, report, sections string) *goalkit.Plan {
		t.Helper()
		p, err := goalkit.Compile(parseDef(t, `
timezone: UTC
indicators:
  - {id: calls, kinds: [call], aggregate: count}
  - {id: deals, kinds: [deal], aggregate: count}
  - {id: won, kinds: [won], aggregate: count}
report: `+report+`
`+sections))
		if err != nil {
			t.Fatal(err)
		}
		return p
	}
	march := "{grain: month, from: 2025-03-01, to: 2025-04-01}"
	for _, c := range []struct {
		name, report, sections, want string
	}{
		{"members_of", march, "scorecards:\n  - id: team\n    grain: month\n    members_of: [sales]" + kpis,
			`scoring: scorecard team: members_of group "sales" is not a group of the evaluation`},
		{"pool team", march, "scorecards:\n  - id: team\n    grain: month" + kpis +
			"\nbonuses:\n  - {id: pool, scorecard: team, currency: RUB, pool: {amount: 1000, teams: [sales]}}",
			`bonus pool: pool team "sales" is not a group of the evaluation`},
		{"department", march, "scorecards:\n  - id: team\n    grain: month" + kpis +
			"\nleaderboards:\n  - {id: depts, scorecard: team, level: departments, departments: [sales]}",
			`scoring: leaderboard depts: department "sales" is not a group of the evaluation`},
		{"no period of the scorecard", "{grain: day, from: 2025-03-10, to: 2025-03-20}",
			"scorecards:\n  - id: team\n    grain: month\n    members_of: [sales]" + kpis, ""},
	} {
		t.Run(c.name, func(t *testing.T) {
			ctx := context.Background()
			p := plan(t, c.report, c.sections)
			asOf := time.Date(2025, 3, 15, 12, 0, 0, 0, time.UTC)
			errText := func(err error) string {
				if err == nil {
					return ""
				}
				return err.Error()
			}
			_, eerr := p.Evaluate(ctx, kpi.Events{}, asOf)
			tr, terr := p.Track(ctx, nil)
			if errText(eerr) != c.want || errText(terr) != c.want {
				t.Fatalf("Evaluate: %v; Track: %v; want %q from both", eerr, terr, c.want)
			}
			if tr != nil {
				if _, err := tr.Report(ctx, asOf); err != nil {
					t.Fatalf("a tracker Track accepted cannot report: %v", err)
				}
			}
			sales := goalkit.WithGroups(org.Group{ID: "sales", Members: []string{"anna"}})
			tr, err := p.Track(ctx, nil, sales)
			if err != nil {
				t.Fatalf("with the group: %v", err)
			}
			if _, err := tr.Report(ctx, asOf); err != nil {
				t.Fatalf("with the group: %v", err)
			}
		})
	}
}
