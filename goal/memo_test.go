package goal

import (
	"cmp"
	"context"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/rickb777/date/v2"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

func TestChangesBound(t *testing.T) {
	for _, c := range []struct{ events, want int }{
		{0, 1 << 16}, {1_000, 1 << 16}, {1 << 16, 1 << 16}, {100_000, 100_000}, {1 << 21, 1 << 21}, {10_000_000, 1 << 21},
	} {
		if got := changesBound(c.events); got != c.want {
			t.Errorf("changesBound(%d) = %d, want %d", c.events, got, c.want)
		}
	}
}

// A Memo keeps the changes noted after an evaluation of a table of n
// events up to the bound of n (then the next evaluation takes from the
// last one), and past it starts afresh.
func TestMemoKeepsChangesUpToTheBoundOfItsTable(t *testing.T) {
	for _, events := range []int{10, 100_000} {
		t.Run(fmt.Sprint(events), func(t *testing.T) {
			bound := changesBound(events)
			m := new(Memo)
			m.keep(&memoState{events: events})
			note := func(n int) {
				batch := make([]kpi.Event, n)
				for i := range batch {
					batch[i] = kpi.Event{ID: fmt.Sprint(i), Kind: "call", Actor: "u", Time: time.Unix(int64(i), 0)}
				}
				m.Note(batch, nil)
			}
			note(bound - 1)
			note(1)
			if m.last == nil || len(m.changes) != bound {
				t.Fatalf("after %d changes: kept %v, %d changes", bound, m.last != nil, len(m.changes))
			}
			pr, _ := m.begin(m.last.key, instants{asOf: time.Unix(1<<40, 0)})
			if pr == nil || len(pr.changes) != bound {
				t.Fatalf("an evaluation after %d changes takes nothing from the last", bound)
			}
			m.release(pr)
			note(1)
			if m.last != nil || len(m.changes) != 0 {
				t.Fatalf("after %d changes: kept %v, %d changes", bound+1, m.last != nil, len(m.changes))
			}
		})
	}
}

// Whether a change at or before an instant is dated in a span of dates
// (datedBy) is what a scan of the changes says, whatever their dates
// (spans of days counted by date, and spans too long for that), and an
// evaluation's scratch, given back and taken again, starts empty.
func TestDatedByIsAScan(t *testing.T) {
	cal := enginetest.Calendar(t, "Europe/Berlin")
	base := time.Date(2025, 1, 1, 0, 0, 0, 0, cal.Location())
	rapid.Check(t, func(t *rapid.T) {
		m := new(Memo)
		m.keep(&memoState{})
		for round := range 2 {
			// Up to an hour, a month, or three thousand years apart (too
			// many days to count by date).
			spread := rapid.SampledFrom([]time.Duration{time.Hour, 30 * 24 * time.Hour, 0}).Draw(t, "spread")
			instant := func(label string) time.Time {
				if spread == 0 {
					return base.AddDate(rapid.IntRange(-1500, 1500).Draw(t, label+"Years"), 0, 0).Add(time.Duration(rapid.IntRange(0, 1000).Draw(t, label+"Hours")) * time.Hour)
				}
				return base.Add(time.Duration(rapid.Int64Range(-int64(spread), int64(spread)).Draw(t, label)))
			}
			var applied []kpi.Event
			for i := range rapid.IntRange(0, 30).Draw(t, "changes") {
				at := instant("at")
				applied = append(applied, kpi.Event{ID: fmt.Sprint(i), Kind: "call", Actor: "u", Time: at})
			}
			m.Note(applied, nil)
			pr, _ := m.begin(m.last.key, instants{asOf: base.AddDate(2000, 0, 0)})
			if len(pr.changes) != len(applied) {
				t.Fatalf("round %d: %d changes taken, %d noted", round, len(pr.changes), len(applied))
			}
			pr.note(cal, false)
			for range 20 {
				from := cal.Date(instant("from"))
				to := from + date.Date(rapid.IntRange(0, 400).Draw(t, "days"))
				at := instant("by")
				want := false
				for _, e := range applied {
					if d := cal.Date(e.Time); !e.Time.After(at) && d >= from && d < to {
						want = true
					}
				}
				if got := pr.datedBy(from, to, at); got != want {
					t.Fatalf("round %d: a change by %s dated in [%s, %s): %v, a scan says %v", round, at, from, to, got, want)
				}
				var dated []int32
				for k, e := range applied {
					if d := cal.Date(e.Time); d >= from && d < to {
						dated = append(dated, int32(k))
					}
				}
				slices.SortStableFunc(dated, func(a, b int32) int { return cmp.Compare(pr.days[a], pr.days[b]) })
				if ks, ok := pr.inDays(from, to); ok && !slices.Equal(ks, dated) || !ok && spread != 0 && len(applied) > 0 {
					t.Fatalf("round %d: the changes dated in [%s, %s): %v (%v), by date %v", round, from, to, ks, ok, dated)
				}
			}
			m.release(pr)
			m.changes = m.changes[:0]
		}
	})
}

// A segment's rows are ranked as score.Rank ranks their standings: by
// achievement, ties (the same value at any exponent) sharing a rank, rows
// without one 0, a met goal without a value above every value; by kind;
// a row whose rank changes is a copy, the others the rows given.
func TestSegmentRankIsScoreRank(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(0, 40).Draw(t, "rows")
		rows := make([]*Row, n)
		was := make([]Row, n)
		for i := range rows {
			r := &Row{Participant: fmt.Sprint("p", i), Kind: rapid.SampledFrom([]ParticipantKind{User, Team}).Draw(t, "kind"),
				Rank: rapid.IntRange(0, 3).Draw(t, "rank")}
			switch rapid.IntRange(0, 4).Draw(t, "achievement") {
			case 0: // none
			case 1:
				r.Achievement.Met = true // met at zero, lower is better
			default:
				v := decimal.New(int64(rapid.IntRange(-3, 12).Draw(t, "value")), 0)
				r.Achievement.Uncapped = decimal.NewNullDecimal(v.Shift(int32(rapid.IntRange(0, 2).Draw(t, "exp"))).Shift(-int32(rapid.IntRange(0, 2).Draw(t, "back"))))
				r.Achievement.Met = rapid.Bool().Draw(t, "met")
			}
			rows[i], was[i] = r, *r
		}
		given := slices.Clone(rows)
		sg := &segment{rows: slices.Clone(rows), from: make([]int, n), shared: false}
		for i := range sg.from {
			sg.from[i] = i // kept rows: a change makes a copy
		}
		var scratch []int
		sg.rank(&scratch)
		for _, kind := range []ParticipantKind{User, Team} {
			var ss []score.Standing
			for i, r := range was {
				if r.Kind == kind {
					s := standing(r.Achievement)
					s.Participant = fmt.Sprint(i)
					ss = append(ss, s)
				}
			}
			for _, s := range score.Rank(ss, false) {
				var i int
				fmt.Sscan(s.Participant, &i)
				if got := sg.rows[i].Rank; got != s.Rank {
					t.Fatalf("row %d (%v): rank %d, score.Rank %d", i, was[i].Achievement, got, s.Rank)
				}
				if changed := sg.rows[i] != given[i]; changed != (was[i].Rank != s.Rank) || given[i].Rank != was[i].Rank {
					t.Fatalf("row %d: rank %d → %d, a copy: %v; the row given now ranks %d", i, was[i].Rank, s.Rank, changed, given[i].Rank)
				}
			}
		}
	})
}

