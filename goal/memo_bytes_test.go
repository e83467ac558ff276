package goal

import (
	"context"
	"runtime"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// bytesPerRun returns the bytes f allocates, on average over runs calls
// after a first one.
func bytesPerRun(runs int, f func()) float64 {
	f()
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range runs {
		f()
	}
	runtime.ReadMemStats(&after)
	return float64(after.TotalAlloc-before.TotalAlloc) / float64(runs)
}

// usersMonth returns a set of one goal for each member of the company
// (found among the events: no directory) for March 2025, a call of each
// of n users ("u0" on), and the request of a report as of 20 March with a
// Memo.
func usersMonth(t *testing.T, n int) (*Set, *kpi.Table, Request) {
	t.Helper()
	return usersMonthOf(t, n, "5", time.Date(2025, 3, 2, 10, 0, 0, 0, time.UTC))
}

// usersMonthOf is usersMonth with a target, the calls at an instant, and
// a notification of each row achieved.
func usersMonthOf(t *testing.T, n int, target string, call time.Time) (*Set, *kpi.Table, Request) {
	t.Helper()
	cal := enginetest.Calendar(t, "UTC")
	users := make([]string, n)
	evs := make(events, n)
	for i := range users {
		users[i] = "u" + strconv.Itoa(i)
		evs[i] = ev("c"+strconv.Itoa(i), "call", users[i], call)
	}
	s := mustCompile(t, cal, []kpi.IndicatorDef{{ID: "calls", Kinds: []string{"call"}, Aggregate: kpi.Count}},
		Def{ID: "g", Indicator: "calls", Target: dp(target), Period: Every(period.Month, d("2025-03-01")),
			Participants: ParticipantsDef{Company: true, Mode: Each}, Notify: []NotifyRule{{On: NotifyAchieved}}})
	req := Request{AsOf: time.Date(2025, 3, 20, 12, 0, 0, 0, time.UTC), From: d("2025-03-01"), To: d("2025-04-01"),
		Memo: new(Memo), Workers: 1}
	return s, snapshot(s, evs), req
}

// A report of a Memo that takes every row from the last one makes one
// list of the rows, the result's: the Memo keeps the last one's lists by
// instance, shared. (The pass made a flat list that the Memo kept, and the
// result a copy of it: two lists of every row at each report.)
func TestMemoReportMakesOneListOfTheRows(t *testing.T) {
	const n = 20_000
	s, tab, req := usersMonth(t, n)
	var res *Result
	got := bytesPerRun(10, func() {
		var err error
		if res, err = s.Evaluate(context.Background(), tab, req); err != nil {
			t.Fatal(err)
		}
	})
	if len(res.Rows) != n {
		t.Fatalf("%d rows, want %d", len(res.Rows), n)
	}
	// A pointer a row: 8n bytes for the list, half as many again for the
	// rest of a report that computes nothing.
	if list := 8.0 * n; got > 1.5*list {
		t.Errorf("a report that keeps every row allocates %.0f bytes, want under %.0f (a list of %d rows: %.0f)", got, 1.5*list, n, list)
	}
}

// begunAfter returns the evaluator of a report of usersMonth's set of n
// users, and its instance of March, begun (evaluator.begin) from the Memo
// of an earlier report after the versions applied were noted.
func begunAfter(t *testing.T, n int, applied ...kpi.Event) (*evaluator, *inst) {
	t.Helper()
	ctx := context.Background()
	s, tab, req := usersMonth(t, n)
	if _, err := s.Evaluate(ctx, tab, req); err != nil {
		t.Fatal(err)
	}
	req.Memo.Note(applied, nil)
	e, err := s.newEvaluator(ctx, tab, &req)
	if err != nil {
		t.Fatal(err)
	}
	in, err := e.instance(s.goals[0], s.cal.Containing(period.Month, d("2025-03-01")))
	if err != nil {
		t.Fatal(err)
	}
	since := s.cal.Midnight(d("2025-03-20")).Add(-time.Nanosecond)
	e.begin(req.Memo, memoKey{from: req.From, to: req.To}, instants{req.AsOf, since}, []*inst{in})
	return e, in
}

// The rows a report of a Memo keeps of an instance where one user's events
// changed are found without allocating, once the prior's arena has room:
// their places there come from the arena, which the Memo's reports reuse,
// and rows without corrections make no list of them. (Each instance's look
// made two lists of every subject, and the recording pass's two more.)
func TestKeptRowsAllocateNothing(t *testing.T) {
	const n = 2000
	e, in := begunAfter(t, n, ev("again", "call", "u7", time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)))
	if e.prior == nil {
		t.Fatal("nothing taken from the Memo")
	}
	mr := e.priorInst(in)
	ss := in.measured()
	var sg segment
	look := func(sg *segment) []*Row {
		e.prior.arena = e.prior.arena[:0] // as at the next report (release)
		return e.keptRows(mr, in, ss, false, sg)
	}
	kept := look(&sg)
	if len(kept) != n || sg.corrections != nil || len(sg.from) != n {
		t.Fatalf("%d rows, a list of %d corrections, %d places; want %d, none, %d", len(kept), len(sg.corrections), len(sg.from), n, n)
	}
	for i, r := range kept {
		want := i
		if ss[i].id == "u7" {
			want = -1
		}
		if r != nil != (want >= 0) || sg.from[i] != want || r != nil && r != mr.at.rows[i] {
			t.Fatalf("row %d (%s): kept %v, place %d; want the last report's, place %d", i, ss[i].id, r != nil, sg.from[i], want)
		}
	}
	if got := testing.AllocsPerRun(20, func() { look(&sg) }); got != 0 {
		t.Errorf("finding the rows kept allocates %v times, want none", got)
	}
	if got := testing.AllocsPerRun(20, func() { look(nil) }); got != 0 {
		t.Errorf("finding the rows kept for the recording pass allocates %v times, want none", got)
	}
}

