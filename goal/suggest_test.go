package goal

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
)

func suggestOne(t *testing.T, s *Set, src events, req SuggestRequest) forecast.Suggestion {
	t.Helper()
	out, err := s.Suggest(context.Background(), snapshot(s, src), req)
	if err != nil {
		t.Fatal(err)
	}
	if len(out) != 1 {
		t.Fatalf("%d suggestions: %+v", len(out), out)
	}
	return out[0]
}

func TestSuggestSteady(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	g := Def{ID: "leads", Indicator: "leads", Target: dp("50"),
		Period: PeriodDef{From: d("2024-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, g)
	src := steadyLeads(cal, "anna", "2025-01-01", "2025-06-01", 2)
	// As of the end of May: June is next. 2 a working day, 21 working days
	// in June 2025, no history a year before: 42, certain; the plan's 50
	// is out of reach.
	sg := suggestOne(t, s, src, SuggestRequest{AsOf: enginetest.At(cal, "2025-05-31 12:00")})
	if sg.Period != "2025-06" || sg.Workdays != 21 || sg.Base.String() != "2" || sg.Season.String() != "1" || sg.Target.String() != "42" || sg.Periods != 5 {
		t.Fatalf("%+v", sg)
	}
	if *sg.Chance != "1" || *sg.Current != "50" || *sg.CurrentChance != "0" {
		t.Fatalf("chance %s, current %s at %s", *sg.Chance, *sg.Current, *sg.CurrentChance)
	}
}

// March, April and May 2025 at 1, 2 and 3 leads a working day.
func TestSuggestPercentileAndDirection(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	src := append(append(steadyLeads(cal, "anna", "2025-03-01", "2025-04-01", 1), steadyLeads(cal, "anna", "2025-04-01", "2025-05-01", 2)...),
		steadyLeads(cal, "anna", "2025-05-01", "2025-06-01", 3)...)
	for _, c := range []struct {
		dir     score.Direction
		q       string
		stretch string
		base    string
		target  string
	}{
		{score.HigherIsBetter, "0.5", "1", "2", "42"},
		// 0.9: 2 + (3 − 2) × 0.8 = 2.8 a day, × 21 × 1.1 = 64.68.
		{score.HigherIsBetter, "0.9", "1.1", "2.8", "65"},
		// Lower is better: the 0.9 from the low end is 0.1: 1.2 a day,
		// × 21 ÷ 1.2 = 21.
		{score.LowerIsBetter, "0.9", "1.2", "1.2", "21"},
	} {
		g := Def{ID: "leads", Indicator: "leads", Target: dp("50"), Direction: c.dir,
			Period: PeriodDef{From: d("2024-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
		s := mustCompile(t, cal, enginetest.SalesIndicators, g)
		sg := suggestOne(t, s, src, SuggestRequest{AsOf: enginetest.At(cal, "2025-05-31 12:00"), For: d("2025-06-10"), History: 3, Percentile: dp(c.q), Stretch: dp(c.stretch)})
		if sg.Base.String() != c.base || sg.Target.String() != c.target || sg.Periods != 3 {
			t.Errorf("%s q %s: base %s target %s periods %d, want %s %s", c.dir, c.q, sg.Base, sg.Target, sg.Periods, c.base, c.target)
		}
	}
}

// A June a year before at twice the months before it doubles the
// suggestion: 1 a day × 21 × 2 × 1.1 = 46.2.
func TestSuggestSeason(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	src := append(append(steadyLeads(cal, "anna", "2024-01-01", "2024-06-01", 1), steadyLeads(cal, "anna", "2024-06-01", "2024-07-01", 2)...),
		steadyLeads(cal, "anna", "2024-07-01", "2025-06-01", 1)...)
	g := Def{ID: "leads", Indicator: "leads", Target: dp("50"),
		Period: PeriodDef{From: d("2024-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, g)
	sg := suggestOne(t, s, src, SuggestRequest{AsOf: enginetest.At(cal, "2025-05-31 12:00"), History: 3, Stretch: dp("1.1")})
	if sg.Season.String() != "2" || sg.Base.String() != "1" || sg.Target.String() != "46" {
		t.Fatalf("%+v", sg)
	}
	// Without a full window before June 2024 there is no season.
	sg = suggestOne(t, s, src[len(steadyLeads(cal, "anna", "2024-01-01", "2024-05-01", 1)):], SuggestRequest{AsOf: enginetest.At(cal, "2025-05-31 12:00"), History: 3})
	if sg.Season.String() != "1" {
		t.Fatalf("season without history: %s", sg.Season)
	}
}

// The achievable rule of the lint reads the same numbers: a target of 50
// against a certain 42 is flagged with the suggestion; 40 is not.
func TestLintUnlikelyTarget(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	src := steadyLeads(cal, "anna", "2025-01-01", "2025-06-01", 2)
	for target, want := range map[string]string{
		"50": "target 50 for anna of the month 2025-06 has a 0 % chance by the daily results of earlier periods; the median per working day of the 5 before gives 42 (100 % chance)",
		"40": "",
	} {
		g := Def{ID: "leads", Indicator: "leads", Target: dp(target), Chance: &ChanceDef{Seed: 1},
			Period: PeriodDef{From: d("2024-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
		s := mustCompile(t, cal, enginetest.SalesIndicators, g)
		found, err := s.LintHistory(context.Background(), snapshot(s, src), HistoryOptions{AsOf: enginetest.At(cal, "2025-06-01 00:00")})
		if err != nil {
			t.Fatal(err)
		}
		got := ""
		for _, f := range found {
			if f.Code == RuleUnlikely {
				got = f.Msg
				if f.Path != "goals[0].target" {
					t.Errorf("path %s", f.Path)
				}
			}
		}
		if got != want {
			t.Errorf("target %s:\n got %q\nwant %q", target, got, want)
		}
	}
}
