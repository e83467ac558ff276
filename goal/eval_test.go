package goal

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

func evaluate(t *testing.T, s *Set, src kpi.Source, req Request) *Result {
	t.Helper()
	res, err := s.Evaluate(context.Background(), snapshot(s, src), req)
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func march(cal *period.Calendar, asOf string) Request {
	return Request{AsOf: enginetest.At(cal, asOf), From: d("2025-03-01"), To: d("2025-04-01")}
}

func summary(res *Result) []string {
	var out []string
	for _, r := range res.Rows {
		out = append(out, fmt.Sprintf("%s %s %s %s/%s", r.Goal, r.Label, r.Participant, str(r.Actual), str(r.Target)))
	}
	return out
}

// A team's conversion is computed from its members' events together
// (Σwon / Σcreated), never as the average of their conversions.
func TestTeamsShareAndEach(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	dir := enginetest.Directory(
		[]org.Unit{{ID: "sales"}, {ID: "sales_east", Parent: "sales", Head: "ivan"}},
		[]org.Membership{{User: "anna", Unit: "sales_east"}, {User: "ivan", Unit: "sales_east"}, {User: "hanna", Unit: "sales"}},
	)
	shared := Def{ID: "conv", Indicator: "conversion", Target: dp("0.4"), Period: PeriodDef{From: d("2025-03-01"), Every: period.Month},
		Participants: ParticipantsDef{Teams: []string{"sales_east"}}}
	each := shared
	each.ID, each.Participants.Mode = "conv_each", Each
	s := mustCompile(t, cal, enginetest.SalesIndicators, shared, each)
	src := events{
		ev("c1", "deal.created", "anna", enginetest.At(cal, "2025-03-03 10:00")), ev("w1", "deal.won", "anna", enginetest.At(cal, "2025-03-04 10:00")),
		ev("c2", "deal.created", "ivan", enginetest.At(cal, "2025-03-03 10:00")), ev("c3", "deal.created", "ivan", enginetest.At(cal, "2025-03-03 11:00")),
		ev("c4", "deal.created", "ivan", enginetest.At(cal, "2025-03-03 12:00")), ev("w2", "deal.won", "ivan", enginetest.At(cal, "2025-03-05 10:00")),
		ev("c5", "deal.created", "hanna", enginetest.At(cal, "2025-03-03 12:00")),
	}
	if _, err := s.Evaluate(context.Background(), snapshot(s, src), march(cal, "2025-03-10 12:00")); !errors.Is(err, ErrNoDirectory) ||
		err.Error() != "goals[0].participants.teams: goals name teams but the evaluation has no directory" {
		t.Fatalf("without a directory: %v", err)
	}
	req := march(cal, "2025-03-10 12:00")
	req.Org = loadOrg(t, dir)
	res := evaluate(t, s, src, req)
	want := []string{
		"conv 2025-03 sales_east 0.5/0.4",
		"conv_each 2025-03 anna 1/0.4",
		"conv_each 2025-03 ivan 0.3333333333333333/0.4",
	}
	if got := summary(res); !slices.Equal(got, want) {
		t.Fatalf("got %q, want %q", got, want)
	}
	r := rowFor(t, res, "conv", "sales_east")
	if r.Kind != Team || fmt.Sprint(r.Members) != "[anna ivan]" || r.Measure != Level || r.Status != OnTrack {
		t.Errorf("team row: %s %v %s %s", r.Kind, r.Members, r.Measure, r.Status)
	}
	if a, i := rowFor(t, res, "conv_each", "anna"), rowFor(t, res, "conv_each", "ivan"); a.Rank != 1 || i.Rank != 2 {
		t.Errorf("ranks %d, %d", a.Rank, i.Rank)
	}
}

func TestCompanyAndFilters(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	total := Def{ID: "won_all", Indicator: "won", Target: dp("5"), Period: PeriodDef{From: d("2025-03-01"), Every: period.Month},
		Participants: ParticipantsDef{Company: true}}
	web := total
	web.ID, web.Filter = "won_web", `source == "web"`
	everyone := total
	everyone.ID, everyone.Participants = "won_each", ParticipantsDef{Company: true, Mode: Each, Users: []string{"zoe"}}
	webConv := Def{ID: "conv_web", Indicator: "conversion", Filter: `source == "web"`, Target: dp("0.5"),
		Period: PeriodDef{From: d("2025-03-01"), Every: period.Month}, Participants: ParticipantsDef{Company: true}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, total, web, everyone, webConv)
	attr := func(e kpi.Event, source string) kpi.Event {
		e.Attrs = map[string]any{"source": source}
		return e
	}
	src := events{
		attr(ev("w1", "deal.won", "anna", enginetest.At(cal, "2025-03-04 10:00")), "web"),
		attr(ev("w2", "deal.won", "anna", enginetest.At(cal, "2025-03-05 10:00")), "phone"),
		attr(ev("w3", "deal.won", "boris", enginetest.At(cal, "2025-03-06 10:00")), "web"),
		attr(ev("c1", "deal.created", "boris", enginetest.At(cal, "2025-03-02 10:00")), "web"),
		attr(ev("c2", "deal.created", "boris", enginetest.At(cal, "2025-03-02 11:00")), "web"),
		attr(ev("c3", "deal.created", "boris", enginetest.At(cal, "2025-03-02 12:00")), "phone"),
		attr(ev("c4", "deal.created", "boris", enginetest.At(cal, "2025-03-02 13:00")), "web"),
		attr(ev("w0", "deal.won", "carl", enginetest.At(cal, "2025-02-25 10:00")), "web"), // February: not a participant of March
	}
	res := evaluate(t, s, src, march(cal, "2025-03-10 12:00"))
	want := []string{
		"won_all 2025-03 * 3/5",
		"won_web 2025-03 * 2/5",
		"won_each 2025-03 anna 2/5",
		"won_each 2025-03 boris 1/5",
		"won_each 2025-03 zoe 0/5",
		// web conversion: 2 web wins / 3 web deals created.
		"conv_web 2025-03 * 0.6666666666666667/0.5",
	}
	if got := summary(res); !slices.Equal(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
	if r := rowFor(t, res, "won_all", "*"); r.Kind != Company || str(r.Previous) != "1" || str(r.DeltaPrevious) != "2" {
		t.Errorf("company row: %s, previous %s, delta %s", r.Kind, str(r.Previous), str(r.DeltaPrevious))
	}
}

func TestChecklist(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	onboarding := Def{ID: "onboarding", Name: "Onboarding", Period: PeriodDef{From: d("2025-03-01"), To: d("2025-04-01")},
		Participants: ParticipantsDef{Users: []string{"anna", "boris"}},
		Checklist: []ItemDef{
			{ID: "profile", Name: "Fill in the CRM profile", Where: `kind == "profile.completed"`},
			{ID: "training", Name: "Complete two trainings", Kinds: []string{"training.completed"}, Count: 2, Weight: dp("2")},
			{ID: "meetup", Name: "Attend the meetup", Manual: true},
		}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, onboarding)
	src := events{
		ev("p1", "profile.completed", "anna", enginetest.At(cal, "2025-03-03 10:00")),
		ev("t1", "training.completed", "anna", enginetest.At(cal, "2025-03-04 10:00")),
		ev("t2", "training.completed", "boris", enginetest.At(cal, "2025-03-04 10:00")),
		ev("t3", "training.completed", "boris", enginetest.At(cal, "2025-03-05 10:00")),
	}
	req := march(cal, "2025-03-15 12:00")
	req.Marks = []Mark{{Goal: "onboarding", Item: "meetup", Participant: "anna", Time: enginetest.At(cal, "2025-03-10 18:00")},
		{Goal: "onboarding", Item: "meetup", Participant: "boris", Time: enginetest.At(cal, "2025-03-20 18:00")}} // later than as-of
	req.Series = true
	res := evaluate(t, s, src, req)
	a, b := rowFor(t, res, "onboarding", "anna"), rowFor(t, res, "onboarding", "boris")
	// anna: profile (1) + meetup (1) of 4; boris: two trainings (2) of 4.
	if str(a.Actual) != "2" || str(a.Target) != "4" || str(a.Achievement.Uncapped) != "0.5" || str(b.Actual) != "2" {
		t.Fatalf("anna %s/%s (%s), boris %s", str(a.Actual), str(a.Target), str(a.Achievement.Uncapped), str(b.Actual))
	}
	var items []string
	for _, it := range a.Items {
		items = append(items, fmt.Sprintf("%s:%d:%v", it.ID, it.Count, it.Done))
	}
	if fmt.Sprint(items) != "[profile:1:true training:1:false meetup:0:true]" {
		t.Errorf("anna's items %v", items)
	}
	// The series counts items done by the end of each day.
	var series []string
	for _, p := range b.Series[3:6] {
		series = append(series, p.Date.String()+"="+str(p.Actual))
	}
	if fmt.Sprint(series) != "[2025-03-04=0 2025-03-05=2 2025-03-06=2]" {
		t.Errorf("boris's series %v", series)
	}
	if !a.Ended && a.Status != OffTrack && a.Status != AtRisk && a.Status != OnTrack {
		t.Errorf("status %s", a.Status)
	}
}

func TestTargets(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	phased := Def{ID: "leads", Indicator: "leads", Target: dp("50"), Period: PeriodDef{From: d("2025-03-01"), Every: period.Month},
		Participants:        ParticipantsDef{Users: []string{"anna", "boris"}},
		TargetByPeriod:      map[string]decimal.Decimal{"2025-03": dec("60")},
		TargetByParticipant: map[string]decimal.Decimal{"boris": dec("70")}}
	growth := Def{ID: "sales", Name: "Sales +25 %", Indicator: "revenue", TargetFormula: "prev(revenue) * 1.25", Target: dp("1000"),
		Period: PeriodDef{From: d("2025-02-01"), Every: period.Month}, Participants: ParticipantsDef{Company: true}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, phased, growth)
	won := func(id, when, amount string) kpi.Event {
		e := ev(id, "deal.won", "anna", enginetest.At(cal, when))
		e.Amount = nd(amount)
		return e
	}
	src := events{won("f1", "2025-02-10 10:00", "1600"), won("m1", "2025-03-10 10:00", "900")}
	res := evaluate(t, s, src, Request{AsOf: enginetest.At(cal, "2025-04-10 12:00"), From: d("2025-02-01"), To: d("2025-05-01")})
	want := []string{
		"leads 2025-03 anna 0/60", "leads 2025-03 boris 0/70",
		"leads 2025-04 anna 0/50", "leads 2025-04 boris 0/70",
		// January had nothing: prev(revenue) is 0 and so is the target.
		"sales 2025-02 * 1600/0",
		"sales 2025-03 * 900/2000", // 1600 × 1.25
		"sales 2025-04 * 0/1125",   // 900 × 1.25
	}
	if got := summary(res); !slices.Equal(got, want) {
		t.Fatalf("got %q\nwant %q", got, want)
	}
}

// A seasonal pace follows the shape of earlier months: when everything
// happened on the first day of each, the whole target is expected from the
// first day on.
func TestSeasonalPace(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	g := Def{ID: "leads", Indicator: "leads", Target: dp("100"), Pace: PaceSeasonal, Forecast: ForecastSeasonal,
		Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, g)
	var src events
	for _, m := range []string{"2025-01-01", "2025-02-01", "2025-03-01", "2025-04-01"} {
		for i := range 10 {
			src = append(src, ev(fmt.Sprint(m, i), "lead.created", "anna", enginetest.At(cal, m+" 00:00")))
		}
	}
	res := evaluate(t, s, src, Request{AsOf: enginetest.At(cal, "2025-04-16 00:00"), From: d("2025-04-01"), To: d("2025-05-01")})
	r := rowFor(t, res, "leads", "anna")
	// Half of April has passed; January to March had reached their totals
	// by then: the profile says 1, so 100 expected; 10 so far is 10 %, and
	// the seasonal forecast is 10 / 1 = 10.
	if r.Pace != PaceSeasonal || str(r.Expected) != "100" || r.ForecastMethod != SeasonalShare || str(r.Forecast) != "10" || r.Status != OffTrack {
		t.Fatalf("pace %s expected %s, forecast %s %s, status %s", r.Pace, str(r.Expected), r.ForecastMethod, str(r.Forecast), r.Status)
	}
	// Half a day into April: Jan (31 days) had reached 31/60 of its total,
	// Feb (28) 28/60, Mar (31) 31/60: the mean is 90/180 = 1/2.
	res = evaluate(t, s, src, Request{AsOf: enginetest.At(cal, "2025-04-01 12:00"), From: d("2025-04-01"), To: d("2025-05-01")})
	if r := rowFor(t, res, "leads", "anna"); r.Expected.Decimal.Sub(dec("50")).Abs().Cmp(dec("0.000000000001")) > 0 {
		t.Fatalf("expected %s, want 50", str(r.Expected))
	}
	// Without history the pace falls back to working days, and says so.
	res = evaluate(t, s, src[:0], Request{AsOf: enginetest.At(cal, "2025-04-16 00:00"), From: d("2025-04-01"), To: d("2025-05-01")})
	if r := rowFor(t, res, "leads", "anna"); r.Pace != PaceWorkdays || r.ForecastMethod != RunRateWorkdays {
		t.Fatalf("without history: pace %s, forecast %s", r.Pace, r.ForecastMethod)
	}
}

func TestDeltasAndSeries(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	g := Def{ID: "sales", Indicator: "revenue", Target: dp("300"), Pace: PaceLinear,
		Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, g)
	won := func(id, when, amount string) kpi.Event {
		e := ev(id, "deal.won", "anna", enginetest.At(cal, when))
		e.Amount = nd(amount)
		return e
	}
	src := events{won("y", "2024-03-20 10:00", "80"), won("f", "2025-02-20 10:00", "100"),
		won("m1", "2025-03-01 10:00", "60"), won("m2", "2025-03-03 10:00", "90")}
	req := march(cal, "2025-03-03 12:00")
	req.Series = true
	r := rowFor(t, evaluate(t, s, src, req), "sales", "anna")
	if str(r.Actual) != "150" || str(r.Previous) != "100" || str(r.DeltaPrevious) != "50" || str(r.YearAgo) != "80" || str(r.DeltaYearAgo) != "70" {
		t.Fatalf("actual %s, previous %s (%s), year ago %s (%s)", str(r.Actual), str(r.Previous), str(r.DeltaPrevious), str(r.YearAgo), str(r.DeltaYearAgo))
	}
	// Linear pace, 300 over 31 days: the plan at the end of day 1 is
	// 300 / 31, at noon on day 3 300 × 2.5 / 31.
	var got []string
	for _, p := range r.Series {
		got = append(got, fmt.Sprintf("%s %s %s", p.Date, str(p.Actual), str(p.Plan)))
	}
	want := []string{"2025-03-01 60 9.67741935483871", "2025-03-02 60 19.35483870967742", "2025-03-03 150 24.19354838709677"}
	if !slices.Equal(got, want) {
		t.Fatalf("series %q, want %q", got, want)
	}
	// Elapsed and time left: 2.5 of 31 days.
	if str(decimal.NewNullDecimal(r.Elapsed)) != "0.08064516129032258" || r.DaysLeft != 29 || r.WorkdaysLeft != 21 || r.TimeLeft != 28*24*time.Hour+12*time.Hour {
		t.Fatalf("elapsed %s, days left %d, workdays left %d, time left %s", r.Elapsed, r.DaysLeft, r.WorkdaysLeft, r.TimeLeft)
	}
}

func TestNotificationsSince(t *testing.T) {
	s, cal := transitionPlan(t, func(d *Def) {
		d.Target = dp("10")
		d.Participants.Users = []string{"anna", "boris"}
		d.Milestones = []Milestone{{Percent: true, Value: dec("50")}, {Percent: true, Value: dec("100")}}
		d.Notify = []NotifyRule{{On: NotifyMilestoneReached}, {On: NotifyAchieved}, {On: NotifyDeadlineApproaching, Days: 3}}
	})
	src := leadsByDay(cal, 1, "2025-04-01")
	res := evaluate(t, s, src, march(cal, "2025-03-14 18:00"))
	var got []string
	for _, n := range res.Notifications {
		got = append(got, n.Key)
	}
	// anna's tenth lead came on the 14th (the 10th working day).
	want := []string{"milestone_reached/leads/anna/2025-03/100%25", "achieved/leads/anna/2025-03/"}
	if !slices.Equal(got, want) {
		t.Fatalf("notifications %q, want %q", got, want)
	}
	req := march(cal, "2025-03-29 12:00")
	req.Since = enginetest.At(cal, "2025-03-28 12:00")
	res = evaluate(t, s, src, req)
	got = nil
	for _, n := range res.Notifications {
		got = append(got, n.Key)
	}
	if want := []string{"deadline_approaching/leads/boris/2025-03/3"}; !slices.Equal(got, want) {
		t.Fatalf("notifications %q, want %q", got, want)
	}
}
