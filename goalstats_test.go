package goalkit_test

import (
	"bytes"
	"context"
	"encoding/json"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/goalstats"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// statsDef is the seed's plan with goal statistics declared, correlating
// leads and deals won with revenue, and a goal anna achieves in March (her
// third deal, on Tuesday the 11th).
func statsDef(t *testing.T) *goalkit.Definition {
	def := seedDef(t)
	def.Goals = append(def.Goals, goal.Def{ID: "won3", Indicator: "won", Target: goalkit.Number("3"),
		Period: goal.PeriodDef{From: date.New(2025, 3, 1), Every: period.Month}, Participants: goal.ParticipantsDef{Users: []string{"anna", "boris"}}})
	def.GoalStats = &goalstats.Def{BusinessResult: "revenue", Indicators: []string{"leads", "won"}}
	return def
}

func statsJSON(t *testing.T, rep *goalkit.Report) string {
	t.Helper()
	b, err := json.Marshal(rep.GoalStats)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestGoalStatsLiveEqualsBatch: a tracker's report holds the same goal
// statistics as a batch evaluation of the same events, and so does its
// report as known at an earlier instant.
func TestGoalStatsLiveEqualsBatch(t *testing.T) {
	ctx := context.Background()
	plan := compile(t, statsDef(t))
	loc := plan.Calendar().Location()
	tr, events := seedTracker(t, plan, nil)
	var known []kpi.Event
	for d := date.New(2025, 3, 1); d <= date.New(2025, 3, 31); d++ {
		y, m, dd := d.Date()
		evening := time.Date(y, m, dd, 20, 0, 0, 0, loc)
		batch := dayBatch(events, evening, func(kpi.Event) time.Time { return evening })
		if err := tr.Apply(ctx, batch...); err != nil {
			t.Fatal(err)
		}
		known = append(known, batch...)
	}
	asOf := time.Date(2025, 3, 31, 21, 0, 0, 0, loc)
	got := mustReport(t, tr, asOf)
	want := mustEvaluate(t, plan, storeOf(t, loc, known...), asOf, goalkit.WithDirectory(seedDirectory{}))
	if got.GoalStats == nil || want.GoalStats == nil {
		t.Fatal("no goal statistics")
	}
	sameReport(t, "tracker report differs from batch", got, want)
	if n := want.GoalStats.Total.TimeToAchievement.Instances; n == 0 {
		t.Errorf("no instance timed: %s", statsJSON(t, want))
	}
	for _, r := range want.Goals.Rows {
		if r.Goal == "won3" && r.Participant == "anna" && !r.AchievedAt.Equal(time.Date(2025, 3, 11, 12, 0, 0, 0, loc)) {
			t.Errorf("anna achieved won3 at %v", r.AchievedAt)
		}
	}
	// As known on the evening of the 12th: the versions then.
	at := time.Date(2025, 3, 12, 20, 0, 0, 0, loc)
	gotThen, err := tr.AsKnownAt(ctx, at)
	if err != nil {
		t.Fatal(err)
	}
	wantThen := mustEvaluate(t, plan, storeOf(t, loc, known...), at, goalkit.WithDirectory(seedDirectory{}), goalkit.WithKnownAt(at))
	if g, w := statsJSON(t, gotThen), statsJSON(t, wantThen); g != w {
		t.Errorf("as known at %v:\n%s\nwant\n%s", at, g, w)
	}
	if wantThen.GoalStats.Total.TimeToAchievement.Instances == 0 {
		t.Errorf("nothing timed as known at %v: %s", at, statsJSON(t, wantThen))
	}
}

// TestGoalStatsOnlyWhenAsked: a plan without goal_stats reports none (its
// goal rows carry no achieved_at), WithGoalStats asks for them without
// correlations, and CSV refuses a report that has them.
func TestGoalStatsOnlyWhenAsked(t *testing.T) {
	plan := seedPlan(t)
	loc := plan.Calendar().Location()
	asOf := time.Date(2025, 3, 31, 21, 0, 0, 0, loc)
	rep := mustEvaluate(t, plan, seedEvents(t, loc), asOf, goalkit.WithDirectory(seedDirectory{}))
	if js := string(reportJSON(t, rep)); rep.GoalStats != nil || strings.Contains(js, "goal_stats") || strings.Contains(js, "achieved_at") {
		t.Errorf("goal statistics without asking")
	}
	rep = mustEvaluate(t, plan, seedEvents(t, loc), asOf, goalkit.WithDirectory(seedDirectory{}), goalkit.WithGoalStats())
	if rep.GoalStats == nil || rep.GoalStats.Total.Instances == 0 || rep.GoalStats.Correlations != nil {
		t.Errorf("WithGoalStats: %s", statsJSON(t, rep))
	}
	var csv bytes.Buffer
	if err := rep.WriteCSV(&csv); err == nil || !strings.Contains(err.Error(), "goal statistics") {
		t.Errorf("csv of a report with goal statistics: %v", err)
	}
	// A plan of indicators only over a store that aggregates in the
	// database still reports them (from its values).
	vals := parsePlan(t, `timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount}
report: {grain: month, from: 2025-01-01, to: 2025-04-01}
goal_stats: {business_result: revenue}
`)
	rep = mustEvaluate(t, vals, seedEvents(t, time.UTC), asOf)
	if rep.GoalStats == nil || len(rep.GoalStats.Correlations) != 1 || rep.GoalStats.Total.Instances != 0 {
		t.Errorf("a plan of indicators: %s", statsJSON(t, rep))
	}
}

// statsReport is the report of statsDef over the seed's events as of the
// end of March 2025, with the seed's directory, and its organisation.
func statsReport(t *testing.T) (*goalkit.Report, *org.Org) {
	t.Helper()
	plan := compile(t, statsDef(t))
	loc := plan.Calendar().Location()
	asOf := time.Date(2025, 3, 31, 21, 0, 0, 0, loc)
	rep := mustEvaluate(t, plan, seedEvents(t, loc), asOf, goalkit.WithDirectory(seedDirectory{}))
	o, err := org.Load(context.Background(), seedDirectory{})
	if err != nil {
		t.Fatal(err)
	}
	return rep, o
}

// TestGoalStatsForViewer: a viewer's report recomputes the statistics from
// the goal rows and values the viewer may see.
func TestGoalStatsForViewer(t *testing.T) {
	rep, o := statsReport(t)
	view := rep.ForViewer(goal.Viewer{User: "boris"}, goal.DefaultVisibility{Org: o, Date: date.New(2025, 3, 31)})
	if view.GoalStats.Total.Instances != len(view.Goals.Rows) || view.GoalStats.Total.Instances >= rep.GoalStats.Total.Instances {
		t.Errorf("boris sees %d goal rows, %d instances counted (of %d)", len(view.Goals.Rows), view.GoalStats.Total.Instances, rep.GoalStats.Total.Instances)
	}
	// Boris sees only his own values among people: one point a period.
	if c := view.GoalStats.Correlations[0]; c.Points != len(view.Values.Periods()) || c.R.Valid {
		t.Errorf("boris's correlation: %+v", c)
	}
	admin := rep.ForViewer(goal.Viewer{User: "root", Admin: true}, nil)
	if statsJSON(t, admin) != statsJSON(t, rep) {
		t.Errorf("an admin's statistics differ")
	}
}

func TestGoalStatsCompileErrors(t *testing.T) {
	def := parseDef(t, `timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
  - {id: revenue, kinds: [deal.won], aggregate: sum, value: amount}
report: {grain: month, from: 2025-01-01, to: 2025-04-01}
goal_stats:
  business_result: revenu
  indicators: [won, won]
`)
	_, err := goalkit.Compile(def)
	want := `plan.yaml:7: goal_stats.business_result: unknown indicator "revenu" (did you mean "revenue"?)` + "\n" +
		`plan.yaml:8: goal_stats.indicators[1]: "won" is listed twice`
	if err == nil || err.Error() != want {
		t.Errorf("got  %v\nwant %s", err, want)
	}
}

// A viewer's statistics have a tally of a unit only when the viewer may
// see the unit: boris, who may see his own rows and the company's alone,
// got the tally of sales, counting his rows, which named his unit; the
// head of sales, who sees the unit, gets it (of the rows she sees), and no
// tally of support.
func TestGoalStatsForViewerTalliesOnlyTheUnitsTheyMaySee(t *testing.T) {
	rep, o := statsReport(t)
	var teams []string
	for _, tl := range rep.GoalStats.ByTeam {
		teams = append(teams, tl.Team)
	}
	if !slices.Contains(teams, "sales") {
		t.Fatalf("the report has no tally of sales: %v", teams)
	}
	own := goal.VisibilityFunc(func(v goal.Viewer, s goal.Subject) bool {
		return s.Kind == goal.Company || s.Kind == goal.User && s.Participant == v.User
	})
	view := rep.ForViewer(goal.Viewer{User: "boris"}, own)
	if len(view.Goals.Rows) == 0 || view.GoalStats.Total.Instances != len(view.Goals.Rows) {
		t.Fatalf("boris sees %d goal rows, %d instances counted", len(view.Goals.Rows), view.GoalStats.Total.Instances)
	}
	if len(view.GoalStats.ByTeam) != 0 {
		t.Errorf("boris, who may not see a unit, gets tallies of %+v", view.GoalStats.ByTeam)
	}
	head := rep.ForViewer(goal.Viewer{User: "hanna"}, goal.DefaultVisibility{Org: o, Date: date.New(2025, 3, 31)})
	// Her tally of sales counts the rows she sees of sales and its members
	// (by hand: every row of a participant who is sales or in it).
	members := map[string]bool{"sales": true, "anna": true, "boris": true, "vera": true, "hanna": true}
	want := 0
	for _, r := range head.Goals.Rows {
		if members[r.Participant] {
			want++
		}
	}
	var got []string
	for _, tl := range head.GoalStats.ByTeam {
		got = append(got, tl.Team)
		if tl.Team == "sales" && tl.Instances != want {
			t.Errorf("the head's tally of sales counts %d instances, want %d", tl.Instances, want)
		}
	}
	// She sees sales and the unit above it, which she belongs to through
	// sales, not support.
	if !slices.Equal(got, []string{"company", "sales"}) {
		t.Errorf("the head of sales gets tallies of %v, want company and sales", got)
	}
}
