package goal

import (
	"time"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// ForecastMethod names how a forecast was made; reports carry it next to the
// number.
type ForecastMethod string

// The forecast methods.
const (
	// RunRateWorkdays: actual / (working days elapsed / working days in the
	// period), the current working day counting by its elapsed part.
	RunRateWorkdays ForecastMethod = "run_rate_workdays"
	// RunRateCalendar: actual / (calendar time elapsed / length of the period).
	RunRateCalendar ForecastMethod = "run_rate_calendar"
	// SeasonalShare: actual / (the share of the total that earlier periods
	// had reached at this point).
	SeasonalShare ForecastMethod = "seasonal"
	// CurrentLevel: a level (a rate, an average) is forecast to stay where
	// it is.
	CurrentLevel ForecastMethod = "current_level"
	// Probabilistic: the median of the final values drawn from earlier
	// periods' daily increments (see ChanceDef and package forecast).
	Probabilistic ForecastMethod = "probabilistic"
	// Final: the period is over; the forecast is the actual.
	Final ForecastMethod = "final"
)

// Forecast returns the forecast value at the end of the period p made at the
// instant t from actual, and the method used. A cumulative forecast is
// undefined while no time (no working time, for the workdays basis) of the
// period has passed, and a seasonal one without a profile (or whose profile
// has reached nothing yet) falls back to working days. It is undefined as
// well when the quotient has no decimal's 32-bit exponent (an actual a host
// passes with an exponent near ±2^31; a plan's values and its events' have
// exponents within ±10000).
func Forecast(cal *period.Calendar, p period.Period, t time.Time, m Measure, basis ForecastBasis, actual decimal.NullDecimal, pr *forecast.Profile) (decimal.NullDecimal, ForecastMethod) {
	var rr runRate
	return forecastAt(cal, p, t, m, basis, actual, pr, &rr)
}

// runRate is the elapsed fraction of a period at an instant that a
// run-rate forecast divides by, its terms as decimals: the same for every
// row of the period at the instant (clocked keeps one by basis).
type runRate struct {
	done     bool // computed
	num, den decimal.Decimal
	zero     bool // no time has passed: no forecast
}

// forecastAt is Forecast with the run rate of p at t of its basis in rr,
// which it computes unless it was.
func forecastAt(cal *period.Calendar, p period.Period, t time.Time, m Measure, basis ForecastBasis, actual decimal.NullDecimal, pr *forecast.Profile, rr *runRate) (decimal.NullDecimal, ForecastMethod) {
	_, end := cal.Bounds(p)
	if !t.Before(end) {
		return actual, Final
	}
	if m == Level {
		return actual, CurrentLevel
	}
	if basis == ForecastSeasonal && pr != nil {
		if s, ok := pr.Share(cal.Elapsed(p, t, period.CalendarTime)); ok && s.Sign() > 0 {
			if !actual.Valid {
				return actual, SeasonalShare
			}
			q, ok := decimalx.Div(actual.Decimal, s)
			return decimal.NullDecimal{Decimal: q, Valid: ok}, SeasonalShare
		}
	}
	b, method := period.WorkingTime, RunRateWorkdays
	if basis == ForecastCalendar {
		b, method = period.CalendarTime, RunRateCalendar
	}
	if !rr.done {
		f := cal.Elapsed(p, t, b)
		*rr = runRate{done: true, zero: f.Num == 0}
		if !rr.zero {
			rr.num, rr.den = decimal.NewFromInt(f.Num), decimal.NewFromInt(f.Den)
		}
	}
	if !actual.Valid || rr.zero {
		return decimal.NullDecimal{}, method
	}
	// f.Num != 0: ok is false only for an actual with an exponent near
	// ±2^31, whose quotient's last digit has no 32-bit exponent.
	q, ok := decimalx.Div(actual.Decimal.Mul(rr.den), rr.num)
	return decimal.NullDecimal{Decimal: q, Valid: ok}, method
}

// fromStart reports whether a goal's expected value and forecast run from
// the value at the start of its instance rather than from 0: a cumulative
// goal on an indicator over a window (year to date, trailing), whose value
// does not start at 0 with the instance.
func (g *Goal) fromStart() bool {
	return g.windowed && g.measure == Cumulative && len(g.items) == 0
}

// startValue is the value of a fromStart goal at the start of the instance
// p (the events before it), read while p runs at v; invalid otherwise.
func (e *evaluator) startValue(g *Goal, sj subject, p period.Period, v variant) decimal.NullDecimal {
	if !g.fromStart() {
		return decimal.NullDecimal{}
	}
	start, end := e.cal.Bounds(p)
	if !v.asOf.After(start) || !v.asOf.Before(end) {
		return decimal.NullDecimal{}
	}
	at := start.Add(-time.Nanosecond)
	return e.f.value(g.view, variant{asOf: at, knownAt: v.knownAt}, g.def.Indicator, sj.pid, p)
}

// less is x − base, undefined when x is.
func less(x, base decimal.NullDecimal) decimal.NullDecimal {
	if !x.Valid {
		return x
	}
	return decimal.NewNullDecimal(x.Decimal.Sub(base.Decimal))
}

// fromBase is base + x, undefined when x is.
func fromBase(base, x decimal.NullDecimal) decimal.NullDecimal {
	if !x.Valid {
		return x
	}
	return decimal.NewNullDecimal(base.Decimal.Add(x.Decimal))
}
