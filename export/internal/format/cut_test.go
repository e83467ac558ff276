package format

import (
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/score"
)

// TestCut: a board says it is cut to its top exactly when the report left
// ranks out (more ranked than it holds) and it holds its top's standings;
// the counts are by hand.
func TestCut(t *testing.T) {
	def, err := goalkit.ParseDefinition("plan.yaml", []byte(`timezone: UTC
indicators:
  - {id: calls, kinds: [call], aggregate: count}
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
scorecards:
  - id: s
    grain: month
    kpis:
      - {indicator: calls, target: 1, weight: 100}
leaderboards:
  - {id: top2, scorecard: s, top: 2}
  - {id: all, scorecard: s}
`))
	if err != nil {
		t.Fatal(err)
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	ranks := func(rs ...int) []score.Standing {
		var ss []score.Standing
		for _, r := range rs {
			ss = append(ss, score.Standing{Rank: r})
		}
		return ss
	}
	for _, c := range []struct {
		name          string
		b             score.Board
		cut, rankedOf int
	}{
		{"2 of 5 ranked", score.Board{Leaderboard: "top2", Standings: ranks(1, 2), Ranked: 5}, 2, 5},
		{"a tie at the cut, 3 of 4", score.Board{Leaderboard: "top2", Standings: ranks(1, 2, 2), Ranked: 4}, 2, 4},
		{"a tie that keeps all 3", score.Board{Leaderboard: "top2", Standings: ranks(1, 1, 1), Ranked: 3}, 0, 3},
		{"exactly 2 of 2", score.Board{Leaderboard: "top2", Standings: ranks(1, 2), Ranked: 2}, 0, 2},
		{"1 of 1", score.Board{Leaderboard: "top2", Standings: ranks(1), Ranked: 1}, 0, 1},
		{"cut to a viewer's scope: 1 held of 5", score.Board{Leaderboard: "top2", Standings: ranks(2), Ranked: 5}, 0, 5},
		{"no top: 2 ranked and 1 not", score.Board{Leaderboard: "all", Standings: ranks(1, 2, 0)}, 0, 2},
	} {
		if got := Cut(plan, c.b); got != c.cut {
			t.Errorf("%s: Cut %d, want %d", c.name, got, c.cut)
		}
		if got := Ranked(c.b); got != c.rankedOf {
			t.Errorf("%s: Ranked %d, want %d", c.name, got, c.rankedOf)
		}
	}
}
