package goal

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// sameNumber reports whether two optional numbers are the same, digits and
// exponent alike (5 and 5.0 are not).
func sameNumber(a, b decimal.NullDecimal) bool {
	return a.Valid == b.Valid && (!a.Valid || a.Decimal.Exponent() == b.Decimal.Exponent() && a.Decimal.Cmp(b.Decimal) == 0)
}

// Rows clocked one after the other take the last row's expected value when
// their target is the same number, and the run rate of their period at the
// instant: each row's expected value and forecast are those computed alone
// (Expected, Forecast), whatever the goals, targets (5 and 5.0 among
// them), actuals, periods and instants in turn.
func TestClockTakesTheLastRowsExpectedAndRate(t *testing.T) {
	cal := enginetest.Calendar(t, "Europe/Berlin")
	periods := []period.Period{cal.Containing(period.Month, d("2025-03-01")), cal.Containing(period.Quarter, d("2025-01-01"))}
	targets := []decimal.NullDecimal{nd("5"), nd("5.0"), nd("500e-2"), nd("7"), nd("-3.25"), nd("0"), {}}
	rapid.Check(t, func(rt *rapid.T) {
		goals := []*Goal{
			{measure: Cumulative, pace: PaceLinear, forecast: ForecastWorkdays},
			{measure: Cumulative, pace: PaceLinear, forecast: ForecastCalendar},
			{measure: Cumulative, pace: PaceWorkdays, forecast: ForecastCalendar},
			{measure: Level, pace: PaceLinear, forecast: ForecastCalendar},
		}
		instants := []time.Time{
			time.Date(2025, 3, rapid.IntRange(1, 31).Draw(rt, "day"), rapid.IntRange(0, 23).Draw(rt, "hour"), 0, 0, 0, cal.Location()),
			time.Date(2025, 2, 28, 23, 0, 0, 0, cal.Location()), // before March
			time.Date(2025, 4, 1, 0, 0, 0, 0, cal.Location()),   // after March
		}
		e := &evaluator{cal: cal}
		for i := range rapid.IntRange(1, 30).Draw(rt, "rows") {
			g := rapid.SampledFrom(goals).Draw(rt, "goal")
			p := rapid.SampledFrom(periods).Draw(rt, "period")
			asOf := rapid.SampledFrom(instants).Draw(rt, "asOf")
			r := Row{Period: p, Target: rapid.SampledFrom(targets).Draw(rt, "target")}
			if rapid.IntRange(0, 5).Draw(rt, "actual?") > 0 {
				r.Actual = decimal.NewNullDecimal(decimal.New(rapid.Int64Range(-1e6, 1e6).Draw(rt, "actual"), int32(rapid.IntRange(-3, 3).Draw(rt, "exp"))))
			}
			e.clock(&r, g, asOf, nil, decimal.NullDecimal{})
			share, _ := PaceFraction(cal, p, asOf, g.pace, nil)
			if want := Expected(g.measure, r.Target, share); !sameNumber(r.Expected, want) {
				rt.Fatalf("row %d: expected %s, alone %s", i, str(r.Expected), str(want))
			}
			want, method := Forecast(cal, p, asOf, g.measure, g.forecast, r.Actual, nil)
			if !sameNumber(r.Forecast, want) || r.ForecastMethod != method {
				rt.Fatalf("row %d: forecast %s (%s), alone %s (%s)", i, str(r.Forecast), r.ForecastMethod, str(want), method)
			}
		}
	})
}

// The expected value of a row with the last row's target, and the
// forecast with the last row's run rate, are had without a product of
// the target and the pace and without the run rate's two numbers made
// again (Expected multiplied and divided at every row, Forecast made its
// divisor's terms).
func TestClockReusesAllocateLess(t *testing.T) {
	cal := enginetest.Calendar(t, "Europe/Berlin")
	p := cal.Containing(period.Month, d("2025-03-01"))
	asOf := time.Date(2025, 3, 12, 15, 0, 0, 0, cal.Location())
	e := &evaluator{cal: cal}
	g := &Goal{measure: Cumulative, pace: PaceLinear, forecast: ForecastWorkdays}
	r := Row{Period: p, Target: nd("18"), Actual: nd("7")}
	e.clock(&r, g, asOf, nil, decimal.NullDecimal{})
	c := &e.clocked
	same, other := nd("18"), nd("18.0")
	if got := testing.AllocsPerRun(50, func() { c.expected(g.measure, other); c.expected(g.measure, same) }); got == 0 {
		t.Fatal("targets in turn allocated nothing: the test reads nothing")
	}
	if got := testing.AllocsPerRun(50, func() { c.expected(g.measure, same) }); got != 0 {
		t.Errorf("the expected value of the last row's target allocates %v times, want none", got)
	}
	alone := testing.AllocsPerRun(50, func() { Forecast(cal, p, asOf, g.measure, g.forecast, r.Actual, nil) })
	rr := c.rate(g.forecast)
	kept := testing.AllocsPerRun(50, func() { forecastAt(cal, p, asOf, g.measure, g.forecast, r.Actual, nil, rr) })
	if kept >= alone {
		t.Errorf("a forecast with the run rate kept allocates %v times, alone %v", kept, alone)
	}
}
