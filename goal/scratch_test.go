package goal

import (
	"context"
	"fmt"
	"slices"
	"strconv"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// rankedRows returns n rows of users, teams and the company with
// achievements of few values (ties among them), ranked.
func rankedRows(n int) *segment {
	kinds := []ParticipantKind{User, Team, User, Company}
	sg := &segment{whole: true}
	for i := range n {
		r := &Row{Participant: strconv.Itoa(i), Kind: kinds[i%len(kinds)]}
		if i%5 > 0 {
			r.Achievement.Uncapped = decimal.NewNullDecimal(decimal.New(int64(i%7), -1))
		}
		sg.rows = append(sg.rows, r)
	}
	var scratch []int
	sg.rank(&scratch)
	return sg
}

// Ranking the rows of an instance, and the rank of one row among rows
// kept, allocate nothing once the caller's scratch list has room: ranking
// made a map of the places by kind and grew each list of them, and rankBy
// made three lists at each call.
func TestRanksAllocateNothing(t *testing.T) {
	sg := rankedRows(2000)
	var scratch []int
	sg.rank(&scratch)
	if got := testing.AllocsPerRun(20, func() { sg.rank(&scratch) }); got != 0 {
		t.Errorf("ranking ranked rows allocates %v times, want none", got)
	}
	sg.whole, sg.from = false, make([]int, len(sg.rows))
	for i := range sg.from {
		sg.from[i] = i
	}
	sg.from[10] = -1 // computed again
	for _, i := range []int{3, 10, 1999} {
		if got, want := rankBy(sg, i, &scratch), rankAmong(sg.rows, i); got != want {
			t.Errorf("row %d: rank %d, among all %d", i, got, want)
		}
	}
	if got := testing.AllocsPerRun(20, func() { rankBy(sg, 3, &scratch) }); got != 0 {
		t.Errorf("the rank of a row among rows kept allocates %v times, want none", got)
	}
}

// The label of a row's period is the last row's when it is of the same
// period: one label made for the rows of an instance.
func TestLabelOfTheLastPeriod(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	e := &evaluator{cal: cal}
	march, april := cal.Containing(period.Month, d("2025-03-01")), cal.Containing(period.Month, d("2025-04-01"))
	for _, p := range []period.Period{march, march, april, march} {
		if got, want := e.labelOf(p), cal.Label(p); got != want {
			t.Fatalf("label %q, want %q", got, want)
		}
	}
	if got := testing.AllocsPerRun(20, func() { e.labelOf(march) }); got != 0 {
		t.Errorf("the label of the last row's period allocates %v times, want none", got)
	}
}

// Merged, two sorted lists of subjects none of which is in both are those
// of a stable sort of the one after the other.
func TestMergeSubjectsIsAStableSort(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ids := rapid.SliceOfDistinct(rapid.StringMatching(`[a-c]{1,3}`), rapid.ID[string]).Draw(t, "ids")
		var a, b []subject
		for _, id := range ids {
			kind := rapid.SampledFrom([]ParticipantKind{User, User, Team, Company}).Draw(t, "kind")
			sj := subject{id: id, kind: kind, pid: id}
			if rapid.Bool().Draw(t, "a") {
				a = append(a, sj)
			} else {
				b = append(b, sj)
			}
		}
		sortSubjects(a)
		sortSubjects(b)
		want := append(slices.Clone(a), b...)
		sortSubjects(want)
		got := mergeSubjects(a, b)
		if !slices.EqualFunc(got, want, func(x, y subject) bool { return x.id == y.id && x.kind == y.kind }) || cap(got) != len(want) {
			t.Fatalf("merged %v (room %d), want %v", got, cap(got), want)
		}
	})
}

// The actors a Memo's report finds among the versions noted join the last
// report's in one list made as long as both (the last one's was copied,
// then grown by appends), sorted.
func TestFoundActorsMadeOnce(t *testing.T) {
	const n = 2000
	march := time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC)
	_, in := begunAfter(t, n, ev("n1", "call", "new", march), ev("n2", "call", "zz", march), ev("n3", "call", "a", march))
	ss := in.subjects
	if in.dynamic || len(ss) != n+3 || cap(ss) != n+3 {
		t.Fatalf("%d subjects in a list of room %d (still to be found: %v), want %d in %d", len(ss), cap(ss), in.dynamic, n+3, n+3)
	}
	if !slices.IsSortedFunc(ss, cmpSubjects) || !slices.ContainsFunc(ss, func(sj subject) bool { return sj.id == "zz" }) {
		t.Fatalf("subjects not sorted, or without zz: %v", ss[:5])
	}
}

// The participants a fetcher asks kpi for are a list of its Memo's prior,
// reused by the next report: the bytes of a run that evaluates nothing
// are not a list of every user (16 bytes each).
func TestRunListsUsersInThePrior(t *testing.T) {
	const n = 10_000
	users := make(map[string]bool, n)
	for i := range n {
		users[fmt.Sprint("u", i)] = true
	}
	f := newFetcher(nil, kpi.Request{})
	f.users = users
	f.prior = &prior{state: &memoState{users: users}}
	tab := snapshot(mustCompile(t, enginetest.Calendar(t, "UTC"), []kpi.IndicatorDef{{ID: "calls", Kinds: []string{"call"}, Aggregate: kpi.Count}}), events{})
	got := bytesPerRun(10, func() {
		f.recording = true
		if err := f.run(context.Background(), tab); err != nil {
			t.Fatal(err)
		}
	})
	if got > 16*n/2 {
		t.Errorf("a run with a prior allocates %.0f bytes, want under %d (a list of %d users: %d)", got, 16*n/2, n, 16*n)
	}
}
