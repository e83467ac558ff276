package goal

import (
	"fmt"
	"slices"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// TestSeriesOfWindowedIndicator: a goal on a year-to-date count. Each day
// of the series is the indicator as it stood at the end of that day (the
// year's leads so far), never a sum of the daily year-to-date values; its
// last day is the row's actual.
func TestSeriesOfWindowedIndicator(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	inds := []kpi.IndicatorDef{{ID: "leads_ytd", Kinds: []string{"lead.created"}, Aggregate: "count", ToDate: "year"}}
	s := mustCompile(t, cal, inds, Def{ID: "ytd", Indicator: "leads_ytd", Target: dp("10"),
		Period: PeriodDef{From: d("2025-03-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}})
	lead := func(id, when string) kpi.Event { return ev(id, "lead.created", "anna", enginetest.At(cal, when)) }
	src := events{lead("jan", "2025-01-10 10:00"), lead("feb", "2025-02-14 10:00"), lead("mar3", "2025-03-03 10:00"), lead("mar5", "2025-03-05 09:00")}
	req := march(cal, "2025-03-05 12:00")
	req.Series = true
	r := rowFor(t, evaluate(t, s, src, req), "ytd", "anna")
	// The independent count: the year's leads up to the end of each day.
	var want []string
	for day := d("2025-03-01"); day <= d("2025-03-05"); day++ {
		n := 0
		for _, e := range src {
			if cal.Date(e.Time) <= day {
				n++
			}
		}
		want = append(want, fmt.Sprintf("%s %d", day, n))
	}
	var got []string
	for _, p := range r.Series {
		got = append(got, fmt.Sprintf("%s %s", p.Date, str(p.Actual)))
	}
	if !slices.Equal(got, want) {
		t.Fatalf("series %q, want %q", got, want)
	}
	if last := r.Series[len(r.Series)-1].Actual; str(last) != str(r.Actual) {
		t.Fatalf("the series ends at %s, the actual is %s", str(last), str(r.Actual))
	}
}
