package score

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func standings(kv ...string) []Standing {
	var ss []Standing
	for i := 0; i+1 < len(kv); i += 2 {
		ss = append(ss, Standing{Participant: kv[i], Value: nd(kv[i+1])})
	}
	return ss
}

func showRanks(ss []Standing) string {
	var b []string
	for _, s := range ss {
		v := "—"
		if s.Value.Valid {
			v = s.Value.Decimal.String()
		}
		b = append(b, fmt.Sprintf("%d %s %s", s.Rank, s.Participant, v))
	}
	return strings.Join(b, ", ")
}

func TestRank(t *testing.T) {
	cases := []struct {
		name  string
		in    []Standing
		lower bool
		want  string
	}{
		{"competition ranking", standings("c", "90", "a", "100", "b", "100", "d", "80"), false, "1 a 100, 1 b 100, 3 c 90, 4 d 80"},
		{"ties by id whatever the input order", standings("b", "100.0", "d", "80", "a", "100", "c", "90"), false, "1 a 100, 1 b 100, 3 c 90, 4 d 80"},
		{"three tied", standings("x", "5", "y", "5", "z", "5", "w", "6"), false, "1 w 6, 2 x 5, 2 y 5, 2 z 5"},
		{"lower is better", standings("a", "500", "b", "397.5", "c", "845", "d", "397.5"), true, "1 b 397.5, 1 d 397.5, 3 a 500, 4 c 845"},
		{"undefined last, unranked", standings("a", "", "b", "1", "c", "", "d", "2"), false, "1 d 2, 2 b 1, 0 a —, 0 c —"},
		{"empty", nil, false, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if got := showRanks(Rank(tc.in, tc.lower)); got != tc.want {
				t.Errorf("got  %s\nwant %s", got, tc.want)
			}
		})
	}
	if got := showRanks(top(Board{Standings: Rank(standings("a", "3", "b", "2", "c", "2", "d", "1"), false)}, 2).Standings); got != "1 a 3, 2 b 2, 2 c 2" {
		t.Errorf("top 2 keeps ties: %s", got)
	}
}

// eventsTable holds a fixed list of events, dated in cal's zone.
func eventsTable(cal *period.Calendar, events []kpi.Event) *kpi.Table {
	tab := kpi.NewTable(cal.Location())
	for i := range events {
		if err := tab.Apply(&events[i]); err != nil {
			panic(err)
		}
	}
	return tab
}

// eventsSource serves a fixed list of events.
func eventsSource(events []kpi.Event) kpi.Source { return kpi.Events(events) }

// monthly makes events: for each actor and month (1-based from January
// 2025), n events of kind, with amount each when amount is not "".
type spec struct {
	actor, kind string
	month, n    int
	amount      string
}

func makeEvents(t testing.TB, cal *period.Calendar, specs ...spec) []kpi.Event {
	t.Helper()
	var evs []kpi.Event
	for _, s := range specs {
		for i := range s.n {
			e := kpi.Event{ID: fmt.Sprintf("%s-%s-%d-%d", s.actor, s.kind, s.month, i), Kind: s.kind, Actor: s.actor,
				Time: cal.Midnight(date.New(2025, time.Month(s.month), 2+i%25)).Add(10 * time.Hour)}
			if s.amount != "" {
				e.Amount, e.Currency = nd(s.amount), "RUB"
			}
			evs = append(evs, e)
		}
	}
	return evs
}

