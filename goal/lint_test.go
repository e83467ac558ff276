package goal

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

func monthly(id, indicator string, target string, users ...string) Def {
	d := Def{ID: id, Indicator: indicator, Period: PeriodDef{From: d("2025-01-01"), Every: period.Month},
		Participants: ParticipantsDef{Users: users}}
	if target != "" {
		d.Target = dp(target)
	}
	return d
}

// annaLeads is a goal on leads for anna over the period p.
func annaLeads(id string, p PeriodDef) Def {
	return Def{ID: id, Indicator: "leads", Target: dp("10"), Period: p, Participants: ParticipantsDef{Users: []string{"anna"}}}
}

// annaCalls is annaLeads on calls.
func annaCalls(id string, p PeriodDef) Def {
	g := annaLeads(id, p)
	g.Indicator = "calls"
	return g
}

// quarter is the fixed range [from, to).
func quarter(from, to string) PeriodDef { return PeriodDef{From: d(from), To: d(to)} }

// weighed is g with the weight w.
func weighed(g Def, w string) Def {
	g.Weight = dp(w)
	return g
}

func TestLintRules(t *testing.T) {
	tests := []struct {
		name string
		defs []Def
		opts LintOptions
		want []string
	}{
		{"a good goal", []Def{monthly("leads", "leads", "50", "anna")}, LintOptions{}, nil},
		{"no target", []Def{monthly("leads", "leads", "", "anna")}, LintOptions{},
			[]string{"error: goals[0].target: no target: set target, target_formula or target_by_period"}},
		{"no target for some participants", []Def{func() Def {
			d := monthly("leads", "leads", "", "anna", "boris")
			d.TargetByParticipant = map[string]decimal.Decimal{"anna": dec("40")}
			return d
		}()}, LintOptions{}, []string{"error: goals[0].target: no target for boris: set target or target_by_participant for them"}},
		{"no end", []Def{func() Def {
			d := monthly("leads", "leads", "50", "anna")
			d.Period = PeriodDef{From: d.Period.From}
			return d
		}()}, LintOptions{}, []string{"error: goals[0].period.to: no end: set period.to (the day after the last, for a fixed range) or period.every (a recurrence)"}},
		{"zero target", []Def{monthly("leads", "leads", "0", "anna")}, LintOptions{},
			[]string{"error: goals[0].target: target 0 is not positive"}},
		{"negative phased target", []Def{func() Def {
			d := monthly("leads", "leads", "50", "anna")
			d.TargetByPeriod = map[string]decimal.Decimal{"2025-03": dec("-1500")}
			return d
		}()}, LintOptions{}, []string{"error: goals[0].target_by_period.2025-03: target -1 500 is not positive"}},
		{"lower with zero target", []Def{func() Def {
			d := monthly("cost", "cpl", "0", "anna")
			d.Direction = score.LowerIsBetter
			return d
		}()}, LintOptions{}, []string{"warning: goals[0].target: a lower-is-better goal with a target of 0 is met only by 0: its achievement is all or nothing"}},
		{"lower with negative target", []Def{func() Def {
			d := monthly("cost", "cpl", "-5", "anna")
			d.Direction = score.LowerIsBetter
			return d
		}()}, LintOptions{}, []string{"error: goals[0].target: target -5 is negative"}},
		// Long numbers are quoted shortened, as formula's errors quote one
		// (10,000 places made a message of 10,000 characters), not grouped.
		{"long negative phased target", []Def{func() Def {
			d := monthly("leads", "leads", "50", "anna")
			d.TargetByPeriod = map[string]decimal.Decimal{"2025-03": decimal.New(-1, -10000), "2025-04": dec("-123456789012345678901234567890.1234567891")}
			return d
		}()}, LintOptions{}, []string{"error: goals[0].target_by_period.2025-03: target -1e-10000 is not positive",
			"error: goals[0].target_by_period.2025-04: target -1.234567890123456…e29 is not positive"}},
		{"nothing measurable", []Def{{ID: "vague", Target: dp("1"), Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Company: true}}},
			LintOptions{}, []string{"error: goals[0].indicator: nothing measurable: set indicator (a quantitative goal) or checklist (a qualitative one)"}},
		{"only manual items", []Def{{ID: "onboard", Checklist: []ItemDef{{ID: "a", Manual: true}}, Period: PeriodDef{From: d("2025-01-01"), Every: period.Month},
			Participants: ParticipantsDef{Users: []string{"anna"}}}},
			LintOptions{}, []string{"warning: goals[0].checklist: nothing is measured from events: every checklist item is marked by hand"}},
		{"too many goals", []Def{
			monthly("g1", "a", "1", "anna"), monthly("g2", "b", "1", "anna"), monthly("g3", "c", "1", "anna"),
			monthly("g4", "d", "1", "anna"), monthly("g5", "e", "1", "anna"), monthly("g6", "f", "1", "anna", "boris"),
		}, LintOptions{}, []string{"warning: goals: anna has 6 goals at once (3 to 5 are recommended): goals[0] g1, goals[1] g2, goals[2] g3, goals[3] g4, goals[4] g5, goals[5] g6"}},
		{"too many with KPIs", []Def{monthly("g1", "a", "1", "anna"), monthly("g2", "b", "1", "anna")},
			LintOptions{Load: map[string][]string{"anna": {"scorecards[0].kpis[0] won", "scorecards[0].kpis[1] calls", "scorecards[0].kpis[2] revenue", "scorecards[0].kpis[3] nps"}}},
			[]string{"warning: goals: anna has 6 goals and KPIs at once (3 to 5 are recommended): goals[0] g1, goals[1] g2, scorecards[0].kpis[0] won, scorecards[0].kpis[1] calls, scorecards[0].kpis[2] revenue, scorecards[0].kpis[3] nps"}},
		{"six goals, not at once", []Def{
			monthly("g1", "a", "1", "anna"), monthly("g2", "b", "1", "anna"), monthly("g3", "c", "1", "anna"),
			monthly("g4", "d", "1", "anna"), monthly("g5", "e", "1", "anna"),
			{ID: "g6", Indicator: "f", Target: dp("1"), Period: PeriodDef{From: d("2024-01-01"), To: d("2024-02-01")}, Participants: ParticipantsDef{Users: []string{"anna"}}},
		}, LintOptions{}, nil},
		{"weights", []Def{
			func() Def { d := monthly("g1", "a", "1", "anna"); d.Weight = dp("60"); return d }(),
			func() Def { d := monthly("g2", "b", "1", "anna"); d.Weight = dp("30"); return d }(),
			monthly("g3", "c", "1", "anna"),
		}, LintOptions{}, []string{"warning: goals: the weights of anna's goals sum to 90, not 100: goals[0] 60, goals[1] 30; without a weight: goals[2]"}},
		{"weights sum to 100", []Def{
			func() Def { d := monthly("g1", "a", "1", "anna"); d.Weight = dp("60"); return d }(),
			func() Def { d := monthly("g2", "b", "1", "anna"); d.Weight = dp("40"); return d }(),
		}, LintOptions{}, nil},
		{"weights of goals one after another", []Def{
			weighed(annaLeads("q1_leads", quarter("2025-01-01", "2025-04-01")), "60"), weighed(annaCalls("q1_calls", quarter("2025-01-01", "2025-04-01")), "40"),
			weighed(annaLeads("q2_leads", quarter("2025-04-01", "2025-07-01")), "50"), weighed(annaCalls("q2_calls", quarter("2025-04-01", "2025-07-01")), "50"),
		}, LintOptions{}, nil},
		{"weights off at one time", []Def{
			weighed(annaLeads("q1_leads", quarter("2025-01-01", "2025-04-01")), "60"), weighed(annaCalls("q1_calls", quarter("2025-01-01", "2025-04-01")), "30"),
			weighed(annaLeads("q2_leads", quarter("2025-04-01", "2025-07-01")), "100"),
		}, LintOptions{}, []string{"warning: goals: the weights of anna's goals sum to 90, not 100: goals[0] 60, goals[1] 30"}},
		{"duplicate", []Def{monthly("leads", "leads", "50", "anna"), monthly("leads_again", "leads", "50", "anna")}, LintOptions{},
			[]string{"warning: goals[1]: duplicates goals[0] (leads): same indicator leads for anna in overlapping periods"}},
		{"overlap", []Def{monthly("leads", "leads", "50", "anna", "boris"), {ID: "march", Indicator: "leads", Target: dp("60"),
			Period: PeriodDef{From: d("2025-03-01"), To: d("2025-04-01")}, Participants: ParticipantsDef{Users: []string{"boris"}}}}, LintOptions{},
			[]string{"warning: goals[1]: overlaps goals[0] (leads): same indicator leads for boris in overlapping periods"}},
		{"a recurrence over by its count is no overlap", []Def{
			annaLeads("q1", PeriodDef{From: d("2025-01-01"), Every: period.Month, Count: 3}), // January to March
			annaLeads("summer", PeriodDef{From: d("2025-06-01"), Every: period.Month}),
		}, LintOptions{}, nil},
		{"a recurrence runs to the end of its last instance", []Def{
			annaLeads("winter", PeriodDef{From: d("2025-01-01"), Every: period.Month, Until: d("2025-03-10")}), // the last instance is March
			annaLeads("push", PeriodDef{From: d("2025-03-15"), To: d("2025-03-20")}),
		}, LintOptions{}, []string{"warning: goals[1]: overlaps goals[0] (winter): same indicator leads for anna in overlapping periods"}},
		{"a recurrence starts with the instance that holds its from", []Def{
			annaLeads("spring", PeriodDef{From: d("2025-03-15"), Every: period.Month}), // the first instance is March
			annaLeads("early", PeriodDef{From: d("2025-03-02"), To: d("2025-03-05")}),
		}, LintOptions{}, []string{"warning: goals[1]: overlaps goals[0] (spring): same indicator leads for anna in overlapping periods"}},
		{"six goals, one of them over by its count", []Def{
			monthly("g1", "a", "1", "anna"), monthly("g2", "b", "1", "anna"), monthly("g3", "c", "1", "anna"),
			monthly("g4", "d", "1", "anna"), func() Def { g := monthly("g5", "e", "1", "anna"); g.Period.Count = 2; return g }(),
			func() Def { g := monthly("g6", "f", "1", "anna"); g.Period.From = d("2025-04-01"); return g }(),
		}, LintOptions{}, nil},
		{"other filter is no overlap", []Def{monthly("leads", "leads", "50", "anna"), func() Def {
			d := monthly("web", "leads", "20", "anna")
			d.Filter = `source == "web"`
			return d
		}()}, LintOptions{}, nil},
		{"drafts do not count", []Def{monthly("leads", "leads", "50", "anna"), func() Def {
			d := monthly("leads2", "leads", "60", "anna")
			d.State = StateDraft
			return d
		}()}, LintOptions{}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			for _, f := range Lint(tt.defs, tt.opts) {
				got = append(got, f.String())
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("got\n%q\nwant\n%q", got, tt.want)
			}
		})
	}
}

