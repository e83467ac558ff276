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
// has reached nothing yet) falls back to working days.
func Forecast(cal *period.Calendar, p period.Period, t time.Time, m Measure, basis ForecastBasis, actual decimal.NullDecimal, pr *forecast.Profile) (decimal.NullDecimal, ForecastMethod) {
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
			q, _ := decimalx.Div(actual.Decimal, s)
			return decimal.NewNullDecimal(q), SeasonalShare
		}
	}
	b, method := period.WorkingTime, RunRateWorkdays
	if basis == ForecastCalendar {
		b, method = period.CalendarTime, RunRateCalendar
	}
	f := cal.Elapsed(p, t, b)
	if !actual.Valid || f.Num == 0 {
		return decimal.NullDecimal{}, method
	}
	q, _ := decimalx.Div(actual.Decimal.Mul(decimal.NewFromInt(f.Den)), decimal.NewFromInt(f.Num))
	return decimal.NewNullDecimal(q), method
}
