package goalstats

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// TestTimeToAchievementPastCenturies: a row achieved three centuries after
// its period began counts those centuries' seconds. The time went through
// a time.Duration, which holds about 292 years: every figure of the
// tally read 9223372036.854775807 seconds.
func TestTimeToAchievementPastCenturies(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	s := mustCompile(t, cal, enginetest.SalesIndicators,
		goal.Def{ID: "g", Indicator: "won", Target: dp("1"), Period: goal.PeriodDef{From: d("1700-01-01"), Every: period.Month}, Participants: goal.ParticipantsDef{Company: true}})
	p := cal.Containing(period.Month, d("1700-01-01"))
	at := time.Date(2000, 1, 1, 0, 0, 1, 500, time.UTC)
	rows := []goal.Row{{Goal: "g", Kind: goal.User, Participant: "anna", Period: p, Status: goal.Achieved, AchievedAt: at}}
	// The days from 1 January 1700 to 1 January 2000, by the Gregorian
	// rule, then the second and 500 nanoseconds.
	days := 0
	for y := 1700; y < 2000; y++ {
		days += 365
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			days++
		}
	}
	want := decimal.NewFromInt(int64(days) * 86400).Add(decimal.RequireFromString("1.0000005"))
	got := Summarize(s, pointers(rows), nil).Total.TimeToAchievement
	for name, v := range map[string]string{"min": str(got.Min), "median": str(got.Median), "p90": str(got.P90), "max": str(got.Max)} {
		if v != want.String() {
			t.Errorf("%s %s seconds, want %s", name, v, want)
		}
	}
}
