package bitrix24

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24/internal/rest"
	"github.com/goalkit/goalkit/kpi"
)

// Event kinds of tasks and time tracking (SyncOptions.Tasks).
const (
	KindTaskCreated   = "task.created"
	KindTaskCompleted = "task.completed"
	KindTaskOverdue   = "task.overdue"
	KindTimeLogged    = "time.logged"
)

// DefaultTaskGoalField is the task user field read as the "goal" attribute
// when SyncOptions.TaskGoalField is empty.
const DefaultTaskGoalField = "UF_GOALKIT_GOAL"

// taskRow is a task with the value of its goal field.
type taskRow struct {
	rest.Task
	goal string
}

// tasks emits the events of the tasks and of the time logged on them.
func (s *syncer) tasks(ctx context.Context, fn func(kpi.Event) error) error {
	since := s.wm.TaskModified
	incremental := !since.IsZero()
	sel := []string{"ID", "TITLE", "STATUS", "RESPONSIBLE_ID", "CREATED_BY", "GROUP_ID", "CREATED_DATE", "CHANGED_DATE",
		"CLOSED_DATE", "DEADLINE", s.opts.TaskGoalField}
	var filter map[string]any
	if incremental {
		filter = map[string]any{">=CHANGED_DATE": since}
	}
	rows, began, err := s.readTasks(ctx, filter, sel)
	if err != nil {
		return err
	}
	if incremental {
		if err := markAhead("task_modified", since, began); err != nil {
			return err
		}
	}
	now := began
	if now.IsZero() {
		now = s.c.cfg.now()
	}
	var newest time.Time
	for _, t := range rows {
		if t.ChangedDate.After(newest) {
			newest = t.ChangedDate
		}
	}
	if incremental {
		// An open task becomes overdue without changing: read those whose
		// deadline passed since the last sync too.
		more, _, err := s.readTasks(ctx, map[string]any{">=DEADLINE": since, "<DEADLINE": now}, sel)
		if err != nil {
			return err
		}
		rows = mergeTasks(rows, more)
	}
	byID := make(map[int64]taskRow, len(rows))
	for _, t := range rows {
		byID[t.ID] = t
		evs, err := s.m.taskEvents(t, now, incremental)
		if err != nil {
			return err
		}
		if err := emit(evs, fn); err != nil {
			return err
		}
		s.sent["task"] = append(s.sent["task"], t.ID)
	}
	s.wm.TaskModified = advanceMark(s.wm.TaskModified, newest, began)
	return s.elapsed(ctx, byID, sel, fn)
}

// readTasks reads the tasks a filter selects, with their goal field, and
// when the portal began answering; by keyset unless the sync asked for
// offset paging.
func (s *syncer) readTasks(ctx context.Context, filter map[string]any, sel []string) ([]taskRow, time.Time, error) {
	q, err := rest.TaskQuery(rest.ListParams{Filter: filter, Select: sel, Offset: s.offset()})
	if err != nil {
		return nil, time.Time{}, err
	}
	var out []taskRow
	err = s.c.list(ctx, q, func(raws []json.RawMessage) error {
		ts, err := decodeRows[rest.Task](q, raws, len(out))
		if err != nil {
			return err
		}
		for i, t := range ts {
			var g string
			// The field comes under its own name, or camelCased as the
			// method writes its system user fields (ufCrmTask).
			for _, key := range []string{s.opts.TaskGoalField, camelField(s.opts.TaskGoalField)} {
				v, err := rest.StringMember(raws[i], key)
				if err != nil {
					return &DecodeError{Method: q.Method, Where: fmt.Sprintf("row %d (ID %d): %s", len(out), t.ID, key), Err: err}
				}
				if g = strings.TrimSpace(v); g != "" {
					break
				}
			}
			out = append(out, taskRow{Task: t, goal: g})
		}
		return nil
	})
	return out, q.Began, err
}

