package goal

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// TestRowsAtSinceFromAsOfChangeNothing with teams and departments whose
// members join and leave on dates (shared and each member), the company
// for each member of a directory, weeks and quarters beside months,
// targets over prev() of another indicator, automatic closes a day or
// three weeks after the end, records of users and teams closed before,
// between or after the two instants, in two zones: the rows at Since taken
// from the rows at AsOf change nothing in a result.
func TestRowsAtSinceFromAsOfChangeNothingWithTeams(t *testing.T) {
	users := []string{"anna", "boris", "vera", "dora"}
	rules := []NotifyRule{{On: NotifyMilestoneReached}, {On: NotifyAchieved}, {On: NotifyAtRisk}, {On: NotifyBackOnTrack},
		{On: NotifyDeadlineApproaching, Days: 3}, {On: NotifyDailyDigest}, {On: NotifyFailed}, {On: NotifyPeriodClosed}}
	ctx := context.Background()
	cals := []*period.Calendar{enginetest.Calendar(t, "UTC"), enginetest.Calendar(t, "Asia/Tokyo")}
	rapid.Check(t, func(rt *rapid.T) {
		t := rt
		cal := rapid.SampledFrom(cals).Draw(t, "calendar")
		grain := rapid.SampledFrom([]period.Grain{period.Month, period.Week, period.Quarter}).Draw(t, "grain")
		every := PeriodDef{From: d("2025-07-01"), Every: grain}
		parts := rapid.SampledFrom([]ParticipantsDef{
			{Teams: []string{"east", "west"}},
			{Teams: []string{"east", "sales"}, Mode: Each},
			{Company: true, Mode: Each},
			{Users: users, Teams: []string{"sales"}, Company: true},
		}).Draw(t, "participants")
		def := Def{ID: "g", Indicator: rapid.SampledFrom([]string{"won", "revenue", "created", "conversion"}).Draw(t, "indicator"),
			Target: dp("3"), Period: every, Participants: parts, Notify: rules,
			Milestones: []Milestone{{Percent: true, Value: dec("50")}, {Percent: true, Value: dec("100")}}}
		if rapid.Bool().Draw(t, "targetFormula") {
			def.TargetFormula = "coalesce(prev(created), 0) + 1"
		}
		if rapid.Bool().Draw(t, "auto") {
			def.Close = CloseDef{Auto: true, AfterDays: rapid.SampledFrom([]int{1, 21}).Draw(t, "afterDays")}
			if rapid.Bool().Draw(t, "restate") {
				def.Close.Corrections = Restate
			}
		}
		s, err := Compile([]Def{def}, Env{Calendar: cal, Indicators: enginetest.SalesIndicators, Attributes: map[string]kpi.AttrType{"source": kpi.AttrString}})
		if err != nil {
			t.Fatal(err)
		}
		// Members who move between east and west, join sales late.
		var ms []org.Membership
		for _, u := range users {
			unit := rapid.SampledFrom([]string{"east", "west"}).Draw(t, "unit")
			if rapid.Bool().Draw(t, "moves") {
				on := d("2025-09-01") + date.Date(rapid.IntRange(0, 90).Draw(t, "movesOn"))
				other := map[string]string{"east": "west", "west": "east"}[unit]
				ms = append(ms, org.Membership{User: u, Unit: unit, To: on}, org.Membership{User: u, Unit: other, From: on})
			} else {
				ms = append(ms, org.Membership{User: u, Unit: unit})
			}
		}
		ms = append(ms, org.Membership{User: "boris", Unit: "sales", From: d("2025-09-01") + date.Date(rapid.IntRange(0, 90).Draw(t, "joinsSales"))},
			org.Membership{User: "anna", Unit: "sales"})
		o, err := org.Load(ctx, enginetest.Directory([]org.Unit{{ID: "company"}, {ID: "east", Parent: "company"}, {ID: "west", Parent: "company"}, {ID: "sales"}}, ms))
		if err != nil {
			t.Fatal(err)
		}
		start := cal.Midnight(d("2025-08-01"))
		var es events
		for i := range rapid.IntRange(0, 50).Draw(t, "events") {
			e := ev(fmt.Sprint("e", i), rapid.SampledFrom([]string{"deal.won", "deal.created", "lead.created"}).Draw(t, "kind"),
				rapid.SampledFrom(users).Draw(t, "actor"), start.Add(time.Duration(rapid.IntRange(0, 150*24).Draw(t, "hour"))*time.Hour))
			if e.Kind == "deal.won" {
				e.Amount = nd(fmt.Sprint(rapid.IntRange(0, 400).Draw(t, "amount")))
			}
			es = append(es, e)
		}
		asOf := cal.Midnight(d("2025-10-01")).Add(time.Duration(rapid.IntRange(0, 100*24).Draw(t, "hours")) * time.Hour)
		req := Request{AsOf: asOf, Since: asOf.Add(-time.Duration(rapid.IntRange(1, 60*24).Draw(t, "sinceHours")) * time.Hour),
			From: d("2025-07-01"), To: d("2026-01-01"), Org: o}
		for range rapid.IntRange(0, 4).Draw(t, "records") {
			p := cal.Containing(grain, d("2025-08-01")+date.Date(rapid.IntRange(0, 120).Draw(t, "recordDay")))
			who := rapid.SampledFrom(append([]string{"east", "west", "sales", org.Everyone}, users...)).Draw(t, "recordOf")
			kind := User
			switch who {
			case "east", "west", "sales":
				kind = Team
			case org.Everyone:
				kind = Company
			}
			req.Records = append(req.Records, Record{Goal: "g", Participant: who, Kind: kind, PeriodStart: p.Start, PeriodEnd: p.End,
				ClosedAt: asOf.Add(-time.Duration(rapid.IntRange(-24, 60*24).Draw(t, "closedHours")) * time.Hour),
				Target:   nd("3"), Actual: nd(fmt.Sprint(rapid.IntRange(0, 9).Draw(t, "recordActual"))),
				Status: rapid.SampledFrom([]Status{Achieved, Failed}).Draw(t, "recordStatus")})
		}
		sameSwitched(t, s, snapshot(s, es), req, &sinceFromAsOf)
	})
}
