package forecast

import (
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// DefaultSuggestHistory is how many earlier periods a target suggestion
// reads by default.
const DefaultSuggestHistory = 12

// Suggestion is a proposed target for one goal, participant and period,
// with how it was reached:
//
//	target = base × workdays × season × stretch   (÷ stretch, lower is better)
//
// base is the chosen percentile of the earlier periods' results per working
// day, workdays the working days of the coming period, and season the same
// period a year before against the periods before it that year (1 without
// that history). Chance is the probability of reaching it under the goal's
// probabilistic forecast (its chance settings, or their defaults), made at
// the start of the period. Package goal makes them (goal.Set.Suggest).
type Suggestion struct {
	Goal        string `json:"goal"`
	Participant string `json:"participant"`
	// Kind is the participant's kind, a goal.ParticipantKind.
	Kind        string          `json:"kind"`
	Period      string          `json:"period"`
	PeriodStart date.Date       `json:"period_start"`
	PeriodEnd   date.Date       `json:"period_end"`
	Target      decimal.Decimal `json:"target"`
	Base        decimal.Decimal `json:"base"`
	Workdays    int             `json:"workdays"`
	Season      decimal.Decimal `json:"season"`
	Stretch     decimal.Decimal `json:"stretch"`
	// Periods is how many earlier periods the base was read from (the
	// oldest periods without any result are left out).
	Periods int `json:"periods"`
	// Chance is the probability of reaching Target; Current is the plan's
	// own target of the period and CurrentChance its probability.
	Chance        *string `json:"chance"`
	Current       *string `json:"current_target"`
	CurrentChance *string `json:"current_chance"`
}
