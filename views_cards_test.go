package goalkit_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/score"
)

// A scorecard that names department 3, whose id user 3 has too, scores the
// department on its own row: ForViewer shows its card, its bonus and its
// badge to whoever may see the department (its head, its members), not to
// whoever may see user 3. User 3, who is in department 2, saw department
// 3's card, bonus and badge as their own, and the head of department 3 did
// not see them. A viewer of the department is told that its row of values
// is user 3's: the report they see says the card is a unit's.
func TestForViewerCardsOfAUnitWithAnActorsID(t *testing.T) {
	def := parseDef(t, `timezone: UTC
indicators:
  - {id: calls, kinds: [call], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
scorecards:
  - id: units
    grain: month
    participants: ["3"]
    kpis:
      - {indicator: calls, target: 10, weight: 100}
bonuses:
  - {id: units_bonus, scorecard: units, currency: RUB, base: 100}
badges:
  - {id: ten, rule: threshold, scorecard: units, min: 10}
`)
	plan := compile(t, def)
	dir, err := memory.NewDirectory([]org.Unit{{ID: "1"}, {ID: "2", Parent: "1"}, {ID: "3", Parent: "1", Head: "h"}},
		[]org.Membership{{User: "3", Unit: "2"}, {User: "5", Unit: "3"}, {User: "h", Unit: "3"}})
	if err != nil {
		t.Fatal(err)
	}
	var evs []kpi.Event
	for i, a := range []string{"3", "5", "5"} {
		evs = append(evs, kpi.Event{ID: string(rune('a' + i)), Kind: "call", Actor: a, Time: time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)})
	}
	asOf := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	rep, err := plan.Evaluate(context.Background(), storeOf(t, time.UTC, evs...), asOf, goalkit.WithDirectory(dir))
	if err != nil {
		t.Fatal(err)
	}
	// By hand: department 3 is user 5 and its head h, 2 calls of 10: 20.
	if len(rep.Scores.Scorecards) != 1 || rep.Scores.Scorecards[0].Participant != "3" || rep.Scores.Scorecards[0].Total.String() != "20" {
		t.Fatalf("cards %+v, want department 3's of 20", rep.Scores.Scorecards)
	}
	if len(rep.Scores.Badges) != 1 || rep.Scores.Badges[0].Participant != "3" {
		t.Fatalf("badges %+v, want department 3's (20 of at least 10)", rep.Scores.Badges)
	}
	o, err := org.Load(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	pol := goal.DefaultVisibility{Org: o, Date: plan.Calendar().Date(asOf)}
	for _, c := range []struct {
		viewer string
		sees   bool
	}{{"3", false}, {"h", true}, {"5", true}, {"7", false}} {
		v := rep.ForViewer(goal.Viewer{User: c.viewer}, pol)
		card := slices.ContainsFunc(v.Scores.Scorecards, func(x score.Card) bool { return x.Participant == "3" })
		bonus, badge := len(v.Scores.Bonuses) > 0, len(v.Scores.Badges) > 0
		if card != c.sees || bonus != c.sees || badge != c.sees {
			t.Errorf("user %s sees department 3's card %v, bonus %v and badge %v, want %v", c.viewer, card, bonus, badge, c.sees)
		}
		// Whoever sees the department's card is told that its row of
		// values is user 3's, and so what the card is.
		if c.sees && plan.CardKind(v, "units", "3") != goal.Team {
			t.Errorf("user %s's report says department 3's card is of a %s: its warnings %+v", c.viewer, plan.CardKind(v, "units", "3"), v.Values.Warnings)
		}
	}
}
