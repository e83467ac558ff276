package score

import (
	"testing"

	"github.com/goalkit/goalkit/period"
)

// The scorecards a Scoring returns are a slice of the caller's: filtering
// it in place changed the Scoring's own list.
func TestScorecardsIsTheCallersSlice(t *testing.T) {
	kpis := []KPIDef{{Indicator: "calls", Target: decp("10"), Weight: dec("100")}}
	s := compileOne(t, teamSet(t), Defs{Scorecards: []ScorecardDef{
		{ID: "first", Grain: period.Month, KPIs: kpis}, {ID: "second", Grain: period.Month, KPIs: kpis}}})
	kept := s.Scorecards()[:0]
	for _, sc := range s.Scorecards() {
		if sc.ID() == "second" {
			kept = append(kept, sc)
		}
	}
	if len(kept) != 1 {
		t.Fatalf("kept %d", len(kept))
	}
	var ids []string
	for _, sc := range s.Scorecards() {
		ids = append(ids, sc.ID())
	}
	if len(ids) != 2 || ids[0] != "first" || ids[1] != "second" {
		t.Fatalf("the Scoring's scorecards after a caller filtered them: %v", ids)
	}
}
