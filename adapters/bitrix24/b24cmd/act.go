package b24cmd

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	"unicode"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/internal/display"
	"github.com/goalkit/goalkit/internal/textenc"
)

// Act implements `goalkit act bitrix24`: it reads the notifications of a
// report (the JSON `goalkit eval` writes, or a bare array of notifications)
// and, through bitrix24.Actions, makes a task and a calendar reminder in the
// portal for each notification of the chosen kinds, once. It prints one line
// per notification: its key, then "created task N" or "found task N" and,
// where it has a reminder, "created reminder M", "moved reminder M" (found
// at another time and moved) or "found reminder M", or "skipped: why"; and
// on stderr a summary of the counts.
func Act(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	const name = "act bitrix24"
	fs, c := newFlags(name)
	in := fs.String("notifications", "", "report JSON (goalkit eval -format json) or a JSON array of notifications; - for stdin")
	dashboard := fs.String("dashboard", "", "the dashboard's goal page the tasks link to (https://HOST/goal)")
	kinds := fs.String("kinds", "at_risk,failed", "notification kinds that make a task, comma-separated")
	tz := fs.String("tz", "", "IANA time zone of the periods' dates (default UTC)")
	remind := fs.Duration("remind", 24*time.Hour, "how long before the deadline the calendar reminder is, at most 8784h (366 days); 0 for none")
	if err := parse(name, fs, args, stderr, "-notifications FILE [-url URL] [-dashboard URL] [-kinds K,…] [-tz ZONE] [-remind 24h]"); err != nil {
		return err
	}
	if *in == "" {
		return usagef("%s: -notifications is required", name)
	}
	a := &bitrix24.Actions{DashboardURL: *dashboard, RemindBefore: *remind}
	if *remind == 0 {
		a.RemindBefore = -1
	} else if *remind < 0 {
		return usagef("%s: -remind: negative", name)
	} else if *remind > bitrix24.MaxRemindBefore {
		return usagef("%s: -remind: %v is longer than 366 days (%v)", name, *remind, bitrix24.MaxRemindBefore)
	}
	// Every kind a notification may have: the rules' and the two the
	// engine tells without one.
	known := map[goal.NotifyKind]bool{goal.NotifyAchievementRevoked: true, goal.NotifyRestated: true}
	for _, k := range goal.NotifyKinds() {
		known[k] = true
	}
	for _, k := range strings.Split(*kinds, ",") {
		k = strings.TrimSpace(k)
		if !known[goal.NotifyKind(k)] {
			return usagef("%s: -kinds: unknown kind %q", name, k)
		}
		a.Kinds = append(a.Kinds, goal.NotifyKind(k))
	}
	if *tz != "" {
		loc, err := time.LoadLocation(*tz)
		if err != nil {
			return usagef("%s: -tz: unknown time zone %q", name, *tz)
		}
		a.Location = loc
	}
	var data []byte
	var err error
	if *in == "-" {
		data, err = io.ReadAll(os.Stdin)
	} else {
		data, err = os.ReadFile(*in)
	}
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	ns, err := ParseNotifications(data)
	if err != nil {
		return fmt.Errorf("%s: %s: %w", name, *in, err)
	}
	cl, err := c.client(name, stderr)
	if err != nil {
		return err
	}
	a.Client = cl
	res, err := a.Apply(ctx, ns)
	// A key and a kind come from the file as written: a control character
	// in one (an escape sequence, a newline) is printed escaped, so that it
	// neither drives the terminal nor forges a line of this output.
	var sum actSummary
	for _, r := range res {
		fmt.Fprintf(stdout, "%s\t%s\n", display.Text(r.Key), sum.add(r))
	}
	fmt.Fprintf(stderr, "bitrix24: %s\n", sum)
	if err != nil {
		return fmt.Errorf("%s: %w", name, err)
	}
	return nil
}

