package fakeb24

import (
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// The tasks, time tracking, calendar and notification methods. Tasks
// ("task") answer with camelCase members as tasks.task.list does; their
// filters and orders name the upper-case fields. Time-tracking records
// ("elapsed"), calendar events ("calendar_event") and notifications
// ("notify") keep the upper-case names of their methods.

// Tasks returns a copy of the portal's tasks.
func (s *Server) Tasks() []map[string]any { return s.rows("task") }

// CalendarEvents returns a copy of the portal's calendar events.
func (s *Server) CalendarEvents() []map[string]any { return s.rows("calendar_event") }

// Notifications returns a copy of the notifications sent.
func (s *Server) Notifications() []map[string]any { return s.rows("notify") }

func (s *Server) rows(entity string) []map[string]any {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]map[string]any, len(s.data[entity]))
	for i, r := range s.data[entity] {
		c := make(map[string]any, len(r))
		for k, v := range r {
			c[k] = v
		}
		out[i] = c
	}
	return out
}

// AddRow appends a row to an entity ("task", "elapsed", …), giving it the
// next ID (in idKey, "ID" or "id") unless it has one; it returns the ID.
func (s *Server) AddRow(entity, idKey string, row map[string]any) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.useLit = false
	return s.addRow(entity, idKey, row)
}

// addRow is AddRow with s.mu held.
func (s *Server) addRow(entity, idKey string, row map[string]any) int64 {
	if n, ok := intOf(row[idKey]); ok && n > 0 {
		s.data[entity] = append(s.data[entity], row)
		return n
	}
	var max int64
	for _, r := range s.data[entity] {
		if n, ok := intOf(r[idKey]); ok && n > max {
			max = n
		}
	}
	row[idKey] = strconv.FormatInt(max+1, 10)
	s.data[entity] = append(s.data[entity], row)
	return max + 1
}

// taskMember is the camelCase member of an upper-case task field:
// RESPONSIBLE_ID is responsibleId; user fields (UF_…) keep their name.
func taskMember(field string) string {
	if strings.HasPrefix(field, "UF_") {
		return field
	}
	parts := strings.Split(strings.ToLower(field), "_")
	for i := 1; i < len(parts); i++ {
		if parts[i] != "" {
			parts[i] = strings.ToUpper(parts[i][:1]) + parts[i][1:]
		}
	}
	return strings.Join(parts, "")
}

// renameKeys maps the field of each key (after its operator) with fn.
func renameKeys(m map[string]any, fn func(string) string) map[string]any {
	out := make(map[string]any, len(m))
	for k, v := range m {
		op := ""
		for _, o := range ops {
			if strings.HasPrefix(k, o) {
				op = o
				break
			}
		}
		out[op+fn(strings.TrimPrefix(k, op))] = v
	}
	return out
}

func (s *Server) knownUser(id int64) bool {
	for _, u := range s.data["user"] {
		if n, _ := intOf(u["ID"]); n == id && id > 0 {
			return true
		}
	}
	return false
}

