package goal

import (
	"fmt"
	"strings"

	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// Def defines a goal. It is a plain value with json tags (the `goals` section
// of a plan file): hosts store and version it.
//
// A goal is quantitative (Indicator, with a target) or qualitative
// (Checklist, a list of actions). Its Period is a fixed range or a
// recurrence; each period of it is an instance of the goal, measured for
// every participant.
type Def struct {
	// ID identifies the goal: [a-z][a-z0-9_]*, unique in the plan.
	ID          string `json:"id"`
	Name        string `json:"name,omitempty"`
	Description string `json:"description,omitempty"`
	// State is draft or active (the default). A draft goal is reported but
	// emits no notification.
	State State `json:"state,omitempty"`

	// Indicator is the id of the plan indicator the goal targets.
	Indicator string `json:"indicator,omitempty"`
	// Filter is a formula over the event (like an indicator's where) that
	// narrows the indicator for this goal: lead source, deal stage,
	// pipeline, responsible manager, product.
	Filter string `json:"filter,omitempty"`
	// Direction is higher (the default) or lower: whether a higher or a
	// lower value is better (cost per lead ≤ 500).
	Direction score.Direction `json:"direction,omitempty"`
	// Measure is cumulative (the value grows through the period: counts,
	// sums, checklists) or level (a rate or an average that is judged as it
	// stands: conversion, cost per lead, first response time). The default
	// follows the indicator: count, sum and distinct are cumulative, the rest
	// level.
	Measure Measure `json:"measure,omitempty"`

	// Target is the target value.
	Target *decimal.Decimal `json:"target,omitempty"`
	// TargetFormula computes the target of an instance from the goal's
	// indicators (`prev(revenue) * 1.25`); `target` in it is Target. When it
	// is undefined (no previous period yet), Target applies.
	TargetFormula string `json:"target_formula,omitempty"`
	// TargetByPeriod phases the target: a value per period label ("2025-03").
	TargetByPeriod map[string]decimal.Decimal `json:"target_by_period,omitempty"`
	// TargetByParticipant overrides the target for some participants (user
	// or team ids).
	TargetByParticipant map[string]decimal.Decimal `json:"target_by_participant,omitempty"`

	// Checklist makes the goal qualitative: a list of actions.
	Checklist []ItemDef `json:"checklist,omitempty"`

	// Period is when the goal runs.
	Period PeriodDef `json:"period"`
	// Participants are who is measured.
	Participants ParticipantsDef `json:"participants"`
	// Weight is the goal's share (percent) among a person's goals.
	Weight *decimal.Decimal `json:"weight,omitempty"`

	// Milestones are intermediate results: "25%" of the target or an
	// absolute value such as 40.
	Milestones []Milestone `json:"milestones,omitempty"`
	// Pace is how the expected-by-now value grows: linear (calendar time),
	// workdays (working days, the default) or seasonal (the profile of
	// earlier periods).
	Pace PaceMethod `json:"pace,omitempty"`
	// PaceHistory is how many earlier periods a seasonal profile learns from
	// (default 3).
	PaceHistory int `json:"pace_history,omitempty" plan:"positive"`
	// Forecast is how the value at the end of the period is forecast:
	// workdays (run rate by working days, the default), calendar (run rate by
	// calendar time), seasonal, or probabilistic (the median of Chance's
	// distribution; see docs/forecast.md).
	Forecast ForecastBasis `json:"forecast,omitempty"`
	// Chance asks for the probability of reaching the target and the
	// quantiles of the final value in every row, and may judge the status
	// by that probability. A probabilistic forecast implies it. Set, even
	// empty (chance: {}), it asks for the chance with the defaults of the
	// fields left out; nil asks for none.
	Chance *ChanceDef `json:"chance,omitempty"`
	// Thresholds set the limits of on_track and at_risk.
	Thresholds Thresholds `json:"thresholds,omitzero"`
	// Notify lists the notifications the goal emits.
	Notify []NotifyRule `json:"notify,omitempty"`
	// Close says how instances close.
	Close CloseDef `json:"close,omitzero"`
	// Visibility is who may see the goal's rows besides what the visibility
	// policy allows: "" (the policy), public or private.
	Visibility Visibility `json:"visibility,omitempty"`
}

// ItemDef is one action of a qualitative goal's checklist. It is done when
// Count events (default 1) of Kinds that pass Where are credited to the
// participant within the period, or, when Manual, when the host marks it.
type ItemDef struct {
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Kinds are the event kinds that do it. They may be left out when Where
	// names them (`kind == "training.completed"`).
	Kinds []string `json:"kinds,omitempty"`
	// Where is a formula over the event.
	Where string `json:"where,omitempty"`
	// Count is how many such events are needed (default 1).
	Count int `json:"count,omitempty" plan:"positive"`
	// Manual items are marked done by the host (see Mark).
	Manual bool `json:"manual,omitempty"`
	// Weight is the item's weight (default 1).
	Weight *decimal.Decimal `json:"weight,omitempty"`
}

// PeriodDef is a fixed range [From, To) of local dates, or, when Every is
// set, a recurrence: every Interval periods of the grain Every, starting with
// the one that contains From, until Until (exclusive) or for Count instances.
// A fixed range, and an occurrence of a recurrence with each period of its
// grain counted at its longest, last at most period.MaxDays days.
type PeriodDef struct {
	From  date.Date    `json:"from,omitzero"`
	To    date.Date    `json:"to,omitzero"`
	Every period.Grain `json:"every,omitzero"`
	// Interval is how many periods of Every one instance spans; 0 is 1.
	Interval int `json:"interval,omitempty" plan:"positive"`
	// Until (zero: no end) and Count (0: no limit) end a recurrence.
	Until date.Date `json:"until,omitzero"`
	Count int       `json:"count,omitempty" plan:"positive"`
}

// Every is the recurrence plan files write {from: FROM, every: GRAIN}: one
// period of grain g after another, from the period that contains from.
func Every(g period.Grain, from date.Date) PeriodDef { return PeriodDef{From: from, Every: g} }

// ParticipantsDef names who is measured: users, teams or departments (units
// of the host's Directory) and the whole company. For teams and the company,
// Mode shared (the default) sets one target for the group's total, computed
// from the members' events together, and Mode each sets the same target for
// every member.
type ParticipantsDef struct {
	Users   []string `json:"users,omitempty"`
	Teams   []string `json:"teams,omitempty"`
	Company bool     `json:"company,omitempty"`
	Mode    Mode     `json:"mode,omitempty"`
}

// Thresholds bound the statuses of a running goal by its forecast
// achievement (the forecast against the target, for the direction): on_track
// from OnTrack (default 1), at_risk from AtRisk (default 0.8), off_track
// below. A default gives way to the other, explicit threshold: AtRisk alone
// above 1 raises OnTrack to it, OnTrack alone below 0.8 lowers AtRisk to
// it. Both explicit, AtRisk must not be above OnTrack.
type Thresholds struct {
	OnTrack *decimal.Decimal `json:"on_track,omitempty"`
	AtRisk  *decimal.Decimal `json:"at_risk,omitempty"`
}

// CloseDef says how the instances of a goal close.
type CloseDef struct {
	// Auto closes every instance when it ends (plus AfterDays days of
	// grace): its state becomes closed and period_closed is emitted. The
	// result is frozen by the host's record of the close (Set.Close), which
	// later evaluations hold corrections against. AfterDays without Auto
	// is refused: nothing would read it.
	Auto      bool `json:"auto,omitempty"`
	AfterDays int  `json:"after_days,omitempty"`
	// Corrections is the policy for a correction that arrives after an
	// instance closed: freeze (the default) or restate.
	Corrections Policy `json:"corrections,omitempty"`
	// NextTarget sets the target of the next instance from the closed one:
	// `max(target, actual * 1.1)`.
	NextTarget string `json:"next_target,omitempty"`
}

// Measure is how a goal's value accrues over its period.
type Measure string

// The measures.
const (
	Cumulative Measure = "cumulative"
	Level      Measure = "level"
)

// Mode is how a group's target applies.
type Mode string

// The modes.
const (
	Shared Mode = "shared"
	Each   Mode = "each"
)

// Visibility widens or narrows who may see a goal.
type Visibility string

// The visibilities besides the default ("").
const (
	Public  Visibility = "public"
	Private Visibility = "private"
)

// Policy is what a correction to a closed instance does.
type Policy string

// The policies.
const (
	Freeze  Policy = "freeze"
	Restate Policy = "restate"
)

// PaceMethod is how expected-by-now grows through a period.
type PaceMethod string

// The pace methods.
const (
	PaceLinear   PaceMethod = "linear"
	PaceWorkdays PaceMethod = "workdays"
	PaceSeasonal PaceMethod = "seasonal"
)

// ForecastBasis is the time basis of a forecast.
type ForecastBasis string

// The forecast bases.
const (
	ForecastWorkdays ForecastBasis = "workdays"
	ForecastCalendar ForecastBasis = "calendar"
	ForecastSeasonal ForecastBasis = "seasonal"
	// ForecastProbabilistic: the median of the distribution of the final
	// value drawn from earlier periods (see ChanceDef).
	ForecastProbabilistic ForecastBasis = "probabilistic"
)

// Milestone is an intermediate result: a percent of the target ("25%") or
// an absolute value ("40"). In plan files it is a string or a number.
type Milestone struct {
	Percent bool
	Value   decimal.Decimal
}

// Percent is the milestone "p%" of the target, as plan files write it.
func Percent(p int64) Milestone { return Milestone{Percent: true, Value: decimal.NewFromInt(p)} }

// String returns the milestone as written: "25%" or "40".
func (m Milestone) String() string {
	if m.Percent {
		return m.Value.String() + "%"
	}
	return m.Value.String()
}

// MarshalText implements encoding.TextMarshaler.
func (m Milestone) MarshalText() ([]byte, error) { return []byte(m.String()), nil }

// UnmarshalText implements encoding.TextUnmarshaler: "25%" or "40".
func (m *Milestone) UnmarshalText(b []byte) error {
	s := strings.TrimSpace(string(b))
	num, pct := strings.CutSuffix(s, "%")
	d, err := decimal.NewFromString(strings.TrimSpace(num))
	if err != nil || num == "" {
		return fmt.Errorf("milestone %s is not a number or a percent such as \"25%%\"", display.QuoteID(s))
	}
	*m = Milestone{Percent: pct, Value: d}
	return nil
}

// ParseMilestone parses "25%" or "40".
func ParseMilestone(s string) (Milestone, error) {
	var m Milestone
	err := m.UnmarshalText([]byte(s))
	return m, err
}
