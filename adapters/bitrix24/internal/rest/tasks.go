package rest

import (
	"encoding/json"
	"errors"
	"fmt"
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

// TaskQuery lists tasks (tasks.task.list), 50 a page with offset paging,
// ordered by ID. The filter's keys are the upper-case field names
// ("RESPONSIBLE_ID", "XML_ID", ">=CHANGED_DATE").
func TaskQuery(filter map[string]any, sel []string) *ListQuery {
	base := map[string]any{}
	if len(filter) > 0 {
		f := make(map[string]any, len(filter))
		for k, v := range filter {
			f[k] = JSONValue(v)
		}
		base["filter"] = f
	}
	if sel != nil {
		base["select"] = sel
	}
	return &ListQuery{Method: "tasks.task.list", Member: "tasks", base: base, orderByID: true}
}

// CalendarEvent is a row of calendar.event.get.
type CalendarEvent struct {
	ID          int64     `b24:"ID"`
	Name        string    `b24:"NAME"`
	Description string    `b24:"DESCRIPTION"`
	OwnerID     int64     `b24:"OWNER_ID"`
	SectionID   int64     `b24:"SECTION_ID"`
	DateFrom    time.Time `b24:"DATE_FROM"`
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
