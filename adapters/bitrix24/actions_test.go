package bitrix24_test

import (
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/bitrix24"
	"github.com/goalkit/goalkit/adapters/bitrix24/internal/fakeb24"
	"github.com/goalkit/goalkit/goal"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

var msk = time.FixedZone("MSK", 3*3600)

// note is a notification of goal "revenue" for March 2024, as goal.Notify
// writes them.
func note(kind goal.NotifyKind, participant string, at time.Time) goal.Notification {
	return goal.Notification{
		Key:  string(kind) + "/revenue/" + participant + "/2024-03",
		Kind: kind, Goal: "revenue", Participant: participant, Period: "2024-03",
		PeriodStart: date.New(2024, time.March, 1), PeriodEnd: date.New(2024, time.April, 1),
		At: at, Status: goal.AtRisk,
		Actual:   decimal.NewNullDecimal(decimal.RequireFromString("120000.50")),
		Target:   decimal.NewNullDecimal(decimal.RequireFromString("500000")),
		Forecast: decimal.NewNullDecimal(decimal.RequireFromString("310000")),
		DaysLeft: 12,
		Message:  fmt.Sprintf("%q is at risk for %s in 2024-03", "revenue", participant),
	}
}

func newActions(c *bitrix24.Client) *bitrix24.Actions {
	return &bitrix24.Actions{Client: c, DashboardURL: "https://kpi.example.com/goal", Location: msk}
}

// tasksByMarker counts the portal's tasks by their XML_ID.
func tasksByMarker(srv *fakeb24.Server) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for _, t := range srv.Tasks() {
		if x, ok := t["xmlId"].(string); ok {
			out[x] = append(out[x], t)
		}
	}
	return out
}

// eventsByMarker counts the portal's calendar events by the marker in their
// description.
func eventsByMarker(srv *fakeb24.Server, markers []string) map[string][]map[string]any {
	out := map[string][]map[string]any{}
	for _, e := range srv.CalendarEvents() {
		for _, m := range markers {
			if strings.Contains(e["DESCRIPTION"].(string), m) {
				out[m] = append(out[m], e)
				break
			}
		}
	}
	return out
}

