package bitrix24

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
)

// Actions turns goal notifications into work in the portal: for each
// notification of one of its kinds (by default at_risk and failed), a task
// for the notification's participant (tasks.task.add) with the numbers in its
// description, a deadline at the end of the goal's period and a link back to
// the dashboard, and a calendar event in the participant's own calendar
// (calendar.event.add) before that deadline, with a reminder.
//
// Each notification's task and event are created once. The notification's
// idempotency key (goal.Notification.Key) is hashed into a marker,
// "goalkit-" and 32 hex digits, that is stored in the task's XML_ID (its
// external id) and written into the event's description; before creating
// either, Apply looks for it (tasks.task.list filtered by XML_ID and
// RESPONSIBLE_ID; calendar.event.get around the event's day, then from
// MaxRemindBefore before the deadline to the deadline), so that a re-run,
// or a run after a create whose answer was lost, finds what exists instead
// of creating it again. An event found at another time than RemindBefore
// now gives is moved there (calendar.event.update); its start is read from
// DATE_FROM_TS_UTC, else from DATE_FROM in the zone of TZ_OFFSET_FROM,
// else an event found on the days around the new start stays.
//
// Apply acts for the participant of each notification and for no one else: a
// participant that is not a portal user id (a team, "*") gets nothing.
type Actions struct {
	// Client is the portal's client.
	Client *Client
	// Kinds are the notification kinds that make a task; default at_risk and
	// failed.
	Kinds []goal.NotifyKind
	// DashboardURL is the page the task links back to: goalkit's
	// dashboard's goal page, e.g. https://kpi.example.com/goal. The goal,
	// the participant, the period's label (period) and its first day
	// (from, which the dashboard's goal page reads to show that period
	// rather than the current one) are added as query parameters. Empty:
	// no link.
	DashboardURL string
	// Location is the zone of the period's dates: the deadline is midnight
	// at the start of the period's end date (the period is [start, end)),
	// or where a summer-time jump skips that midnight, the first instant
	// of the date. Default: UTC.
	Location *time.Location
	// MinLead is the least time between a notification and its task's
	// deadline: a notification at or after the end of its period (failed)
	// gets a deadline MinLead after it. Default: 3 days.
	MinLead time.Duration
	// RemindBefore is how long before the deadline the calendar event
	// starts; default 1 day, at most MaxRemindBefore (Apply refuses a
	// longer one). Negative: no calendar event. Changed between runs, it
	// moves the events the earlier runs made, wherever in the
	// MaxRemindBefore before the deadline they are.
	RemindBefore time.Duration
}

// ActionResult is what Apply did for one notification.
type ActionResult struct {
	Key         string // the notification's key
	Participant string
	// Marker is the value stored in the task's XML_ID and the event's
	// description.
	Marker string
	// TaskID is the portal's task; 0 if skipped.
	TaskID int64
	// TaskCreated is true if this run created the task, false if it
	// existed.
	TaskCreated bool
	// EventID is the calendar event; 0 if skipped or not asked for.
	EventID      int64
	EventCreated bool
	// EventMoved is true if this run found the event at another time
	// (RemindBefore or the deadline changed since it was created) and
	// moved it (calendar.event.update).
	EventMoved bool
	// Skipped says why nothing was done ("" when something was).
	Skipped string
}

// Marker is the value that stands for a notification key in the portal:
// "goalkit-" and the first 32 hex digits of the key's SHA-256.
func Marker(key string) string {
	sum := sha256.Sum256([]byte(key))
	return "goalkit-" + hex.EncodeToString(sum[:16])
}

// Apply acts on the notifications, in order. A notification that fails (an
// error of the portal, a lost answer) does not stop the others; the errors
// are joined, each naming its notification's key, and a later Apply with the
// same notifications completes the work without duplicating it.
func (a *Actions) Apply(ctx context.Context, ns []goal.Notification) ([]ActionResult, error) {
	if a.Client == nil {
		return nil, errors.New("bitrix24: actions: nil client")
	}
	if a.RemindBefore > MaxRemindBefore {
		return nil, fmt.Errorf("bitrix24: actions: RemindBefore %v is longer than %v (366 days)", a.RemindBefore, MaxRemindBefore)
	}
	var (
		out  []ActionResult
		errs []error
	)
	for _, n := range ns {
		if err := ctx.Err(); err != nil {
			errs = append(errs, err)
			break
		}
		r, err := a.apply(ctx, n)
		if err != nil {
			errs = append(errs, fmt.Errorf("notification %q: %w", n.Key, err))
			continue
		}
		out = append(out, r)
	}
	return out, errors.Join(errs...)
}

