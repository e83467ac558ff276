package dashboard

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// planOnly is a Data of which the period choice reads the plan only.
type planOnly struct {
	Data
	plan *goalkit.Plan
}

func (d planOnly) Plan() *goalkit.Plan { return d.plan }

// TestCurrentPeriod: the period that holds the as-of date, else the latest
// that started before it, else the first, whatever the order of the
// periods given (a page's periods come from several lists).
func TestCurrentPeriod(t *testing.T) {
	plan := goalkittest.CompilePlan(t, "timezone: UTC\nindicators: [{id: n, kinds: [x], aggregate: count}]\nreport: {grain: month, from: 2025-01-01, to: 2025-07-01}\n")
	cal := plan.Calendar()
	month := func(m time.Month) period.Period { return cal.Containing(period.Month, date.New(2025, m, 1)) }
	feb, mar, may, jun := month(time.February), month(time.March), month(time.May), month(time.June)
	asOf := time.Date(2025, 4, 15, 12, 0, 0, 0, time.UTC) // in none of them
	for _, tc := range []struct {
		ps   []period.Period
		want period.Period
	}{
		{[]period.Period{feb, mar, may}, mar},
		{[]period.Period{may, feb, mar}, mar},
		{[]period.Period{may, feb}, feb},
		{[]period.Period{jun, may}, jun},
		{[]period.Period{may, jun}, may},
		{[]period.Period{may, month(time.April), feb}, month(time.April)},
	} {
		q := &request{h: &handler{data: planOnly{plan: plan}}, asOf: asOf}
		if got := q.currentPeriod(tc.ps); got != tc.want {
			t.Errorf("currentPeriod(%v) = %v, want %v", tc.ps, got, tc.want)
		}
	}
}