func TestActions(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 3, 19, 9, 0, 0, 0, msk)
	failedAt := time.Date(2024, 4, 1, 0, 5, 0, 0, msk)
	ns := []goal.Notification{
		note(goal.NotifyAtRisk, "5", at),
		note(goal.NotifyFailed, "7", failedAt),
		note(goal.NotifyAchieved, "6", at),   // not a kind that makes a task
		note(goal.NotifyAtRisk, "sales", at), // a team: no one to give it to
		note(goal.NotifyAtRisk, "*", at),
	}
	srv, c := newPortal(t)
	a := newActions(c)
	res, err := a.Apply(context.Background(), ns)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		participant string
		task        bool
		deadline    time.Time
		skipped     string
	}{
		// The end of March in Moscow.
		{"5", true, time.Date(2024, 4, 1, 0, 0, 0, 0, msk), ""},
		// Failed after the period: three days after the notification.
		{"7", true, time.Date(2024, 4, 4, 0, 5, 0, 0, msk), ""},
		{"6", false, time.Time{}, "kind achieved makes no task"},
		{"sales", false, time.Time{}, "participant is not a portal user"},
		{"*", false, time.Time{}, "participant is not a portal user"},
	}
	if len(res) != len(want) {
		t.Fatalf("%d results, want %d", len(res), len(want))
	}
	tasks := tasksByMarker(srv)
	if len(srv.Tasks()) != 2 || len(srv.CalendarEvents()) != 2 {
		t.Fatalf("%d tasks and %d events, want 2 and 2", len(srv.Tasks()), len(srv.CalendarEvents()))
	}
	for i, w := range want {
		r := res[i]
		if r.Participant != w.participant || r.Skipped != w.skipped || (r.TaskID != 0) != w.task || r.TaskCreated != w.task || r.EventCreated != w.task {
			t.Errorf("result %d = %+v, want %+v", i, r, w)
		}
		if r.Marker != bitrix24.Marker(ns[i].Key) {
			t.Errorf("result %d: marker %q", i, r.Marker)
		}
		if !w.task {
			continue
		}
		ts := tasks[r.Marker]
		if len(ts) != 1 {
			t.Fatalf("%s: %d tasks", r.Key, len(ts))
		}
		task := ts[0]
		if task["responsibleId"] != w.participant || task["id"] != fmt.Sprint(r.TaskID) {
			t.Errorf("%s: task %v", r.Key, task)
		}
		dl, err := time.Parse(time.RFC3339, task["deadline"].(string))
		if err != nil || !dl.Equal(w.deadline) {
			t.Errorf("%s: deadline %v, want %v", r.Key, task["deadline"], w.deadline)
		}
		desc := task["description"].(string)
		for _, s := range []string{ns[i].Message, "Actual: 120000.5", "Target: 500000", "Forecast: 310000",
			"Period: 2024-03 (2024-03-01 – 2024-03-31)", "Days left: 12",
			"Dashboard: https://kpi.example.com/goal?from=2024-03-01&goal=revenue&participant=" + w.participant + "&period=2024-03", "[" + r.Marker + "]"} {
			if !strings.Contains(desc, s) {
				t.Errorf("%s: description lacks %q:\n%s", r.Key, s, desc)
			}
		}
		evs := eventsByMarker(srv, []string{r.Marker})[r.Marker]
		if len(evs) != 1 {
			t.Fatalf("%s: %d events", r.Key, len(evs))
		}
		ev := evs[0]
		unix, _ := strconv.ParseInt(ev["DATE_FROM_TS_UTC"].(string), 10, 64)
		from := time.Unix(unix, 0)
		if ev["OWNER_ID"] != w.participant || ev["ID"] != fmt.Sprint(r.EventID) || !from.Equal(w.deadline.Add(-24*time.Hour)) {
			t.Errorf("%s: event %v, want it a day before %v", r.Key, ev, w.deadline)
		}
		if !strings.Contains(ev["DESCRIPTION"].(string), fmt.Sprintf("Task %d is due", r.TaskID)) {
			t.Errorf("%s: event description %q", r.Key, ev["DESCRIPTION"])
		}
	}

	// A second run finds everything and creates nothing.
	again, err := a.Apply(context.Background(), ns)
	if err != nil {
		t.Fatal(err)
	}
	for i := range again {
		r, r0 := again[i], res[i]
		if r.TaskCreated || r.EventCreated || r.TaskID != r0.TaskID || r.EventID != r0.EventID {
			t.Errorf("re-run %d = %+v, first run %+v", i, r, r0)
		}
	}
	if len(srv.Tasks()) != 2 || len(srv.CalendarEvents()) != 2 {
		t.Fatalf("re-run: %d tasks and %d events, want 2 and 2", len(srv.Tasks()), len(srv.CalendarEvents()))
	}
}

// TestActionsErrors: a notification the portal refuses (an unknown user)
// fails alone, with its key in the error; the others are done.
func TestActionsErrors(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 3, 19, 9, 0, 0, 0, msk)
	srv, c := newPortal(t)
	res, err := newActions(c).Apply(context.Background(), []goal.Notification{note(goal.NotifyAtRisk, "999", at), note(goal.NotifyAtRisk, "5", at)})
	want := `notification "at_risk/revenue/999/2024-03": bitrix24: tasks.task.add: ERROR_CORE: User specified in the "Assignee" field not found<br> (http 400)`
	if err == nil || err.Error() != want {
		t.Fatalf("err = %v\nwant %s", err, want)
	}
	if len(res) != 1 || res[0].Participant != "5" || !res[0].TaskCreated {
		t.Fatalf("results %+v", res)
	}
	if n := len(srv.Tasks()); n != 1 {
		t.Fatalf("%d tasks", n)
	}
	if _, err := (&bitrix24.Actions{}).Apply(context.Background(), nil); err == nil {
		t.Error("no error without a client")
	}
	noKey := note(goal.NotifyAtRisk, "5", at)
	noKey.Key = ""
	if _, err := newActions(c).Apply(context.Background(), []goal.Notification{noKey}); err == nil || !strings.Contains(err.Error(), "no idempotency key") {
		t.Errorf("err = %v", err)
	}
}

