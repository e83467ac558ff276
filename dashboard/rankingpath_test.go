package dashboard_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
)

// officesData is the tracker data of the plan over two offices, north
// (anna, boris) and south (vera), each person with one call two days
// before asOf, named.
func officesData(t *testing.T, planYAML string) kindNamed {
	t.Helper()
	at := asOf.Add(-48 * time.Hour)
	return kindNamed{
		trackerData: yamlTrackerData(t, planYAML,
			[]org.Unit{{ID: "north"}, {ID: "south"}},
			[]org.Membership{{User: "anna", Unit: "north"}, {User: "boris", Unit: "north"}, {User: "vera", Unit: "south"}},
			kpi.Event{ID: "c1", Kind: "call", Time: at, Actor: "anna"},
			kpi.Event{ID: "c2", Kind: "call", Time: at, Actor: "boris"},
			kpi.Event{ID: "c3", Kind: "call", Time: at, Actor: "vera"},
		),
		people: map[string]string{"anna": "Anna Petrova", "boris": "Boris Ivanov", "vera": "Vera Lebedeva"},
		units:  map[string]string{"north": "Northern office", "south": "Southern office"},
	}
}

// ownRowsOnly is trackerData under a policy by which a user sees only
// their own rows and the company's.
type ownRowsOnly struct{ kindNamed }

func (d ownRowsOnly) Report(ctx context.Context, v goal.Viewer, asOf time.Time) (*goalkit.Report, error) {
	rep, err := d.tr.Report(ctx, asOf)
	if err != nil {
		return nil, err
	}
	return rep.ForViewer(v, goal.VisibilityFunc(func(v goal.Viewer, s goal.Subject) bool {
		return s.Kind == goal.Company || s.Kind == goal.User && s.Participant == v.User
	})), nil
}

// A cascade node the viewer may not see, kept only as the path to their
// own node, shows no fact of its unit, and the ranking shows no standing
// of it either: the departments board showed the hidden department's
// place and score because the cascade's path named it.
func TestRankingLeavesOutTheUnitsOfACascadesPath(t *testing.T) {
	data := officesData(t, `
timezone: UTC
indicators:
  - {id: calls, kinds: [call], aggregate: count}
report: {grain: month, from: 2026-12-01, to: 2027-01-01}
scorecards:
  - id: people
    grain: month
    kpis:
      - {indicator: calls, target: 2, weight: 100}
leaderboards:
  - {id: teams_board, name: Teams board, scorecard: people, level: departments}
cascades:
  - id: calls_down
    indicator: calls
    root:
      period: 2026-12
      target: 10
      split: {by: even, into: units, then: {by: even, into: members}}
`)
	get := pagesOf(t, ownRowsOnly{data}, goal.Viewer{User: "anna"})
	if body := get("/cascades?lang=en"); !strings.Contains(body, "Anna Petrova") {
		t.Fatalf("anna does not see her own node of the cascade:\n%s", body)
	}
	body := get("/ranking?lang=en")
	for _, hidden := range []string{"Northern office", "Southern office"} {
		if strings.Contains(body, hidden) {
			t.Errorf("the departments board shows %s, which anna may not see:\n%s", hidden, body)
		}
	}
}
