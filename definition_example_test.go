package goalkit_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// A plan written in Go reads as its YAML does: typed constants are the wire
// values (kpi.Sum is "sum"), goalkit.Number is an optional number ("500000"),
// goal.Every is {from: 2025-03-01, every: month} and goal.Percent is "50%".
//
//	indicators:
//	  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount}
//	goals:
//	  - id: revenue_month
//	    indicator: revenue
//	    target: 500000
//	    period: {from: 2025-03-01, every: month}
//	    participants: {users: [anna]}
//	    milestones: ["50%"]
func ExampleNumber() {
	def := &goalkit.Definition{
		Timezone: "Europe/Moscow",
		Indicators: []kpi.IndicatorDef{
			{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: kpi.Sum, Value: "amount"},
		},
		Goals: []goal.Def{{
			ID:           "revenue_month",
			Indicator:    "revenue",
			Target:       goalkit.Number("500000"),
			Period:       goal.Every(period.Month, date.New(2025, 3, 1)),
			Participants: goal.ParticipantsDef{Users: []string{"anna"}},
			Milestones:   []goal.Milestone{goal.Percent(50)},
		}},
		Report: goalkit.ReportDef{Grain: period.Month, From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)},
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		fmt.Println(err)
		return
	}
	moscow := plan.Calendar().Location()
	won := kpi.Events{{ID: "d1", Kind: "deal.won", Actor: "anna", Time: time.Date(2025, 3, 12, 15, 0, 0, 0, moscow),
		Amount: decimal.NewNullDecimal(decimal.NewFromInt(300000))}}
	rep, err := plan.Evaluate(context.Background(), won, time.Date(2025, 3, 31, 18, 0, 0, 0, moscow))
	if err != nil {
		fmt.Println(err)
		return
	}
	r := rep.Goals.Rows[0]
	fmt.Println(r.Participant, r.Actual.Decimal, "of", r.Target.Decimal, r.Milestones)
	// Output:
	// anna 300000 of 500000 [50%]
}
