package bitrix24_test

import (
	"context"
	"math/big"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/memory"
)

// A portal numbers its departments as it numbers its users (the fake
// portal's departments 1, 3, 5 and 7 and users 1, 3, 5 and 7): a plan
// evaluates with its Directory. The values' row "5" is user 5's, the goal
// of the team "5" counts department 5's people (users 4, 5, 6, 7 and 12 in
// user.get.json), and the departments leaderboard ranks the departments.
// Every report failed with `participant "1" is both an actor and a group`.
func TestDirectoryWhoseDepartmentsAreUserIDs(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	msk := moscow(t)
	x := loadExpected(t)
	c, evs := syncFresh(t, bitrix24.SyncOptions{Location: msk})
	dir, err := c.Directory(ctx)
	if err != nil {
		t.Fatal(err)
	}
	store := memory.New(msk)
	if err := store.Apply(evs...); err != nil {
		t.Fatal(err)
	}
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(`timezone: Europe/Moscow
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
report: {grain: month, from: 2024-03-01, to: 2024-04-01}
goals:
  - id: team_won
    indicator: won
    target: 1
    period: {from: 2024-03-01, every: month}
    participants: {teams: ["5"]}
scorecards:
  - id: sc
    grain: month
    kpis:
      - {indicator: won, target: 10, weight: 100}
leaderboards:
  - {id: depts, scorecard: sc, level: departments, metric: actual, kpi: won, departments: ["5"]}
`))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := plan.Evaluate(ctx, store, exportTime, goalkit.WithDirectory(dir))
	if err != nil {
		t.Fatal(err)
	}
	march := plan.Periods()[0]
	team := 0
	for _, u := range []string{"4", "5", "6", "7", "12"} {
		team += x.Users[u].DealsWon
	}
	if v, ok := rep.Values.Value("won", "5", march); !ok || rep.Values.IsGroup("5") || v.Decimal.IntPart() != int64(x.Users["5"].DealsWon) {
		t.Errorf("row 5: %v (ok %v, group %v), want user 5's %d", v, ok, rep.Values.IsGroup("5"), x.Users["5"].DealsWon)
	}
	if rows := rep.Goals.Rows; len(rows) != 1 || rows[0].Participant != "5" || rows[0].Actual.Decimal.IntPart() != int64(team) {
		t.Errorf("the goal of department 5: %+v, want one row of %d", rows, team)
	}
	warned := false
	for _, w := range rep.Values.Warnings {
		warned = warned || (w.Participant == "5" && strings.Contains(w.Msg, "also an actor"))
	}
	if !warned {
		t.Errorf("no warning names department 5, left out of the values: %+v", rep.Values.Warnings)
	}
	// won per head: the team's deals won over its 5 people.
	perHead := big.NewRat(int64(team), 5)
	if bs := rep.Scores.Leaderboards; len(bs) != 1 || len(bs[0].Standings) != 1 || bs[0].Standings[0].Participant != "5" ||
		bs[0].Standings[0].Value.Decimal.Rat().Cmp(perHead) != 0 {
		t.Errorf("departments: %+v, want department 5 with %s a head", bs, perHead.RatString())
	}

	tr, err := plan.Track(ctx, nil, goalkit.WithDirectory(dir))
	if err != nil {
		t.Fatal(err)
	}
	defer tr.Close()
	if err := tr.Apply(ctx, evs...); err != nil {
		t.Fatal(err)
	}
	live, err := tr.Report(ctx, exportTime)
	if err != nil {
		t.Fatal(err)
	}
	if rows := live.Goals.Rows; len(rows) != 1 || rows[0].Actual.Decimal.IntPart() != int64(team) {
		t.Errorf("the tracker's goal of department 5: %+v, want one row of %d", rows, team)
	}
}
