package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// A plan is immutable: changing the Definition it was compiled from, or
// the one it returns, changes nothing of it. Compile kept the caller's
// slices, so a host that built a second plan by changing the first one's
// definition in place (another kind, another team) changed the first
// plan too: its indicator counted meetings, its goal was anna's no more.
func TestPlanDoesNotShareItsDefinition(t *testing.T) {
	ctx := context.Background()
	def := &goalkit.Definition{
		Timezone:   "UTC",
		Indicators: []kpi.IndicatorDef{{ID: "calls", Kinds: []string{"call"}, Aggregate: kpi.Count}},
		Goals: []goal.Def{{ID: "g", Indicator: "calls", Target: goalkit.Number("2"), Period: goal.Every(period.Month, date.New(2025, 3, 1)),
			Participants: goal.ParticipantsDef{Users: []string{"anna"}}}},
		Report: goalkit.ReportDef{Grain: period.Month, From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)},
	}
	plan, err := goalkit.Compile(def)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2025, 3, 2, 12, 0, 0, 0, time.UTC)
	events := kpi.Events{
		{ID: "1", Kind: "call", Actor: "anna", Time: at},
		{ID: "2", Kind: "meeting", Actor: "anna", Time: at}, {ID: "3", Kind: "meeting", Actor: "anna", Time: at},
		{ID: "4", Kind: "meeting", Actor: "boris", Time: at},
	}
	check := func(when string) {
		t.Helper()
		rep, err := plan.Evaluate(ctx, events, at.Add(time.Hour))
		if err != nil {
			t.Fatal(err)
		}
		if v, _ := rep.Values.Value("calls", "anna", plan.Periods()[0]); !v.Valid || v.Decimal.IntPart() != 1 {
			t.Errorf("%s: anna's calls %v, want 1", when, v)
		}
		if rows := rep.Goals.Rows; len(rows) != 1 || rows[0].Participant != "anna" || rows[0].Target.Decimal.IntPart() != 2 {
			t.Errorf("%s: goal rows %+v, want anna's with the target 2", when, rows)
		}
		if d := plan.Definition(); d.Indicators[0].Kinds[0] != "call" || d.Goals[0].Participants.Users[0] != "anna" || !d.Goals[0].Target.Equal(*goalkit.Number("2")) {
			t.Errorf("%s: the plan's definition changed: %+v", when, d)
		}
	}
	check("compiled")
	def.Indicators[0].Kinds[0] = "meeting"
	def.Goals[0].Participants.Users[0] = "boris"
	*def.Goals[0].Target = *goalkit.Number("7")
	if _, err := goalkit.Compile(def); err != nil {
		t.Fatal(err)
	}
	check("after the definition it was compiled from changed")
	mine := plan.Definition()
	mine.Indicators[0].Kinds[0] = "meeting"
	mine.Goals[0].Participants.Users[0] = "boris"
	*mine.Goals[0].Target = *goalkit.Number("7")
	check("after the definition it returned changed")
}
