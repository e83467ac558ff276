package goal

import (
	"context"
	"errors"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
)

// TestCheck: what Evaluate refuses whatever the instant is refused up front,
// with the same words.
func TestCheck(t *testing.T) {
	cal := enginetest.Calendar(t, "Europe/Moscow")
	team := Def{ID: "conv", Indicator: "conversion", Target: dp("0.4"), Period: PeriodDef{From: d("2025-03-01"), Every: period.Month},
		Participants: ParticipantsDef{Teams: []string{"sales_east", "north"}}}
	later := Def{ID: "later", Indicator: "won", Target: dp("5"), Period: PeriodDef{From: d("2026-01-01"), Every: period.Month},
		Participants: ParticipantsDef{Teams: []string{"nowhere"}}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, team, later)
	dir := enginetest.Directory([]org.Unit{{ID: "sales"}, {ID: "sales_east", Parent: "sales"}}, nil)
	ctx := context.Background()
	req := Request{From: d("2025-03-01"), To: d("2025-04-01")}
	for _, c := range []struct {
		name string
		req  func(r *Request)
		want string
	}{
		{"no directory", func(r *Request) {}, "goals[0].participants.teams: goals name teams but the evaluation has no directory"},
		{"unknown team", func(r *Request) { r.Org = loadOrg(t, dir) }, `goals[0].participants.teams: team "north" is not in the directory`},
		{"empty range", func(r *Request) { r.To = r.From }, "goal: request to (2025-03-01) must be after from (2025-03-01)"},
	} {
		t.Run(c.name, func(t *testing.T) {
			r := req
			c.req(&r)
			err := s.Check(ctx, r)
			if err == nil || err.Error() != c.want {
				t.Fatalf("got %v, want %s", err, c.want)
			}
			// Evaluate refuses the same request with the same words.
			r.AsOf = enginetest.At(cal, "2025-03-10 12:00")
			if _, eerr := s.Evaluate(ctx, snapshot(s, events{}), r); eerr == nil || eerr.Error() != c.want {
				t.Fatalf("Evaluate: %v, want %s", eerr, c.want)
			}
		})
	}
	if err := s.Check(ctx, req); !errors.Is(err, ErrNoDirectory) {
		t.Fatalf("errors.Is(ErrNoDirectory): %v", err)
	}
	ok := Def{ID: "conv", Indicator: "conversion", Target: dp("0.4"), Period: team.Period, Participants: ParticipantsDef{Teams: []string{"sales_east"}}}
	req.Org = loadOrg(t, dir)
	if err := mustCompile(t, cal, enginetest.SalesIndicators, ok, later).Check(ctx, req); err != nil {
		t.Fatalf("a team in the directory, and one outside the range: %v", err)
	}
}