func testCalendar(t testing.TB) *period.Calendar {
	t.Helper()
	cal, err := period.LoadCalendar("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	return cal
}

// teamSet: calls (count), deals (count), won (count), conversion = won /
// deals × 100.
func teamSet(t testing.TB) *kpi.Set {
	t.Helper()
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "calls", Kinds: []string{"call"}, Aggregate: "count"},
		{ID: "deals", Kinds: []string{"deal"}, Aggregate: "count"},
		{ID: "won", Kinds: []string{"won"}, Aggregate: "count"},
		{ID: "conversion", Formula: "won / deals * 100"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	return set
}

func teamCard() ScorecardDef {
	return ScorecardDef{ID: "team", Grain: period.Month, KPIs: []KPIDef{
		{Indicator: "calls", Target: decp("10"), Weight: dec("50")},
		{Indicator: "won", Target: decp("4"), Weight: dec("25")},
		{Indicator: "conversion", Target: decp("50"), Weight: dec("25")},
	}}
}

func TestDepartmentLeaderboards(t *testing.T) {
	cal := testCalendar(t)
	// east: a (10 calls, 4 of 8 won), b (0 calls, 0 of 2 won: no events but
	// deals), c (no events at all); west: d (12 calls, 3 of 4 won).
	evs := makeEvents(t, cal,
		spec{"a", "call", 3, 10, ""}, spec{"a", "deal", 3, 8, ""}, spec{"a", "won", 3, 4, ""},
		spec{"b", "deal", 3, 2, ""},
		spec{"d", "call", 3, 12, ""}, spec{"d", "deal", 3, 4, ""}, spec{"d", "won", 3, 3, ""},
	)
	groups := []org.Group{{ID: "east", Members: []string{"a", "b", "c"}}, {ID: "west", Members: []string{"d"}}}
	s := compileOne(t, teamSet(t), Defs{
		Scorecards: []ScorecardDef{teamCard()},
		Leaderboards: []LeaderboardDef{
			{ID: "people", Scorecard: "team"},
			{ID: "by_head", Scorecard: "team", Level: LevelDepartments},
			{ID: "by_achievement", Scorecard: "team", Level: LevelDepartments, Normalise: NormaliseAchievement},
			{ID: "calls_per_head", Scorecard: "team", Level: LevelDepartments, KPI: "calls", Metric: MetricActual},
			{ID: "conversion", Scorecard: "team", Level: LevelDepartments, KPI: "conversion", Metric: MetricActual, Normalise: NormaliseAchievement},
			{ID: "conversion_by_head", Scorecard: "team", Level: LevelDepartments, KPI: "conversion", Metric: MetricActual},
		},
		Competitions: []CompetitionDef{{ID: "cup", Leaderboard: "by_achievement"}},
	})
	out, err := s.Evaluate(context.Background(), eventsTable(cal, evs), Request{Request: kpi.Request{Calendar: cal, Groups: groups},
		From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)})
	if err != nil {
		t.Fatal(err)
	}
	// Cards: a = 50 + 25 + 25 = 100; b = 0 + 0 + 0 = 0; c = 0 (conversion
	// undefined scores the floor); d = 60 + 18.75 + 37.5 = 116.25.
	var totals []string
	for _, c := range out.Scorecards {
		totals = append(totals, c.Participant+"="+c.Total.String())
	}
	if got := strings.Join(totals, " "); got != "a=100 b=0 c=0 d=116.25" {
		t.Errorf("cards %s", got)
	}
	want := map[string]string{
		"people": "1 d 116.25, 2 a 100, 3 b 0, 3 c 0",
		// the members' mean total: east (100 + 0 + 0) / 3
		"by_head": "1 west 116.25, 2 east 33.33333333333333",
		// east as one: 10 calls / 3 = 3.33 a head → 33.33; 4 won / 3 → 33.33;
		// conversion 4 / 10 pooled = 40 % → 80: 16.665 + 8.3325 + 20
		"by_achievement": "1 west 116.25, 2 east 44.9975",
		"calls_per_head": "1 west 12, 2 east 3.333333333333333",
		// pooled, not averaged: east 4 won of 10 deals
		"conversion": "1 west 75, 2 east 40",
		// a ratio is never divided by the headcount: still 40, not 40 / 3
		"conversion_by_head": "1 west 75, 2 east 40",
	}
	checkBoards(t, out.Leaderboards, want)
	if len(out.Competitions) != 1 || strings.Join(out.Competitions[0].Winners, ",") != "west" || out.Competitions[0].Standings[1].Headcount != 3 {
		t.Errorf("competition %+v", out.Competitions)
	}
}

