package goal

import (
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// A goal whose users and shared teams name one id is refused: the user's
// row and the team's would be one participant to the views, notifications
// and records of the goal (a viewer allowed the one would see the other).
// With mode each the team gives its members' rows only, and compiles.
func TestCompileRefusesAUserAndATeamOfOneID(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	env := Env{Calendar: cal, Indicators: []kpi.IndicatorDef{{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count}}}
	def := func(mode Mode) []Def {
		return []Def{{ID: "g", Indicator: "won", Target: dp("5"), Period: Every(period.Month, d("2025-01-01")),
			Participants: ParticipantsDef{Users: []string{"1", "3"}, Teams: []string{"2", "3"}, Mode: mode}}}
	}
	for _, mode := range []Mode{"", Shared} {
		_, err := Compile(def(mode), env)
		want := `goals[0].participants.teams[1]: "3" is both a user and a team of the goal: their rows would share an id; make a goal for each`
		if err == nil || err.Error() != want {
			t.Errorf("mode %q: got %v, want %s", mode, err, want)
		}
	}
	if _, err := Compile(def(Each), env); err != nil {
		t.Errorf("mode each: %v", err)
	}
}