// work answers the tasks, calendar and notification methods; s.mu is held.
func (s *Server) work(method string, p map[string]any) (int, map[string]any) {
	now := s.now()
	ok := func(result any) (int, map[string]any) {
		return 200, map[string]any{"result": result, "time": s.timeBlock(method)}
	}
	switch method {
	case "tasks.task.list":
		q := map[string]any{"start": get(p, "start")}
		if f, ok := get(p, "filter", "FILTER").(map[string]any); ok {
			q["filter"] = renameKeys(f, taskMember)
		}
		if o, ok := get(p, "order", "ORDER").(map[string]any); ok {
			q["order"] = renameKeys(o, taskMember)
		}
		return s.list(method, s.data["task"], q, "tasks")
	case "tasks.task.add":
		f, _ := get(p, "fields", "FIELDS").(map[string]any)
		title := strings.TrimSpace(text(f["TITLE"]))
		resp, _ := intOf(f["RESPONSIBLE_ID"])
		switch {
		case len(f) == 0:
			return 400, errBody("100", "Could not find value for parameter {fields}")
		case title == "":
			return 400, errBody("ERROR_CORE", "Task title not specified<br>")
		case resp == 0:
			return 400, errBody("ERROR_CORE", "Assignee not specified<br>")
		case !s.knownUser(resp):
			return 400, errBody("ERROR_CORE", `User specified in the "Assignee" field not found<br>`)
		}
		stamp := now.Format(time.RFC3339)
		row := map[string]any{
			"title": title, "description": text(f["DESCRIPTION"]), "responsibleId": strconv.FormatInt(resp, 10),
			"createdBy": WebhookUser, "createdDate": stamp, "changedDate": stamp, "closedDate": nil,
			"status": "2", "groupId": "0", "xmlId": nilIfEmpty(text(f["XML_ID"])), "deadline": nilIfEmpty(text(f["DEADLINE"])),
		}
		if g, ok := intOf(f["GROUP_ID"]); ok {
			row["groupId"] = strconv.FormatInt(g, 10)
		}
		for k, v := range f {
			if strings.HasPrefix(k, "UF_") {
				row[k] = v
			}
		}
		s.addRow("task", "id", row)
		return ok(map[string]any{"task": row})
	case "task.elapseditem.getlist":
		q := map[string]any{}
		if f, ok := get(p, "FILTER", "filter").(map[string]any); ok {
			q["filter"] = f
		}
		if o, ok := get(p, "ORDER", "order").(map[string]any); ok {
			q["order"] = o
		}
		page := int64(1)
		if params, ok := get(p, "PARAMS", "params").(map[string]any); ok {
			if nav, ok := params["NAV_PARAMS"].(map[string]any); ok {
				if n, ok := intOf(nav["iNumPage"]); ok && n > 0 {
					page = n
				}
			}
		}
		q["start"] = (page - 1) * 50
		st, body := s.list(method, s.data["elapsed"], q, "")
		delete(body, "next") // the method pages by iNumPage, not by next
		return st, body
	case "calendar.section.get":
		owner, _ := intOf(get(p, "ownerId"))
		if text(get(p, "type")) != "user" || !s.knownUser(owner) {
			return 400, errBody("", "Access denied")
		}
		return ok([]any{map[string]any{"ID": strconv.FormatInt(100+owner, 10), "NAME": "My calendar", "OWNER_ID": strconv.FormatInt(owner, 10), "CAL_TYPE": "user"}})
	case "calendar.event.get":
		owner, _ := intOf(get(p, "ownerId"))
		from, ferr := time.Parse(time.DateOnly, text(get(p, "from")))
		to, terr := time.Parse(time.DateOnly, text(get(p, "to")))
		if text(get(p, "type")) != "user" || owner == 0 || ferr != nil || terr != nil {
			return 400, errBody("", `The required parameter "type" for the method "calendar.event.get" is not set`)
		}
		out := []any{}
		for _, e := range s.data["calendar_event"] {
			o, _ := intOf(e["OWNER_ID"])
			// DATE_FROM is in the portal's locale format, in the event's zone.
			at, _ := time.Parse("02.01.2006 15:04:05", text(e["DATE_FROM"]))
			day, _ := time.Parse(time.DateOnly, at.Format(time.DateOnly))
			if o == owner && !day.Before(from) && !day.After(to) {
				out = append(out, e)
			}
		}
		return ok(out)
	case "calendar.event.add":
		for _, k := range []string{"type", "ownerId", "name", "from", "to", "section"} {
			if text(p[k]) == "" {
				return 400, errBody("", fmt.Sprintf("The required parameter %q for the method \"calendar.event.add\" is not set", k))
			}
		}
		owner, _ := intOf(p["ownerId"])
		sec, _ := intOf(p["section"])
		if !s.knownUser(owner) || sec != 100+owner {
			return 400, errBody("", "You specified an invalid calendar section ID or the user does not have access to it")
		}
		from, err := time.Parse(time.RFC3339, text(p["from"]))
		if err != nil {
			return 400, errBody("", `Invalid value for the parameter "from"`)
		}
		id := s.addRow("calendar_event", "ID", map[string]any{
			"NAME": text(p["name"]), "DESCRIPTION": text(p["description"]), "OWNER_ID": strconv.FormatInt(owner, 10),
			"SECTION_ID": strconv.FormatInt(sec, 10), "DATE_FROM": from.Format("02.01.2006 15:04:05"),
			"DATE_FROM_TS_UTC": strconv.FormatInt(from.Unix(), 10), "TZ_OFFSET_FROM": offsetOf(from), "DATE_TO": text(p["to"]),
			"REMIND": p["remind"],
		})
		return ok(json.Number(strconv.FormatInt(id, 10)))
	case "calendar.event.update":
		// id, type, ownerId and name are required; the others change
		// what they name. The answer is the event's id.
		for _, k := range []string{"id", "ownerId", "type", "name"} {
			if text(p[k]) == "" {
				return 400, errBody("", fmt.Sprintf("The required parameter %q for the method \"calendar.event.update\" is not set.", k))
			}
		}
		id, _ := intOf(p["id"])
		owner, _ := intOf(p["ownerId"])
		var ev map[string]any
		for _, e := range s.data["calendar_event"] {
			if n, _ := intOf(e["ID"]); n == id {
				if o, _ := intOf(e["OWNER_ID"]); o == owner && text(p["type"]) == "user" {
					ev = e
				}
			}
		}
		if ev == nil {
			return 400, errBody("", "An error occurred while modifying the event.")
		}
		if f := text(p["from"]); f != "" {
			from, err := time.Parse(time.RFC3339, f)
			if err != nil {
				return 400, errBody("", `Invalid value for the parameter "from"`)
			}
			ev["DATE_FROM"] = from.Format("02.01.2006 15:04:05")
			ev["DATE_FROM_TS_UTC"] = strconv.FormatInt(from.Unix(), 10)
			ev["TZ_OFFSET_FROM"] = offsetOf(from)
		}
		if t := text(p["to"]); t != "" {
			ev["DATE_TO"] = t
		}
		ev["NAME"] = text(p["name"])
		if d, ok := p["description"]; ok {
			ev["DESCRIPTION"] = text(d)
		}
		if r, ok := p["remind"]; ok {
			ev["REMIND"] = r
		}
		return ok(json.Number(strconv.FormatInt(id, 10)))
	case "im.notify.personal.add":
		user, _ := intOf(get(p, "USER_ID"))
		msg := strings.TrimSpace(text(get(p, "MESSAGE")))
		switch {
		case user <= 0:
			return 400, errBody("USER_ID_EMPTY", "User ID can't be empty")
		case msg == "":
			return 400, errBody("MESSAGE_EMPTY", "Message can't be empty")
		case !s.knownUser(user):
			return 200, map[string]any{"result": false, "time": s.timeBlock(method)}
		}
		id := s.addRow("notify", "ID", map[string]any{"USER_ID": strconv.FormatInt(user, 10), "MESSAGE": msg})
		return ok(json.Number(strconv.FormatInt(id, 10)))
	}
	return 404, errBody("ERROR_METHOD_NOT_FOUND", "Method not found!")
}

// offsetOf is an event's TZ_OFFSET_FROM: the offset of its start's zone
// from UTC in seconds, as a string. The fake keeps the zone of the "from"
// it was sent, which DATE_FROM is written in.
func offsetOf(t time.Time) string {
	_, off := t.Zone()
	return strconv.Itoa(off)
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// ClearFaults drops the faults not yet used.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = map[string][]Fault{}
	s.mu.Unlock()
}

// UpdateKey changes the row of an entity whose idKey ("ID", or "id" for
// tasks) is id; it stops literal answers.
func (s *Server) UpdateKey(entity, idKey string, id int64, fn func(row map[string]any)) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, r := range s.data[entity] {
		if n, ok := intOf(r[idKey]); ok && n == id {
			fn(r)
			s.useLit = false
			return nil
		}
	}
	return fmt.Errorf("fakeb24: no %s %d", entity, id)
}