func TestBadges(t *testing.T) {
	cal := testCalendar(t)
	// calls by month, January to June: a 10 10 10 10 0 10; b 0 10 10 0 10 10;
	// c 5 5 10 5 5 5 (rank ties).
	var specs []spec
	for m, n := range []int{10, 10, 10, 10, 0, 10} {
		specs = append(specs, spec{"a", "call", m + 1, n, ""})
	}
	for m, n := range []int{0, 10, 10, 0, 10, 10} {
		specs = append(specs, spec{"b", "call", m + 1, n, ""})
	}
	for m, n := range []int{5, 5, 10, 5, 5, 5} {
		specs = append(specs, spec{"c", "call", m + 1, n, ""})
	}
	evs := makeEvents(t, cal, specs...)
	card := ScorecardDef{ID: "calls", Grain: period.Month, Participants: []string{"a", "b", "c"}, KPIs: []KPIDef{{Indicator: "calls", Target: decp("10"), Weight: dec("100")}}}
	s := compileOne(t, teamSet(t), Defs{
		Scorecards:   []ScorecardDef{card},
		Leaderboards: []LeaderboardDef{{ID: "board", Scorecard: "calls"}},
		Badges: []BadgeDef{
			{ID: "hit", Rule: RuleThreshold, Scorecard: "calls"},
			{ID: "first", Rule: RuleFirst, Scorecard: "calls", Min: decp("100")},
			{ID: "three", Rule: RuleStreak, Scorecard: "calls", Periods: 3},
			{ID: "two", Rule: RuleStreak, Scorecard: "calls", KPI: "calls", Periods: 2},
			{ID: "best", Rule: RuleTop, Leaderboard: "board", Top: 1},
		},
	})
	run := func(from, to date.Date) map[string]string {
		out, err := s.Evaluate(context.Background(), eventsTable(cal, evs), Request{Request: kpi.Request{Calendar: cal}, From: from, To: to})
		if err != nil {
			t.Fatal(err)
		}
		got := map[string]string{}
		for _, a := range out.Badges {
			got[a.Badge] += a.Key + " "
		}
		return got
	}
	all := run(date.New(2025, 1, 1), date.New(2025, 7, 1))
	want := map[string]string{
		"hit":   "hit:a:2025-01-01 hit:a:2025-02-01 hit:b:2025-02-01 hit:a:2025-03-01 hit:b:2025-03-01 hit:c:2025-03-01 hit:a:2025-04-01 hit:b:2025-05-01 hit:a:2025-06-01 hit:b:2025-06-01 ",
		"first": "first:a first:b first:c ",
		"three": "three:a:2025-03-01 ",
		"two":   "two:a:2025-02-01 two:b:2025-03-01 two:b:2025-06-01 ",
		"best":  "best:a:2025-01-01 best:a:2025-02-01 best:b:2025-02-01 best:a:2025-03-01 best:b:2025-03-01 best:c:2025-03-01 best:a:2025-04-01 best:b:2025-05-01 best:a:2025-06-01 best:b:2025-06-01 ",
	}
	for k, v := range want {
		if all[k] != v {
			t.Errorf("%s:\n got %s\nwant %s", k, all[k], v)
		}
	}
	// Evaluating a later range alone gives the same keys for its periods:
	// streaks look back, and first keeps its key.
	late := run(date.New(2025, 3, 1), date.New(2025, 7, 1))
	if late["three"] != "three:a:2025-03-01 " || late["two"] != "two:b:2025-03-01 two:b:2025-06-01 " {
		t.Errorf("streaks from March: %q %q", late["three"], late["two"])
	}
	if late["first"] != "first:c " { // a and b reached it in the history before March
		t.Errorf("first from March: %q", late["first"])
	}
}

