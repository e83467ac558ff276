package goal

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit/internal/decimalx"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
)

// NotifyKind is the kind of a notification. Each kind's constant is named
// after its wire value: NotifyMilestoneReached is "milestone_reached".
type NotifyKind string

// The notification kinds.
const (
	// NotifyMilestoneReached: a milestone was reached.
	NotifyMilestoneReached NotifyKind = "milestone_reached"
	// NotifyAchieved: the target was met.
	NotifyAchieved NotifyKind = "achieved"
	// NotifyAtRisk: the goal fell behind: its status became at_risk or
	// off_track, or, with the rule's threshold, its forecast achievement fell
	// below it.
	NotifyAtRisk NotifyKind = "at_risk"
	// NotifyBackOnTrack: a goal that was behind is on track again.
	NotifyBackOnTrack NotifyKind = "back_on_track"
	// NotifyDeadlineApproaching: the end of the period is the rule's Days
	// away or closer, and the target is not met.
	NotifyDeadlineApproaching NotifyKind = "deadline_approaching"
	// NotifyDailyDigest: the progress of a running goal, once a local day.
	NotifyDailyDigest NotifyKind = "daily_digest"
	// NotifyFailed: the period ended with the target not met (the status
	// became failed), whether or not an event arrived.
	NotifyFailed NotifyKind = "failed"
	// NotifyPeriodClosed: the instance closed; the notification carries the
	// final result.
	NotifyPeriodClosed NotifyKind = "period_closed"
	// NotifyRestated: a correction changed the result of a closed instance
	// whose policy is restate. It is emitted by evaluation, not by rules.
	NotifyRestated NotifyKind = "restated"
	// NotifyAchievementRevoked: a live tracker emitted the achieved
	// notification of an instance that is no longer achieved (a retraction
	// or a correction took it back). It is emitted by Set.Tick, not by
	// rules, once: its key is its kind, "|", and the key of the achieved
	// notification it takes back.
	NotifyAchievementRevoked NotifyKind = "achievement_revoked"
)

// notifyKinds lists the kinds a rule may name.
var notifyKinds = []NotifyKind{NotifyMilestoneReached, NotifyAchieved, NotifyAtRisk, NotifyBackOnTrack,
	NotifyDeadlineApproaching, NotifyDailyDigest, NotifyFailed, NotifyPeriodClosed}

// NotifyKinds returns the kinds a rule may name, in the order notifications
// are listed.
func NotifyKinds() []NotifyKind { return slices.Clone(notifyKinds) }

// defaultDeadlineDays is how many days before the end deadline_approaching
// fires when its rule does not say.
const defaultDeadlineDays = 3

// NotifyRule asks for notifications of one kind.
type NotifyRule struct {
	On NotifyKind `json:"on"`
	// Days is, for deadline_approaching, how many days before the end
	// (default 3).
	Days int `json:"days,omitempty" plan:"positive"`
	// Threshold is, for at_risk and back_on_track, the forecast achievement
	// below which the goal is behind (default: the goal's status).
	Threshold decimal.NullDecimal `json:"threshold,omitzero"`
}

// Notification is a typed message for the host to deliver. Key is its
// idempotency key: the same transition always gives the same key, so a host
// that remembers delivered keys delivers each notification once.
type Notification struct {
	Key         string
	Kind        NotifyKind
	Goal        string
	Participant string
	// ParticipantKind is the participant's kind, which tells a user from a
	// team of the same id; empty where unknown (a notification read back
	// from JSON, which does not carry it).
	ParticipantKind ParticipantKind
	Period          string // label, such as 2025-03
	// PeriodStart and PeriodEnd bound the period: [start, end).
	PeriodStart date.Date
	PeriodEnd   date.Date
	// At is the instant of the evaluation that saw the transition.
	At     time.Time
	Status Status
	// Milestone is, for milestone_reached, the milestone as the goal
	// writes it ("75%"); "" otherwise.
	Milestone string
	// Actual, Target, Forecast and DaysLeft are the row's at At (Row):
	// in the indicator's unit, DaysLeft in local days (for restated, the
	// corrected result's Actual and Target alone).
	Actual   decimal.NullDecimal
	Target   decimal.NullDecimal
	Forecast decimal.NullDecimal
	DaysLeft int
	// Before is, for restated, the closed result that was replaced.
	Before  decimal.NullDecimal
	Message string
}