// ParseNotifications reads notifications as goalkit writes them: a report
// object with a "notifications" array, or the array alone. An entry that
// cannot be read is an error naming it (its index and key). A file that
// starts with a byte order mark, as Windows tools write them (PowerShell's
// "goalkit eval … > report.json" writes UTF-16), is read as its text, as
// plan files are.
func ParseNotifications(data []byte) ([]goal.Notification, error) {
	full := textenc.UTF8(data)
	data = bytes.TrimSpace(full)
	// Lines are counted in the whole text, the blank ones before the JSON
	// included.
	lead := len(full) - len(bytes.TrimLeftFunc(full, unicode.IsSpace))
	var raw []json.RawMessage
	switch {
	case len(data) > 0 && data[0] == '[':
		if err := json.Unmarshal(data, &raw); err != nil {
			return nil, atLine(full, lead, err)
		}
	case len(data) > 0 && data[0] == '{':
		var rep struct {
			Notifications *[]json.RawMessage `json:"notifications"`
		}
		if err := json.Unmarshal(data, &rep); err != nil {
			return nil, atLine(full, lead, err)
		}
		if rep.Notifications == nil {
			return nil, errors.New(`no "notifications" in the report (a plan without goals?)`)
		}
		raw = *rep.Notifications
	default:
		return nil, errors.New("want a report object or an array of notifications")
	}
	out := make([]goal.Notification, 0, len(raw))
	for i, r := range raw {
		var n goal.Notification
		if err := json.Unmarshal(r, &n); err != nil {
			return nil, fmt.Errorf("notification %d: %w", i, err)
		}
		out = append(out, n)
	}
	return out, nil
}

// atLine prefixes a JSON error that knows where it happened (a syntax
// error, a value of the wrong type) with its line in data, the error's
// offset counted from lead (where the JSON starts): a report is long, and
// "invalid character" alone does not say where to look.
func atLine(data []byte, lead int, err error) error {
	var off int64
	var se *json.SyntaxError
	var te *json.UnmarshalTypeError
	switch {
	case errors.As(err, &se):
		off = se.Offset
	case errors.As(err, &te):
		off = te.Offset
	default:
		return err
	}
	off = min(max(off+int64(lead), 0), int64(len(data)))
	// The offset is past the byte that failed: its line is that byte's.
	if off > 0 {
		off--
	}
	return fmt.Errorf("line %d: %w", 1+bytes.Count(data[:off], []byte("\n")), err)
}

// actSummary counts what Act did, for its summary line.
type actSummary struct {
	tasksCreated, tasksFound                         int
	remindersCreated, remindersMoved, remindersFound int
	skipped                                          int
}

// add counts r and returns its line's text after the key: the task, the
// reminder if there is one, or why the notification was skipped.
func (s *actSummary) add(r bitrix24.ActionResult) string {
	if r.Skipped != "" {
		s.skipped++
		return "skipped: " + display.Text(r.Skipped)
	}
	var b strings.Builder
	if r.TaskCreated {
		s.tasksCreated++
		fmt.Fprintf(&b, "created task %d", r.TaskID)
	} else {
		s.tasksFound++
		fmt.Fprintf(&b, "found task %d", r.TaskID)
	}
	switch {
	case r.EventID == 0:
	case r.EventCreated:
		s.remindersCreated++
		fmt.Fprintf(&b, ", created reminder %d", r.EventID)
	case r.EventMoved:
		s.remindersMoved++
		fmt.Fprintf(&b, ", moved reminder %d", r.EventID)
	default:
		s.remindersFound++
		fmt.Fprintf(&b, ", found reminder %d", r.EventID)
	}
	return b.String()
}

// String is the summary: "tasks: 1 created, 0 found; reminders: 1 created,
// 0 moved, 0 found; 2 skipped".
func (s actSummary) String() string {
	return fmt.Sprintf("tasks: %d created, %d found; reminders: %d created, %d moved, %d found; %d skipped",
		s.tasksCreated, s.tasksFound, s.remindersCreated, s.remindersMoved, s.remindersFound, s.skipped)
}
