package kpi

import (
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/formula"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A tracker's read after a version shares with the read before it every
// row the version left alone and, in the row of its actor (and of
// org.Everyone), every period whose values stayed the same: only the
// periods that changed are new.
func TestTrackerReadSharesThePeriodsThatStayed(t *testing.T) {
	ctx := context.Background()
	cal, set := countAndRevenue(t)
	jan := cal.Containing(period.Month, date.New(2025, 1, 1))
	periods := []period.Period{jan, cal.Next(jan), cal.Next(cal.Next(jan))}
	tr, err := set.Track(ctx, Request{Calendar: cal, Periods: periods}, nil)
	if err != nil {
		t.Fatal(err)
	}
	event := func(id, actor string, month time.Month, amount int64) Event {
		return Event{ID: id, Kind: "won", Actor: actor, Time: time.Date(2025, month, 10, 12, 0, 0, 0, time.UTC),
			Amount: decimal.NewNullDecimal(decimal.New(amount, 0))}
	}
	if err := tr.Apply(ctx, event("1", "a", 1, 5), event("2", "a", 2, 7), event("3", "b", 1, 1), event("4", "b", 3, 2)); err != nil {
		t.Fatal(err)
	}
	before, err := tr.Result(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	// A correction of a's February amount: February of a and of everyone
	// changes, nothing else.
	if err := tr.Apply(ctx, event("2", "a", 2, 9)); err != nil {
		t.Fatal(err)
	}
	after, err := tr.Result(ctx, time.Time{})
	if err != nil {
		t.Fatal(err)
	}
	if v, _ := after.Value("rev", "a", periods[1]); !v.Decimal.Equal(decimal.New(9, 0)) {
		t.Fatalf("a's February revenue %v, want 9", v)
	}
	for pi, part := range after.Participants() {
		for qi := range periods {
			same := &after.values[pi].period(qi, after.width)[0] == &before.values[pi].period(qi, before.width)[0]
			changed := qi == 1 && part != "b"
			if same == changed {
				t.Errorf("%s, period %d: shared %v, the version changed it %v", part, qi, same, changed)
			}
		}
	}
}

// A row made again from new values (valueRow.with) holds those values in
// every period, shares each period whose values are the same with the row
// it replaces (one slice or already shared), and is that row when no
// period changed.
func TestValueRowWithSharesWhatStayed(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		width, nQ := rapid.IntRange(1, 4).Draw(t, "width"), rapid.IntRange(1, 6).Draw(t, "periods")
		num := func(i int) formula.Value { return formula.Int(int64(i)) }
		all := make([]formula.Value, nQ*width)
		for i := range all {
			all[i] = num(i)
		}
		rows := []valueRow{{all: all}}
		for step := range rapid.IntRange(1, 5).Draw(t, "steps") {
			was := rows[len(rows)-1]
			vals := make([]formula.Value, nQ*width)
			changed := make([]bool, nQ)
			for qi := range nQ {
				copy(vals[qi*width:], was.period(qi, width))
				if rapid.Bool().Draw(t, "change") {
					changed[qi] = true
					vals[qi*width+rapid.IntRange(0, width-1).Draw(t, "ix")] = num(1000 * (step + 1))
				}
			}
			got := was.with(vals, width)
			for qi := range nQ {
				p := got.period(qi, width)
				if !slices.Equal(p, vals[qi*width:(qi+1)*width]) {
					t.Fatalf("step %d, period %d: %v, want %v", step, qi, p, vals[qi*width:(qi+1)*width])
				}
				if shared := &p[0] == &was.period(qi, width)[0]; shared == changed[qi] {
					t.Fatalf("step %d, period %d: shared %v, changed %v", step, qi, shared, changed[qi])
				}
				if cap(p) != width {
					t.Fatalf("step %d, period %d: room past the period's values", step, qi)
				}
			}
			if !slices.Contains(changed, true) && (got.per == nil) != (was.per == nil) {
				t.Fatalf("step %d: nothing changed, yet a new row", step)
			}
			rows = append(rows, got)
		}
		// The rows made before are as they were.
		for qi := range nQ {
			for ix := range width {
				if v := rows[0].period(qi, width)[ix]; v != num(qi*width+ix) {
					t.Fatalf("the first row changed: %v", v)
				}
			}
		}
	})
}