// Notify returns the notifications that the change from prev to next emits,
// under the rules: a pure function of its arguments, so the live tracker and
// batch evaluation agree. prev nil means nothing was known before (the
// instance had not started for anyone). Notifications fire on transitions
// only: a state that does not change emits nothing, whatever the number of
// evaluations. A draft goal emits nothing. at is the instant of next (the
// AsOf of its evaluation), each notification's At.
func Notify(rules []NotifyRule, prev *Row, next *Row, at time.Time) []Notification {
	if next == nil || next.State == StateDraft || len(rules) == 0 {
		return nil
	}
	var zero Row
	if prev == nil {
		zero = Row{Status: NotStarted, State: StateActive, DaysLeft: -1}
		prev = &zero
	}
	inPeriod := func(r *Row) bool { return r.Started && !r.Ended }
	var out []Notification
	emit := func(k NotifyKind, detail string) {
		out = append(out, next.notification(k, detail, at))
	}
	closed := next.State == StateClosed
	for _, rule := range rules {
		switch rule.On {
		case NotifyMilestoneReached:
			if closed && prev.State == StateClosed {
				continue
			}
			for _, m := range next.Milestones {
				if !containsString(prev.Milestones, m) {
					emit(NotifyMilestoneReached, m)
				}
			}
		case NotifyAchieved:
			if next.Status == Achieved && prev.Status != Achieved && !(closed && prev.State == StateClosed) {
				emit(NotifyAchieved, "")
			}
		case NotifyAtRisk, NotifyBackOnTrack:
			if closed {
				continue
			}
			isBehind := func(r *Row) bool {
				if !inPeriod(r) || r.Status == Achieved {
					return false
				}
				if rule.Threshold.Valid {
					q, inf, ok := ratio(r.Direction, r.Forecast, r.Target)
					return ok && !inf && decimalx.Cmp(q, rule.Threshold.Decimal) < 0
				}
				return behind(r.Status)
			}
			pb, nb := isBehind(prev), isBehind(next)
			if rule.On == NotifyAtRisk && nb && !pb {
				emit(NotifyAtRisk, next.Date.String())
			}
			if rule.On == NotifyBackOnTrack && pb && !nb && inPeriod(next) {
				emit(NotifyBackOnTrack, next.Date.String())
			}
		case NotifyDeadlineApproaching:
			days := rule.Days
			if days <= 0 {
				days = defaultDeadlineDays
			}
			near := func(r *Row) bool {
				return inPeriod(r) && r.Status != Achieved && r.DaysLeft >= 0 && r.DaysLeft <= days
			}
			if !closed && near(next) && !near(prev) && (prev.DaysLeft < 0 || prev.DaysLeft > days || !inPeriod(prev)) {
				emit(NotifyDeadlineApproaching, fmt.Sprint(days))
			}
		case NotifyDailyDigest:
			if !closed && inPeriod(next) && prev.Date < next.Date {
				emit(NotifyDailyDigest, next.Date.String())
			}
		case NotifyFailed:
			if next.Status == Failed && prev.Status != Failed && !(closed && prev.State == StateClosed) {
				emit(NotifyFailed, "")
			}
		case NotifyPeriodClosed:
			if closed && prev.State != StateClosed {
				emit(NotifyPeriodClosed, "")
			}
		}
	}
	return out
}

func (r *Row) notification(k NotifyKind, detail string, at time.Time) Notification {
	n := Notification{
		Kind: k, Goal: r.Goal, Participant: r.Participant, ParticipantKind: r.Kind, Period: r.Label,
		PeriodStart: r.Period.Start, PeriodEnd: r.Period.End, At: at, Status: r.Status,
		Actual: r.Actual, Target: r.Target, Forecast: r.Forecast, DaysLeft: r.DaysLeft,
	}
	if k == NotifyMilestoneReached {
		n.Milestone = detail
	}
	n.Key = notificationKey(k, r.Goal, r.Participant, r.Label, detail)
	n.Message = r.message(k, detail)
	return n
}

// notificationKey joins the parts of a notification's identity, each
// escaped so that distinct parts never give the same key.
func notificationKey(k NotifyKind, parts ...string) string {
	var b strings.Builder
	b.WriteString(string(k))
	for _, p := range parts {
		b.WriteByte('/')
		b.WriteString(url.PathEscape(p))
	}
	return b.String()
}

func (r *Row) message(k NotifyKind, detail string) string {
	name := r.Name
	if name == "" {
		name = r.Goal
	}
	of := fmt.Sprintf("%s of %s", numText(r.Actual), numText(r.Target))
	switch k {
	case NotifyMilestoneReached:
		return fmt.Sprintf("%s reached %s of %q in %s (%s)", r.Participant, detail, name, r.Label, of)
	case NotifyAchieved:
		return fmt.Sprintf("%s achieved %q in %s (%s)", r.Participant, name, r.Label, of)
	case NotifyAtRisk:
		if r.Chance.Reach.Valid {
			return fmt.Sprintf("%q is %s for %s in %s: %s", name, strings.ReplaceAll(string(r.Status), "_", " "), r.Participant, r.Label, r.chanceText())
		}
		return fmt.Sprintf("%q is %s for %s in %s: forecast %s against a target of %s", name, strings.ReplaceAll(string(r.Status), "_", " "), r.Participant, r.Label, numText(r.Forecast), numText(r.Target))
	case NotifyBackOnTrack:
		if r.Chance.Reach.Valid {
			return fmt.Sprintf("%q is back on track for %s in %s: %s", name, r.Participant, r.Label, r.chanceText())
		}
		return fmt.Sprintf("%q is back on track for %s in %s: forecast %s against a target of %s", name, r.Participant, r.Label, numText(r.Forecast), numText(r.Target))
	case NotifyDeadlineApproaching:
		return fmt.Sprintf("%q ends in %d day(s) for %s (%s)", name, r.DaysLeft, r.Participant, of)
	case NotifyDailyDigest:
		return fmt.Sprintf("%q for %s on %s: %s, expected %s, %s", name, r.Participant, detail, of, numText(r.Expected), strings.ReplaceAll(string(r.Status), "_", " "))
	case NotifyFailed:
		return fmt.Sprintf("%q failed for %s in %s (%s)", name, r.Participant, r.Label, of)
	case NotifyPeriodClosed:
		return fmt.Sprintf("%q closed for %s in %s: %s, %s", name, r.Participant, r.Label, of, r.Status)
	case NotifyAchievementRevoked:
		return fmt.Sprintf("%q for %s in %s is no longer achieved: %s", name, r.Participant, r.Label, of)
	}
	return fmt.Sprintf("%q for %s in %s", name, r.Participant, r.Label)
}

func numText(d decimal.NullDecimal) string {
	if !d.Valid {
		return "—"
	}
	return display.Number(d.Decimal)
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
