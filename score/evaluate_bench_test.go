package score

import (
	"context"
	"fmt"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/rickb777/date/v2"
)

// BenchmarkScoringEvaluate scores a quarter of monthly cards of 200 actors
// (every actor with events), with a pool: alone, with a streak badge of 3
// months, whose look-back evaluates three more months, and with a
// leaderboard cut to its top 10.
func BenchmarkScoringEvaluate(b *testing.B) {
	cal := testCalendar(b)
	var specs []spec
	for i := range 200 {
		actor := fmt.Sprintf("u%03d", i)
		for month := 1; month <= 6; month++ {
			specs = append(specs, spec{actor, "call", month, 1 + (i+month)%7, ""}, spec{actor, "deal", month, 1 + i%3, ""},
				spec{actor, "won", month, (i + month) % 2, ""})
		}
	}
	tab := eventsTable(cal, makeEvents(b, cal, specs...))
	base := Defs{
		Scorecards: []ScorecardDef{teamCard()},
		Bonuses:    []BonusDef{{ID: "pool", Scorecard: "team", Currency: "RUB", Pool: &PoolDef{Amount: dec("100000")}}},
	}
	streak := base
	streak.Badges = []BadgeDef{{ID: "three", Rule: RuleStreak, Scorecard: "team", Periods: 3}}
	board := base
	board.Leaderboards = []LeaderboardDef{{ID: "board", Scorecard: "team", Top: 10}}
	req := Request{Request: kpi.Request{Calendar: cal}, From: date.New(2025, 4, 1), To: date.New(2025, 7, 1)}
	for _, c := range []struct {
		name string
		defs Defs
	}{{"cards", base}, {"streak", streak}, {"top", board}} {
		s := compileOne(b, teamSet(b), c.defs)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Evaluate(context.Background(), tab, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
