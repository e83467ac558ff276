package score

import (
	"context"
	"fmt"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// A scorecard without participants scores every actor with events in the
// reported periods, whatever else the plan defines: a streak badge (which
// reads the periods before the report), a competition over its own
// periods, or another scorecard that names its participants. Each of them
// made someone who did nothing in March a participant of March, here x,
// active in January only, who scores 100 on a lower-is-better KPI by doing
// nothing and took 400 of the 1 000 pool.
func TestImplicitParticipantsAreTheReportedActors(t *testing.T) {
	cal := testCalendar(t)
	evs := makeEvents(t, cal, spec{"a", "call", 3, 10, ""}, spec{"x", "call", 1, 12, ""}, spec{"x", "deal", 1, 5, ""})
	card := ScorecardDef{ID: "team", Grain: period.Month, KPIs: []KPIDef{
		{Indicator: "calls", Target: decp("10"), Weight: dec("50")},
		{Indicator: "deals", Target: decp("2"), Weight: dec("50"), Direction: LowerIsBetter},
	}}
	named := card
	named.ID, named.Participants = "named", []string{"ivanov"}
	base := Defs{
		Scorecards: []ScorecardDef{card},
		Bonuses:    []BonusDef{{ID: "pool", Scorecard: "team", Currency: "RUB", Pool: &PoolDef{Amount: dec("1000")}}},
	}
	evaluate := func(t *testing.T, defs Defs) *Scores {
		t.Helper()
		out, err := compileOne(t, teamSet(t), defs).Evaluate(context.Background(), eventsTable(cal, evs),
			Request{Request: kpi.Request{Calendar: cal}, From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	// a alone acted in March: 10 calls score 100, no deal scores 200 (the
	// line through 4 → 0 and 2 → 100, continued): 50 + 100 = 150, and
	// the whole pool.
	want := []string{"team a 2025-03 150 pays 1000"}
	show := func(s *Scores) []string {
		var out []string
		for _, c := range s.Cards("team") {
			line := fmt.Sprintf("%s %s %s %s", c.Scorecard, c.Participant, c.Label, c.Total)
			for _, p := range s.Bonuses {
				if p.Participant == c.Participant && p.Period == c.Period {
					line += " pays " + p.Amount.String()
				}
			}
			out = append(out, line)
		}
		return out
	}
	if got := show(evaluate(t, base)); !reflect.DeepEqual(got, want) {
		t.Fatalf("without more definitions: %q, want %q", got, want)
	}
	streak := base
	streak.Badges = []BadgeDef{{ID: "three", Rule: RuleStreak, Scorecard: "team", Periods: 3}}
	cup := base
	cup.Leaderboards = []LeaderboardDef{{ID: "depts", Scorecard: "team", Level: LevelDepartments}}
	cup.Competitions = []CompetitionDef{{ID: "january", Leaderboard: "depts", From: date.New(2025, 1, 1), To: date.New(2025, 2, 1)}}
	other := base
	other.Scorecards = []ScorecardDef{card, named}
	for name, defs := range map[string]Defs{"streak badge": streak, "competition of january": cup, "scorecard naming ivanov": other} {
		t.Run(name, func(t *testing.T) {
			if got := show(evaluate(t, defs)); !reflect.DeepEqual(got, want) {
				t.Errorf("%q, want %q", got, want)
			}
		})
	}
}

// What a report shows of its periods (the cards, the bonuses, the
// leaderboards) does not depend on the badges and competitions the plan
// also has, which evaluate more periods: the same events give the same
// figures with or without them.
func TestReportedScoresIgnoreOtherDefinitionsProperty(t *testing.T) {
	cal := testCalendar(t)
	set := teamSet(t)
	outer := t
	rapid.Check(t, func(t *rapid.T) {
		var specs []spec
		for _, actor := range []string{"a", "b", "c", "x"} {
			for _, kind := range []string{"call", "deal", "won"} {
				for month := 1; month <= 4; month++ {
					if n := rapid.IntRange(-3, 4).Draw(t, fmt.Sprintf("%s %s %d", actor, kind, month)); n > 0 {
						specs = append(specs, spec{actor, kind, month, n, ""})
					}
				}
			}
		}
		evs := makeEvents(outer, cal, specs...)
		card := ScorecardDef{ID: "team", Grain: period.Month, KPIs: []KPIDef{
			{Indicator: "calls", Target: decp("3"), Weight: dec("40")},
			{Indicator: "deals", Target: decp("2"), Weight: dec("30"), Direction: LowerIsBetter},
			{Indicator: "conversion", Target: decp("50"), Weight: dec("30")},
		}}
		if rapid.Bool().Draw(t, "named") {
			card.Participants = []string{"a", "b", "ivanov"}
		}
		groups := []org.Group{{ID: "east", Members: []string{"a", "x"}}, {ID: "west", Members: []string{"b"}}}
		if rapid.Bool().Draw(t, "no groups") {
			groups = nil
		}
		base := Defs{
			Scorecards: []ScorecardDef{card},
			Bonuses: []BonusDef{
				{ID: "pool", Scorecard: "team", Currency: "RUB", Pool: &PoolDef{Amount: dec("1000")}},
				{ID: "pay", Scorecard: "team", Currency: "RUB", Base: decp("100"), Threshold: decp("20")},
			},
			Leaderboards: []LeaderboardDef{{ID: "people", Scorecard: "team"}, {ID: "depts", Scorecard: "team", Level: LevelDepartments}},
		}
		more := base
		more.Scorecards = append(slices.Clone(base.Scorecards), ScorecardDef{ID: "other", Grain: period.Month, Participants: []string{"petrova"},
			KPIs: []KPIDef{{Indicator: "calls", Target: decp("3"), Weight: dec("100")}}})
		more.Badges = []BadgeDef{{ID: "streak", Rule: RuleStreak, Scorecard: "team", Periods: rapid.IntRange(2, 3).Draw(t, "streak")}}
		more.Competitions = []CompetitionDef{{ID: "cup", Leaderboard: "depts", From: date.New(2025, 1, 1), To: date.New(2025, 2, 1)}}
		from := date.New(2025, time.Month(rapid.IntRange(2, 4).Draw(t, "from")), 1)
		req := Request{Request: kpi.Request{Calendar: cal, Groups: groups}, From: from, To: date.New(2025, 5, 1)}
		evaluate := func(defs Defs) *Scores {
			s, err := Compile(defs, Env{Indicators: set})
			if err != nil {
				t.Fatal(err)
			}
			out, err := s.Evaluate(context.Background(), eventsTable(cal, evs), req)
			if err != nil {
				t.Fatal(err)
			}
			return out
		}
		want, got := evaluate(base), evaluate(more)
		if w, g := showScores(want.Cards("team")), showScores(got.Cards("team")); w != g {
			t.Fatalf("cards\n%s\nwith more definitions\n%s", w, g)
		}
		if w, g := fmt.Sprint(showPayouts(want.Bonuses)), fmt.Sprint(showPayouts(got.Bonuses)); w != g {
			t.Fatalf("bonuses\n%s\nwith more definitions\n%s", w, g)
		}
		for i, b := range want.Leaderboards {
			if w, g := showRanks(b.Standings), showRanks(got.Leaderboards[i].Standings); w != g {
				t.Fatalf("leaderboard %s %s: %s, with more definitions %s", b.Leaderboard, b.Label, w, g)
			}
		}
	})
}

func showScores(cs []Card) string {
	var b strings.Builder
	for _, c := range cs {
		fmt.Fprintf(&b, "%s %s %s\n", c.Participant, c.Label, c.Total)
	}
	return b.String()
}

func showPayouts(ps []Payout) []string {
	var out []string
	for _, p := range ps {
		out = append(out, fmt.Sprintf("%s %s %s %s", p.Bonus, p.Participant, p.Label, p.Amount))
	}
	return out
}
