package goal

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// A user or team of a goal whose id no event's actor may have (a control
// character, bytes that are not UTF-8) is refused at compile, naming it, as
// an event with such an actor is refused; such a goal compiled and could
// never count an event.
func TestCompileRefusesParticipantIDsNoActorHas(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	env := Env{Calendar: cal, Indicators: []kpi.IndicatorDef{{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count}}}
	for _, tc := range []struct {
		ps   ParticipantsDef
		want string // "" for none
	}{
		{ParticipantsDef{Users: []string{"anna\n"}}, `goals[0].participants.users[0]: "anna\n" is not a participant id: it has a control character (U+000A)`},
		{ParticipantsDef{Users: []string{"anna", "bo\x1bris"}}, `goals[0].participants.users[1]: "bo\x1bris" is not a participant id: it has a control character (U+001B)`},
		{ParticipantsDef{Teams: []string{"sales\xff"}}, `goals[0].participants.teams[0]: "sales\xff" is not a participant id: it is not valid UTF-8`},
		{ParticipantsDef{Users: []string{"Анна Ш."}, Teams: []string{"отдел 1"}}, ""},
	} {
		defs := []Def{{ID: "g", Indicator: "won", Target: dp("10"), Participants: tc.ps, Period: PeriodDef{From: d("2025-01-01"), To: d("2025-02-01")}}}
		_, err := Compile(defs, env)
		switch {
		case tc.want == "" && err != nil:
			t.Errorf("%q %q: %v", tc.ps.Users, tc.ps.Teams, err)
		case tc.want != "" && (err == nil || !strings.Contains(err.Error(), tc.want)):
			t.Errorf("%q %q: got %v, want %q", tc.ps.Users, tc.ps.Teams, err, tc.want)
		}
	}
}