// TestActionsLostAnswers: the portal creates the task or the event but its
// answer never arrives (a gateway error, a cut body, a timeout). Apply
// reports the error; the next Apply finds what was created.
func TestActionsLostAnswers(t *testing.T) {
	t.Parallel()
	at := time.Date(2024, 3, 19, 9, 0, 0, 0, msk)
	for _, tc := range []struct {
		name   string
		method string
		fault  fakeb24.Fault
		is     error
	}{
		{"task, bad gateway", "tasks.task.add", fakeb24.Fault{Status: 502, Body: []byte("<html>bad gateway</html>"), Apply: true}, bitrix24.ErrServer},
		{"task, cut body", "tasks.task.add", fakeb24.Fault{Body: []byte(`{"result":{"task":{"id":"1"}}}`), CutAfter: 10, Apply: true}, bitrix24.ErrMalformed},
		{"task, timeout", "tasks.task.add", fakeb24.Fault{Delay: time.Minute, Apply: true}, bitrix24.ErrTimeout},
		{"event, bad gateway", "calendar.event.add", fakeb24.Fault{Status: 504, Body: []byte("gateway timeout"), Apply: true}, bitrix24.ErrServer},
		{"event, timeout", "calendar.event.add", fakeb24.Fault{Delay: time.Minute, Apply: true}, bitrix24.ErrTimeout},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Every call of both runs has this timeout: it must leave a
			// loaded machine time for the calls without a fault, and the
			// faulty answer must come far later than it.
			srv, c := newPortal(t, bitrix24.WithTimeout(lostAnswerTimeout))
			srv.Inject(tc.method, tc.fault)
			ns := []goal.Notification{note(goal.NotifyAtRisk, "5", at)}
			a := newActions(c)
			if _, err := a.Apply(context.Background(), ns); !errors.Is(err, tc.is) {
				t.Fatalf("err = %v, want %v", err, tc.is)
			}
			res, err := a.Apply(context.Background(), ns)
			if err != nil {
				t.Fatal(err)
			}
			if len(srv.Tasks()) != 1 || len(srv.CalendarEvents()) != 1 {
				t.Fatalf("%d tasks and %d events, want 1 and 1", len(srv.Tasks()), len(srv.CalendarEvents()))
			}
			// The re-run finds what the lost answer created; an event lost
			// with its task was never asked for.
			if res[0].TaskCreated || res[0].EventCreated != (tc.method == "tasks.task.add") {
				t.Errorf("re-run %+v: it should have found what the lost answer created", res[0])
			}
		})
	}
}

