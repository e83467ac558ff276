package goal

import (
	"fmt"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/period"
)

// The same period a year before is the same dates for days and custom
// ranges, a seven-day one that is not a calendar week included, and 52
// weeks before (the same weekdays) for weeks.
func TestYearAgoOfSevenDays(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	// 2024 is a leap year: 5 March 2025 less a year is 5 March 2024, less
	// 52 weeks 6 March.
	leads := []struct{ id, day string }{{"a", "2024-03-05"}, {"b", "2024-03-05"}, {"c", "2024-03-12"}, {"w", "2024-03-04"}, {"x", "2024-03-10"}}
	for _, tt := range []struct {
		name     string
		from, to string
	}{
		{"a seven-day range, Wednesday to Tuesday", "2025-03-05", "2025-03-12"},
		{"a calendar week", "2025-03-03", "2025-03-10"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			p := PeriodDef{From: d(tt.from), To: d(tt.to)}
			s := mustCompile(t, cal, enginetest.SalesIndicators, Def{ID: "leads", Indicator: "leads", Target: dp("5"), Period: p, Participants: ParticipantsDef{Users: []string{"anna"}}})
			in := s.goals[0].fixed
			// The independent count: the same dates a year before, or 364
			// days before for a calendar week.
			from, to := d(tt.from).AddDate(-1, 0, 0), d(tt.to).AddDate(-1, 0, 0)
			if in.Grain == period.Week {
				from, to = d(tt.from)-364, d(tt.to)-364
			}
			want := 0
			var src events
			for _, l := range leads {
				if day := d(l.day); day >= from && day < to {
					want++
				}
				src = append(src, ev(l.id, "lead.created", "anna", enginetest.At(cal, l.day+" 10:00")))
			}
			req := Request{AsOf: enginetest.At(cal, tt.to+" 00:00"), From: d(tt.from), To: d(tt.to)}
			r := rowFor(t, evaluate(t, s, src, req), "leads", "anna")
			if str(r.YearAgo) != fmt.Sprint(want) {
				t.Fatalf("%s [%s, %s): year ago %s, want %d over [%s, %s)", in.Grain, tt.from, tt.to, str(r.YearAgo), want, from, to)
			}
		})
	}
}