func TestLintHistory(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	inds := []kpi.IndicatorDef{
		{ID: "revenue", Kinds: []string{"deal.won"}, Aggregate: "sum", Value: "amount"},
		{ID: "leads", Kinds: []string{"lead.created"}, Aggregate: "count"},
		{ID: "cpl", Kinds: []string{"lead.cost"}, Aggregate: "avg", Value: "amount"},
	}
	big := monthly("big", "revenue", "1200000", "anna")
	tv := monthly("tv", "leads", "10", "anna")
	tv.Filter = `source == "tv"`
	cheap := monthly("cheap", "cpl", "100", "anna")
	cheap.Direction = score.LowerIsBetter
	training := Def{ID: "training", Checklist: []ItemDef{{ID: "course", Where: `kind == "training.completed" && source == "lms"`}},
		Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
	s := mustCompile(t, cal, inds, big, tv, cheap, training)
	var src events
	for m := 1; m <= 12; m++ {
		day := d("2024-01-15").AddDate(0, m-1, 0)
		amount := "300000"
		if m == 7 {
			amount = "385000"
		}
		e := ev(fmt.Sprint("deal", m), "deal.won", "anna", cal.Midnight(day))
		e.Amount = nd(amount)
		l := ev(fmt.Sprint("lead", m), "lead.created", "anna", cal.Midnight(day))
		l.Attrs = map[string]any{"source": "web"}
		c := ev(fmt.Sprint("cost", m), "lead.cost", "anna", cal.Midnight(day))
		c.Amount = nd("500")
		tr := ev(fmt.Sprint("tr", m), "training.completed", "anna", cal.Midnight(day))
		tr.Attrs = map[string]any{"source": "classroom"}
		src = append(src, e, l, c, tr)
	}
	fs, err := s.LintHistory(context.Background(), snapshot(s, src), HistoryOptions{AsOf: enginetest.At(cal, "2025-01-10 12:00")})
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range fs {
		got = append(got, f.String())
	}
	want := []string{
		"warning: goals[0].target: target 1 200 000 for anna is 3.1× the best month of the last 12 (385 000)",
		"warning: goals[1].filter: matched no event of the history (indicator leads: 12 event(s) of kinds lead.created from 2024-01-01 to 2025-01-31, none passes)",
		"warning: goals[2].target: target 100 for anna is 5.0× below the best month of the last 12 (500)",
		"warning: goals[3].checklist[0].where: matched no event of the history (item course: 12 event(s) of kinds training.completed from 2024-01-01 to 2025-01-31, none passes)",
	}
	if !slices.Equal(got, want) {
		t.Errorf("got\n%q\nwant\n%q", got, want)
	}
}
