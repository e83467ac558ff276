package chart_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// TestLeaderboardNames: a standing is labelled by its participant's name
// in Options.Names, by its id where it has none; everyone keeps its words.
func TestLeaderboardNames(t *testing.T) {
	v := func(n int64) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.NewFromInt(n)) }
	board := score.Board{Leaderboard: "b", Label: "2025-03", Standings: []score.Standing{
		{Rank: 1, Participant: "north", Value: v(9)}, {Rank: 2, Participant: "south", Value: v(5)}, {Rank: 3, Participant: "*", Value: v(1)}}}
	svg, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG, Names: map[string]string{"north": "Север", "*": "all"}})
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{">1. Север<", ">2. south<", ">3. Company<"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("the SVG has no %q", want)
		}
	}
	if strings.Contains(string(svg), "north") {
		t.Error("the SVG shows north by its id")
	}
}

// TestLeaderboardNamesByKind: with Options.Namer a departments board
// shows unit 1 by the unit's name and a people board user 1 by theirs
// (Bitrix24's company department and its administrator, of one id); a
// board with no level is of people; everyone is never asked.
func TestLeaderboardNamesByKind(t *testing.T) {
	v := func(n int64) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.NewFromInt(n)) }
	board := score.Board{Leaderboard: "b", Label: "2025-03", Standings: []score.Standing{
		{Rank: 1, Participant: "1", Value: v(9)}, {Rank: 2, Participant: "2", Value: v(5)}, {Rank: 3, Participant: "*", Value: v(1)}}}
	namer := func(kind goal.ParticipantKind, id string) (string, bool) {
		if id == "*" {
			t.Errorf("everyone was asked its name as %s", kind)
		}
		n, ok := map[goal.ParticipantKind]map[string]string{
			goal.Team: {"1": "Head office"},
			goal.User: {"1": "Ivan Admin"},
		}[kind][id]
		return n, ok
	}
	for _, c := range []struct {
		level       string
		want, wrong string
	}{
		{score.LevelDepartments, ">1. Head office<", "Ivan Admin"},
		{score.LevelPeople, ">1. Ivan Admin<", "Head office"},
		{"", ">1. Ivan Admin<", "Head office"},
	} {
		svg, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG, Namer: namer, Level: c.level,
			Names: map[string]string{"1": "by id"}})
		if err != nil {
			t.Fatal(err)
		}
		for _, want := range []string{c.want, ">2. 2<", ">3. Company<"} {
			if !strings.Contains(string(svg), want) {
				t.Errorf("level %q: the SVG has no %q", c.level, want)
			}
		}
		for _, wrong := range []string{c.wrong, "by id"} {
			if strings.Contains(string(svg), wrong) {
				t.Errorf("level %q: the SVG shows %q", c.level, wrong)
			}
		}
	}
}
