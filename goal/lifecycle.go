package goal

import (
	"time"

	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// State is the lifecycle state of a goal instance for one participant:
//
//	draft → active → achieved | failed → closed
//
// A draft goal is defined but not in force. An active instance is running
// (or has not begun). It becomes achieved when its target is met (a
// cumulative higher-is-better goal may be achieved before its end; it becomes
// active again if a correction takes it back below the target) and failed
// when its period ends with the target not met, whether or not an event
// arrived. Closing freezes the result: a closed instance stays closed.
type State string

// The states.
const (
	StateDraft    State = "draft"
	StateActive   State = "active"
	StateAchieved State = "achieved"
	StateFailed   State = "failed"
	StateClosed   State = "closed"
)

// CanBecome reports whether the lifecycle allows the transition from s to t.
// Staying in the same state is allowed.
func (s State) CanBecome(t State) bool {
	if s == t {
		return true
	}
	switch s {
	case StateDraft:
		return t == StateActive
	case StateActive:
		return t == StateAchieved || t == StateFailed
	case StateAchieved:
		// A correction may take it back before the end, or to failed after.
		return t == StateActive || t == StateFailed || t == StateClosed
	case StateFailed:
		// A correction after the end may meet the target after all.
		return t == StateAchieved || t == StateClosed
	}
	return false
}

// stateOf is the lifecycle state of an instance from the goal's definition,
// its status and whether it is closed.
func stateOf(def State, st Status, closed bool) State {
	switch {
	case def == StateDraft:
		return StateDraft
	case closed:
		return StateClosed
	case st == Achieved:
		return StateAchieved
	case st == Failed:
		return StateFailed
	}
	return StateActive
}

// Record is the frozen, final result of a goal instance for one
// participant, made when the instance closes. Hosts store records and pass
// them back to later evaluations (Request.Records): a closed instance then
// reports its record, and a correction arriving later follows the goal's
// policy. Its JSON form is the record format. Target and Actual are the
// row's at ClosedAt, in the indicator's unit; Achievement is the row's
// uncapped achievement, a ratio (1 at the target), undefined where it has
// none.
type Record struct {
	Goal        string              `json:"goal"`
	Participant string              `json:"participant"`
	Kind        ParticipantKind     `json:"participant_kind"`
	PeriodStart date.Date           `json:"period_start"`
	PeriodEnd   date.Date           `json:"period_end"`
	ClosedAt    time.Time           `json:"closed_at"`
	Target      decimal.NullDecimal `json:"target"`
	Actual      decimal.NullDecimal `json:"actual"`
	Achievement decimal.NullDecimal `json:"achievement"`
	Status      Status              `json:"status"`
	// NextTarget is the target the next-target rule set for the next
	// instance, when the goal has one.
	NextTarget decimal.NullDecimal `json:"next_target"`
}

func (r *Record) key() recordKey {
	return recordKey{goal: r.Goal, participant: r.Participant, start: r.PeriodStart, end: r.PeriodEnd}
}

type recordKey struct {
	goal, participant string
	start, end        date.Date
}

// Closing is the outcome of closing a period of a goal: a record per
// participant, the next instance with its targets, and the period_closed
// notifications.
type Closing struct {
	Goal          string
	Period        period.Period
	Label         string
	ClosedAt      time.Time
	Records       []Record
	Next          *NextInstance
	Notifications []Notification
}

// NextInstance is the instance a closing opens: the next period of a
// recurring goal, with each participant's target.
type NextInstance struct {
	Period  period.Period
	Label   string
	Targets []ParticipantTarget
}

// ParticipantTarget is one participant's target.
type ParticipantTarget struct {
	Participant string              `json:"participant"`
	Target      decimal.NullDecimal `json:"target"`
}

// Correction is a change to the result of a closed instance that arrived
// after it closed. Under the freeze policy it is reported and not applied
// (Applied false: the row keeps the record); under restate it is applied and
// the row shows After.
type Correction struct {
	Goal        string
	Participant string
	// ParticipantKind is the participant's kind, which tells a user from a
	// team of the same id; empty where unknown (a correction read back from
	// JSON, which does not carry it).
	ParticipantKind ParticipantKind
	Period          string
	PeriodStart     date.Date
	PeriodEnd       date.Date
	Policy          Policy
	ClosedAt        time.Time
	Before          Outcome
	After           Outcome
	Applied         bool
}

// Outcome is a result: target, actual, achievement (uncapped, a ratio)
// and status, as a Record holds them.
type Outcome struct {
	Target      decimal.NullDecimal
	Actual      decimal.NullDecimal
	Achievement decimal.NullDecimal
	Status      Status
}

func (o Outcome) equal(p Outcome) bool {
	return nullEqual(o.Target, p.Target) && nullEqual(o.Actual, p.Actual) && o.Status == p.Status
}

func nullEqual(a, b decimal.NullDecimal) bool {
	if a.Valid != b.Valid {
		return false
	}
	return !a.Valid || a.Decimal.Equal(b.Decimal)
}
