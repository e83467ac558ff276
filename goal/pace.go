package goal

import (
	"time"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// shareOf is the fraction f as a share.
func shareOf(f period.Fraction) forecast.Share {
	if f.Den == 0 {
		return forecast.Share{Num: decimal.Zero, Den: one}
	}
	return forecast.Share{Num: decimal.NewFromInt(f.Num), Den: decimal.NewFromInt(f.Den)}
}

// PaceFraction returns the share of a cumulative target that is expected by
// the instant t into the period p, by method: linear in calendar time, by
// working days, or following the profile (seasonal, read at the calendar
// fraction). A seasonal pace without a profile falls back to working days;
// the method used is returned.
func PaceFraction(cal *period.Calendar, p period.Period, t time.Time, method PaceMethod, pr *forecast.Profile) (forecast.Share, PaceMethod) {
	switch method {
	case PaceLinear:
		return shareOf(cal.Elapsed(p, t, period.CalendarTime)), PaceLinear
	case PaceSeasonal:
		if pr != nil {
			if s, ok := pr.Share(cal.Elapsed(p, t, period.CalendarTime)); ok {
				return forecast.Share{Num: s, Den: one}, PaceSeasonal
			}
		}
	}
	return shareOf(cal.Elapsed(p, t, period.WorkingTime)), PaceWorkdays
}

// Expected is the value expected by now: for a cumulative measure the
// target times the pace share, for a level the target itself. It is
// undefined when the target is, and when the product has no decimal's
// 32-bit exponent (a target a host passes with an exponent near ±2^31; a
// plan's values have exponents within ±10000), rather than 0.
func Expected(m Measure, target decimal.NullDecimal, share forecast.Share) decimal.NullDecimal {
	if !target.Valid || m == Level {
		return target
	}
	q, ok := share.Of(target.Decimal)
	return decimal.NullDecimal{Decimal: q, Valid: ok}
}

// fractionDecimal is f as an exact decimal when it terminates, else with
// decimalx's 16 significant digits.
func fractionDecimal(f period.Fraction) decimal.Decimal {
	// Two int64s, the denominator positive (shareOf's 1 for none): the
	// quotient's last digit is within 64 places of 10^0, ok is never false.
	q, _ := shareOf(f).Decimal()
	return q
}

var one = decimal.NewFromInt(1)
