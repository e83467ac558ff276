package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
)

// kindsPlan is collidePlan's with a leaderboard of people and a bonus on
// sc; TestPlanKinds adds in Go a scorecard that names the units 1 and 2
// (unit 1's row is user 1's) and a bonus on it.
const kindsPlan = collidePlan + `  - {id: people, scorecard: sc}
bonuses:
  - {id: people_bonus, scorecard: sc, currency: RUB, base: 100}
`

// The kinds of a report's participants, over a directory whose unit 1 has
// the id of user 1: each case's kind written by hand.
func TestPlanKinds(t *testing.T) {
	def := parsePlan(t, kindsPlan).Definition()
	def.Scorecards = append(def.Scorecards, def.Scorecards[0])
	def.Scorecards[1].ID, def.Scorecards[1].Participants = "units", []string{"1", "2"}
	def.Bonuses = append(def.Bonuses, def.Bonuses[0])
	def.Bonuses[1].ID, def.Bonuses[1].Scorecard = "units_bonus", "units"
	plan, err := goalkit.Compile(&def)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := plan.Evaluate(context.Background(), storeOf(t, time.UTC, collideEvents()...),
		time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC), goalkit.WithDirectory(collideDirectory(t)))
	if err != nil {
		t.Fatal(err)
	}
	// The report holds what the cases ask of: cards of the units 1 and 2.
	cards := map[string]bool{}
	for _, c := range rep.Scores.Scorecards {
		cards[c.Scorecard+"/"+c.Participant] = true
	}
	if !cards["units/1"] || !cards["units/2"] || !cards["sc/1"] {
		t.Fatalf("cards %v, want units/1, units/2 and sc/1 among them", cards)
	}
	none := &goalkit.Report{}
	shadow := kpi.Warning{Participant: "1", Msg: "group \"1\" has no row"}
	cell := func(p string) kpi.Warning {
		return kpi.Warning{Indicator: "calls", Participant: p, Period: "2025-03", Msg: "x"}
	}
	for _, c := range []struct {
		what string
		got  goal.ParticipantKind
		want goal.ParticipantKind
	}{
		{"value of user 1, whose id unit 1 has too", plan.ValueKind(rep, "1"), goal.User},
		{"value of user 7", plan.ValueKind(rep, "7"), goal.User},
		{"value of unit 2", plan.ValueKind(rep, "2"), goal.Team},
		{"value of everyone", plan.ValueKind(rep, "*"), goal.Company},
		{"value of a nil report", plan.ValueKind(nil, "2"), ""},
		{"value of a report without values", plan.ValueKind(none, "2"), ""},
		{"everyone of a report without values", plan.ValueKind(none, "*"), goal.Company},
		{"warning of no indicator and no period", plan.WarningKind(rep, shadow), goal.Team},
		{"warning of a cell of user 1", plan.WarningKind(rep, cell("1")), goal.User},
		{"warning of a cell of unit 2", plan.WarningKind(rep, cell("2")), goal.Team},
		{"card of unit 1 the scorecard names", plan.CardKind(rep, "units", "1"), goal.Team},
		{"card of unit 2 the scorecard names", plan.CardKind(rep, "units", "2"), goal.Team},
		{"card of user 7 the scorecard does not name", plan.CardKind(rep, "units", "7"), goal.User},
		{"card of user 1 on a scorecard of people", plan.CardKind(rep, "sc", "1"), goal.User},
		{"card of a scorecard the plan does not have", plan.CardKind(rep, "nope", "2"), goal.User},
		{"card of a report without values", plan.CardKind(none, "units", "2"), goal.User},
		{"card of everyone", plan.CardKind(rep, "units", "*"), goal.Company},
		{"payout of unit 1 on the units' scorecard", plan.PayoutKind(rep, "units_bonus", "1"), goal.Team},
		{"payout of user 1 on the people's scorecard", plan.PayoutKind(rep, "people_bonus", "1"), goal.User},
		{"payout of a bonus the plan does not have", plan.PayoutKind(rep, "nope", "2"), goal.User},
		{"standing of a departments leaderboard", plan.StandingKind("actual"), goal.Team},
		{"standing of a people leaderboard", plan.StandingKind("people"), goal.User},
		{"standing of a leaderboard the plan does not have", plan.StandingKind("nope"), goal.User},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.what, c.got, c.want)
		}
	}
}