// TestActionsOnce is the property: whatever the portal's faults (limits,
// gateway errors before or after the call ran, cut bodies, a leaky bucket)
// and however RemindBefore changes between runs, each notification key has
// at most one task and one event after every run, and exactly one of each
// (for the notifications that make one), the event at the last run's
// reminder time, once the faults stop.
func TestActionsOnce(t *testing.T) {
	at := time.Date(2024, 3, 19, 9, 0, 0, 0, msk)
	users := []string{"3", "4", "5", "sales"}
	kinds := []goal.NotifyKind{goal.NotifyAtRisk, goal.NotifyFailed, goal.NotifyAchieved}
	faults := []fakeb24.Fault{
		{Status: 503, File: "error.QUERY_LIMIT_EXCEEDED.503.json"},
		{Status: 429, File: "error.OPERATION_TIME_LIMIT.429.json"},
		{Status: 502, Body: []byte("bad gateway")},
		{Status: 502, Body: []byte("bad gateway"), Apply: true},
		{Status: 500, Body: []byte(`{"error":"INTERNAL_SERVER_ERROR","error_description":"x"}`), Apply: true},
		{Body: []byte(`{"result":{"task":{"id":"1"}}}`), CutAfter: 7, Apply: true},
		{Body: []byte(`{"result":`), Apply: true},
	}
	methods := []string{"tasks.task.list", "tasks.task.add", "calendar.section.get", "calendar.event.get", "calendar.event.add", "calendar.event.update", "*"}
	// Each run's RemindBefore; every deadline is the end of March in Moscow.
	reminds := []time.Duration{0, 24 * time.Hour, 4 * 24 * time.Hour, 20 * 24 * time.Hour}
	deadline := time.Date(2024, 4, 1, 0, 0, 0, 0, msk)
	rapid.Check(t, func(rt *rapid.T) {
		srv, err := fakeb24.New(fixtures)
		if err != nil {
			rt.Fatal(err)
		}
		defer srv.Close()
		clk := newClock()
		srv.SetClock(clk.Now)
		if rapid.Bool().Draw(rt, "bucket") {
			srv.LimitRate(rapid.IntRange(2, 5).Draw(rt, "max"), 1)
		}
		c, err := bitrix24.New(bitrix24.Webhook(srv.WebhookURL()), bitrix24.WithClock(clk.Now), bitrix24.WithSleep(clk.Sleep),
			bitrix24.WithRetries(rapid.IntRange(0, 3).Draw(rt, "retries")), bitrix24.WithTimeout(5*time.Second))
		if err != nil {
			rt.Fatal(err)
		}
		var ns []goal.Notification
		for i, n := 0, rapid.IntRange(1, 5).Draw(rt, "notifications"); i < n; i++ {
			ns = append(ns, note(rapid.SampledFrom(kinds).Draw(rt, "kind"), rapid.SampledFrom(users).Draw(rt, "user"), at))
		}
		a := newActions(c)
		check := func(stage string) {
			for m, ts := range tasksByMarker(srv) {
				if len(ts) > 1 {
					rt.Fatalf("%s: %d tasks for %s", stage, len(ts), m)
				}
			}
			var markers []string
			for _, n := range ns {
				markers = append(markers, bitrix24.Marker(n.Key))
			}
			for m, evs := range eventsByMarker(srv, markers) {
				if len(evs) > 1 {
					rt.Fatalf("%s: %d events for %s", stage, len(evs), m)
				}
			}
		}
		for run, runs := 0, rapid.IntRange(1, 3).Draw(rt, "faulty runs"); run < runs; run++ {
			for i, k := 0, rapid.IntRange(0, 6).Draw(rt, "faults"); i < k; i++ {
				srv.Inject(rapid.SampledFrom(methods).Draw(rt, "method"), rapid.SampledFrom(faults).Draw(rt, "fault"))
			}
			a.RemindBefore = rapid.SampledFrom(reminds).Draw(rt, "remind")
			_, _ = a.Apply(context.Background(), ns)
			check(fmt.Sprintf("run %d", run))
			srv.ClearFaults()
		}
		srv.LimitRate(0, 0)
		a.RemindBefore = rapid.SampledFrom(reminds).Draw(rt, "last remind")
		res, err := a.Apply(context.Background(), ns)
		if err != nil {
			rt.Fatalf("after the faults: %v", err)
		}
		check("after the faults")
		tasks := tasksByMarker(srv)
		wantTasks := map[string]bool{}
		for i, n := range ns {
			makes := n.Kind != goal.NotifyAchieved && n.Participant != "sales"
			m := bitrix24.Marker(n.Key)
			if makes {
				wantTasks[m] = true
				if len(tasks[m]) != 1 || res[i].TaskID == 0 || res[i].EventID == 0 {
					rt.Fatalf("%s: %d tasks, result %+v", n.Key, len(tasks[m]), res[i])
				}
			} else if len(tasks[m]) != 0 || res[i].Skipped == "" {
				rt.Fatalf("%s: %d tasks for a notification that makes none", n.Key, len(tasks[m]))
			}
		}
		if len(srv.Tasks()) != len(wantTasks) || len(srv.CalendarEvents()) != len(wantTasks) {
			rt.Fatalf("%d tasks and %d events, want %d of each", len(srv.Tasks()), len(srv.CalendarEvents()), len(wantTasks))
		}
		before := a.RemindBefore
		if before == 0 {
			before = 24 * time.Hour
		}
		want := strconv.FormatInt(deadline.Add(-before).Unix(), 10)
		for _, e := range srv.CalendarEvents() {
			if e["DATE_FROM_TS_UTC"] != want {
				rt.Fatalf("event %v starts at %v, want %s (%v before the deadline)", e["ID"], e["DATE_FROM_TS_UTC"], want, before)
			}
		}
	})
}

// TestActionsLimits: the portal's leaky bucket and an operating-time block of
// tasks.task.add delay the actions but neither fails nor duplicates them.
func TestActionsLimits(t *testing.T) {
	t.Parallel()
	srv := newServer(t)
	c, clk := newClient(t, srv, bitrix24.WithMinInterval(0))
	srv.LimitRate(2, 1)
	srv.Block("tasks.task.add", 1, exportTime.Add(2*time.Minute))
	at := time.Date(2024, 3, 19, 9, 0, 0, 0, msk)
	ns := []goal.Notification{note(goal.NotifyAtRisk, "3", at), note(goal.NotifyAtRisk, "5", at), note(goal.NotifyFailed, "7", at)}
	res, err := newActions(c).Apply(context.Background(), ns)
	if err != nil {
		t.Fatal(err)
	}
	if len(res) != 3 || len(srv.Tasks()) != 3 || len(srv.CalendarEvents()) != 3 {
		t.Fatalf("%d results, %d tasks, %d events", len(res), len(srv.Tasks()), len(srv.CalendarEvents()))
	}
	var waited time.Duration
	for _, d := range clk.Slept() {
		waited += d
	}
	// The block lasts two minutes from the first call's clock.
	if waited < 2*time.Minute {
		t.Errorf("waited %v in all, want at least the 2m block", waited)
	}
}

