package goal

import (
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// A goal on a year-to-date indicator does not start its period at 0: its
// forecast and the value expected by now run from the value at the
// instance's start. 200 leads by March and 15 in the first 15 of March's
// 31 days forecast 200 + 15 × 31/15 = 231 (not 215 × 31/15 = 444.33), and
// a target of 400 expects 200 + 200 × 15/31 by then.
func TestWindowedForecastFromTheStartValue(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	inds := append(enginetest.SalesIndicators[:len(enginetest.SalesIndicators):len(enginetest.SalesIndicators)],
		kpi.IndicatorDef{ID: "leads_ytd", Kinds: []string{"lead.created"}, Aggregate: "count", ToDate: "year"})
	g := Def{ID: "ytd", Indicator: "leads_ytd", Target: dp("400"), Pace: PaceLinear, Forecast: ForecastCalendar,
		Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
	s := mustCompile(t, cal, inds, g)
	var src events
	for i := range 200 {
		src = append(src, ev(fmt.Sprint("old", i), "lead.created", "anna", time.Date(2025, 1, 2+i%50, 10, 0, 0, 0, time.UTC)))
	}
	for day := 1; day <= 15; day++ {
		src = append(src, ev(fmt.Sprint("mar", day), "lead.created", "anna", time.Date(2025, 3, day, 10, 0, 0, 0, time.UTC)))
	}
	r := rowFor(t, evaluate(t, s, src, march(cal, "2025-03-16 00:00")), "ytd", "anna")
	if str(r.Actual) != "215" || str(r.Forecast) != "231" {
		t.Fatalf("actual %s, forecast %s; want 215, 231", str(r.Actual), str(r.Forecast))
	}
	want := dec("200").Add(dec("3000").DivRound(dec("31"), 20))
	if !r.Expected.Valid || r.Expected.Decimal.Sub(want).Abs().GreaterThan(dec("1e-12")) {
		t.Fatalf("expected %s, want %s", str(r.Expected), want)
	}
	// At the end of the period the forecast is the actual.
	r = rowFor(t, evaluate(t, s, src, march(cal, "2025-04-02 00:00")), "ytd", "anna")
	if str(r.Forecast) != "215" || r.ForecastMethod != Final {
		t.Fatalf("after the end: forecast %s (%s)", str(r.Forecast), r.ForecastMethod)
	}
}
