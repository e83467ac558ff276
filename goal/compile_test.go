package goal

import (
	"errors"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/shopspring/decimal"
)

func TestCompileErrors(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	inds := []kpi.IndicatorDef{
		{ID: "leads", Kinds: []string{"lead.created"}, Aggregate: "count"},
		{ID: "conversion", Formula: "leads / 2"},
	}
	defs := []Def{
		{ID: "Leads", Indicator: "lead", Direction: "up", Period: PeriodDef{From: d("2025-01-01"), Every: period.Month, To: d("2025-02-01")},
			Participants: ParticipantsDef{Users: []string{"anna", "anna"}, Mode: "all"}, Filter: `sorce == "web"`,
			TargetFormula: "prev(leads) * ", TargetByPeriod: map[string]decimal.Decimal{"2025-02-15": dec("3"), "2024-12": dec("4")}},
		{ID: "conv", Indicator: "conversion", Target: dp("0.2"), Pace: PaceSeasonal, Forecast: ForecastSeasonal, Period: PeriodDef{From: d("2025-01-01")},
			Participants: ParticipantsDef{Company: true}, Milestones: []Milestone{{Percent: true, Value: dec("0")}},
			Notify: []NotifyRule{{On: "daily"}, {On: NotifyDailyDigest, Days: 2}}, Close: CloseDef{NextTarget: "actual *", Corrections: "undo"},
			Thresholds: Thresholds{OnTrack: dp("0.5"), AtRisk: dp("0.7")}},
		{ID: "conv", Checklist: []ItemDef{{ID: "x"}, {ID: "y", Manual: true, Kinds: []string{"a"}}, {ID: "z", Where: `kind == "done"`, Count: -1}},
			Period: PeriodDef{From: d("2025-01-01"), Every: period.Week}},
	}
	_, err := Compile(defs, Env{Calendar: cal, Indicators: inds, Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
	want := `goals[0].direction: direction must be higher or lower, got "up"
goals[0].filter: unknown name "sorce" (did you mean "source"?) (1:1)
goals[0].id: id "Leads" must match [a-z][a-z0-9_]*
goals[0].indicator: unknown indicator "lead" (did you mean "leads"?)
goals[0].participants.mode: mode must be shared or each, got "all"
goals[0].participants.users[1]: "anna" is listed twice
goals[0].period.to: to ends a fixed range; a recurrence ends with until or count
goals[0].target_by_period.2024-12: 2024-12 is not a period of the goal
goals[0].target_by_period.2025-02-15: 2025-02-15 is not a period of the goal
goals[0].target_formula: unexpected end of formula (1:14)
goals[1].close.corrections: corrections must be freeze or restate, got "undo"
goals[1].close.next_target: unexpected end of formula (1:9)
goals[1].close.next_target: next_target needs a recurring period (period.every)
goals[1].forecast: a seasonal forecast needs an indicator that adds up day by day (aggregate count or sum)
goals[1].milestones[0]: milestone 0% must be above 0%
goals[1].notify[0].on: unknown notification "daily" (want one of milestone_reached, achieved, at_risk, back_on_track, deadline_approaching, daily_digest, failed, period_closed)
goals[1].notify[1].days: days applies to deadline_approaching
goals[1].pace: a seasonal pace needs an indicator that adds up day by day (aggregate count or sum)
goals[1].period.to: no end: set period.to (the day after the last, for a fixed range) or period.every (a recurrence)
goals[1].thresholds.at_risk: at_risk (0.7) must not be above on_track (0.5)
goals[2].checklist[0].kinds: kinds is required (or a where that names them, such as kind == "training.completed"), or manual: true
goals[2].checklist[1].manual: a manual item is marked by the host: it has no kinds or where
goals[2].checklist[2].count: count must be positive, got -1
goals[2].id: id "conv" is already defined at goals[1]
goals[2].participants: no participants: name users, teams or the company`
	if err == nil || err.Error() != want {
		t.Fatalf("got\n%v\nwant\n%s", err, want)
	}
	var ce *problem.Error
	if !errors.As(err, &ce) || ce.Problems[0].Code != problem.Invalid || ce.Problems[3].Code != problem.Unknown {
		t.Fatalf("not a CompileError with codes: %T", err)
	}
}

// Compile refuses what the SMART lint calls an error, with the lint's words:
// a goal without a target would compile and never start.
func TestCompileRefusesLintErrors(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	env := Env{Calendar: cal, Indicators: []kpi.IndicatorDef{{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count}}}
	defs := []Def{{ID: "g", Indicator: "won", Period: Every(period.Month, d("2025-01-01")), Participants: ParticipantsDef{Users: []string{"anna"}}}}
	_, err := Compile(defs, env)
	if err == nil || err.Error() != "goals[0].target: no target: set target, target_formula or target_by_period" {
		t.Fatalf("got %v", err)
	}
	var pe *problem.Problem
	if !errors.As(err, &pe) || pe.Code != RuleNoTarget {
		t.Fatalf("code: %v", pe)
	}
	env.Linting = true
	if _, err := Compile(defs, env); err != nil {
		t.Fatalf("for the lint: %v", err)
	}
	defs[0].Target = dp("10")
	if _, err := Compile(defs, Env{Calendar: cal, Indicators: env.Indicators}); err != nil {
		t.Fatal(err)
	}
}

// after_days without auto: true is read by nothing (no instance closes by
// time), so Compile refuses it at its path, saying to add auto: true, as it
// refuses days on a rule other than deadline_approaching.
func TestCompileRefusesAfterDaysWithoutAuto(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	env := Env{Calendar: cal, Indicators: []kpi.IndicatorDef{{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count}}}
	for _, c := range []struct {
		close CloseDef
		want  string
	}{
		{CloseDef{AfterDays: 2}, "goals[0].close.after_days: after_days applies to auto: true (add auto: true to close each instance after_days after its end)"},
		{CloseDef{AfterDays: 2, Corrections: Restate}, "goals[0].close.after_days: after_days applies to auto: true (add auto: true to close each instance after_days after its end)"},
		{CloseDef{AfterDays: -1}, "goals[0].close.after_days: after_days must not be negative, got -1"},
		{CloseDef{Auto: true, AfterDays: 2}, ""},
		{CloseDef{}, ""},
	} {
		defs := []Def{{ID: "g", Indicator: "won", Target: dp("1"), Period: PeriodDef{From: d("2025-01-01"), To: d("2025-02-01")},
			Participants: ParticipantsDef{Users: []string{"anna"}}, Close: c.close}}
		_, err := Compile(defs, env)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != c.want {
			t.Errorf("close %+v: got %q, want %q", c.close, got, c.want)
		}
		var pe *problem.Problem
		if c.close.AfterDays > 0 && !c.close.Auto && (!errors.As(err, &pe) || pe.Code != problem.Conflict) {
			t.Errorf("close %+v: code %v, want %s", c.close, pe, problem.Conflict)
		}
	}
}
