package goal

import (
	"slices"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
)

// A cumulative lower-is-better goal (a budget) only grows through its
// period, so its milestones are judged on the final value, once the period
// has ended: 0 spent on the first day reaches nothing yet. A level
// lower-is-better goal keeps passing its milestones as its value falls.
func TestBudgetMilestonesAtTheEnd(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	ms := []Milestone{Percent(50), Percent(100), {Value: dec("800")}}
	budget := Def{ID: "budget", Indicator: "revenue", Target: dp("1000"), Direction: score.LowerIsBetter, Milestones: ms,
		Period: PeriodDef{From: d("2025-03-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna", "boris"}}}
	level := budget
	level.ID, level.Measure = "level", Level
	s := mustCompile(t, cal, enginetest.SalesIndicators, budget, level)
	won := func(id, who, when, amount string) kpi.Event {
		e := ev(id, "deal.won", who, enginetest.At(cal, when))
		e.Amount = nd(amount)
		return e
	}
	src := events{won("a1", "anna", "2025-03-10 10:00", "600"), won("b1", "boris", "2025-03-10 10:00", "1200")}
	for _, tc := range []struct {
		asOf      string
		goal, who string
		want      []string
	}{
		// Before anything is spent, and before the end: nothing yet.
		{"2025-03-02 12:00", "budget", "anna", nil},
		{"2025-03-20 12:00", "budget", "anna", nil},
		// At the end: 1000/600 = 167 % passes both; 600 ≤ 800.
		{"2025-04-10 12:00", "budget", "anna", []string{"50%", "100%", "800"}},
		// 1000/1200 = 83 % passes 50 % only; 1200 > 800.
		{"2025-04-10 12:00", "budget", "boris", []string{"50%"}},
		// A level goal: its value now, during the period.
		{"2025-03-20 12:00", "level", "anna", []string{"50%", "100%", "800"}},
		{"2025-03-20 12:00", "level", "boris", []string{"50%"}},
	} {
		res := evaluate(t, s, src, march(cal, tc.asOf))
		if got := rowFor(t, res, tc.goal, tc.who).Milestones; !slices.Equal(got, tc.want) {
			t.Errorf("%s %s as of %s: milestones %q, want %q", tc.goal, tc.who, tc.asOf, got, tc.want)
		}
	}
}