// TestActionsDeadlineMidnightSkipped: a period that ends on a day whose
// midnight a summer-time jump skips (Havana, 9 March 2025: 00:00 is
// 01:00 -04:00) has its deadline at that day's first instant, not at
// 23:00 the day before, inside the period.
func TestActionsDeadlineMidnightSkipped(t *testing.T) {
	t.Parallel()
	havana, err := time.LoadLocation("America/Havana")
	if err != nil {
		t.Skip(err)
	}
	n := note(goal.NotifyAtRisk, "5", time.Date(2025, 3, 3, 9, 0, 0, 0, havana))
	n.Key, n.Period = "at_risk/revenue/5/2025-W10", "2025-W10"
	n.PeriodStart, n.PeriodEnd = date.New(2025, time.March, 2), date.New(2025, time.March, 9)
	srv, c := newPortal(t)
	a := newActions(c)
	a.Location = havana
	if _, err := a.Apply(context.Background(), []goal.Notification{n}); err != nil {
		t.Fatal(err)
	}
	want := time.Date(2025, 3, 9, 5, 0, 0, 0, time.UTC)
	ts := tasksByMarker(srv)[bitrix24.Marker(n.Key)]
	if len(ts) != 1 {
		t.Fatalf("%d tasks, want 1", len(ts))
	}
	dl, err := time.Parse(time.RFC3339, ts[0]["deadline"].(string))
	if err != nil || !dl.Equal(want) {
		t.Errorf("deadline %v, want %v", ts[0]["deadline"], want.In(havana).Format(time.RFC3339))
	}
}

// TestActionsDeadlineOffsetSeconds: in a zone whose offset has seconds (local
// mean time, as Europe/Moscow's +02:30:17 before 1919), the task's deadline
// and the reminder's times name the instants the actions chose; RFC 3339
// text cut the offset to +02:30 and moved each by 17 seconds.
func TestActionsDeadlineOffsetSeconds(t *testing.T) {
	t.Parallel()
	lmt := time.FixedZone("LMT", 2*3600+30*60+17)
	n := note(goal.NotifyAtRisk, "5", time.Time{})
	n.PeriodStart, n.PeriodEnd = date.New(1880, time.March, 1), date.New(1880, time.April, 1)
	srv, c := newPortal(t)
	a := &bitrix24.Actions{Client: c, Location: lmt}
	if _, err := a.Apply(context.Background(), []goal.Notification{n}); err != nil {
		t.Fatal(err)
	}
	// The first instant of 1 April 1880 at +02:30:17 is 31 March 21:29:43 UTC.
	deadline := time.Date(1880, time.March, 31, 21, 29, 43, 0, time.UTC)
	tasks := srv.Tasks()
	if len(tasks) != 1 {
		t.Fatalf("%d tasks", len(tasks))
	}
	got, err := time.Parse(time.RFC3339, tasks[0]["deadline"].(string))
	if err != nil || !got.Equal(deadline) {
		t.Errorf("deadline %v (%v), want %v", tasks[0]["deadline"], err, deadline)
	}
	evs := srv.CalendarEvents()
	if len(evs) != 1 {
		t.Fatalf("%d events", len(evs))
	}
	from := deadline.Add(-24 * time.Hour)
	if got := evs[0]["DATE_FROM_TS_UTC"]; got != strconv.FormatInt(from.Unix(), 10) {
		t.Errorf("reminder from %v, want %d", got, from.Unix())
	}
	to, err := time.Parse(time.RFC3339, evs[0]["DATE_TO"].(string))
	if err != nil || !to.Equal(from.Add(30*time.Minute)) {
		t.Errorf("reminder to %v (%v), want %v", evs[0]["DATE_TO"], err, from.Add(30*time.Minute))
	}
}