func (a *Actions) kinds() []goal.NotifyKind {
	if len(a.Kinds) == 0 {
		return []goal.NotifyKind{goal.NotifyAtRisk, goal.NotifyFailed}
	}
	return a.Kinds
}

func (a *Actions) apply(ctx context.Context, n goal.Notification) (ActionResult, error) {
	r := ActionResult{Key: n.Key, Participant: n.Participant, Marker: Marker(n.Key)}
	if !slices.Contains(a.kinds(), n.Kind) {
		r.Skipped = "kind " + string(n.Kind) + " makes no task"
		return r, nil
	}
	if n.Key == "" {
		return r, errors.New("no idempotency key")
	}
	uid, err := userIDOf(n.Participant)
	if err != nil {
		r.Skipped = "participant is not a portal user"
		return r, nil
	}
	deadline := a.deadline(n)
	task, found, err := a.findTask(ctx, uid, r.Marker)
	if err != nil {
		return r, err
	}
	if !found {
		task, err = a.addTask(ctx, uid, r.Marker, n, deadline)
		if err != nil {
			return r, err
		}
		r.TaskCreated = true
	}
	r.TaskID = task.ID
	if a.RemindBefore < 0 {
		return r, nil
	}
	before := a.RemindBefore
	if before == 0 {
		before = 24 * time.Hour
	}
	from := deadline.Add(-before)
	ev, found, near, err := a.findEvent(ctx, uid, r.Marker, from, deadline, task.Deadline, r.TaskCreated)
	if err != nil {
		return r, err
	}
	// Where the event says its start (DATE_FROM_TS_UTC, else DATE_FROM in
	// its zone), it is moved unless it starts at from; where it says
	// nothing readable, unless the search of the days around from found
	// it, so that such a portal's event is not updated at every run.
	same, known := ev.StartsAt(from)
	switch {
	case !found:
		ev.ID, err = a.addEvent(ctx, uid, r.Marker, n, task.ID, from, deadline)
		if err != nil {
			return r, err
		}
		r.EventCreated = true
	case known && !same || !known && !near:
		if err := a.moveEvent(ctx, uid, ev.ID, r.Marker, n, task.ID, from, deadline); err != nil {
			return r, err
		}
		r.EventMoved = true
	}
	r.EventID = ev.ID
	return r, nil
}

// deadline is the first instant of the period's end date in the actions'
// zone (midnight, or the end of a summer-time jump that skips it), or MinLead after the notification if that is later.
func (a *Actions) deadline(n goal.Notification) time.Time {
	loc := a.Location
	if loc == nil {
		loc = time.UTC
	}
	lead := a.MinLead
	if lead <= 0 {
		lead = 72 * time.Hour
	}
	d := midnight(n.PeriodEnd, loc)
	if !n.At.IsZero() {
		if earliest := n.At.In(loc).Add(lead); d.Before(earliest) {
			d = earliest.Truncate(time.Second)
		}
	}
	return d
}

// findTask looks for the participant's task whose XML_ID is marker.
func (a *Actions) findTask(ctx context.Context, uid int64, marker string) (rest.Task, bool, error) {
	q, err := rest.TaskQuery(rest.ListParams{Offset: true,
		Filter: map[string]any{"XML_ID": marker, "RESPONSIBLE_ID": uid},
		Select: []string{"ID", "TITLE", "XML_ID", "RESPONSIBLE_ID", "DEADLINE", "STATUS"}})
	if err != nil {
		return rest.Task{}, false, err
	}
	var (
		task  rest.Task
		found bool
	)
	err = a.Client.list(ctx, q, func(rows []json.RawMessage) error {
		ts, err := decodeRows[rest.Task](q, rows, q.Rows())
		if err != nil {
			return err
		}
		for _, t := range ts {
			// The filter narrows the list; the marker decides.
			if !found && t.XMLID == marker && t.ResponsibleID == uid {
				task, found = t, true
			}
		}
		return nil
	})
	return task, found, err
}

func (a *Actions) addTask(ctx context.Context, uid int64, marker string, n goal.Notification, deadline time.Time) (rest.Task, error) {
	const method = "tasks.task.add"
	fields := map[string]any{
		"TITLE":          taskTitle(n),
		"DESCRIPTION":    a.description(n, marker),
		"RESPONSIBLE_ID": uid,
		"DEADLINE":       portalTime(deadline),
		"XML_ID":         marker,
	}
	r, err := a.Client.call(ctx, method, map[string]any{"fields": fields})
	if err != nil {
		return rest.Task{}, err
	}
	t, err := rest.CreatedTask(r.Result)
	if err != nil {
		return rest.Task{}, decodeErr(method, r.Status, "result", err)
	}
	return t, nil
}

