package cascade

import (
	"github.com/goalkit/goalkit/internal/deepcopy"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// Def defines a cascade: a tree of targets on an indicator, from a root
// (usually the company over a year) down through units, people and finer
// periods. It is a plain value with json tags (the `cascades` section of a
// plan file): hosts store and version it.
type Def struct {
	// ID identifies the cascade: [a-z][a-z0-9_]*, unique in the plan.
	ID   string `json:"id"`
	Name string `json:"name,omitempty"`
	// Indicator is the plan indicator every node measures unless the node
	// names its own.
	Indicator string `json:"indicator"`
	// Direction is higher (the default) or lower. A lower-is-better target
	// (cost ≤ 500) is not split: every child inherits its parent's.
	Direction score.Direction `json:"direction,omitempty"`
	// Places is the number of decimal places targets are split to: every
	// part is a whole number of such units. Default: 0 for count
	// indicators, 2 for the rest.
	Places *int `json:"places,omitempty"`
	// Rollup is how a node's achievement comes from its subtree: measure
	// (the default: the node's own actual, evaluated from the events of its
	// whole subtree), weights (the children's achievements weighted by their
	// declared weights) or target_share (weighted by their targets).
	Rollup Rollup `json:"rollup,omitempty"`
	// Root is the top of the tree.
	Root NodeDef `json:"root"`
}

// NodeDef is one node of a cascade: a participant (the company, a unit of the
// host's Directory or a user) over a period, with a target that is either
// declared or split down from the parent.
type NodeDef struct {
	// ID names the node in reports; default: the participant and the
	// period label, such as "sales 2025-Q1".
	ID string `json:"id,omitempty"`
	// Unit and User name the participant; with neither, it is the company.
	Unit string `json:"unit,omitempty"`
	User string `json:"user,omitempty"`
	// Period is a period label (2025, 2025-Q2, 2025-03, 2025-W14,
	// 2025-03-14); default the parent's period. It must lie within the
	// parent's.
	Period string `json:"period,omitempty"`
	// Indicator overrides the cascade's indicator for this node (and its
	// subtree); a node whose indicator differs from its parent's rolls up
	// through achievement only (rollup weights or target_share).
	Indicator string `json:"indicator,omitempty"`
	// Target is the node's declared target. A child without one gets its
	// share of the parent's target under the parent's split rule.
	Target *decimal.Decimal `json:"target,omitempty"`
	// Weight is the node's weight in its parent's split (by weights or
	// capacity, where the split's own weights by key come first) and in a
	// weighted roll-up. Without it a node weighs 1, but in a split by
	// weights, where it gets no share (an issue says so). One that nothing
	// reads is a warning of Set.Lint.
	Weight *decimal.Decimal `json:"weight,omitempty"`
	// Split says how the node's target is shared among its children.
	Split *SplitDef `json:"split,omitempty"`
	// Children are the declared children. A split with `into` generates
	// further children after them, but none that one of them already is
	// (which, without a split or children of its own, takes Then).
	Children []NodeDef `json:"children,omitempty"`
}

// SplitDef is how a target is shared among children. The parts of an
// additive target (a count or a sum, higher is better) add back to the whole
// exactly, in whole units of the cascade's places (largest remainder).
type SplitDef struct {
	// By is the rule: even, weights, history, capacity, calendar_days,
	// working_days or seasonal.
	By Method `json:"by"`
	// Into generates the children: a grain finer than the node's period
	// (week, month, quarter, day: the node's period split into such
	// periods, clipped to it), units (the units directly below the node's
	// unit, or the top units for the company) or members (the users of the
	// node's unit during its period).
	Into string `json:"into,omitempty"`
	// Weights are the children's weights by key (a unit or user id, or a
	// period label), for by: weights and by: capacity. With by: capacity a
	// missing key weighs 1 (a full-time person); with by: weights it is an
	// error.
	Weights map[string]decimal.Decimal `json:"weights,omitempty"`
	// History is the period label whose actuals give the shares of by:
	// history; default the period before the node's (2024 for 2025). Time
	// children take the actuals of the history's sub-periods in their
	// places.
	History string `json:"history,omitempty"`
	// Profile is the seasonality profile of by: seasonal: one weight per
	// child, in order (twelve for the months of a year; the parts of a
	// split over time each in its place).
	Profile []decimal.Decimal `json:"profile,omitempty"`
	// Then is how each generated child splits further.
	Then *SplitDef `json:"then,omitempty"`
}

// Method is a split rule.
type Method string

// The split rules.
const (
	Even         Method = "even"
	Weights      Method = "weights"
	History      Method = "history"
	Capacity     Method = "capacity"
	CalendarDays Method = "calendar_days"
	WorkingDays  Method = "working_days"
	Seasonal     Method = "seasonal"
)

// Methods returns every split rule.
func Methods() []Method {
	return []Method{Even, Weights, History, Capacity, CalendarDays, WorkingDays, Seasonal}
}

// Rollup is how a node's achievement comes from its subtree.
type Rollup string

// The roll-ups.
const (
	Measure     Rollup = "measure"
	ByWeights   Rollup = "weights"
	TargetShare Rollup = "target_share"
)

// The generated children of Into besides a grain.
const (
	IntoUnits   = "units"
	IntoMembers = "members"
)

// clone returns a copy of d that shares nothing with it (deepcopy.Of): a
// compiled Set keeps its own, so the host may change or reuse its
// definitions.
func (d Def) clone() Def { return deepcopy.Of(d) }
