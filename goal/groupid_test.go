package goal

import (
	"slices"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
)

// A team's row counts its members' events whatever the other actors are
// named: an actor outside the directory whose id is what the evaluation
// once named the team's group ("team:sales#0") took the team's row, so
// sales showed that actor's calls instead of its members'.
func TestTeamRowIsTheMembersWhateverActorsAreNamed(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	dir := enginetest.Directory([]org.Unit{{ID: "sales"}},
		[]org.Membership{{User: "anna", Unit: "sales"}, {User: "ivan", Unit: "sales"}})
	g := Def{ID: "won", Indicator: "won", Target: dp("10"), Period: PeriodDef{From: d("2025-03-01"), Every: period.Month},
		Participants: ParticipantsDef{Teams: []string{"sales"}}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, g)
	at := enginetest.At(cal, "2025-03-03 10:00")
	// The members won 3 deals; the odd actor 4.
	src := events{
		ev("a1", "deal.won", "anna", at), ev("a2", "deal.won", "anna", at), ev("i1", "deal.won", "ivan", at),
		ev("x1", "deal.won", "team:sales#0", at), ev("x2", "deal.won", "team:sales#0", at),
		ev("x3", "deal.won", "team:sales#0", at), ev("x4", "deal.won", "team:sales#0", at),
	}
	req := march(cal, "2025-03-10 12:00")
	req.Org = loadOrg(t, dir)
	res := evaluate(t, s, src, req)
	if got, want := summary(res), []string{"won 2025-03 sales 3/10"}; !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
}