// portalTime writes t as the portal reads a date-time (rest.JSONValue): in
// its own offset, or in UTC where the offset has seconds (a local mean time
// zone before 1900), which time.RFC3339 would cut to the minute and so move
// the instant.
func portalTime(t time.Time) string { return rest.JSONValue(t).(string) }

// MaxRemindBefore is the longest Actions.RemindBefore: 366 days, a
// reminder a year ahead of its deadline. Bounded, it bounds where a run
// can have put a reminder, so that a later run with another RemindBefore
// finds it and moves it rather than adding a second.
const MaxRemindBefore = 366 * 24 * time.Hour

// remindSearch is how far before the deadline findEvent looks for a
// reminder that is not at its start when the task was created by this run:
// none of the earlier runs got as far as its reminder, so only one left by
// a task deleted in the portal can be there.
const remindSearch = 31 * 24 * time.Hour

// findEvent looks for the participant's calendar event whose description
// holds marker: first on the days around from, where it is unless
// RemindBefore or the deadline changed since it was created; then, not
// found there, wherever a run can have put it: from MaxRemindBefore before
// the deadline, or before the deadline the task was given (taskDeadline,
// when the portal says it) if earlier, to the later of the two. Where the
// task was created by this run (fresh), no earlier run made its reminder,
// and the second search spans remindSearch before them alone. The portal
// reads the dates in the user's own zone, so each search spans the day
// before and the day after too. near is true when the first search found
// it.
func (a *Actions) findEvent(ctx context.Context, uid int64, marker string, from, deadline, taskDeadline time.Time, fresh bool) (ev rest.CalendarEvent, found, near bool, err error) {
	ev, found, err = a.eventIn(ctx, uid, marker, from, from)
	if found || err != nil {
		return ev, found, found, err
	}
	reach := MaxRemindBefore
	if fresh {
		reach = remindSearch
	}
	first, last := deadline.Add(-reach), deadline
	if !taskDeadline.IsZero() {
		// The days are counted in the actions' zone, not the portal's.
		taskDeadline = taskDeadline.In(deadline.Location())
		if t := taskDeadline.Add(-reach); t.Before(first) {
			first = t
		}
		if taskDeadline.After(last) {
			last = taskDeadline
		}
	}
	if from.Before(first) {
		first = from
	}
	ev, found, err = a.eventIn(ctx, uid, marker, first, last)
	return ev, found, false, err
}

// eventIn reads the participant's events from the day before first to the
// day after last (calendar.event.get), days in first's zone, for the one
// whose description holds marker.
func (a *Actions) eventIn(ctx context.Context, uid int64, marker string, first, last time.Time) (rest.CalendarEvent, bool, error) {
	const method = "calendar.event.get"
	loc := first.Location()
	last = last.In(loc)
	lo := time.Date(first.Year(), first.Month(), first.Day()-1, 0, 0, 0, 0, loc)
	hi := time.Date(last.Year(), last.Month(), last.Day()+1, 0, 0, 0, 0, loc)
	r, err := a.Client.call(ctx, method, map[string]any{
		"type": "user", "ownerId": uid,
		"from": lo.Format(time.DateOnly), "to": hi.Format(time.DateOnly),
	})
	if err != nil {
		return rest.CalendarEvent{}, false, err
	}
	evs, err := rest.DecodeList[rest.CalendarEvent](r.Result, "")
	if err != nil {
		return rest.CalendarEvent{}, false, decodeErr(method, r.Status, "result", err)
	}
	for _, e := range evs {
		if strings.Contains(e.Description, marker) {
			return e, true, nil
		}
	}
	return rest.CalendarEvent{}, false, nil
}

func (a *Actions) addEvent(ctx context.Context, uid int64, marker string, n goal.Notification, taskID int64, from, deadline time.Time) (int64, error) {
	section, err := a.section(ctx, uid)
	if err != nil {
		return 0, err
	}
	p := a.eventParams(uid, marker, n, taskID, from, deadline)
	p["section"] = section
	p["remind"] = []map[string]any{{"type": "min", "count": 15}}
	return a.eventCall(ctx, "calendar.event.add", "create", p)
}

