package sample

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/eventfile"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/org"
)

// sharedIDPlan scores department 1 on the teams scorecard and the members
// of department 2 (users 1 and 7) on the people scorecard, with a goal for
// each kind and one of both (department 1 and user 7): user 1 and
// department 1 (Bitrix24's user 1 and its company department) share an
// id.
const sharedIDPlan = `
timezone: UTC
indicators:
  - {id: won, name: Won, kinds: [deal.won], aggregate: count}
  - {id: calls, name: Calls, kinds: [call], aggregate: count}
  - {id: meetings, name: Meetings, kinds: [meeting], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
scorecards:
  - id: teams
    name: Department card
    grain: month
    participants: ["1"]
    kpis:
      - {indicator: won, target: 10, weight: 50}
      - {indicator: calls, target: 10, weight: 30}
      - {indicator: meetings, target: 10, weight: 20}
  - id: people
    name: Personal card
    grain: month
    members_of: ["2"]
    kpis:
      - {indicator: won, target: 2, weight: 50}
      - {indicator: calls, target: 2, weight: 30}
      - {indicator: meetings, target: 2, weight: 20}
bonuses:
  - {id: team_bonus, scorecard: teams, base: 1000, currency: RUB}
leaderboards:
  - {id: units, name: Units board, scorecard: teams, level: departments, departments: ["1", "2"]}
  - {id: people_board, name: People board, scorecard: people}
goals:
  - {id: dept_won, name: Department deals, indicator: won, target: 10, period: {from: 2025-03-01, every: month}, participants: {teams: ["1"]}}
  - {id: my_won, name: My deals, indicator: won, target: 2, period: {from: 2025-03-01, every: month}, participants: {users: ["1"]}}
  - {id: both_won, name: Both deals, indicator: won, target: 4, period: {from: 2025-03-01, every: month}, participants: {teams: ["1"], users: ["7"]}}
`

const sharedIDEvents = `{"id": "w1", "kind": "deal.won", "time": "2025-03-03T10:00:00Z", "actor": "1"}
{"id": "w2", "kind": "deal.won", "time": "2025-03-04T10:00:00Z", "actor": "7"}
{"id": "c1", "kind": "call", "time": "2025-03-04T11:00:00Z", "actor": "1"}
`

// SharedID returns a plan and its report as of 20 March 2025 in which a
// unit and a person share an id (sharedIDPlan), over a directory of
// department 1 ("Head office") and 2 ("Sales") with users 1 and 7 in 2.
func SharedID(tb testing.TB) (*goalkit.Plan, *goalkit.Report) {
	tb.Helper()
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(sharedIDPlan))
	if err != nil {
		tb.Fatal(err)
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		tb.Fatal(err)
	}
	dir, err := memory.NewDirectory([]org.Unit{{ID: "1", Name: "Head office"}, {ID: "2", Parent: "1", Name: "Sales"}},
		[]org.Membership{{User: "1", Unit: "2"}, {User: "7", Unit: "2"}})
	if err != nil {
		tb.Fatal(err)
	}
	ctx := context.Background()
	store := memory.New(time.UTC)
	if err := eventfile.Load(ctx, store, strings.NewReader(sharedIDEvents), "events.ndjson", eventfile.Options{}); err != nil {
		tb.Fatal(err)
	}
	rep, err := plan.Evaluate(ctx, store, time.Date(2025, 3, 20, 0, 0, 0, 0, time.UTC), goalkit.WithDirectory(dir))
	if err != nil {
		tb.Fatal(err)
	}
	return plan, rep
}

// KindNames names the participants of SharedID's report by kind:
// department 1 "Head office" and user 1 "Ivan Admin", as a Bitrix24 portal
// names its company department and its administrator, department 2
// "Sales" and user 7 "Vera Lee".
func KindNames(kind goal.ParticipantKind, id string) (string, bool) {
	n, ok := map[goal.ParticipantKind]map[string]string{
		goal.Team: {"1": "Head office", "2": "Sales"},
		goal.User: {"1": "Ivan Admin", "7": "Vera Lee"},
	}[kind][id]
	return n, ok
}