func TestScoringCompileErrors(t *testing.T) {
	_, err := Compile(Defs{
		Scorecards: []ScorecardDef{teamCard()},
		Leaderboards: []LeaderboardDef{
			{ID: "a", Scorecard: "team", KPI: "calsl"},
			{ID: "b", Scorecard: "team", Metric: "actual"},
			{ID: "c", Scorecard: "team", Level: "teams", Top: -1},
			{ID: "d", Scorecard: "team", Normalise: "headcount", Departments: []string{"x"}},
			{ID: "a", Scorecard: "team"},
		},
		Badges: []BadgeDef{
			{ID: "s", Rule: RuleStreak, Scorecard: "team", Periods: 1},
			{ID: "t", Rule: RuleTop, Leaderboard: "z", Top: 0, Min: decp("1")},
			{ID: "u", Rule: "often", Scorecard: "team"},
		},
		Competitions: []CompetitionDef{{ID: "cup", Leaderboard: "a"}, {ID: "cup2", Leaderboard: "q", From: date.New(2025, 2, 1)}},
	}, Env{Indicators: teamSet(t)})
	want := strings.Join([]string{
		`badges[0].periods: a streak is at least 2 periods, got 1`,
		`badges[1].leaderboard: unknown leaderboard "z"`,
		`badges[1].min: min does not apply to rule top (it reads the leaderboard)`,
		`badges[1].top: top must be at least 1, got 0`,
		`badges[2].rule: rule must be threshold, streak, first or top, got "often"`,
		`competitions[0].leaderboard: leaderboard a ranks people: a competition is between departments (level: departments)`,
		`competitions[1].leaderboard: unknown leaderboard "q"`,
		`competitions[1].to: from and to go together`,
		`leaderboards[0].kpi: unknown KPI of scorecard team "calsl" (did you mean "calls"?)`,
		`leaderboards[1].metric: metric actual needs a kpi (the total is a score)`,
		`leaderboards[2].level: level must be people or departments, got "teams"`,
		`leaderboards[2].top: top must be at least 0, got -1`,
		`leaderboards[3].departments: departments apply to level departments`,
		`leaderboards[3].normalise: normalise applies to departments`,
		`leaderboards[4].id: id "a" is already defined in leaderboards`,
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("error\n got %v\nwant %s", err, want)
	}
}

func TestScoringEvaluateErrors(t *testing.T) {
	cal := testCalendar(t)
	def := teamCard()
	def.MembersOf = []string{"east"}
	s := compileOne(t, teamSet(t), Defs{Scorecards: []ScorecardDef{def}})
	_, err := s.Evaluate(context.Background(), eventsTable(cal, nil), Request{Request: kpi.Request{Calendar: cal}, From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)})
	if err == nil || err.Error() != `scoring: scorecard team: members_of group "east" is not a group of the evaluation` {
		t.Errorf("error %v", err)
	}
	out, err := s.Evaluate(context.Background(), eventsTable(cal, nil), Request{Request: kpi.Request{Calendar: cal, Groups: []org.Group{{ID: "east", Members: []string{"x", "y"}}}},
		From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)})
	if err != nil || len(out.Scorecards) != 2 || out.Scorecards[0].Participant != "x" || !out.Scorecards[1].Total.Equal(decimal.Zero) {
		t.Errorf("members without events are scored: %v %+v", err, out)
	}
}

// Goals rank by achievement: a lower-is-better goal met at zero (no ratio)
// ranks first, ties share a rank, and nothing to rank comes last.
func TestRankBest(t *testing.T) {
	null := decimal.NullDecimal{}
	nd := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	ss := []Standing{
		{Participant: "dina", Value: nd("0.5")},
		{Participant: "anna", Value: nd("0.8")},
		{Participant: "boris", Value: nd("0.8")},
		{Participant: "eva", Value: null},
		{Participant: "carl", Value: nd("1.2"), Best: true},
		{Participant: "fedor", Value: null, Best: true},
		{Participant: "gleb", Value: nd("0.5")},
	}
	var got []string
	for _, s := range Rank(ss, false) {
		got = append(got, fmt.Sprintf("%s:%d", s.Participant, s.Rank))
	}
	want := "[fedor:1 carl:2 anna:3 boris:3 dina:5 gleb:5 eva:0]"
	if fmt.Sprint(got) != want {
		t.Fatalf("ranking = %v, want %v", got, want)
	}
}

