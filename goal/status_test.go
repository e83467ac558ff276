package goal

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

func TestClassify(t *testing.T) {
	null := decimal.NullDecimal{}
	type in = StatusInput
	tests := []struct {
		name string
		in   StatusInput
		want Status
	}{
		{"before the start", in{Direction: score.HigherIsBetter, Measure: Cumulative, Actual: nd("0"), Target: nd("50")}, NotStarted},
		{"on pace", in{Direction: score.HigherIsBetter, Measure: Cumulative, Started: true, Actual: nd("20"), Target: nd("50"), Forecast: nd("50")}, OnTrack},
		{"ahead", in{Direction: score.HigherIsBetter, Measure: Cumulative, Started: true, Actual: nd("30"), Target: nd("50"), Forecast: nd("70")}, OnTrack},
		{"a little behind", in{Direction: score.HigherIsBetter, Measure: Cumulative, Started: true, Actual: nd("18"), Target: nd("50"), Forecast: nd("45")}, AtRisk},
		{"at the at_risk threshold", in{Direction: score.HigherIsBetter, Measure: Cumulative, Started: true, Actual: nd("16"), Target: nd("50"), Forecast: nd("40")}, AtRisk},
		{"far behind", in{Direction: score.HigherIsBetter, Measure: Cumulative, Started: true, Actual: nd("10"), Target: nd("50"), Forecast: nd("39.99")}, OffTrack},
		{"custom thresholds", in{Direction: score.HigherIsBetter, Measure: Cumulative, Started: true, Actual: nd("10"), Target: nd("50"), Forecast: nd("45"), OnTrack: dec("0.9"), AtRisk: dec("0.5")}, OnTrack},
		{"no forecast yet", in{Direction: score.HigherIsBetter, Measure: Cumulative, Started: true, Actual: nd("0"), Target: nd("50"), Forecast: null}, OnTrack},
		{"achieved early", in{Direction: score.HigherIsBetter, Measure: Cumulative, Started: true, Actual: nd("50"), Target: nd("50"), Forecast: nd("120")}, Achieved},
		{"met at the end", in{Direction: score.HigherIsBetter, Measure: Cumulative, Started: true, Ended: true, Actual: nd("51"), Target: nd("50"), Forecast: nd("51")}, Achieved},
		{"missed at the end", in{Direction: score.HigherIsBetter, Measure: Cumulative, Started: true, Ended: true, Actual: nd("49"), Target: nd("50"), Forecast: nd("49")}, Failed},
		{"nothing at the end", in{Direction: score.HigherIsBetter, Measure: Cumulative, Started: true, Ended: true, Actual: nd("0"), Target: nd("50")}, Failed},
		{"no target", in{Direction: score.HigherIsBetter, Measure: Cumulative, Started: true, Actual: nd("3"), Target: null}, NotStarted},
		{"no target at the end", in{Direction: score.HigherIsBetter, Measure: Cumulative, Started: true, Ended: true, Actual: nd("3"), Target: null}, Failed},
		// Levels are judged as they stand and achieved only at the end.
		{"level met mid-period", in{Direction: score.HigherIsBetter, Measure: Level, Started: true, Actual: nd("0.3"), Target: nd("0.2"), Forecast: nd("0.3")}, OnTrack},
		{"level below", in{Direction: score.HigherIsBetter, Measure: Level, Started: true, Actual: nd("0.1"), Target: nd("0.2"), Forecast: nd("0.1")}, OffTrack},
		{"level without a value", in{Direction: score.HigherIsBetter, Measure: Level, Started: true, Actual: null, Target: nd("0.2"), Forecast: null}, NotStarted},
		{"level met at the end", in{Direction: score.HigherIsBetter, Measure: Level, Started: true, Ended: true, Actual: nd("0.2"), Target: nd("0.2")}, Achieved},
		{"level without a value at the end", in{Direction: score.HigherIsBetter, Measure: Level, Started: true, Ended: true, Actual: null, Target: nd("0.2")}, Failed},
		// Lower is better.
		{"cost per lead under", in{Direction: score.LowerIsBetter, Measure: Level, Started: true, Actual: nd("450"), Target: nd("500"), Forecast: nd("450")}, OnTrack},
		{"cost per lead a little over", in{Direction: score.LowerIsBetter, Measure: Level, Started: true, Actual: nd("550"), Target: nd("500"), Forecast: nd("550")}, AtRisk},
		{"cost per lead far over", in{Direction: score.LowerIsBetter, Measure: Level, Started: true, Actual: nd("700"), Target: nd("500"), Forecast: nd("700")}, OffTrack},
		{"cost per lead zero", in{Direction: score.LowerIsBetter, Measure: Level, Started: true, Actual: nd("0"), Target: nd("500"), Forecast: nd("0")}, OnTrack},
		{"cost per lead met at the end", in{Direction: score.LowerIsBetter, Measure: Level, Started: true, Ended: true, Actual: nd("500"), Target: nd("500")}, Achieved},
		{"cost per lead over at the end", in{Direction: score.LowerIsBetter, Measure: Level, Started: true, Ended: true, Actual: nd("500.01"), Target: nd("500")}, Failed},
		{"budget under mid-period is not achieved yet", in{Direction: score.LowerIsBetter, Measure: Cumulative, Started: true, Actual: nd("100"), Target: nd("1000"), Forecast: nd("900")}, OnTrack},
		{"budget heading over", in{Direction: score.LowerIsBetter, Measure: Cumulative, Started: true, Actual: nd("600"), Target: nd("1000"), Forecast: nd("1200")}, AtRisk},
		{"budget kept", in{Direction: score.LowerIsBetter, Measure: Cumulative, Started: true, Ended: true, Actual: nd("1000"), Target: nd("1000")}, Achieved},
		{"lower zero target, zero actual", in{Direction: score.LowerIsBetter, Measure: Cumulative, Started: true, Ended: true, Actual: nd("0"), Target: nd("0")}, Achieved},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := Classify(tt.in); got != tt.want {
				t.Errorf("Classify = %s, want %s", got, tt.want)
			}
		})
	}
}

