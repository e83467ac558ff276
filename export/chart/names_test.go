package chart_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/chart"
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
	for _, want := range []string{">1. Север<", ">2. south<", ">3. everyone (*)<"} {
		if !strings.Contains(string(svg), want) {
			t.Errorf("the SVG has no %q", want)
		}
	}
	if strings.Contains(string(svg), "north") {
		t.Error("the SVG shows north by its id")
	}
}
