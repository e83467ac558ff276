package score

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
)

// Each result writes its fields, then period_start and period_end: the
// bytes of the plain struct with the two bounds as fields of its own.
func TestResultsWriteTheirPeriod(t *testing.T) {
	n := decimal.NewFromInt(7)
	card := Card{Scorecard: "sales", Participant: "a <b>", Period: march, Label: "2025-03", Subtotal: n, Factor: one, Total: n,
		KPIs: []KPIScore{{KPI: "calls", Actual: decimal.NewNullDecimal(n)}}}
	pay := Payout{Bonus: "q", Participant: "a", Period: march, Label: "2025-03", Amount: n, Percent: decimal.NewNullDecimal(n)}
	board := Board{Leaderboard: "top", Period: march, Label: "2025-03", Standings: []Standing{{Participant: "a", Rank: 1}}}
	award := Award{Badge: "fifty", Participant: "a", Period: march, Label: "2025-03"}
	type bounds struct {
		Start string `json:"period_start"`
		End   string `json:"period_end"`
	}
	b := bounds{"2025-03-01", "2025-04-01"}
	type (
		plainCard   Card
		plainPayout Payout
		plainBoard  Board
		plainAward  Award
	)
	for _, tc := range []struct {
		name      string
		got, want any
	}{
		{"card", card, struct {
			plainCard
			bounds
		}{plainCard(card), b}},
		{"payout", pay, struct {
			plainPayout
			bounds
		}{plainPayout(pay), b}},
		{"board", board, struct {
			plainBoard
			bounds
		}{plainBoard(board), b}},
		{"award", award, struct {
			plainAward
			bounds
		}{plainAward(award), b}},
	} {
		got, err := json.Marshal(tc.got)
		if err != nil {
			t.Fatal(err)
		}
		want, err := json.Marshal(tc.want)
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("%s:\n got %s\nwant %s", tc.name, got, want)
		}
	}
}
