package goal

import (
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// Compile quotes long numbers shortened, as formula's errors quote one: a
// weight or a threshold of 10,000 places made a message of 10,000
// characters.
func TestCompileQuotesLongNumbersShortened(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	tiny := decimal.New(-1, -10000)
	big := decimal.RequireFromString("123456789012345678901234567890.1234567891")
	defs := []Def{
		{ID: "leads", Indicator: "leads", Target: dp("10"), Weight: &big,
			Notify:       []NotifyRule{{On: NotifyAtRisk, Threshold: decimal.NewNullDecimal(tiny)}},
			Period:       PeriodDef{From: d("2025-03-01"), Every: period.Month},
			Participants: ParticipantsDef{Users: []string{"anna"}}},
		{ID: "steps", Checklist: []ItemDef{{ID: "a", Kinds: []string{"lead.created"}, Weight: &tiny}},
			Period:       PeriodDef{From: d("2025-03-01"), Every: period.Month},
			Participants: ParticipantsDef{Users: []string{"anna"}}},
	}
	_, err := Compile(defs, Env{Calendar: cal, Indicators: enginetest.SalesIndicators})
	want := "goals[0].notify[0].threshold: threshold must be above 0, got -1e-10000\n" +
		"goals[0].weight: weight is a percent 0..100, got 1.234567890123456…e29\n" +
		"goals[1].checklist[0].weight: weight must not be negative, got -1e-10000"
	if err == nil || err.Error() != want {
		t.Fatalf("got\n%v\nwant\n%s", err, want)
	}
}

// A milestone listed twice, or a percent one not above 0, is quoted
// shortened: a milestone of 1e-10000 made a message of 10,000 characters.
func TestCompileQuotesLongMilestonesShortened(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	tiny, neg := decimal.New(1, -10000), decimal.New(-1, -10000)
	big := decimal.RequireFromString("123456789012345678901234567890.1234567891")
	defs := []Def{{ID: "leads", Indicator: "leads", Target: dp("10"),
		Milestones:   []Milestone{{Value: tiny}, {Value: tiny}, {Value: neg, Percent: true}, {Value: big, Percent: true}, {Value: big, Percent: true}, {Value: decimal.RequireFromString("2.5")}, {Value: decimal.RequireFromString("2.50")}},
		Period:       PeriodDef{From: d("2025-03-01"), Every: period.Month},
		Participants: ParticipantsDef{Users: []string{"anna"}}}}
	_, err := Compile(defs, Env{Calendar: cal, Indicators: enginetest.SalesIndicators})
	want := "goals[0].milestones[1]: milestone 1e-10000 is listed twice\n" +
		"goals[0].milestones[2]: milestone -1e-10000% must be above 0%\n" +
		"goals[0].milestones[4]: milestone 1.234567890123456…e29% is listed twice\n" +
		"goals[0].milestones[6]: milestone 2.5 is listed twice"
	if err == nil || err.Error() != want {
		t.Fatalf("got\n%v\nwant\n%s", err, want)
	}
}