func TestStateTransitions(t *testing.T) {
	states := []State{StateDraft, StateActive, StateAchieved, StateFailed, StateClosed}
	allowed := map[[2]State]bool{
		{StateDraft, StateActive}:    true,
		{StateActive, StateAchieved}: true,
		{StateActive, StateFailed}:   true,
		{StateAchieved, StateActive}: true,
		{StateAchieved, StateFailed}: true,
		{StateAchieved, StateClosed}: true,
		{StateFailed, StateAchieved}: true,
		{StateFailed, StateClosed}:   true,
	}
	for _, from := range states {
		for _, to := range states {
			want := from == to || allowed[[2]State{from, to}]
			if got := from.CanBecome(to); got != want {
				t.Errorf("%s → %s: CanBecome = %v, want %v", from, to, got, want)
			}
		}
	}
}

// transitionPlan is a monthly goal of 21 leads for anna, in March 2025, a
// month of 21 working days (Monday to Friday, no holidays).
func transitionPlan(t *testing.T, mod func(*Def)) (*Set, *period.Calendar) {
	cal := enginetest.Calendar(t, "UTC")
	inds := []kpi.IndicatorDef{
		{ID: "leads", Kinds: []string{"lead.created"}, Aggregate: "count"},
		{ID: "response", Kinds: []string{"ticket.answered"}, Aggregate: "avg", Value: "amount"},
	}
	def := Def{ID: "leads", Indicator: "leads", Target: dp("21"), Period: PeriodDef{From: d("2025-03-01"), Every: period.Month},
		Participants: ParticipantsDef{Users: []string{"anna"}}}
	if mod != nil {
		mod(&def)
	}
	return mustCompile(t, cal, inds, def), cal
}

