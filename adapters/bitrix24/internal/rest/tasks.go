package rest

import (
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"
)

// Task is a row of tasks.task.list (result.tasks[]) or the task of a
// tasks.task.add answer. Its members are camelCase, ids numeric strings.
type Task struct {
	ID            int64     `b24:"id"`
	Title         string    `b24:"title"`
	Status        int64     `b24:"status"` // TaskCompleted…
	ResponsibleID int64     `b24:"responsibleId"`
	CreatedBy     int64     `b24:"createdBy"`
	GroupID       int64     `b24:"groupId"` // the workgroup (project); 0 if none
	XMLID         string    `b24:"xmlId"`   // the external id
	CreatedDate   time.Time `b24:"createdDate"`
	ChangedDate   time.Time `b24:"changedDate"`
	ClosedDate    time.Time `b24:"closedDate"` // zero while the task is open
	Deadline      time.Time `b24:"deadline"`
}

// Task statuses (the status member, REAL_STATUS in filters).
const (
	TaskPending    = 2 // waiting for execution
	TaskInProgress = 3
	TaskReview     = 4 // awaiting control
	TaskCompleted  = 5
	TaskDeferred   = 6
)

// TaskQuery lists tasks (tasks.task.list), 50 a page, ordered by ID: by
// keyset (start=-1 and a ">ID" filter, which the method takes as the CRM
// lists do) or by offset (p.Offset). The filter's keys are the upper-case
// field names ("RESPONSIBLE_ID", "XML_ID", ">=CHANGED_DATE").
func TaskQuery(p ListParams) (*ListQuery, error) {
	q, err := newListQuery("tasks.task.list", "tasks", map[string]any{}, p)
	if err != nil {
		return nil, err
	}
	q.idKey = "id" // the rows' camelCase
	return q, nil
}

// CalendarEvent is a row of calendar.event.get. Its start is the instant
// DATE_FROM_TS_UTC gives (Unix seconds) where the portal sends it; else
// DATE_FROM, the wall time in the event's zone in the portal's locale
// format ("24.06.2026 12:00:00", "12/11/2024 05:59:00 pm"), with the
// zone's offset TZ_OFFSET_FROM (seconds) or its name TZ_FROM: see StartsAt.
type CalendarEvent struct {
	ID           int64  `b24:"ID"`
	Name         string `b24:"NAME"`
	Description  string `b24:"DESCRIPTION"`
	OwnerID      int64  `b24:"OWNER_ID"`
	SectionID    int64  `b24:"SECTION_ID"`
	FromUnix     int64  `b24:"DATE_FROM_TS_UTC"` // 0 when the portal sent none
	DateFrom     string `b24:"DATE_FROM"`
	TZFrom       string `b24:"TZ_FROM"`
	TZOffsetFrom string `b24:"TZ_OFFSET_FROM"`
}

// dateFromLayouts are the portal's date-time formats (its FORMAT_DATETIME
// by language: DD.MM.YYYY, MM/DD/YYYY with am/pm, DD/MM/YYYY, YYYY-MM-DD,
// YYYY/MM/DD), with seconds and without. Only the American one has am/pm,
// so no text is read as two different instants.
var dateFromLayouts = []string{
	"02.01.2006 15:04:05", "01/02/2006 03:04:05 pm", "02/01/2006 15:04:05", "2006-01-02 15:04:05", "2006/01/02 15:04:05",
	"02.01.2006 15:04", "01/02/2006 03:04 pm", "02/01/2006 15:04", "2006-01-02 15:04", "2006/01/02 15:04",
}

// StartsAt reports whether the event starts at t (to the second, or to the
// minute where DATE_FROM has no seconds), and whether the event says its
// start at all (known): by DATE_FROM_TS_UTC, else by DATE_FROM read in the
// zone of TZ_OFFSET_FROM, or of TZ_FROM where the offset is missing.
func (e CalendarEvent) StartsAt(t time.Time) (same, known bool) {
	if e.FromUnix != 0 {
		return e.FromUnix == t.Unix(), true
	}
	var zone *time.Location
	if off, err := strconv.Atoi(strings.TrimSpace(e.TZOffsetFrom)); err == nil {
		zone = time.FixedZone("", off)
	} else if loc, err := time.LoadLocation(e.TZFrom); err == nil && e.TZFrom != "" {
		zone = loc
	} else {
		return false, false
	}
	text := strings.ToLower(strings.TrimSpace(e.DateFrom))
	wall := t.In(zone)
	for _, layout := range dateFromLayouts {
		if _, err := time.Parse(layout, text); err != nil {
			continue
		}
		return wall.Format(layout) == text, true
	}
	return false, false
}

// CalendarSection is a row of calendar.section.get: one calendar of a user.
type CalendarSection struct {
	ID      int64  `b24:"ID"`
	Name    string `b24:"NAME"`
	OwnerID int64  `b24:"OWNER_ID"`
}

