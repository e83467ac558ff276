package score

import (
	"context"
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// A person who moves between departments counts, in each period, for the
// department they belonged to then: in its headcount, its members' mean
// and its pool. b leaves west for east on 1 March; over February and
// March, b counted in both departments in both months, so east's February
// mean took b's score and its pool paid b, and west's March pool too.
func TestMovesCountInTheirPeriod(t *testing.T) {
	cal := testCalendar(t)
	// One KPI, calls against 10: a score of 10 a call.
	card := ScorecardDef{ID: "calls", Grain: period.Month, KPIs: []KPIDef{{Indicator: "calls", Target: decp("10"), Weight: dec("100")}}}
	evs := makeEvents(t, cal,
		spec{"a", "call", 2, 4, ""}, spec{"a", "call", 3, 4, ""},
		spec{"b", "call", 2, 6, ""}, spec{"b", "call", 3, 8, ""},
		spec{"c", "call", 2, 2, ""}, spec{"c", "call", 3, 2, ""},
	)
	march1 := date.New(2025, 3, 1)
	groups := []org.Group{
		{ID: "east", Members: []string{"a"}, Spans: []org.Span{{Member: "b", From: march1}}},
		{ID: "west", Members: []string{"c"}, Spans: []org.Span{{Member: "b", To: march1}}},
	}
	s := compileOne(t, teamSet(t), Defs{
		Scorecards:   []ScorecardDef{card},
		Leaderboards: []LeaderboardDef{{ID: "depts", Scorecard: "calls", Level: LevelDepartments}},
		Bonuses:      []BonusDef{{ID: "pool", Scorecard: "calls", Currency: "RUB", Pool: &PoolDef{Amount: dec("100"), Teams: []string{"east", "west"}}}},
	})
	out, err := s.Evaluate(context.Background(), eventsTable(cal, evs), Request{Request: kpi.Request{Calendar: cal, Groups: groups},
		From: date.New(2025, 2, 1), To: date.New(2025, 4, 1)})
	if err != nil {
		t.Fatal(err)
	}
	var boards []string
	for _, b := range out.Leaderboards {
		for _, st := range b.Standings {
			boards = append(boards, fmt.Sprintf("%s %s: %d head, mean %s", b.Label, st.Participant, st.Headcount, st.Value.Decimal))
		}
	}
	// By hand: February east {a} 40; west {b, c} (60+20)/2 = 40. March
	// east {a, b} (40+80)/2 = 60; west {c} 20.
	want := []string{
		"2025-02 east: 1 head, mean 40", "2025-02 west: 2 head, mean 40",
		"2025-03 east: 2 head, mean 60", "2025-03 west: 1 head, mean 20",
	}
	if strings.Join(boards, "\n") != strings.Join(want, "\n") {
		t.Errorf("boards:\n%s\nwant:\n%s", strings.Join(boards, "\n"), strings.Join(want, "\n"))
	}
	var pays []string
	for _, p := range out.Bonuses {
		pays = append(pays, fmt.Sprintf("%s %s %s %s", p.Label, p.Pool.Team, p.Participant, p.Amount.StringFixed(2)))
	}
	sort.Strings(pays)
	// By hand: February east a alone 100; west b 60 : c 20 of 100. March
	// east a 40 : b 80 of 100 = 33.33… and 66.66… (the cent left goes to
	// b's larger remainder); west c alone 100.
	wantPays := []string{
		"2025-02 east a 100.00", "2025-02 west b 75.00", "2025-02 west c 25.00",
		"2025-03 east a 33.33", "2025-03 east b 66.67", "2025-03 west c 100.00",
	}
	if strings.Join(pays, "\n") != strings.Join(wantPays, "\n") {
		t.Errorf("pools:\n%s\nwant:\n%s", strings.Join(pays, "\n"), strings.Join(wantPays, "\n"))
	}
}

// A members_of scorecard scores, in each period, the people who belonged
// to its groups then: one who joined on 1 March has no card, payout, place
// on a board nor badge for February (nor a streak made of the months
// before they came), and one who left on 1 March none for March. Their
// cards of the periods they belonged to are theirs as ever.
func TestMembersOfCountInTheirPeriod(t *testing.T) {
	cal := testCalendar(t)
	// One KPI, calls against 10: a score of 10 a call.
	card := ScorecardDef{ID: "calls", Grain: period.Month, MembersOf: []string{"east"},
		KPIs: []KPIDef{{Indicator: "calls", Target: decp("10"), Weight: dec("100")}}}
	evs := makeEvents(t, cal,
		spec{"a", "call", 2, 4, ""}, spec{"a", "call", 3, 4, ""},
		spec{"b", "call", 1, 9, ""}, spec{"b", "call", 2, 9, ""}, spec{"b", "call", 3, 9, ""},
		spec{"d", "call", 1, 6, ""}, spec{"d", "call", 2, 6, ""}, spec{"d", "call", 3, 7, ""},
	)
	march1 := date.New(2025, 3, 1)
	groups := []org.Group{{ID: "east", Members: []string{"a"},
		Spans: []org.Span{{Member: "b", From: march1}, {Member: "d", To: march1}}}}
	s := compileOne(t, teamSet(t), Defs{
		Scorecards:   []ScorecardDef{card},
		Leaderboards: []LeaderboardDef{{ID: "people", Scorecard: "calls", Level: LevelPeople}},
		Bonuses:      []BonusDef{{ID: "pool", Scorecard: "calls", Currency: "RUB", Pool: &PoolDef{Amount: dec("100")}}},
		Badges: []BadgeDef{
			{ID: "fifty", Rule: RuleThreshold, Scorecard: "calls", Min: decp("50")},
			{ID: "run", Rule: RuleStreak, Scorecard: "calls", Min: decp("50"), Periods: 2},
		},
	})
	out, err := s.Evaluate(context.Background(), eventsTable(cal, evs), Request{Request: kpi.Request{Calendar: cal, Groups: groups},
		From: date.New(2025, 2, 1), To: date.New(2025, 4, 1)})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: February a 4 calls (40), d 6 (60); March a 40, b 9 (90).
	// Pools: February 40 : 60 of 100; March 100 × 40/130 = 30.769… and
	// 100 × 90/130 = 69.230…: 30.76 + 69.23 leave a cent, to a's larger
	// remainder (0.92 of a cent against 0.08). Threshold 50: d in
	// February, b in March. Streak of 2 at 50: d in January and
	// February (it belonged before February, open from the start); b's
	// January and February are not of east.
	want := []string{
		"badge fifty 2025-02 d", "badge fifty 2025-03 b", "badge run 2025-02 d",
		"board 2025-02 1 d", "board 2025-02 2 a", "board 2025-03 1 b", "board 2025-03 2 a",
		"card 2025-02 a 40", "card 2025-02 d 60", "card 2025-03 a 40", "card 2025-03 b 90",
		"pool 2025-02 a 40.00", "pool 2025-02 d 60.00", "pool 2025-03 a 30.77", "pool 2025-03 b 69.23",
	}
	checkOutcome(t, out, want)
}

// checkOutcome compares the cards, people's boards, payouts and badges of
// out, a line each in any order, with want.
func checkOutcome(t *testing.T, out *Scores, want []string) {
	t.Helper()
	var got []string
	for _, c := range out.Scorecards {
		got = append(got, fmt.Sprintf("card %s %s %s", c.Label, c.Participant, c.Total))
	}
	for _, b := range out.Leaderboards {
		for _, st := range b.Standings {
			got = append(got, fmt.Sprintf("board %s %d %s", b.Label, st.Rank, st.Participant))
		}
	}
	for _, p := range out.Bonuses {
		got = append(got, fmt.Sprintf("pool %s %s %s", p.Label, p.Participant, p.Amount.StringFixed(2)))
	}
	for _, a := range out.Badges {
		got = append(got, fmt.Sprintf("badge %s %s %s", a.Badge, a.Label, a.Participant))
	}
	sort.Strings(got)
	want = slices.Sorted(slices.Values(want))
	if !slices.Equal(got, want) {
		t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// A member the scorecard also names among its participants is scored in
// every period, in the group or not.
func TestMembersOfNamedAreScoredInEveryPeriod(t *testing.T) {
	cal := testCalendar(t)
	card := ScorecardDef{ID: "calls", Grain: period.Month, Participants: []string{"d"}, MembersOf: []string{"east"},
		KPIs: []KPIDef{{Indicator: "calls", Target: decp("10"), Weight: dec("100")}}}
	evs := makeEvents(t, cal, spec{"a", "call", 2, 4, ""}, spec{"d", "call", 2, 6, ""}, spec{"d", "call", 3, 7, ""})
	march1 := date.New(2025, 3, 1)
	groups := []org.Group{{ID: "east", Members: []string{"a"}, Spans: []org.Span{{Member: "d", To: march1}, {Member: "b", From: march1}}}}
	s := compileOne(t, teamSet(t), Defs{Scorecards: []ScorecardDef{card}})
	out, err := s.Evaluate(context.Background(), eventsTable(cal, evs), Request{Request: kpi.Request{Calendar: cal, Groups: groups},
		From: date.New(2025, 2, 1), To: date.New(2025, 4, 1)})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: February a 40, d 60 (b not yet of east); March a 0, b 0
	// (no calls), d 70 (named, though east's no more).
	checkOutcome(t, out, []string{"card 2025-02 a 40", "card 2025-02 d 60", "card 2025-03 a 0", "card 2025-03 b 0", "card 2025-03 d 70"})
}

// A scorecard without participants or members_of scores the people of the
// evaluation's groups only in the periods a group had them, as goals and
// team rows read memberships: b, who joined east on 1 February, has no
// card for January, and c, who left on 1 March, none for March, though c
// made a call on 2 March. The participants of the request (n, who left on
// 1 February) and the actors no group has (x) are scored in every period.
func TestImplicitScorecardScoresGroupPeopleInTheirPeriods(t *testing.T) {
	cal := testCalendar(t)
	// One KPI, calls against 10: a score of 10 a call.
	card := ScorecardDef{ID: "calls", Grain: period.Month, KPIs: []KPIDef{{Indicator: "calls", Target: decp("10"), Weight: dec("100")}}}
	evs := makeEvents(t, cal,
		spec{"a", "call", 1, 3, ""}, spec{"a", "call", 2, 4, ""}, spec{"a", "call", 3, 5, ""},
		spec{"b", "call", 2, 6, ""}, spec{"b", "call", 3, 7, ""},
		spec{"c", "call", 1, 2, ""}, spec{"c", "call", 2, 2, ""}, spec{"c", "call", 3, 1, ""},
		spec{"x", "call", 1, 5, ""},
	)
	feb1, march1 := date.New(2025, 2, 1), date.New(2025, 3, 1)
	groups := []org.Group{{ID: "east", Members: []string{"a"},
		Spans: []org.Span{{Member: "b", From: feb1}, {Member: "c", To: march1}, {Member: "n", To: feb1}}}}
	s := compileOne(t, teamSet(t), Defs{
		Scorecards: []ScorecardDef{card},
		Bonuses:    []BonusDef{{ID: "pool", Scorecard: "calls", Currency: "RUB", Pool: &PoolDef{Amount: dec("100")}}},
	})
	out, err := s.Evaluate(context.Background(), eventsTable(cal, evs), Request{Request: kpi.Request{Calendar: cal, Groups: groups, Participants: []string{"n"}},
		From: date.New(2025, 1, 1), To: date.New(2025, 4, 1)})
	if err != nil {
		t.Fatal(err)
	}
	// By hand: January a 3 calls (30), c 2 (20), n 0, x 5 (50); February
	// a 40, b 60, c 20, n 0, x 0; March a 50, b 70, n 0, x 0. The pool of
	// 100 by the scores: January's 30 : 20 : 50 of 100; February's
	// 40 : 60 : 20 of 120, 33.333…, 50 and 16.666…, whose cent left goes
	// to c's larger remainder (0.67 of a cent against a's 0.33); March's
	// 50 : 70, 41.666… and 58.333…, the cent to a (0.67 against 0.33).
	checkOutcome(t, out, []string{
		"card 2025-01 a 30", "card 2025-01 c 20", "card 2025-01 n 0", "card 2025-01 x 50",
		"card 2025-02 a 40", "card 2025-02 b 60", "card 2025-02 c 20", "card 2025-02 n 0", "card 2025-02 x 0",
		"card 2025-03 a 50", "card 2025-03 b 70", "card 2025-03 n 0", "card 2025-03 x 0",
		"pool 2025-01 a 30.00", "pool 2025-01 c 20.00", "pool 2025-01 n 0.00", "pool 2025-01 x 50.00",
		"pool 2025-02 a 33.33", "pool 2025-02 b 50.00", "pool 2025-02 c 16.67", "pool 2025-02 n 0.00", "pool 2025-02 x 0.00",
		"pool 2025-03 a 41.67", "pool 2025-03 b 58.33", "pool 2025-03 n 0.00", "pool 2025-03 x 0.00",
	})
}