// leadsByDay gives anna n leads on each working day from the 3rd of March
// until the day before 'until'.
func leadsByDay(cal *period.Calendar, n int, until string) events {
	var es events
	for day := d("2025-03-03"); day < d(until); day++ {
		if !cal.IsWorkday(day) {
			continue
		}
		for k := range n {
			es = append(es, ev(fmt.Sprintf("%s-%d", day, k), "lead.created", "anna", cal.Midnight(day).Add(10*time.Hour)))
		}
	}
	return es
}

func statusAt(t *testing.T, s *Set, src kpi.Source, asOf time.Time) Row {
	t.Helper()
	res, err := s.Evaluate(context.Background(), snapshot(s, src), Request{AsOf: asOf, From: d("2025-03-01"), To: d("2025-04-01")})
	if err != nil {
		t.Fatal(err)
	}
	return rowFor(t, res, "leads", "anna")
}

// TestStatusTransitions walks a goal through every status transition, each
// by the events or by time alone.
func TestStatusTransitions(t *testing.T) {
	s, cal := transitionPlan(t, nil)
	noon := func(day string) time.Time { return enginetest.At(cal, day+" 12:00") }
	endOfDay := func(day string) time.Time { return enginetest.At(cal, day+" 23:59") }
	steady := leadsByDay(cal, 1, "2025-04-01") // one lead a working day: exactly on pace
	half := leadsByDay(cal, 1, "2025-03-15")   // stops after two weeks
	tests := []struct {
		name     string
		src      events
		from, to time.Time
		want     [2]Status
	}{
		{"not_started → on_track", steady, enginetest.At(cal, "2025-02-28 12:00"), endOfDay("2025-03-03"), [2]Status{NotStarted, OnTrack}},
		{"on_track → at_risk (no lead on Monday the 17th)", half, endOfDay("2025-03-14"), endOfDay("2025-03-17"), [2]Status{OnTrack, AtRisk}},
		{"at_risk → off_track (time passes)", half, endOfDay("2025-03-17"), endOfDay("2025-03-20"), [2]Status{AtRisk, OffTrack}},
		{"off_track → on_track (a burst)", append(half, burst(cal, "2025-03-21", 6)...), endOfDay("2025-03-20"), endOfDay("2025-03-21"), [2]Status{OffTrack, OnTrack}},
		{"on_track → achieved (early)", append(steady, burst(cal, "2025-03-20", 10)...), noon("2025-03-19"), endOfDay("2025-03-20"), [2]Status{OnTrack, Achieved}},
		{"on_track → failed (time alone, no event)", leadsByDay(cal, 1, "2025-03-31"), endOfDay("2025-03-28"), enginetest.At(cal, "2025-04-01 00:00"), [2]Status{OnTrack, Failed}},
		{"on_track → achieved at the end", steady, endOfDay("2025-03-28"), enginetest.At(cal, "2025-04-01 00:00"), [2]Status{OnTrack, Achieved}},
		{"not_started → failed (a month without events)", nil, enginetest.At(cal, "2025-02-28 12:00"), enginetest.At(cal, "2025-04-02 00:00"), [2]Status{NotStarted, Failed}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			a, b := statusAt(t, s, tt.src, tt.from), statusAt(t, s, tt.src, tt.to)
			if a.Status != tt.want[0] || b.Status != tt.want[1] {
				t.Fatalf("%s → %s (actual %s → %s, forecast %s → %s), want %s → %s", a.Status, b.Status,
					str(a.Actual), str(b.Actual), str(a.Forecast), str(b.Forecast), tt.want[0], tt.want[1])
			}
		})
	}
	t.Run("achieved → on_track (a retraction)", func(t *testing.T) {
		src := append(steady, burst(cal, "2025-03-20", 10)...)
		a := statusAt(t, s, src, endOfDay("2025-03-20"))
		for i := range 10 {
			src = append(src, kpi.Event{ID: fmt.Sprintf("burst-2025-03-20-%d", i), Deleted: true})
		}
		b := statusAt(t, s, src, endOfDay("2025-03-20"))
		if a.Status != Achieved || b.Status != OnTrack || a.State != StateAchieved || b.State != StateActive {
			t.Fatalf("%s/%s → %s/%s, want achieved/achieved → on_track/active", a.Status, a.State, b.Status, b.State)
		}
	})
}

