package score

import (
	"testing"

	"github.com/shopspring/decimal"
)

// ScoreValues refuses an actual given under an id that is none of the
// scorecard's KPIs, naming it: a misspelt id was dropped, and its KPI
// scored as undefined (the floor) without a word.
func TestScoreValuesRefusesAnUnknownKPI(t *testing.T) {
	s := compileOne(t, salesSet(t), Defs{Scorecards: []ScorecardDef{salesCard()}})
	sc, _ := s.Scorecard("sales")
	a := actuals("revenue", "600000", "new_clients", "12", "conversion", "12.5", "meetings", "27")
	if _, err := sc.ScoreValues("anna", march, "2025-03", a); err != nil {
		t.Fatalf("every KPI given: %v", err)
	}
	a["revnue"] = decimal.NewNullDecimal(decimal.NewFromInt(1))
	a["zzz"] = decimal.NewNullDecimal(decimal.NewFromInt(1))
	_, err := sc.ScoreValues("anna", march, "2025-03", a)
	if want := `scorecard sales: actuals: unknown KPI "revnue" (did you mean "revenue"?)`; err == nil || err.Error() != want {
		t.Errorf("an unknown KPI: %v, want %s", err, want)
	}
}
