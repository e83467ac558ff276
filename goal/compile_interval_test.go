package goal

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// A recurrence whose interval makes one period longer than the calendar
// can count (2^40 days) is refused at compile, naming the interval: it
// compiled, and every evaluation of the plan then failed.
func TestCompileRefusesARecurrenceTooLong(t *testing.T) {
	cal, _ := period.LoadCalendar("UTC")
	env := Env{Calendar: cal, Indicators: []kpi.IndicatorDef{{ID: "won", Kinds: []string{"deal.won"}, Aggregate: kpi.Count}}}
	for _, tc := range []struct {
		grain    period.Grain
		interval int
		ok       bool
	}{
		// 2^40 days over the grain's days, rounded down, is the longest
		// interval; one more is too long. (Grains of months would need
		// intervals past 32 bits: custom grains of many days do not.)
		{period.Days(period.MaxDays), (1 << 40) / period.MaxDays, true},
		{period.Days(period.MaxDays), (1<<40)/period.MaxDays + 1, false},
		{period.Days(10000), (1 << 40) / 10000, true},
		{period.Days(10000), (1<<40)/10000 + 1, false},
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
