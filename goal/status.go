package goal

import (
	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// Status is where a goal instance stands for one participant at an instant.
type Status string

// The statuses.
const (
	// NotStarted: the period has not begun, or there is nothing to judge
	// yet (a level such as cost per lead with no lead so far, or no target).
	NotStarted Status = "not_started"
	// OnTrack: the forecast reaches the target (forecast achievement ≥
	// Thresholds.OnTrack).
	OnTrack Status = "on_track"
	// AtRisk: the forecast falls short, but not by much (≥ Thresholds.AtRisk).
	AtRisk Status = "at_risk"
	// OffTrack: the forecast falls well short.
	OffTrack Status = "off_track"
	// Achieved: the target is met, at the end of the period, or before it
	// for a cumulative higher-is-better goal. Such a value can still fall
	// back (a refund, a deal retracted): the row is then classified again,
	// and a tracker that told the achievement revokes it
	// (NotifyAchievementRevoked).
	Achieved Status = "achieved"
	// Failed: the period ended with the target not met. A goal fails at its
	// end whether or not an event arrived.
	Failed Status = "failed"
)

// The default thresholds: on track from a forecast achievement of 1, at
// risk from 0.8.
var (
	defaultOnTrack = decimal.NewFromInt(1)
	defaultAtRisk  = decimal.RequireFromString("0.8")
)

// StatusInput is what Classify judges.
type StatusInput struct {
	Direction score.Direction
	Measure   Measure
	// Started and Ended say whether the period has begun and is over at the
	// instant judged.
	Started, Ended bool
	Actual         decimal.NullDecimal
	Target         decimal.NullDecimal
	// Forecast is the forecast value at the end of the period (for a level,
	// the current value).
	Forecast decimal.NullDecimal
	// OnTrack and AtRisk are the thresholds; zero values mean the defaults.
	OnTrack, AtRisk decimal.Decimal
	// Chance is the probability of reaching the target. When it is valid
	// and ChanceAtRisk is above 0, a running goal is judged by it instead of
	// the forecast: on_track from ChanceAtRisk, at_risk from ChanceOffTrack,
	// off_track below.
	Chance                       decimal.NullDecimal
	ChanceAtRisk, ChanceOffTrack decimal.Decimal
}

// Classify returns the status of a goal instance. It is a pure function of
// its input. The forecast's achievement and the chance meet the thresholds
// by orders of magnitude first (decimalx.Cmp): a forecast near 10^±2^31 a
// host passes is judged at once.
func Classify(in StatusInput) Status {
	if !in.Started {
		return NotStarted
	}
	// (score.Achieve's Met: its ratio, a division, is not read here.)
	met := met(in.Direction, in.Actual, in.Target)
	if in.Ended {
		if met {
			return Achieved
		}
		return Failed
	}
	if !in.Target.Valid {
		return NotStarted
	}
	if in.Measure != Level && in.Direction != score.LowerIsBetter && met {
		return Achieved
	}
	if in.Measure == Level && !in.Actual.Valid {
		return NotStarted
	}
	if in.Chance.Valid && in.ChanceAtRisk.Sign() > 0 {
		switch {
		case decimalx.Cmp(in.Chance.Decimal, in.ChanceAtRisk) >= 0:
			return OnTrack
		case decimalx.Cmp(in.Chance.Decimal, in.ChanceOffTrack) >= 0:
			return AtRisk
		}
		return OffTrack
	}
	r, inf, ok := ratio(in.Direction, in.Forecast, in.Target)
	if !ok || inf {
		return OnTrack
	}
	onTrack, atRisk := in.OnTrack, in.AtRisk
	if onTrack.IsZero() {
		onTrack = defaultOnTrack
	}
	if atRisk.IsZero() {
		atRisk = defaultAtRisk
	}
	switch {
	case decimalx.Cmp(r, onTrack) >= 0:
		return OnTrack
	case decimalx.Cmp(r, atRisk) >= 0:
		return AtRisk
	}
	return OffTrack
}

// behind reports whether a status means the goal is not on its way.
func behind(s Status) bool { return s == AtRisk || s == OffTrack }