// The ranking does not depend on the order of its input.
func TestRankStable(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 12).Draw(t, "n")
		var ss []Standing
		for i := range n {
			s := Standing{Participant: string(rune('a' + i)), Best: rapid.IntRange(0, 5).Draw(t, "best") == 0}
			if rapid.IntRange(0, 5).Draw(t, "defined") > 0 {
				s.Value = decimal.NewNullDecimal(decimal.NewFromInt(int64(rapid.IntRange(0, 4).Draw(t, "v"))))
			}
			ss = append(ss, s)
		}
		lower := rapid.Bool().Draw(t, "lower")
		a, b := Rank(ss, lower), Rank(rapid.Permutation(ss).Draw(t, "perm"), lower)
		if fmt.Sprint(a) != fmt.Sprint(b) {
			t.Fatalf("%v\n%v", a, b)
		}
	})
}

// A leaderboard by achievement ranks a lower-is-better KPI met at zero (no
// ratio: nothing spent against a budget) first, as goals rank it, not last
// as a participant without a value.
func TestLeaderboardAchievementMetAtZero(t *testing.T) {
	cal := testCalendar(t)
	set, err := kpi.Compile([]kpi.IndicatorDef{
		{ID: "calls", Kinds: []string{"call"}, Aggregate: "count"},
		{ID: "complaints", Kinds: []string{"complaint"}, Aggregate: "count"},
	}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	// a: no complaint; b: 1 (target 2 / 1 = 200 %); c: 4 (50 %); d: 2 (100 %).
	evs := makeEvents(t, cal,
		spec{"a", "call", 3, 10, ""}, spec{"b", "call", 3, 10, ""}, spec{"c", "call", 3, 10, ""}, spec{"d", "call", 3, 10, ""},
		spec{"b", "complaint", 3, 1, ""}, spec{"c", "complaint", 3, 4, ""}, spec{"d", "complaint", 3, 2, ""})
	groups := []org.Group{{ID: "calm", Members: []string{"a"}}, {ID: "loud", Members: []string{"c", "d"}}}
	s := compileOne(t, set, Defs{
		Scorecards: []ScorecardDef{{ID: "care", Grain: period.Month, Participants: []string{"a", "b", "c", "d"}, KPIs: []KPIDef{
			{Indicator: "calls", Target: decp("10"), Weight: dec("50")},
			{Indicator: "complaints", Target: decp("2"), Weight: dec("50"), Direction: LowerIsBetter},
		}}},
		Leaderboards: []LeaderboardDef{
			{ID: "people", Scorecard: "care", KPI: "complaints", Metric: MetricAchievement},
			// calm as one: 0 complaints a head, met; loud: 6 / 2 = 3 a head, 2 / 3.
			{ID: "teams", Scorecard: "care", KPI: "complaints", Metric: MetricAchievement, Level: LevelDepartments, Normalise: NormaliseAchievement},
			// the members' mean: calm a met (its target met, 100); loud (50 + 100) / 2.
			{ID: "heads", Scorecard: "care", KPI: "complaints", Metric: MetricAchievement, Level: LevelDepartments},
		},
		// calm met without a ratio counts as its target met, 100, beside loud's 66.67.
		Competitions: []CompetitionDef{{ID: "cup", Leaderboard: "teams"}},
	})
	out, err := s.Evaluate(context.Background(), eventsTable(cal, evs), Request{Request: kpi.Request{Calendar: cal, Groups: groups},
		From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"people": "1 a —, 2 b 200, 3 d 100, 4 c 50",
		"teams":  "1 calm —, 2 loud 66.67",
		"heads":  "1 calm 100, 2 loud 75",
	}
	checkBoards(t, out.Leaderboards, want)
	if c := out.Competitions[0]; strings.Join(c.Winners, ",") != "calm" || showRanks(c.Standings) != "1 calm 100, 2 loud 66.67" {
		t.Errorf("competition: winners %v, standings %s", c.Winners, showRanks(c.Standings))
	}
}

// checkBoards fails the test for each board whose standings (showRanks)
// are not want's for its leaderboard.
func checkBoards(t *testing.T, boards []Board, want map[string]string) {
	t.Helper()
	for _, b := range boards {
		if got := showRanks(b.Standings); got != want[b.Leaderboard] {
			t.Errorf("%s: got  %s\n%*s want %s", b.Leaderboard, got, len(b.Leaderboard), "", want[b.Leaderboard])
		}
	}
}
