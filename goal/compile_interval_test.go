package goal

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// A recurrence whose interval makes one occurrence longer than a fixed
// period may be (period.MaxDays, 36600 days), each period of the grain
// counted at its longest, is refused at compile, naming the interval: it
// compiled, and an evaluation laid the occurrence out day by day (out of
// memory for 2^20 periods of ten days) or, past a million months, found
// the period before it empty and failed without naming the goal.
func TestCompileRefusesARecurrenceTooLong(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	env := Env{Calendar: cal, Indicators: []kpi.IndicatorDef{{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count}}}
	for _, tc := range []struct {
		grain    period.Grain
		interval int
		ok       bool
	}{
		// 36600 days over the grain's longest period, rounded down, is
		// the longest interval; one more is too long.
		{period.Day, 36600, true},
		{period.Day, 36601, false},
		{period.Week, 5228, true}, // 5228 × 7 = 36596
		{period.Week, 5229, false},
		{period.Month, 1180, true}, // 1180 × 31 = 36580
		{period.Month, 1181, false},
		{period.Quarter, 397, true}, // 397 × 92 = 36524
		{period.Quarter, 398, false},
		{period.FiscalQuarter, 397, true},
		{period.FiscalQuarter, 398, false},
		{period.Year, 100, true}, // 100 × 366 = 36600
		{period.Year, 101, false},
		{period.FiscalYear, 100, true},
		{period.FiscalYear, 101, false},
		{period.Days(period.MaxDays), 0, true},
		{period.Days(period.MaxDays), 1, true},
		{period.Days(period.MaxDays), 2, false},
		{period.Days(10000), 3, true},
		{period.Days(10000), 4, false},
		{period.Days(10), 1 << 20, false},
		{period.Month, 1 << 25, false},
		{period.Days(10000), (1<<40)/10000 + 1, false}, // past what the calendar counts
	} {
		defs := []Def{{ID: "g", Indicator: "won", Target: dp("10"), Participants: ParticipantsDef{Users: []string{"anna"}},
			Period: PeriodDef{From: d("2025-01-01"), Every: tc.grain, Interval: tc.interval}}}
		_, err := Compile(defs, env)
		if tc.ok != (err == nil) {
			t.Errorf("every %d %s: got %v", tc.interval, tc.grain, err)
		}
		if want := "goals[0].period.interval: interval "; err != nil && !strings.HasPrefix(err.Error(), want) {
			t.Errorf("every %d %s: the error does not name the interval: %v", tc.interval, tc.grain, err)
		}
	}
}

// The longest interval of months compiles and evaluates: the occurrence
// holding the deal counts it.
func TestRecurrenceOfTheLongestIntervalEvaluates(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	inds := []kpi.IndicatorDef{{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count}}
	s := mustCompile(t, cal, inds, Def{ID: "g", Indicator: "won", Target: dp("10"), Participants: ParticipantsDef{Users: []string{"anna"}},
		Period: PeriodDef{From: d("2025-01-01"), Every: period.Month, Interval: 1180}})
	evs := events{ev("1", "deal.won", "anna", time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC))}
	asOf := time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC)
	res, err := s.Evaluate(context.Background(), snapshot(s, evs), Request{AsOf: asOf, From: d("2025-03-01"), To: d("2025-04-01")})
	if err != nil {
		t.Fatal(err)
	}
	// 1180 months from January 2025 end in May 2123.
	r := rowFor(t, res, "g", "anna")
	if r.Period.Start != d("2025-01-01") || r.Period.End != d("2123-05-01") || str(r.Actual) != "1" {
		t.Fatalf("row %s %s, actual %s; want [2025-01-01, 2123-05-01), 1", r.Period.Start, r.Period.End, str(r.Actual))
	}
}