// DecodeList decodes the whole result of a method that is not paged (an array
// of rows, or the array in result.<member>).
func DecodeList[T Row](result json.RawMessage, member string) ([]T, error) {
	rows, err := RowsOf(result, member)
	if err != nil {
		return nil, &Malformed{Err: err}
	}
	return DecodeRows[T](rows, 0)
}

// CreatedID reads the result of a method that creates something and answers
// with its id (calendar.event.add, im.notify.personal.add): a number or a
// numeric string. false (nothing created) is 0.
func CreatedID(result json.RawMessage) (int64, error) {
	switch kind(result) {
	case 'f':
		return 0, nil
	case '0', '"':
		n, err := intOf(result)
		if err != nil {
			return 0, err
		}
		if n <= 0 {
			return 0, fmt.Errorf("want a positive id, got %d", n)
		}
		return n, nil
	}
	return 0, errors.New("want an id")
}

// CreatedTask reads the result of tasks.task.add: {"task": {…}}.
func CreatedTask(result json.RawMessage) (Task, error) {
	if kind(result) != '{' {
		return Task{}, errors.New(`want {"task": {…}}`)
	}
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(result, &obj); err != nil {
		return Task{}, err
	}
	raw, ok := obj["task"]
	if !ok {
		return Task{}, errors.New(`no "task" member`)
	}
	ts, err := DecodeRows[Task]([]json.RawMessage{raw}, 0)
	if err != nil {
		return Task{}, err
	}
	if ts[0].ID <= 0 {
		return Task{}, errors.New("task without an id")
	}
	return ts[0], nil
}

// ElapsedItem is a row of task.elapseditem.getlist: time logged on a task.
// For time added by hand afterwards, CREATED_DATE is when the work began.
type ElapsedItem struct {
	ID          int64     `b24:"ID"`
	TaskID      int64     `b24:"TASK_ID"`
	UserID      int64     `b24:"USER_ID"`
	Seconds     int64     `b24:"SECONDS"`
	Minutes     int64     `b24:"MINUTES"`
	CreatedDate time.Time `b24:"CREATED_DATE"`
	DateStart   time.Time `b24:"DATE_START"`
	DateStop    time.Time `b24:"DATE_STOP"`
}

// ElapsedQuery lists the time-tracking records of every task
// (task.elapseditem.getlist without TASKID), with keyset paging: ORDER by ID,
// FILTER ">ID" on the last ID seen, the first page of 50 (NAV_PARAMS) each
// time, until a page has fewer than 50 rows. The method takes its parameters
// by position; EncodeParams sends them in their order.
func ElapsedQuery(p ListParams) (*ListQuery, error) {
	if p.Offset {
		return nil, fmt.Errorf("bitrix24: task.elapseditem.getlist: offset paging is not supported")
	}
	if p.Select == nil {
		p.Select = []string{"ID", "TASK_ID", "USER_ID", "SECONDS", "MINUTES", "CREATED_DATE", "DATE_START", "DATE_STOP"}
	}
	q, err := newListQuery("task.elapseditem.getlist", "", map[string]any{}, p)
	if err != nil {
		return nil, err
	}
	for lower, upper := range map[string]string{"filter": "FILTER", "select": "SELECT"} {
		if v, ok := q.base[lower]; ok {
			q.base[upper] = v
			delete(q.base, lower)
		}
	}
	q.filterKey, q.orderKey, q.nav = "FILTER", "ORDER", true
	return q, nil
}

// paramOrder lists, for the methods that read their parameters by position,
// the order in which they must be sent.
var paramOrder = map[string][]string{
	"task.elapseditem.getlist": {"TASKID", "ORDER", "FILTER", "SELECT", "PARAMS"},
}

// EncodeParams encodes a call's parameters as a JSON object: for a method
// that reads them by position, in its order; the others (and "auth") after
// them, sorted.
func EncodeParams(method string, params map[string]any) ([]byte, error) {
	order, ok := paramOrder[method]
	if !ok {
		return json.Marshal(params)
	}
	var b []byte
	b = append(b, '{')
	seen := map[string]bool{}
	write := func(k string) error {
		v, ok := params[k]
		if !ok || seen[k] {
			return nil
		}
		seen[k] = true
		if len(b) > 1 {
			b = append(b, ',')
		}
		kb, _ := json.Marshal(k)
		vb, err := json.Marshal(v)
		if err != nil {
			return err
		}
		b = append(append(append(b, kb...), ':'), vb...)
		return nil
	}
	for _, k := range order {
		if err := write(k); err != nil {
			return nil, err
		}
	}
	rest := make([]string, 0, len(params))
	for k := range params {
		rest = append(rest, k)
	}
	sort.Strings(rest)
	for _, k := range rest {
		if err := write(k); err != nil {
			return nil, err
		}
	}
	return append(b, '}'), nil
}

// StringMember reads one member of a row as text (a string, number or bool;
// null and an empty value are ""), for the fields a host names, such as a
// task's user field.
func StringMember(raw json.RawMessage, key string) (string, error) {
	f, err := newFields(raw)
	if err != nil {
		return "", err
	}
	s := f.str(key)
	return s, f.err
}
