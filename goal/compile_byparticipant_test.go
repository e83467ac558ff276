package goal

import (
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// A target_by_participant key that cannot be a row of the goal (a typo of a
// user's id) is refused at compile, naming it: it was ignored, and the
// participant it meant got the general target. Where the rows come from the
// directory or the events (teams or the company measured for each member),
// any id may be a row and every key is taken.
func TestCompileRefusesTargetsOfNoParticipant(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	env := Env{Calendar: cal, Indicators: []kpi.IndicatorDef{{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count}}}
	for _, tc := range []struct {
		name string
		p    ParticipantsDef
		keys []string
		want string
	}{
		{"a typo of a user", ParticipantsDef{Users: []string{"anna", "boris"}}, []string{"anna", "ana"},
			`goals[0].target_by_participant.ana: "ana" is not a participant of the goal (did you mean "anna"?)`},
		{"a user of no goal", ParticipantsDef{Users: []string{"anna"}, Teams: []string{"sales"}}, []string{"zoe"},
			`goals[0].target_by_participant.zoe: "zoe" is not a participant of the goal`},
		{"a team measured together", ParticipantsDef{Teams: []string{"sales"}}, []string{"sales"}, ""},
		{"a member of a team measured together", ParticipantsDef{Teams: []string{"sales"}}, []string{"anna"},
			`goals[0].target_by_participant.anna: "anna" is not a participant of the goal`},
		{"the company together", ParticipantsDef{Company: true}, []string{org.Everyone}, ""},
		{"members of a team each", ParticipantsDef{Teams: []string{"sales"}, Mode: Each}, []string{"anna", "zoe"}, ""},
		{"members of the company each", ParticipantsDef{Company: true, Mode: Each}, []string{"anna"}, ""},
	} {
		by := map[string]decimal.Decimal{}
		for _, k := range tc.keys {
			by[k] = dec("5")
		}
		defs := []Def{{ID: "g", Indicator: "won", Target: dp("10"), TargetByParticipant: by, Participants: tc.p,
			Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}}}
		_, err := Compile(defs, env)
		got := ""
		if err != nil {
			got = err.Error()
		}
		if got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}
