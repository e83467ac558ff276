package goal

import (
	"fmt"
	"math"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/problem"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// steadyLeads is `per` leads on every Monday-to-Friday of [from, to) for
// the actor, at 10:00.
func steadyLeads(cal *period.Calendar, actor string, from, to string, per int) events {
	var src events
	for day := d(from); day < d(to); day++ {
		if wd := day.Weekday(); wd == time.Saturday || wd == time.Sunday {
			continue
		}
		for i := range per {
			src = append(src, ev(fmt.Sprint(actor, day, i), "lead.created", actor, enginetest.At(cal, day.String()+" 10:00")))
		}
	}
	return src
}

// A history of exactly 2 leads every working day forecasts April with
// certainty: 11 working days by the 16th (22 leads) and 11 to come (22
// more), 44 at the end.
func TestChanceSteadyHistory(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	base := Def{ID: "leads", Indicator: "leads", Forecast: ForecastProbabilistic, Chance: &ChanceDef{AtRisk: dp("0.5")},
		Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
	src := steadyLeads(cal, "anna", "2025-01-01", "2025-04-16", 2)
	req := Request{AsOf: enginetest.At(cal, "2025-04-16 00:00"), From: d("2025-04-01"), To: d("2025-05-01")}
	for _, c := range []struct {
		target string
		reach  string
		status Status
	}{{"44", "1", OnTrack}, {"45", "0", OffTrack}, {"30", "1", OnTrack}} {
		g := base
		g.Target = dp(c.target)
		r := rowFor(t, evaluate(t, mustCompile(t, cal, enginetest.SalesIndicators, g), src, req), "leads", "anna")
		if str(r.Actual) != "22" || str(r.Chance.Reach) != c.reach || str(r.Chance.P10) != "44" || str(r.Chance.P50) != "44" || str(r.Chance.P90) != "44" {
			t.Errorf("target %s: actual %s, P %s, P10/50/90 %s/%s/%s", c.target, str(r.Actual), str(r.Chance.Reach), str(r.Chance.P10), str(r.Chance.P50), str(r.Chance.P90))
		}
		if r.ForecastMethod != Probabilistic || str(r.Forecast) != "44" || r.Status != c.status {
			t.Errorf("target %s: forecast %s %s, status %s, want 44 probabilistic %s", c.target, r.ForecastMethod, str(r.Forecast), r.Status, c.status)
		}
	}
}

// A goal that only asks for the chance keeps its run-rate forecast and its
// thresholds; its JSON row gains the optional fields.
func TestChanceBesideRunRate(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	g := Def{ID: "leads", Indicator: "leads", Target: dp("40"), Chance: &ChanceDef{History: 3},
		Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
	src := steadyLeads(cal, "anna", "2025-01-01", "2025-04-16", 2)
	r := rowFor(t, evaluate(t, mustCompile(t, cal, enginetest.SalesIndicators, g), src, Request{AsOf: enginetest.At(cal, "2025-04-16 00:00"), From: d("2025-04-01"), To: d("2025-05-01")}), "leads", "anna")
	// Run rate: 22 leads in 11 of 22 working days, 44.
	if r.ForecastMethod != RunRateWorkdays || str(r.Forecast) != "44" || r.Status != OnTrack || str(r.Chance.Reach) != "1" {
		t.Fatalf("forecast %s %s, status %s, P %s", r.ForecastMethod, str(r.Forecast), r.Status, str(r.Chance.Reach))
	}
	b, err := r.MarshalJSON()
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`"probability":"1"`, `"forecast_p10":"44"`, `"forecast_p50":"44"`, `"forecast_p90":"44"`} {
		if !strings.Contains(string(b), want) {
			t.Errorf("row JSON lacks %s: %s", want, b)
		}
	}
	// Without the chance the fields are left out.
	g.Chance = nil
	r = rowFor(t, evaluate(t, mustCompile(t, cal, enginetest.SalesIndicators, g), src, Request{AsOf: enginetest.At(cal, "2025-04-16 00:00"), From: d("2025-04-01"), To: d("2025-05-01")}), "leads", "anna")
	if b, _ := r.MarshalJSON(); strings.Contains(string(b), "probability") {
		t.Errorf("a goal without chance writes a probability: %s", b)
	}
}

// Two earlier months, one of 1 lead a working day and one of 3, and an
// April just begun: the draw follows March (3 a day, weight 1) or February
// (1 a day, weight 0.5) for all 22 working days, so the final is 66 with
// probability 2/3 and 22 with probability 1/3.
func TestChanceMixesPeriods(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	g := Def{ID: "leads", Indicator: "leads", Target: dp("50"), Chance: &ChanceDef{History: 2, Decay: dp("0.5"), Samples: 20000},
		Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
	src := append(steadyLeads(cal, "anna", "2025-02-01", "2025-03-01", 1), steadyLeads(cal, "anna", "2025-03-01", "2025-04-01", 3)...)
	r := rowFor(t, evaluate(t, mustCompile(t, cal, enginetest.SalesIndicators, g), src, Request{AsOf: enginetest.At(cal, "2025-04-01 00:00"), From: d("2025-04-01"), To: d("2025-05-01")}), "leads", "anna")
	p := r.Chance.Reach.Decimal.InexactFloat64()
	if p < 2.0/3-0.015 || p > 2.0/3+0.015 || str(r.Chance.P10) != "22" || str(r.Chance.P90) != "66" {
		t.Fatalf("P %s (want about 0.667), P10 %s, P90 %s", str(r.Chance.Reach), str(r.Chance.P10), str(r.Chance.P90))
	}
	// The same row in a report with another participant draws the same.
	g.Participants.Users = []string{"anna", "boris"}
	r2 := rowFor(t, evaluate(t, mustCompile(t, cal, enginetest.SalesIndicators, g), src, Request{AsOf: enginetest.At(cal, "2025-04-01 00:00"), From: d("2025-04-01"), To: d("2025-05-01")}), "leads", "anna")
	if !r2.Chance.Reach.Decimal.Equal(r.Chance.Reach.Decimal) {
		t.Fatalf("the draw depends on the report: %s, then %s", str(r.Chance.Reach), str(r2.Chance.Reach))
	}
}

// Once the period is over the chance is the result: 1 or 0. Lower is
// better reverses it.
func TestChanceEndedAndLower(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	src := steadyLeads(cal, "anna", "2025-01-01", "2025-05-01", 2)
	req := Request{AsOf: enginetest.At(cal, "2025-05-02 00:00"), From: d("2025-04-01"), To: d("2025-05-01")}
	for _, c := range []struct {
		dir    score.Direction
		target string
		reach  string
	}{{score.HigherIsBetter, "44", "1"}, {score.HigherIsBetter, "45", "0"}, {score.LowerIsBetter, "44", "1"}, {score.LowerIsBetter, "43", "0"}} {
		g := Def{ID: "leads", Indicator: "leads", Target: dp(c.target), Direction: c.dir, Chance: &ChanceDef{Seed: 7},
			Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
		r := rowFor(t, evaluate(t, mustCompile(t, cal, enginetest.SalesIndicators, g), src, req), "leads", "anna")
		if str(r.Chance.Reach) != c.reach || str(r.Chance.P50) != "44" {
			t.Errorf("%s %s: P %s P50 %s", c.dir, c.target, str(r.Chance.Reach), str(r.Chance.P50))
		}
	}
	// Lower is better while running: 2 complaints a day, 22 to come; a cap
	// of 40 is out of reach, 44 certain.
	req = Request{AsOf: enginetest.At(cal, "2025-04-16 00:00"), From: d("2025-04-01"), To: d("2025-05-01")}
	for target, reach := range map[string]string{"40": "0", "44": "1"} {
		g := Def{ID: "leads", Indicator: "leads", Target: dp(target), Direction: score.LowerIsBetter, Chance: &ChanceDef{Seed: 7},
			Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
		r := rowFor(t, evaluate(t, mustCompile(t, cal, enginetest.SalesIndicators, g), src, req), "leads", "anna")
		if str(r.Chance.Reach) != reach {
			t.Errorf("lower, running, %s: P %s, want %s", target, str(r.Chance.Reach), reach)
		}
	}
}

func TestChanceCompileProblems(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	base := Def{ID: "g", Indicator: "leads", Target: dp("10"),
		Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
	for _, c := range []struct {
		name string
		edit func(*Def)
		path string
		msg  string
	}{
		{"a formula", func(g *Def) { g.Indicator = "conversion"; g.Forecast = ForecastProbabilistic; g.Chance = nil }, "goals[0].forecast", "needs a cumulative indicator"},
		{"a level", func(g *Def) { g.Measure = Level; g.Chance.History = 2 }, "goals[0].chance", "needs a cumulative indicator"},
		{"decay 0", func(g *Def) { g.Chance.Decay = dp("0") }, "goals[0].chance.decay", "decay must be above 0"},
		{"history", func(g *Def) { g.Chance.History = 99 }, "goals[0].chance.history", "history must be 1..36"},
		{"samples", func(g *Def) { g.Chance.Samples = -2 }, "goals[0].chance.samples", "samples must be"},
		{"window", func(g *Def) { g.Chance.Window = dp("1.5") }, "goals[0].chance.window", "window must be in [0, 1]"},
		{"a running total", func(g *Def) { g.Indicator = "leads_ytd"; g.Chance.History = 2 }, "goals[0].chance", "needs a cumulative indicator"},
		{"at_risk", func(g *Def) { g.Chance.AtRisk = dp("1.2") }, "goals[0].chance.at_risk", "at_risk must be a probability"},
		{"off_track alone", func(g *Def) { g.Chance.OffTrack = dp("0.2") }, "goals[0].chance.off_track", "off_track needs at_risk"},
		{"off_track above", func(g *Def) { g.Chance.AtRisk = dp("0.3"); g.Chance.OffTrack = dp("0.4") }, "goals[0].chance.off_track", "must not be above at_risk"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := base
			g.Chance = &ChanceDef{}
			c.edit(&g)
			inds := append(enginetest.SalesIndicators[:len(enginetest.SalesIndicators):len(enginetest.SalesIndicators)], kpi.IndicatorDef{ID: "leads_ytd", Kinds: []string{"lead.created"}, Aggregate: "count", ToDate: "year"})
			_, err := Compile([]Def{g}, Env{Calendar: cal, Indicators: inds})
			pe, ok := err.(*problem.Error)
			if !ok {
				t.Fatalf("got %v, want a compile error", err)
			}
			found := false
			for _, p := range pe.Problems {
				if p.Path == c.path && strings.Contains(p.Msg, c.msg) {
					found = true
				}
			}
			if !found {
				t.Fatalf("no problem at %s saying %q: %v", c.path, c.msg, err)
			}
		})
	}
}

func TestChanceMessage(t *testing.T) {
	r := Row{Goal: "revenue", Name: "Revenue", Participant: "anna", Label: "2025-03", Status: AtRisk,
		Target: nd("500000"), Forecast: nd("468000.4"), ForecastMethod: RunRateWorkdays,
		Chance: forecast.Chance{Reach: nd("0.618")}}
	if got, want := r.message(NotifyAtRisk, ""), `"Revenue" is at risk for anna in 2025-03: 62 % likely to reach 500 000; at this pace 468 000`; got != want {
		t.Errorf("at risk:\n got %s\nwant %s", got, want)
	}
	r.Status, r.ForecastMethod, r.Forecast, r.Chance.Reach = OnTrack, Probabilistic, nd("512000"), nd("0.9995")
	if got, want := r.message(NotifyBackOnTrack, ""), `"Revenue" is back on track for anna in 2025-03: 99 % likely to reach 500 000; median forecast 512 000`; got != want {
		t.Errorf("back on track:\n got %s\nwant %s", got, want)
	}
	r.Direction, r.Chance.Reach = score.LowerIsBetter, nd("0.004")
	if got := r.chanceText(); !strings.HasPrefix(got, "1 % likely to stay within 500 000") {
		t.Errorf("lower is better: %s", got)
	}
}

// A notification's "at this pace" rounds a forecast far from 1 in
// exponent at once: Round(0) of 10^-2147483640 or 10^2147483647 (of a
// host's values) built a power of ten of two billion digits and never
// returned. The number is written as messages quote long ones (hand
// counts).
func TestChanceTextFarForecast(t *testing.T) {
	for _, c := range []struct {
		forecast decimal.Decimal
		want     string
	}{
		{decimal.New(1, math.MinInt32+8), "62 % likely to reach 500 000; at this pace 0"},
		{decimal.New(3, math.MaxInt32), "62 % likely to reach 500 000; at this pace 3e2147483647"},
	} {
		r := Row{Target: nd("500000"), Forecast: decimal.NewNullDecimal(c.forecast), ForecastMethod: RunRateWorkdays, Chance: forecast.Chance{Reach: nd("0.618")}}
		if got := returnsIn5s(t, "chanceText", r.chanceText); got != c.want {
			t.Errorf("forecast %se%d: %q, want %q", c.forecast.Coefficient(), c.forecast.Exponent(), got, c.want)
		}
	}
}
