package cascade

import (
	"errors"
	"fmt"

	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// Inherit gives every one of n parts the whole target: the split of a
// target that is not additive, such as a lower-is-better cost (≤ 500) or a
// conversion rate. n below 1 gives no parts.
func Inherit(target decimal.Decimal, n int) []decimal.Decimal {
	out := make([]decimal.Decimal, max(n, 0))
	for i := range out {
		out[i] = target
	}
	return out
}

// EvenWeights returns n weights of 1 (none for n below 1).
func EvenWeights(n int) []decimal.Decimal { return Inherit(decimal.NewFromInt(1), n) }

// DayWeights weighs periods by their length: calendar days, or working days
// of the calendar when working is set (check first that the calendar covers
// them: WorkCalendar.Check). A nil calendar counts working days as the
// default WorkCalendar does: Saturday and Sunday off, no holidays.
func DayWeights(cal *period.Calendar, parts []period.Period, working bool) []decimal.Decimal {
	var work *period.WorkCalendar
	if cal != nil {
		work = cal.WorkCalendar()
	}
	out := make([]decimal.Decimal, len(parts))
	for i, p := range parts {
		n := p.Days()
		if working {
			n = work.CountWorkdays(p.Start, p.End)
		}
		out[i] = decimal.NewFromInt(int64(n))
	}
	return out
}

// TimeSplit splits a target over the periods of grain g in p (clipped to p,
// as Calendar.Split lays them out) by calendar days or working days
// (method CalendarDays, WorkingDays or Even): the `goalkit split` of a
// target over time. By working days it fails with a *period.OutsideError,
// wrapped, when p has a date outside the calendar's years. places is 0..9,
// as a cascade's. Its errors name p, by its dates where it is no whole period
// of its grain (a part that Split clipped): one that holds no period of g, no
// working day, or a total that is not a whole number of units of places.
func TimeSplit(cal *period.Calendar, p period.Period, g period.Grain, total decimal.Decimal, method Method, places int) ([]period.Period, []decimal.Decimal, error) {
	if places < 0 || places > 9 {
		// Beyond int32 it wrapped: 2^32+2 places split to 2.
		return nil, nil, fmt.Errorf("split: places must be 0..9, got %d", places)
	}
	if cal == nil {
		return nil, nil, fmt.Errorf("split: no calendar")
	}
	parts := cal.Split(p, g)
	if len(parts) == 0 {
		return nil, nil, fmt.Errorf("split: %s holds no %s period", label(cal, p), g)
	}
	var w []decimal.Decimal
	switch method {
	case Even:
		w = EvenWeights(len(parts))
	case CalendarDays:
		w = DayWeights(cal, parts, false)
	case WorkingDays:
		if err := cal.WorkCalendar().Check(p.Start, p.End); err != nil {
			return nil, nil, fmt.Errorf("split: the working days of %s: %w", label(cal, p), err)
		}
		w = DayWeights(cal, parts, true)
	default:
		return nil, nil, fmt.Errorf("split: %s is not a split over time by the calendar", method)
	}
	vals, err := score.Split(total, w, int32(places))
	switch {
	case errors.Is(err, score.ErrZeroWeights):
		return nil, nil, fmt.Errorf("split: %s has no working day to split %s over", label(cal, p), total)
	case err != nil:
		return nil, nil, fmt.Errorf("%s: %w", label(cal, p), err)
	}
	return parts, vals, nil
}

// label is p's label, or its dates where it is no whole period of the
// calendar: without a grain, or a part of one (the weekend of a week as
// Split clips it), which the label of its grain's period misnamed.
func label(cal *period.Calendar, p period.Period) string {
	if p.Grain.IsZero() || clipped(cal, p) {
		return fmt.Sprintf("[%s, %s)", p.Start, p.End)
	}
	return cal.Label(p)
}
