package goalkit_test

import (
	"context"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/rickb777/date/v2"
)

// A version applied before one report and known only after its instant
// reaches the rows at Since of a later report: a report on the next day
// must not take the rows at Since of the one before (they were computed
// without it). anna's web lead of 6 January becomes known on 10 February:
// as of 2 February (Since 1 February) the week is achieved at AsOf only, an
// achieved notification; as of 3 March (Since 2 March) the lead is known at
// both instants and nothing is emitted, as Evaluate says.
func TestTrackerReportSinceCountsVersionsKnownSince(t *testing.T) {
	ctx := context.Background()
	plan := leadsPlan(t, "Europe/Berlin", weeklyLead("g", "{users: [anna]}")+"    notify: [{on: achieved}]\n")
	loc := plan.Calendar().Location()
	lead := kpi.Event{ID: "1", Kind: "lead.created", Actor: "anna", Time: time.Date(2025, 1, 6, 10, 0, 0, 0, loc),
		Known: time.Date(2025, 2, 10, 0, 0, 0, 0, loc)}
	later := kpi.Event{ID: "2", Kind: "lead.created", Actor: "boris", Time: time.Date(2025, 2, 20, 10, 0, 0, 0, loc)}
	tr := startTracker(t, plan)
	check := func(asOf time.Time, want int, events ...kpi.Event) {
		t.Helper()
		got := freshReport(t, tr, plan, asOf, events)
		if n := len(got.Goals.Notifications); n != want {
			t.Fatalf("as of %s: %d notifications, want %d: %+v", asOf, n, want, got.Goals.Notifications)
		}
	}
	if err := tr.Apply(ctx, lead); err != nil {
		t.Fatal(err)
	}
	check(time.Date(2025, 2, 2, 12, 0, 0, 0, loc), 1, lead)
	if err := tr.Apply(ctx, later); err != nil {
		t.Fatal(err)
	}
	check(time.Date(2025, 3, 3, 12, 0, 0, 0, loc), 0, lead, later)
	// The same again without the Apply between: no change noted at all.
	check(time.Date(2025, 2, 2, 12, 0, 0, 0, loc), 1, lead, later)
	check(time.Date(2025, 3, 3, 12, 0, 0, 0, loc), 0, lead, later)
}

// A team whose member moved in has rows of its own in the goals (its dated
// members) but no group of the report's values with the same members, so
// a report that reads a week's values from its live values answers the
// team's row of that week only by computing it. Here the team's row of
// week 6 is kept from the first report in the second (a change of boris
// before it reaches only the company's row), which reads week 6 from the
// live values; in the third, a lead of anna earlier in January makes the
// team's row computed again, with the value of week 6 taken from the
// second report's answer: that answer does not hold the team, and the row
// must not read 0 from it (anna's lead of 4 February counts 1).
func TestTrackerReportKeepsNoAnswerWithoutTheTeam(t *testing.T) {
	ctx := context.Background()
	plan := leadsPlan(t, "UTC", weeklyLead("team", "{teams: [d2]}")+weeklyLead("all", "{company: true}"))
	loc := plan.Calendar().Location()
	dir, err := memory.NewDirectory([]org.Unit{{ID: "d1"}, {ID: "d2"}}, []org.Membership{
		{User: "anna", Unit: "d1", To: date.New(2025, 1, 7)}, {User: "anna", Unit: "d2", From: date.New(2025, 1, 7)},
		{User: "boris", Unit: "d1"}})
	if err != nil {
		t.Fatal(err)
	}
	lead := func(id, actor string, y int, m time.Month, d int) kpi.Event {
		return kpi.Event{ID: id, Kind: "lead.created", Actor: actor, Time: time.Date(y, m, d, 10, 0, 0, 0, loc)}
	}
	tr := startTracker(t, plan, goalkit.WithDirectory(dir))
	asOf := time.Date(2025, 2, 10, 1, 0, 0, 0, loc)
	var applied []kpi.Event
	for i, batch := range [][]kpi.Event{
		{lead("1", "anna", 2025, 2, 4)},
		{lead("2", "boris", 2025, 1, 28)},
		{lead("3", "anna", 2025, 1, 14)},
	} {
		if err := tr.Apply(ctx, batch...); err != nil {
			t.Fatal(err)
		}
		applied = append(applied, batch...)
		got := freshReport(t, tr, plan, asOf, applied, goalkit.WithDirectory(dir))
		for _, r := range got.Goals.Rows {
			if r.Goal == "team" && r.Period.Start == date.New(2025, 2, 3) && r.Actual.Decimal.String() != "1" {
				t.Fatalf("report %d: the team's week 6 is %v, want 1", i+1, r.Actual)
			}
		}
	}
}

// leadsPlan compiles a plan in the zone tz of one indicator, leads (a
// count of the events of kind lead.created), reported by week from 6
// January to 10 March 2025, and of goals (goal entries in YAML).
func leadsPlan(t *testing.T, tz, goals string) *goalkit.Plan {
	t.Helper()
	return parsePlan(t, `timezone: `+tz+`
indicators:
  - id: leads
    kinds: [lead.created]
    aggregate: count
report: {grain: week, from: 2025-01-06, to: 2025-03-10}
goals:
`+goals)
}

// weeklyLead is the goal entry of a goal id of leadsPlan: a lead a week
// from 6 January 2025 for participants (a participants mapping in YAML).
func weeklyLead(id, participants string) string {
	return "  - id: " + id + "\n    indicator: leads\n    target: 1\n    period: {from: 2025-01-06, every: week}\n    participants: " + participants + "\n"
}

// freshReport returns the tracker's report as of asOf, after checking that
// it equals Plan.Evaluate over events with opts.
func freshReport(t *testing.T, tr *goalkit.Tracker, plan *goalkit.Plan, asOf time.Time, events []kpi.Event, opts ...goalkit.EvalOption) *goalkit.Report {
	t.Helper()
	got := mustReport(t, tr, asOf)
	fresh := mustEvaluate(t, plan, storeOf(t, plan.Calendar().Location(), events...), asOf, opts...)
	sameReport(t, asOf.String(), got, fresh)
	return got
}