func burst(cal *period.Calendar, day string, n int) events {
	var es events
	for i := range n {
		es = append(es, ev(fmt.Sprintf("burst-%s-%d", day, i), "lead.created", "anna", enginetest.At(cal, day+" 15:00")))
	}
	return es
}

// TestLowerIsBetterEvaluation: average first response ≤ 2 hours (7200 s),
// judged as a level; achievement = target / actual.
func TestLowerIsBetterEvaluation(t *testing.T) {
	s, cal := transitionPlan(t, func(d *Def) {
		d.Indicator, d.Direction, d.Target = "response", score.LowerIsBetter, dp("7200")
		d.Milestones = []Milestone{{Percent: true, Value: dec("50")}, {Percent: true, Value: dec("100")}}
	})
	answer := func(id, day string, secs int64) kpi.Event {
		e := ev(id, "ticket.answered", "anna", enginetest.At(cal, day+" 11:00"))
		e.Amount = decimal.NewNullDecimal(decimal.NewFromInt(secs))
		return e
	}
	src := events{answer("t1", "2025-03-03", 3600), answer("t2", "2025-03-04", 14400)}
	r := statusAt(t, s, src, enginetest.At(cal, "2025-03-05 12:00"))
	// avg = (3600 + 14400) / 2 = 9000 > 7200: achievement 7200 / 9000 = 0.8.
	if str(r.Actual) != "9000" || str(r.Achievement.Uncapped) != "0.8" || r.Status != AtRisk || str(r.Remaining) != "1800" ||
		r.Measure != Level || str(r.Expected) != "7200" || r.ForecastMethod != CurrentLevel {
		t.Fatalf("got actual %s, achievement %s, status %s, remaining %s, measure %s, expected %s, forecast %s",
			str(r.Actual), str(r.Achievement.Uncapped), r.Status, str(r.Remaining), r.Measure, str(r.Expected), r.ForecastMethod)
	}
	if fmt.Sprint(r.Milestones) != "[50%]" {
		t.Errorf("milestones = %v, want [50%%]", r.Milestones)
	}
	src = append(src, answer("t3", "2025-03-05", 600), answer("t4", "2025-03-06", 600))
	// avg = 19200 / 4 = 4800 ≤ 7200; achievement 7200 / 4800 = 1.5, capped 1.
	r = statusAt(t, s, src, enginetest.At(cal, "2025-04-01 00:00"))
	if str(r.Actual) != "4800" || str(r.Achievement.Uncapped) != "1.5" || str(r.Achievement.Capped) != "1" || r.Status != Achieved || str(r.Remaining) != "0" {
		t.Fatalf("at the end: actual %s, achievement %s/%s, status %s, remaining %s", str(r.Actual), str(r.Achievement.Uncapped), str(r.Achievement.Capped), r.Status, str(r.Remaining))
	}
	// No ticket at all: nothing to judge during the month, failed at its end.
	if r := statusAt(t, s, events(nil), enginetest.At(cal, "2025-03-15 12:00")); r.Status != NotStarted || r.Actual.Valid {
		t.Errorf("without tickets: %s, actual %s", r.Status, str(r.Actual))
	}
	if r := statusAt(t, s, events(nil), enginetest.At(cal, "2025-04-01 00:00")); r.Status != Failed {
		t.Errorf("without tickets at the end: %s", r.Status)
	}
}