// Notes made while evaluations are kept, at the same time, are never lost:
// whether Note counts a version alone (nothing kept) or with its change
// (an evaluation kept), afterwards the count is every version noted and
// the changes kept are exactly those noted after the kept evaluation read
// the count. Run with -race.
func TestMemoNotesBesideKeptEvaluationsAreCounted(t *testing.T) {
	const notes = 20_000
	m := new(Memo)
	one := []kpi.Event{{ID: "e", Kind: "call", Actor: "u", Time: time.Unix(1, 0)}}
	kept := 0
	keepBesideNotes(t, m, one, notes, notes, func() error {
		if m.last != nil {
			kept++
		}
		return nil
	})
	checkNotesCounted(t, m, notes)
	t.Logf("kept %d times", kept)
}

// An evaluation with a Memo, as known at an instant, finds the actors of a
// company goal for each member (no directory) as one without it does:
// among the versions known then. A version noted since that became known
// only later adds no participant, and one that replaced the only event of
// an actor, with the same time and kind, takes the actor away.
func TestMemoFindsActorsKnownAtItsInstant(t *testing.T) {
	ctx := context.Background()
	cal := enginetest.Calendar(t, "UTC")
	s := mustCompile(t, cal, []kpi.IndicatorDef{{ID: "calls", Kinds: []string{"call"}, Aggregate: kpi.Count}},
		Def{ID: "g", Indicator: "calls", Target: dp("5"), Period: Every(period.Month, d("2025-03-01")),
			Participants: ParticipantsDef{Company: true, Mode: Each}})
	at := func(day int) time.Time { return time.Date(2025, 3, day, 10, 0, 0, 0, time.UTC) }
	known := func(e kpi.Event) kpi.Event {
		e.Known = at(15)
		return e
	}
	anna := ev("1", "call", "anna", at(3))
	for _, tc := range []struct {
		name     string
		later    kpi.Event
		replaced kpi.Event
		want     []string
	}{
		{"a new actor", known(ev("2", "call", "zed", at(5))), kpi.Event{}, []string{"anna"}},
		{"a version of the only event", known(anna), anna, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			req := Request{AsOf: at(20), KnownAt: at(10), From: d("2025-03-01"), To: d("2025-04-01")}
			m := new(Memo)
			withMemo := req
			withMemo.Memo = m
			if _, err := s.Evaluate(ctx, snapshot(s, events{anna}), withMemo); err != nil {
				t.Fatal(err)
			}
			m.Note([]kpi.Event{tc.later}, []kpi.Event{tc.replaced})
			both := snapshot(s, events{anna, tc.later})
			got, err := s.Evaluate(ctx, both, withMemo)
			if err != nil {
				t.Fatal(err)
			}
			want, err := s.Evaluate(ctx, both, req)
			if err != nil {
				t.Fatal(err)
			}
			participants := func(res *Result) []string {
				var out []string
				for _, r := range res.Rows {
					out = append(out, r.Participant)
				}
				return out
			}
			if g, w := participants(got), participants(want); !slices.Equal(g, w) || !slices.Equal(w, tc.want) {
				t.Fatalf("participants with the Memo %q, without it %q; want %q", g, w, tc.want)
			}
		})
	}
}

// The scratch lists of a Memo's evaluations are emptied, keep their room
// when it is enough, and are made again with twice their room otherwise.
func TestAtLeastDoubles(t *testing.T) {
	for _, c := range []struct {
		cap, n, wantCap int
		same            bool
	}{
		{0, 0, 0, true},
		{0, 5, 5, false},
		{8, 5, 8, true},
		{8, 8, 8, true},
		{8, 9, 16, false},
		{8, 40, 40, false},
	} {
		s := make([]int, min(2, c.cap), c.cap)
		got := atLeast(s, c.n)
		if len(got) != 0 || cap(got) != c.wantCap {
			t.Errorf("cap %d, n %d: len %d cap %d, want 0 and %d", c.cap, c.n, len(got), cap(got), c.wantCap)
		}
		if same := c.cap > 0 && cap(got) > 0 && &s[:1][0] == &got[:1][0]; same != (c.same && c.cap > 0) {
			t.Errorf("cap %d, n %d: same list %v, want %v", c.cap, c.n, same, c.same)
		}
	}
}
