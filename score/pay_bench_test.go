package score

import (
	"testing"

	"github.com/shopspring/decimal"
)

// BenchmarkPay pays a bonus with a threshold for four totals, of the
// threshold's exponent and of others, as a report pays each card.
func BenchmarkPay(b *testing.B) {
	def := BonusDef{ID: "b", Scorecard: "sales", Currency: "RUB", Base: decp("60000"), Threshold: decp("70"), Cap: decp("200"),
		Payout: []PayoutPoint{{Score: dec("70"), Percent: dec("50")}, {Score: dec("100"), Percent: dec("100")}, {Score: dec("130"), Percent: dec("175")}}}
	bonus := compileOne(b, salesSet(b), Defs{Scorecards: []ScorecardDef{salesCard()}, Bonuses: []BonusDef{def}}).bonuses[0]
	cards := []Card{card("85"), card("83.246"), card("69.99"), card("100.6666666666666667")}
	for b.Loop() {
		for _, c := range cards {
			bonus.Pay(c, decimal.NullDecimal{})
		}
	}
}

// BenchmarkSplit splits a pool with a threshold among four totals, of the
// threshold's exponent and of others, as a report splits each pool.
func BenchmarkSplit(b *testing.B) {
	def := BonusDef{ID: "b", Scorecard: "sales", Currency: "RUB", Threshold: decp("70"), Pool: &PoolDef{Amount: dec("100000")}}
	bonus := compileOne(b, salesSet(b), Defs{Scorecards: []ScorecardDef{salesCard()}, Bonuses: []BonusDef{def}}).bonuses[0]
	cards := []Card{card("85"), card("83.246"), card("69.99"), card("100.6666666666666667")}
	for b.Loop() {
		if _, err := bonus.Split(cards, nil); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPayPenalty pays a bonus with a penalty below a score for four
// cards whose KPI scores are of the penalty's exponent and of others.
func BenchmarkPayPenalty(b *testing.B) {
	def := BonusDef{ID: "b", Scorecard: "sales", Currency: "RUB", Base: decp("60000"),
		Penalties: []PenaltyDef{{KPI: "conversion", BelowScore: decp("50"), Amount: decp("5000")}}}
	bonus := compileOne(b, salesSet(b), Defs{Scorecards: []ScorecardDef{salesCard()}, Bonuses: []BonusDef{def}}).bonuses[0]
	var cards []Card
	for _, s := range []string{"45", "52.5", "49.99", "100.6666666666666667"} {
		cards = append(cards, card("85", KPIScore{KPI: "conversion", Score: dec(s)}))
	}
	for b.Loop() {
		for _, c := range cards {
			bonus.Pay(c, decimal.NullDecimal{})
		}
	}
}