// camelField is the camelCase form of an upper-case field name:
// UF_GOALKIT_GOAL is ufGoalkitGoal.
func camelField(field string) string {
	parts := strings.Split(strings.ToLower(field), "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// mergeTasks adds the tasks of more that rows lacks, keeping ID order.
func mergeTasks(rows, more []taskRow) []taskRow {
	have := make(map[int64]bool, len(rows))
	for _, t := range rows {
		have[t.ID] = true
	}
	for _, t := range more {
		if !have[t.ID] {
			have[t.ID] = true
			rows = append(rows, t)
		}
	}
	sort.SliceStable(rows, func(i, j int) bool { return rows[i].ID < rows[j].ID })
	return rows
}

// elapsed emits the time logged: every record in a full sync, the records
// past the watermark's id (or, without one, created since its task mark) in
// an incremental one. Each record takes its task's goal and group; the tasks
// not read already are read by id.
func (s *syncer) elapsed(ctx context.Context, tasks map[int64]taskRow, sel []string, fn func(kpi.Event) error) error {
	p := rest.ListParams{}
	switch {
	case s.wm.ElapsedID > 0:
		p.Filter = map[string]any{">ID": s.wm.ElapsedID}
	case !s.opts.Since.TaskModified.IsZero():
		p.Filter = map[string]any{">=CREATED_DATE": s.opts.Since.TaskModified}
	}
	q, err := rest.ElapsedQuery(p)
	if err != nil {
		return err
	}
	items, err := collect[rest.ElapsedItem](ctx, s.c, q)
	if err != nil {
		return err
	}
	var missing []int64
	seen := map[int64]bool{}
	for _, it := range items {
		if _, ok := tasks[it.TaskID]; !ok && !seen[it.TaskID] && it.TaskID > 0 {
			seen[it.TaskID] = true
			missing = append(missing, it.TaskID)
		}
	}
	sort.Slice(missing, func(i, j int) bool { return missing[i] < missing[j] })
	for i := 0; i < len(missing); i += idChunk {
		more, _, err := s.readTasks(ctx, map[string]any{"ID": missing[i:min(i+idChunk, len(missing))]}, sel)
		if err != nil {
			return err
		}
		for _, t := range more {
			tasks[t.ID] = t
		}
	}
	for _, it := range items {
		e, err := s.m.elapsedEvent(it, tasks[it.TaskID])
		if err != nil {
			return err
		}
		if err := fn(e); err != nil {
			return err
		}
		s.sent["elapsed"] = append(s.sent["elapsed"], it.ID)
		if it.ID > s.wm.ElapsedID {
			s.wm.ElapsedID = it.ID
		}
	}
	return nil
}

// taskEvents returns a task's events: created; completed when its status is
// completed, dated by CLOSED_DATE; overdue when it has a deadline and was
// completed after it or is still open past it (at now, the portal's clock),
// dated by the deadline. retract sends a retraction for each of the last two
// the task does not have (an incremental sync: it may have had them).
func (m *mapper) taskEvents(t taskRow, now time.Time, retract bool) ([]kpi.Event, error) {
	if t.ResponsibleID == 0 {
		return nil, fmt.Errorf("bitrix24: task %d: no responsibleId", t.ID)
	}
	if t.CreatedDate.IsZero() {
		return nil, fmt.Errorf("bitrix24: task %d: no createdDate", t.ID)
	}
	actor := strconv.FormatInt(t.ResponsibleID, 10)
	attrs := func() map[string]any {
		a := map[string]any{"task": t.ID}
		putID(a, "group", t.GroupID)
		putStr(a, "goal", t.goal)
		putStr(a, "title", t.Title)
		return a
	}
	ev := func(kind, suffix string, at time.Time) kpi.Event {
		return kpi.Event{ID: m.id("task", t.ID, suffix), Kind: kind, Time: at, Actor: actor, Attrs: attrs()}
	}
	out := []kpi.Event{ev(KindTaskCreated, "created", t.CreatedDate)}
	completed := t.Status == rest.TaskCompleted
	if completed && t.ClosedDate.IsZero() {
		return nil, fmt.Errorf("bitrix24: task %d: completed without a closedDate", t.ID)
	}
	overdue := !t.Deadline.IsZero() && ((completed && t.ClosedDate.After(t.Deadline)) || (!completed && now.After(t.Deadline)))
	for _, o := range []struct {
		on           bool
		kind, suffix string
		at           time.Time
	}{{completed, KindTaskCompleted, "completed", t.ClosedDate}, {overdue, KindTaskOverdue, "overdue", t.Deadline}} {
		switch {
		case o.on:
			out = append(out, ev(o.kind, o.suffix, o.at))
		case retract:
			out = append(out, kpi.Event{ID: m.id("task", t.ID, o.suffix), Deleted: true})
		}
	}
	return out, nil
}

// elapsedEvent is the event of a time-tracking record: time.logged by its
// user, dated by CREATED_DATE (DATE_START if none), with its duration in
// seconds and its task's goal and group.
func (m *mapper) elapsedEvent(it rest.ElapsedItem, task taskRow) (kpi.Event, error) {
	at := firstSet([]time.Time{it.CreatedDate, it.DateStart})
	if at.IsZero() {
		return kpi.Event{}, fmt.Errorf("bitrix24: time-tracking record %d: no CREATED_DATE", it.ID)
	}
	if it.UserID == 0 {
		return kpi.Event{}, fmt.Errorf("bitrix24: time-tracking record %d: no USER_ID", it.ID)
	}
	secs := it.Seconds
	if secs < 0 {
		return kpi.Event{}, fmt.Errorf("bitrix24: time-tracking record %d: negative SECONDS %d", it.ID, secs)
	}
	if secs == 0 && it.Minutes != 0 {
		// The record's minutes, when it has no seconds: named as they
		// are, and refused where their seconds would not fit.
		if it.Minutes < 0 || it.Minutes > math.MaxInt64/60 {
			return kpi.Event{}, fmt.Errorf("bitrix24: time-tracking record %d: MINUTES %d is not a duration (SECONDS 0)", it.ID, it.Minutes)
		}
		secs = it.Minutes * 60
	}
	attrs := map[string]any{"duration": secs}
	putID(attrs, "task", it.TaskID)
	putID(attrs, "group", task.GroupID)
	putStr(attrs, "goal", task.goal)
	return kpi.Event{ID: m.id("elapsed", it.ID, ""), Kind: KindTimeLogged, Time: at, Actor: strconv.FormatInt(it.UserID, 10), Attrs: attrs}, nil
}
