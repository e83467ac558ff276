package goal

import (
	"time"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
)

// Profile is the seasonal shape of a period learned from earlier periods:
// how much of its final total a period has reached at each point of it. It
// is learned from the daily values of each earlier period; the share reached
// a fraction x into a period is the mean, over the earlier periods, of the
// share they had reached at the same fraction of their length, the current
// day counting by its elapsed part. Periods whose total is not positive
// teach nothing.
type Profile struct {
	periods [][]decimal.Decimal // daily values of each usable earlier period
	totals  []decimal.Decimal
}

// LearnProfile learns a profile from the daily values of earlier periods,
// one slice per period. ok is false when no period has a positive total.
func LearnProfile(daily ...[]decimal.Decimal) (Profile, bool) {
	var pr Profile
	for _, days := range daily {
		if len(days) == 0 {
			continue
		}
		total := decimal.Zero
		for _, v := range days {
			total = total.Add(v)
		}
		if total.Sign() <= 0 {
			continue
		}
		pr.periods = append(pr.periods, days)
		pr.totals = append(pr.totals, total)
	}
	return pr, len(pr.periods) > 0
}

// Periods is how many earlier periods the profile learned from.
func (pr Profile) Periods() int { return len(pr.periods) }

// Share returns the share of the final total reached a fraction x into a
// period, in [0, 1] when no earlier day was negative; ok is false for an
// empty profile.
func (pr Profile) Share(x period.Fraction) (decimal.Decimal, bool) {
	if len(pr.periods) == 0 || x.Den <= 0 {
		return decimal.Decimal{}, false
	}
	if x.Num >= x.Den {
		return one, true
	}
	sum := decimal.Zero
	den := decimal.NewFromInt(x.Den)
	for j, days := range pr.periods {
		n := int64(len(days))
		pos := x.Num * n // position in days, times x.Den
		i := pos / x.Den
		rem := pos % x.Den
		cum := decimal.Zero
		for k := int64(0); k < i && k < n; k++ {
			cum = cum.Add(days[k])
		}
		if i < n && rem > 0 {
			part, _ := decimalx.Div(days[i].Mul(decimal.NewFromInt(rem)), den)
			cum = cum.Add(part)
		}
		s, _ := decimalx.Div(cum, pr.totals[j])
		sum = sum.Add(s)
	}
	mean, _ := decimalx.Div(sum, decimal.NewFromInt(int64(len(pr.periods))))
	return mean, true
}

// Share is an exact ratio Num/Den in [0, 1]: the part of a cumulative
// target expected by an instant.
type Share struct {
	Num, Den decimal.Decimal
}

// Decimal returns the share as a decimal (exact when it terminates, else 16
// significant digits).
func (s Share) Decimal() decimal.Decimal {
	q, ok := decimalx.Div(s.Num, s.Den)
	if !ok {
		return decimal.Zero
	}
	return q
}

// Of returns x times the share, divided last so that it is exact when it can
// be.
func (s Share) Of(x decimal.Decimal) decimal.Decimal {
	q, ok := decimalx.Div(x.Mul(s.Num), s.Den)
	if !ok {
		return decimal.Zero
	}
	return q
}

func shareOf(f period.Fraction) Share {
	if f.Den == 0 {
		return Share{Num: decimal.Zero, Den: one}
	}
	return Share{Num: decimal.NewFromInt(f.Num), Den: decimal.NewFromInt(f.Den)}
}

// PaceFraction returns the share of a cumulative target that is expected by
// the instant t into the period p, by method: linear in calendar time, by
// working days, or following the profile (seasonal, read at the calendar
// fraction). A seasonal pace without a profile falls back to working days;
// the method used is returned.
func PaceFraction(cal *period.Calendar, p period.Period, t time.Time, method PaceMethod, pr *Profile) (Share, PaceMethod) {
	switch method {
	case PaceLinear:
		return shareOf(cal.Elapsed(p, t, period.CalendarTime)), PaceLinear
	case PaceSeasonal:
		if pr != nil {
			if s, ok := pr.Share(cal.Elapsed(p, t, period.CalendarTime)); ok {
				return Share{Num: s, Den: one}, PaceSeasonal
			}
		}
	}
	return shareOf(cal.Elapsed(p, t, period.WorkingTime)), PaceWorkdays
}

// Expected is the value expected by now: for a cumulative measure the
// target times the pace share, for a level the target itself.
func Expected(m Measure, target decimal.NullDecimal, share Share) decimal.NullDecimal {
	if !target.Valid || m == Level {
		return target
	}
	return decimal.NewNullDecimal(share.Of(target.Decimal))
}

// fractionDecimal is f as an exact decimal when it terminates, else with
// decimalx's 16 significant digits.
func fractionDecimal(f period.Fraction) decimal.Decimal {
	return shareOf(f).Decimal()
}

var one = decimal.NewFromInt(1)
