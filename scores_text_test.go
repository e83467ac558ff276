package goalkit_test

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A department without a value has no rank (0 in JSON): the table writes
// "—" for it in a competition as in a leaderboard, not a rank "0" that reads
// as a place before the first.
func TestWriteScoresUnrankedDepartment(t *testing.T) {
	p := period.Period{Grain: period.Month, Start: date.New(2025, 3, 1), End: date.New(2025, 4, 1)}
	hundred := decimal.NewNullDecimal(decimal.NewFromInt(100))
	unranked := []score.Standing{{Rank: 1, Participant: "east", Value: hundred, Headcount: 2}, {Participant: "west"}}
	s := &score.Scores{
		Leaderboards: []score.Board{{Leaderboard: "depts", Period: p, Label: "2025-03", Standings: unranked}},
		Competitions: []score.CompetitionResult{{Competition: "cup", From: p.Start, To: p.End, Periods: []string{"2025-03"},
			Winners: []string{"east"}, Standings: unranked}},
	}
	var b strings.Builder
	if err := goalkit.WriteScores(&b, s); err != nil {
		t.Fatal(err)
	}
	want := `
leaderboard depts, 2025-03
  rank  participant  value
  1        east (2)    100
  —            west      —

competition cup, [2025-03-01, 2025-04-01) (2025-03): winner east
  rank  department  value
  1       east (2)    100
  —       west (0)      —
`
	if got := b.String(); got != want {
		t.Errorf("got\n%s\nwant\n%s", got, want)
	}
}