// moveEvent moves the participant's event id to start at from
// (calendar.event.update), its text saying the deadline; its calendar and
// reminder stay as they are.
func (a *Actions) moveEvent(ctx context.Context, uid, id int64, marker string, n goal.Notification, taskID int64, from, deadline time.Time) error {
	p := a.eventParams(uid, marker, n, taskID, from, deadline)
	p["id"] = id
	_, err := a.eventCall(ctx, "calendar.event.update", "move", p)
	return err
}

// eventParams are the parameters calendar.event.add and .update share: the
// owner, the name and description, and the half hour from from.
func (a *Actions) eventParams(uid int64, marker string, n goal.Notification, taskID int64, from, deadline time.Time) map[string]any {
	return map[string]any{
		"type": "user", "ownerId": uid,
		"name":        "Reminder: " + taskTitle(n),
		"description": fmt.Sprintf("Task %d is due %s.\n%s", taskID, deadline.Format("2006-01-02 15:04 MST"), a.description(n, marker)),
		"from":        portalTime(from), "to": portalTime(from.Add(30 * time.Minute)),
	}
}

// eventCall calls method, which answers with the event's id, or false where
// the portal did not do what (create, move) it was asked.
func (a *Actions) eventCall(ctx context.Context, method, what string, p map[string]any) (int64, error) {
	r, err := a.Client.call(ctx, method, p)
	if err != nil {
		return 0, err
	}
	id, err := rest.CreatedID(r.Result)
	if err != nil {
		return 0, decodeErr(method, r.Status, "result", err)
	}
	if id == 0 {
		return 0, &APIError{Method: method, Status: r.Status, Description: "the portal did not " + what + " the event (result false)"}
	}
	return id, nil
}

// section is the participant's first own calendar (calendar.section.get).
func (a *Actions) section(ctx context.Context, uid int64) (int64, error) {
	const method = "calendar.section.get"
	r, err := a.Client.call(ctx, method, map[string]any{"type": "user", "ownerId": uid})
	if err != nil {
		return 0, err
	}
	secs, err := rest.DecodeList[rest.CalendarSection](r.Result, "")
	if err != nil {
		return 0, decodeErr(method, r.Status, "result", err)
	}
	for _, s := range secs {
		if s.ID > 0 {
			return s.ID, nil
		}
	}
	return 0, &APIError{Method: method, Status: r.Status, Description: fmt.Sprintf("user %d has no calendar", uid)}
}

func taskTitle(n goal.Notification) string {
	what := "needs attention"
	switch n.Kind {
	case goal.NotifyAtRisk:
		what = "is at risk"
	case goal.NotifyFailed:
		what = "was missed"
	}
	return fmt.Sprintf("Goal %q %s (%s)", n.Goal, what, n.Period)
}

// description is the task's text: the notification's message, its numbers,
// the link to the dashboard and the marker.
func (a *Actions) description(n goal.Notification, marker string) string {
	var b strings.Builder
	b.WriteString(n.Message)
	b.WriteString("\n\n")
	fmt.Fprintf(&b, "Goal: %s\nPeriod: %s (%s – %s)\n", n.Goal, n.Period, n.PeriodStart, n.PeriodEnd.AddDate(0, 0, -1))
	fmt.Fprintf(&b, "Actual: %s\nTarget: %s\n", numText(n.Actual), numText(n.Target))
	if n.Forecast.Valid {
		fmt.Fprintf(&b, "Forecast: %s\n", numText(n.Forecast))
	}
	if n.DaysLeft >= 0 {
		fmt.Fprintf(&b, "Days left: %d\n", n.DaysLeft)
	}
	if link := a.link(n); link != "" {
		fmt.Fprintf(&b, "Dashboard: %s\n", link)
	}
	fmt.Fprintf(&b, "\n[%s]", marker)
	return b.String()
}

// link is the dashboard URL with the goal, participant and period (its
// label, and its first day as the dashboard's goal page reads it).
func (a *Actions) link(n goal.Notification) string {
	if a.DashboardURL == "" {
		return ""
	}
	q := url.Values{"goal": {n.Goal}, "participant": {n.Participant}, "period": {n.Period}, "from": {n.PeriodStart.String()}}
	sep := "?"
	if strings.Contains(a.DashboardURL, "?") {
		sep = "&"
	}
	return a.DashboardURL + sep + q.Encode()
}

func numText(d decimal.NullDecimal) string {
	if !d.Valid {
		return "n/a"
	}
	return d.Decimal.String()
}