// A Memo keeps the notifications of an instance's rows as a list of them
// by row only when one has any: none of 2,000 rows achieved, as of one
// instant and a second later (where each instance's are made again), no
// list of 2,000 empty entries; and the report's notifications, when there
// are, are a list made once, as long as its room.
func TestNotificationsListedOnlyWhenAny(t *testing.T) {
	const n = 2000
	ctx := context.Background()
	s, tab, req := usersMonth(t, n)
	for _, at := range []time.Time{req.AsOf, req.AsOf.Add(time.Second)} {
		req.AsOf = at
		res, err := s.Evaluate(ctx, tab, req)
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Rows) != n || res.Notifications != nil {
			t.Fatalf("as of %s: %d rows, %d notifications; want %d, none", at, len(res.Rows), len(res.Notifications), n)
		}
		for k, mr := range req.Memo.last.insts {
			if mr.notes.n != n || mr.notes.at != nil {
				t.Errorf("as of %s, %v: notes of %d rows in a list of %d, want %d in none", at, k, mr.notes.n, len(mr.notes.at), n)
			}
		}
	}
	// Each user achieved a target of 1 with a call today.
	s, tab, req = usersMonthOf(t, n, "1", time.Date(2025, 3, 20, 10, 0, 0, 0, time.UTC))
	res, err := s.Evaluate(ctx, tab, req)
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Notifications) != n || cap(res.Notifications) != n {
		t.Errorf("%d notifications in a list of room %d, want %d in %d", len(res.Notifications), cap(res.Notifications), n, n)
	}
	for k, mr := range req.Memo.last.insts {
		if len(mr.notes.at) != n || len(mr.notes.of(n-1)) != 1 {
			t.Errorf("%v: notes of %d rows, the last one's %d; want %d, 1", k, len(mr.notes.at), len(mr.notes.of(n-1)), n)
		}
	}
}