// A read after events of participants the last read did not have (a new
// actor sorted between the others, a retraction that leaves one without
// events) computes those rows and the ones the events touched, and takes
// every other row from the last read, moved to its new place.
func TestTrackerReadMovesTheRowsThatStayed(t *testing.T) {
	ctx := context.Background()
	cal, set := countAndRevenue(t)
	jan := cal.Containing(period.Month, date.New(2025, 1, 1))
	periods := []period.Period{jan, cal.Next(jan)}
	tr, err := set.Track(ctx, Request{Calendar: cal, Periods: periods, Groups: []org.Group{{ID: "team", Members: []string{"a", "c"}}}}, nil)
	if err != nil {
		t.Fatal(err)
	}
	event := func(id, actor string, amount int64) Event {
		return Event{ID: id, Kind: "won", Actor: actor, Time: time.Date(2025, 1, 10, 12, 0, 0, 0, time.UTC),
			Amount: decimal.NewNullDecimal(decimal.New(amount, 0))}
	}
	if err := tr.Apply(ctx, event("1", "a", 5), event("2", "c", 7), event("3", "d", 1)); err != nil {
		t.Fatal(err)
	}
	read := func() *Result {
		t.Helper()
		res, err := tr.Result(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		return res
	}
	rowOf := func(r *Result, part string) *formula.Value {
		return &r.values[r.pindex[part]].period(0, r.width)[0]
	}
	steps := []struct {
		name    string
		events  []Event
		want    []string // participants, in order
		shared  []string // rows taken from the last read
		revenue map[string]int64
	}{
		{"b comes", []Event{event("4", "b", 2)}, []string{"a", "b", "c", "d", "team", "*"}, []string{"a", "c", "d", "team"},
			map[string]int64{"a": 5, "b": 2, "c": 7, "d": 1, "team": 12, "*": 15}},
		{"a's correction, e comes", []Event{event("1", "a", 6), event("5", "e", 3)}, []string{"a", "b", "c", "d", "e", "team", "*"}, []string{"b", "c", "d"},
			map[string]int64{"a": 6, "b": 2, "c": 7, "d": 1, "e": 3, "team": 13, "*": 19}},
		{"d goes", []Event{{ID: "3", Deleted: true}}, []string{"a", "b", "c", "e", "team", "*"}, []string{"a", "b", "c", "e", "team"},
			map[string]int64{"a": 6, "b": 2, "c": 7, "e": 3, "team": 13, "*": 18}},
	}
	before := read()
	for _, st := range steps {
		if err := tr.Apply(ctx, st.events...); err != nil {
			t.Fatal(err)
		}
		after := read()
		if !slices.Equal(after.Participants(), st.want) {
			t.Fatalf("%s: participants %v, want %v", st.name, after.Participants(), st.want)
		}
		for _, part := range st.want {
			v, _ := after.Value("rev", part, periods[0])
			if !v.Valid || !v.Decimal.Equal(decimal.New(st.revenue[part], 0)) {
				t.Errorf("%s: %s's revenue %v, want %d", st.name, part, v, st.revenue[part])
			}
			if v, _ := after.Value("rev", part, periods[1]); !v.Valid || !v.Decimal.IsZero() {
				t.Errorf("%s: %s's February revenue %v, want 0", st.name, part, v)
			}
			_, had := before.pindex[part]
			same := had && rowOf(after, part) == rowOf(before, part)
			if want := slices.Contains(st.shared, part); same != want {
				t.Errorf("%s: %s's row shared %v, want %v", st.name, part, same, want)
			}
		}
		before = after
	}
}

// countAndRevenue is the calendar and the indicators of the sharing tests:
// a count of won deals and calls, and the revenue of won deals.
func countAndRevenue(t *testing.T) (*period.Calendar, *Set) {
	t.Helper()
	cal, err := period.LoadCalendar("Europe/Berlin")
	if err != nil {
		t.Fatal(err)
	}
	set, err := Compile([]IndicatorDef{
		{ID: "n", Kinds: []string{"won", "call"}, Aggregate: Count},
		{ID: "rev", Kinds: []string{"won"}, Aggregate: Sum, Value: "amount"},
	}, Env{})
	if err != nil {
		t.Fatal(err)
	}
	return cal, set
}

// A tracker's reads while actors keep coming (each read has a row more
// than the last) move the rows that stayed into the arrays of an earlier
// read: those arrays have room for a few more rows, so that most reads
// make no new ones (each made them all again, megabytes a read of a
// tracker of a few thousand actors).
func TestTrackerReadsWhileActorsComeReuseTheirArrays(t *testing.T) {
	ctx := context.Background()
	cal, set := countAndRevenue(t)
	jan := cal.Containing(period.Month, date.New(2025, 1, 1))
	periods := []period.Period{jan}
	for range 11 {
		periods = append(periods, cal.Next(periods[len(periods)-1]))
	}
	tr, err := set.Track(ctx, Request{Calendar: cal, Periods: periods}, nil)
	if err != nil {
		t.Fatal(err)
	}
	const reads = 200
	arrays := map[*formula.Value]bool{}
	for i := range reads {
		actor := fmt.Sprintf("u%03d", i)
		e := Event{ID: actor, Kind: "won", Actor: actor, Time: time.Date(2025, time.Month(1+i%12), 10, 12, 0, 0, 0, time.UTC),
			Amount: decimal.NewNullDecimal(decimal.New(int64(i+1), 0))}
		if err := tr.Apply(ctx, e); err != nil {
			t.Fatal(err)
		}
		res, err := tr.Result(ctx, time.Time{})
		if err != nil {
			t.Fatal(err)
		}
		if got := len(res.Participants()); got != i+2 { // the actors and org.Everyone
			t.Fatalf("read %d: %d participants, want %d", i, got, i+2)
		}
		if v, _ := res.Value("rev", actor, periods[i%12]); !v.Valid || !v.Decimal.Equal(decimal.New(int64(i+1), 0)) {
			t.Fatalf("read %d: %s's revenue %v, want %d", i, actor, v, i+1)
		}
		fin := tr.st.fin
		if fin == nil || len(fin.base) == 0 || len(fin.base[0]) == 0 {
			t.Fatalf("read %d: no values kept", i)
		}
		arrays[&fin.base[0][:1][0]] = true
	}
	// Exact sizes made a new set at every read (200); with an eighth more
	// room, a set of arrays of r rows serves the reads of about r/16 more
	// rows (two sets take turns): some fifty sets.
	if len(arrays) > reads/2 {
		t.Errorf("%d reads made %d sets of arrays, want at most %d", reads, len(arrays), reads/2)
	}
}

// The participants of a finish are listed without a map of the actors
// seen: as many allocations as the list and the index of the result (a
// map of every actor was made and dropped at each finish, thousands of
// entries at each of a tracker's reads and of the goals' fetches).
func TestParticipantsListedWithoutAMap(t *testing.T) {
	const n = 10_000
	tab := NewTable(time.UTC)
	seen := make([]bool, 1, n+1)
	for i := range n {
		code := tab.t.AddActor("a" + fmt.Sprint(i))
		for len(seen) <= int(code) {
			seen = append(seen, false)
		}
		seen[code] = true
	}
	req := &Request{Participants: []string{"a7", "zz"}, Groups: []org.Group{{ID: "team", Members: []string{"a1"}}, {ID: "a3"}}}
	var f finished
	got := testing.AllocsPerRun(10, func() {
		f = finished{}
		if err := f.participants(tab.t, req, seen); err != nil {
			t.Fatal(err)
		}
	})
	if len(f.names) != n+3 || f.nReal != n+1 || f.names[f.nReal-1] != "zz" || f.names[n+1] != "team" || f.names[n+2] != org.Everyone {
		t.Fatalf("participants %d (%d actors), last actor %q, then %q", len(f.names), f.nReal, f.names[f.nReal-1], f.names[f.nReal:])
	}
	if !slices.Equal(f.shadowed, []string{"a3"}) {
		t.Fatalf("shadowed %q, want a3", f.shadowed)
	}
	ids := slices.Clone(f.names)
	want := testing.AllocsPerRun(10, func() {
		names := make([]string, 0, len(ids))
		names = append(names, ids...)
		index := make(map[string]int, len(names))
		for i, s := range names {
			index[s] = i
		}
	})
	// Besides: the groups without the shadowed one, the list of it, and
	// the look-up of the actors among the names.
	if got > want+3 {
		t.Errorf("listing %d participants allocates %v times, a list and an index of them %v", n, got, want)
	}
}
