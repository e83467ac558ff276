package goal

import (
	"time"

	"github.com/goalkit/goalkit/forecast"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// ParticipantKind is what a participant is.
type ParticipantKind string

// The participant kinds.
const (
	User    ParticipantKind = "user"
	Team    ParticipantKind = "team"
	Company ParticipantKind = "company"
)

// Row is the progress of one goal instance for one participant at an
// instant: a goal × participant × period row of a report.
type Row struct {
	Goal        string
	Name        string
	Participant string
	Kind        ParticipantKind
	// Visibility is the goal's visibility setting.
	Visibility Visibility
	// Members are the users a team row counts, sorted.
	Members []string
	Period  period.Period
	Label   string
	// Date is the local date of the evaluation's instant (Result.AsOf;
	// the instant itself is the result's alone, so that a row of a period
	// over stays the same row from one instant to the next).
	Date      date.Date
	State     State
	Direction score.Direction
	Measure   Measure
	// Started and Ended say whether the period has begun and is over.
	Started, Ended bool

	// Target and Actual are in the indicator's unit (a checklist's: the
	// weight of its items, done for Actual); either is undefined
	// where it has no value (a target formula over an undefined value, an
	// average of no events).
	Target decimal.NullDecimal
	Actual decimal.NullDecimal
	// Achievement is Actual against Target (score.Achieve): ratios, 1 at
	// the target, not percents.
	Achievement score.Achievement
	// Remaining is what is left to reach the target in the goal's
	// direction, 0 once it is met (score.Remaining).
	Remaining decimal.NullDecimal
	// Elapsed is the fraction of the period's calendar time that has passed.
	Elapsed decimal.Decimal
	// TimeLeft is the time until the end of the period.
	TimeLeft time.Duration
	// DaysLeft and WorkdaysLeft count the local days (working days) from
	// AsOf's date, included, to the end of the period.
	DaysLeft     int
	WorkdaysLeft int
	// Expected is the value expected by now, by Pace.
	Expected decimal.NullDecimal
	Pace     PaceMethod
	// Forecast is the value forecast for the end of the period by
	// ForecastMethod (see Forecast); undefined while Actual is, or while
	// none of the period's time (working time, by workdays) has passed.
	Forecast       decimal.NullDecimal
	ForecastMethod ForecastMethod
	// Chance is the probabilistic forecast, for goals that ask for it.
	Chance forecast.Chance
	Status Status
	// Milestones are the milestones reached, as written in the goal.
	Milestones []string
	// Previous is the actual of the period before, YearAgo of the same
	// period a year before (both whole periods), and the deltas are
	// Actual minus them.
	Previous      decimal.NullDecimal
	DeltaPrevious decimal.NullDecimal
	YearAgo       decimal.NullDecimal
	DeltaYearAgo  decimal.NullDecimal
	// Rank is the participant's rank among the participants of the same
	// kind in the goal's period, by achievement; 0 when unranked.
	Rank int
	// Items is the checklist of a qualitative goal.
	Items []ItemProgress
	// Series is the daily cumulative actual against plan, when asked for.
	Series []Point
	// ClosedAt is when the instance closed, for a closed one.
	ClosedAt time.Time
	// AchievedAt, when the request asked for it, is the instant an
	// achieved row met its target for good: the time of the event after
	// which its actual met the target and kept meeting it (the instance's
	// start when it met it with no event). It is set for the goals that
	// can be achieved before their end: a cumulative, higher-is-better
	// measure of an event indicator or a checklist. The actual is accrued
	// as the indicator aggregates: a median's or percentile's is the
	// running percentile of the values so far, interpolated as kpi does
	// (percentile_cont), an average's their running mean. Zero otherwise:
	// a goal judged at its end (a level, lower is better, a formula) has no
	// such instant.
	AchievedAt time.Time

	nextTarget decimal.NullDecimal // Set.Close
}

// ItemProgress is the state of one checklist item.
type ItemProgress struct {
	ID     string
	Name   string
	Weight decimal.Decimal
	Manual bool
	// Count is how many matching events there are (0 for a manual item).
	Count int64
	Done  bool
}

// Point is one day of a series: the actual at the end of the day (as of the
// evaluation for its last day) and the plan (expected) for the same instant.
type Point struct {
	Date   date.Date
	Actual decimal.NullDecimal
	Plan   decimal.NullDecimal
}

func delta(a, b decimal.NullDecimal) decimal.NullDecimal {
	if !a.Valid || !b.Valid {
		return decimal.NullDecimal{}
	}
	return decimal.NewNullDecimal(a.Decimal.Sub(b.Decimal))
}
