package goal_test

import (
	"context"
	"fmt"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// "50 new leads per month": anna's progress on 14 March 2025 at 18:00.
func Example() {
	cal, _ := period.LoadCalendar("Europe/Moscow")
	goals, err := goal.Compile([]goal.Def{{
		ID:           "leads50",
		Name:         "50 new leads per month",
		Indicator:    "leads",
		Target:       goalkit.Number("50"),
		Period:       goal.Every(period.Month, date.New(2025, 3, 1)),
		Participants: goal.ParticipantsDef{Users: []string{"anna"}},
		Milestones:   []goal.Milestone{goal.Percent(25)},
		Notify:       []goal.NotifyRule{{On: goal.NotifyMilestoneReached}},
	}}, goal.Env{Calendar: cal, Indicators: []kpi.IndicatorDef{{ID: "leads", Kinds: []string{"lead.created"}, Aggregate: "count"}}})
	if err != nil {
		fmt.Println(err)
		return
	}
	// Two leads a working day from Monday 3 March, the last two on the 14th.
	events := kpi.NewTable(cal.Location())
	for day := date.New(2025, 3, 3); day <= date.New(2025, 3, 14); day++ {
		if cal.IsWorkday(day) {
			for i := range 2 {
				_ = events.Apply(&kpi.Event{ID: fmt.Sprint(day, i), Kind: "lead.created", Actor: "anna", Time: cal.Midnight(day).Add(10 * time.Hour)})
			}
		}
	}
	asOf := time.Date(2025, 3, 14, 18, 0, 0, 0, cal.Location())
	res, err := goals.Evaluate(context.Background(), events, goal.Request{AsOf: asOf, From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)})
	if err != nil {
		fmt.Println(err)
		return
	}
	r := res.Rows[0]
	fmt.Println(r.Participant, r.Label, r.Actual.Decimal, "of", r.Target.Decimal, r.Status)
	fmt.Println("expected by now:", r.Expected.Decimal, "by", r.Pace)
	fmt.Println("forecast:", r.Forecast.Decimal, "by", r.ForecastMethod)
	fmt.Println("left:", r.DaysLeft, "days,", r.WorkdaysLeft, "working days")
	fmt.Println("milestones:", r.Milestones)
	// 25 % was reached yesterday: today brings no notification.
	fmt.Println("notifications:", len(res.Notifications))
	// Output:
	// anna 2025-03 20 of 50 at_risk
	// expected by now: 23.21428571428571 by workdays
	// forecast: 43.07692307692308 by run_rate_workdays
	// left: 18 days, 12 working days
	// milestones: [25%]
	// notifications: 0
}

// A lower-is-better goal: cost per lead at most 500.
func ExampleAchieve() {
	target := decimal.NewNullDecimal(decimal.NewFromInt(500))
	for _, cost := range []int64{400, 500, 625, 1000, 0} {
		a := score.Achieve(score.LowerIsBetter, decimal.NewNullDecimal(decimal.NewFromInt(cost)), target)
		fmt.Printf("cost %d: met %v, achievement %v, capped %v\n", cost, a.Met, a.Uncapped.Decimal, a.Capped.Decimal)
	}
	// Output:
	// cost 400: met true, achievement 1.25, capped 1
	// cost 500: met true, achievement 1, capped 1
	// cost 625: met false, achievement 0.8, capped 0.8
	// cost 1000: met false, achievement 0.5, capped 0.5
	// cost 0: met true, achievement 0, capped 1
}

// Notify turns a change of progress into notifications, once per
// transition.
func ExampleNotify() {
	rules := []goal.NotifyRule{{On: goal.NotifyAtRisk}, {On: goal.NotifyBackOnTrack}}
	p := period.Period{Grain: period.Month, Start: date.New(2025, 3, 1), End: date.New(2025, 4, 1)}
	row := func(day int, st goal.Status) *goal.Row {
		return &goal.Row{Goal: "leads50", Participant: "anna", Label: "2025-03", Period: p, Started: true,
			Date: date.New(2025, 3, day), Status: st, State: goal.StateActive}
	}
	// at is the instant of a day's row, when the notifications fire.
	at := func(day int) time.Time { return time.Date(2025, 3, day, 18, 0, 0, 0, time.UTC) }
	fmt.Println(len(goal.Notify(rules, row(10, goal.OnTrack), row(11, goal.OnTrack), at(11))))
	for _, n := range goal.Notify(rules, row(11, goal.OnTrack), row(12, goal.AtRisk), at(12)) {
		fmt.Println(n.Kind, n.Key)
	}
	fmt.Println(len(goal.Notify(rules, row(12, goal.AtRisk), row(13, goal.OffTrack), at(13))))
	for _, n := range goal.Notify(rules, row(13, goal.OffTrack), row(14, goal.OnTrack), at(14)) {
		fmt.Println(n.Kind, n.Key)
	}
	// Output:
	// 0
	// at_risk at_risk/leads50/anna/2025-03/2025-03-12
	// 0
	// back_on_track back_on_track/leads50/anna/2025-03/2025-03-14
}
