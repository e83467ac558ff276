package goal

import (
	"context"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// actorsValues returns n actors ("a0" on) and the caller's values of a
// count of their calls in March 2025, one call each: a row each, then
// org.Everyone's.
func actorsValues(t *testing.T, n int) (map[string]bool, *Values) {
	t.Helper()
	cal := enginetest.Calendar(t, "UTC")
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "calls", Kinds: []string{"call"}, Aggregate: kpi.Count}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	actors := make(map[string]bool, n)
	var evs events
	for i := range n {
		a := "a" + strconv.Itoa(i)
		actors[a] = true
		evs = append(evs, ev(a, "call", a, time.Date(2025, 3, 2, 10, 0, 0, 0, time.UTC)))
	}
	march := cal.Containing(period.Month, d("2025-03-01"))
	res, err := set.Evaluate(context.Background(), evs, kpi.Request{Calendar: cal, Periods: []period.Period{march}})
	if err != nil {
		t.Fatal(err)
	}
	if got := len(res.Participants()); got != n+1 {
		t.Fatalf("%d participants, want %d", got, n+1)
	}
	return actors, &Values{Result: res}
}

// Whether the caller's values hold a row of each actor found is looked
// up in them: as many allocations for a hundred actors as for ten
// thousand (a map of every participant was made at each report).
func TestReusableLooksUpTheActorsWithoutAMap(t *testing.T) {
	allocs := map[int]float64{}
	for _, n := range []int{100, 10_000} {
		actors, known := actorsValues(t, n)
		f := newFetcher([]*kpi.Set{known.Result.Set()}, kpi.Request{})
		f.known, f.actors = known, actors
		march := known.Result.Periods()[0]
		k := fetchKey{view: 0}
		if !f.reusable()(k, march) {
			t.Fatalf("%d actors: the values, which hold a row of each, are not reusable", n)
		}
		// An actor without a row: not reusable.
		f.actors = map[string]bool{"a0": true, "zz": true}
		if f.reusable()(k, march) {
			t.Fatalf("%d actors: the values are reusable for an actor without a row", n)
		}
		f.actors = map[string]bool{"*": true}
		if f.reusable()(k, march) {
			t.Fatalf("%d actors: the values are reusable for a group's row", n)
		}
		f.actors = actors
		allocs[n] = testing.AllocsPerRun(20, func() { f.reusable() })
	}
	if allocs[10_000] != allocs[100] {
		t.Errorf("reusable allocates %v times with 10,000 actors, %v with 100", allocs[10_000], allocs[100])
	}
}

// The users an evaluation keeps for the next one of its Memo are the map
// of the actors it found, with the goals' own users added: as many
// allocations for a hundred actors as for ten thousand (a second map of
// them all was made at each report).
func TestStateKeepsTheActorsFound(t *testing.T) {
	allocs := map[int]float64{}
	for _, n := range []int{100, 10_000} {
		actors, _ := actorsValues(t, n)
		e := &evaluator{f: newFetcher(nil, kpi.Request{})}
		e.f.actors, e.f.users = actors, map[string]bool{"u": true}
		st := e.state(nil, &passed{}, nil, nil)
		if len(st.users) != n+1 || !st.users["u"] || !st.users["a0"] {
			t.Fatalf("%d actors: %d users kept, want the %d actors and u", n, len(st.users), n)
		}
		// Shared with the last evaluation's: a map of its own.
		e.f.users, e.f.sameActors = map[string]bool{"v": true}, true
		if st2 := e.state(nil, &passed{}, nil, nil); !st2.users["v"] || st.users["v"] {
			t.Fatalf("%d actors: the users of the last evaluation changed (or the new one lost v)", n)
		}
		e.f.users, e.f.sameActors = map[string]bool{"u": true}, false
		allocs[n] = testing.AllocsPerRun(20, func() { e.state(nil, &passed{}, nil, nil) })
	}
	if allocs[10_000] != allocs[100] {
		t.Errorf("state allocates %v times with 10,000 actors, %v with 100", allocs[10_000], allocs[100])
	}
}

// The actors found of a Memo's instances go into a map made with room for
// them: fewer allocations than a map grown entry by entry, as it was.
func TestAddFoundMakesTheMapOnce(t *testing.T) {
	const n = 10_000
	var found [][]subject
	for range 3 { // three months of the same actors
		ss := make([]subject, n)
		for i := range ss {
			a := "a" + strconv.Itoa(i)
			ss[i] = subject{id: a, kind: User, pid: a}
		}
		found = append(found, ss)
	}
	var f *fetcher
	got := testing.AllocsPerRun(10, func() {
		f = newFetcher(nil, kpi.Request{})
		f.addFound(found)
	})
	if len(f.actors) != n {
		t.Fatalf("%d actors found, want %d", len(f.actors), n)
	}
	var m map[string]bool
	grown := testing.AllocsPerRun(10, func() {
		_ = newFetcher(nil, kpi.Request{})
		m = map[string]bool{}
		for _, sj := range found[0] {
			m[sj.id] = true
		}
	})
	if len(m) != n {
		t.Fatalf("%d keys, want %d", len(m), n)
	}
	if got >= grown {
		t.Errorf("adding %d actors allocates %v times, a fetcher and a map grown entry by entry %v", n, got, grown)
	}
}

// A subject that moved among the last evaluation's subjects of an
// instance is found in their sorted list without allocating (a map of
// every subject, each key a new string, was made for each instance where
// one had moved, at every report while actors came); one not there is
// -1, and one listed twice is at its last place.
func TestPriorPlaceFindsMovedSubjects(t *testing.T) {
	var ss []subject
	for i := range 2000 {
		a := strconv.Itoa(i)
		ss = append(ss, subject{id: a, kind: User, pid: a})
	}
	ss = append(ss, subject{id: "sales", kind: Team}, subject{id: "sales", kind: Team}, subject{id: "*", kind: Company})
	sortSubjects(ss)
	mr := &memoRows{subjects: ss}
	pr, _ := (&Memo{last: &memoState{}}).begin(memoKey{}, instants{})
	e := &evaluator{prior: pr}
	in := &inst{g: &Goal{}}
	// The place each would have by a scan: the last equal one.
	scan := func(sj subject) int {
		at := -1
		for j, s := range ss {
			if s.id == sj.id && s.kind == sj.kind {
				at = j
			}
		}
		return at
	}
	probes := []subject{{id: "1999", kind: User}, {id: "0", kind: User}, {id: "1000", kind: User}, {id: "sales", kind: Team},
		{id: "*", kind: Company}, {id: "2000", kind: User}, {id: "sales", kind: User}, {id: "*", kind: User}}
	for _, sj := range probes {
		// A new subject sorted first moved every other one place on.
		if got, want := e.priorPlace(mr, in, 0, sj), scan(sj); got != want {
			t.Errorf("%s %q: place %d, want %d", sj.kind, sj.id, got, want)
		}
	}
	// A report's first look in an instance: a fresh prior each run.
	memo := &Memo{last: &memoState{}}
	fresh := func() *prior {
		pr, _ := memo.begin(memoKey{}, instants{})
		return pr
	}
	alone := testing.AllocsPerRun(20, func() { fresh() })
	found := testing.AllocsPerRun(20, func() {
		e.prior = fresh()
		for i, sj := range ss {
			e.priorPlace(mr, in, i+1, sj)
		}
	})
	if found != alone {
		t.Errorf("finding %d moved subjects allocates %v times, want none (the prior itself: %v)", len(ss), found-alone, alone)
	}
}
