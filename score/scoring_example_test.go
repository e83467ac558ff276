package score_test

import (
	"fmt"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

func d(s string) *decimal.Decimal {
	v := decimal.RequireFromString(s)
	return &v
}

// A lower-is-better KPI scores continuously, not 0 or 100, and keeps scoring
// past the target unless a cap says otherwise.
func ExampleNewCurve() {
	cpl, err := score.NewCurve(score.CurveSpec{Direction: score.LowerIsBetter, Target: *d("500"), Threshold: d("800"), Places: 2})
	if err != nil {
		panic(err)
	}
	for _, actual := range []string{"900", "800", "650", "500", "450", "350"} {
		s, _ := cpl.Score(decimal.NewNullDecimal(*d(actual)))
		fmt.Printf("cost per lead %s → score %s\n", actual, s)
	}
	// Output:
	// cost per lead 900 → score 0
	// cost per lead 800 → score 0
	// cost per lead 650 → score 50
	// cost per lead 500 → score 100
	// cost per lead 450 → score 116.67
	// cost per lead 350 → score 150
}

// The article's sales scorecard: each KPI's score and contribution, adding
// up to the total exactly, and the bonus it pays.
func ExampleCompile() {
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: "sum", Value: "amount"},
		{ID: "new_clients", Kinds: []string{"deal.won"}, Aggregate: "count"},
		{ID: "deals", Kinds: []string{"deal.created"}, Aggregate: "count"},
		{ID: "conversion", Formula: "new_clients / deals * 100"},
		{ID: "meetings", Kinds: []string{"meeting"}, Aggregate: "count"},
	}, kpi.Env{})
	if err != nil {
		panic(err)
	}
	s, err := score.Compile(score.Defs{
		Scorecards: []score.ScorecardDef{{ID: "sales", Grain: period.Month, KPIs: []score.KPIDef{
			{Indicator: "revenue", Target: d("500000"), Weight: *d("40"), Threshold: d("250000"), Critical: &score.GateDef{Factor: *d("0.5")}},
			{Indicator: "new_clients", Target: d("10"), Weight: *d("25")},
			{Indicator: "conversion", Target: d("15"), Weight: *d("20")},
			{Indicator: "meetings", Target: d("30"), Weight: *d("15")},
		}}},
		Bonuses: []score.BonusDef{{ID: "bonus", Scorecard: "sales", Currency: "RUB", Base: d("60000"), Threshold: d("70"),
			Payout: []score.PayoutPoint{{Score: *d("70"), Percent: *d("50")}, {Score: *d("100"), Percent: *d("100")}, {Score: *d("130"), Percent: *d("175")}}}},
	}, score.Env{Indicators: set})
	if err != nil {
		panic(err)
	}
	sc, _ := s.Scorecard("sales")
	march := period.Period{Grain: period.Month, Start: date.New(2025, 3, 1), End: date.New(2025, 4, 1)}
	card, _ := sc.ScoreValues("anna", march, "2025-03", map[string]decimal.NullDecimal{
		"revenue": decimal.NewNullDecimal(*d("600000")), "new_clients": decimal.NewNullDecimal(*d("12")),
		"conversion": decimal.NewNullDecimal(*d("12")), "meetings": decimal.NewNullDecimal(*d("27")),
	})
	for _, k := range card.KPIs {
		fmt.Printf("%-12s actual %-7s score %-6s × %s%% = %s\n", k.KPI, k.Actual.Decimal, k.Score, k.Weight, k.Contribution)
	}
	fmt.Println("total", card.Total)
	b, _ := s.Bonus("bonus")
	p := b.Pay(card, decimal.NullDecimal{})
	fmt.Printf("bonus %s %s (%s %% of the base)\n", p.Amount.StringFixed(2), p.Currency, p.Percent.Decimal)
	// Output:
	// revenue      actual 600000  score 140    × 40% = 56
	// new_clients  actual 12      score 120    × 25% = 30
	// conversion   actual 12      score 80     × 20% = 16
	// meetings     actual 27      score 90     × 15% = 13.5
	// total 115.5
	// bonus 83250.00 RUB (138.75 % of the base)
}

// A pool is split by score share in whole kopecks, and adds back exactly.
func ExampleSplit() {
	parts, _ := score.Split(*d("100000"), []decimal.Decimal{*d("120.5"), *d("98"), *d("98"), *d("40.25")}, 2)
	fmt.Println(parts)
	// Output:
	// [33777.15 27470.22 27470.22 11282.41]
}

// Ties share a rank; the next rank skips.
func ExampleRank() {
	v := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(*d(s)) }
	for _, s := range score.Rank([]score.Standing{{Participant: "boris", Value: v("98")}, {Participant: "anna", Value: v("120.5")},
		{Participant: "vera", Value: v("98")}, {Participant: "gleb", Value: v("40")}}, false) {
		fmt.Println(s.Rank, s.Participant, s.Value.Decimal)
	}
	// Output:
	// 1 anna 120.5
	// 2 boris 98
	// 2 vera 98
	// 4 gleb 40
}
