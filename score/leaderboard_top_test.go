package score

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
	"pgregory.net/rapid"
)

// TestTopCountsTheRanked: a board cut to its leaderboard's top keeps the
// ranks 1..top (ties included, the unranked left out) and says how many
// standings had a rank before the cut; it was cut exactly when that count
// is more than the ranked standings it holds. The counts are by hand.
func TestTopCountsTheRanked(t *testing.T) {
	cases := []struct {
		name   string
		in     []Standing
		top    int
		shown  string
		ranked int
		cut    bool
	}{
		{"five ranked, top 2", standings("a", "50", "b", "40", "c", "30", "d", "20", "e", "10"), 2,
			"1 a 50, 2 b 40", 5, true},
		{"a tie at the cut kept whole", standings("a", "3", "b", "2", "c", "2", "d", "1"), 2,
			"1 a 3, 2 b 2, 2 c 2", 4, true},
		{"a tie at the cut that takes everyone", standings("a", "2", "b", "2", "c", "2"), 2,
			"1 a 2, 1 b 2, 1 c 2", 3, false},
		{"exactly the top ranked, the unranked left out", standings("a", "5", "b", "4", "c", "", "d", ""), 2,
			"1 a 5, 2 b 4", 2, false},
		{"one ranked past the top beside the unranked", standings("a", "5", "b", "4", "c", "3", "d", ""), 2,
			"1 a 5, 2 b 4", 3, true},
		{"exactly 2 with top 2", standings("a", "5", "b", "4"), 2,
			"1 a 5, 2 b 4", 2, false},
		{"fewer than the top", standings("a", "5"), 3,
			"1 a 5", 1, false},
		{"no one ranked", standings("a", "", "b", ""), 2,
			"", 0, false},
		{"empty", nil, 2, "", 0, false},
		{"no top: every standing, no count", standings("a", "5", "b", "4", "c", ""), 0,
			"1 a 5, 2 b 4, 0 c —", 0, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			in := Board{Leaderboard: "board", Standings: Rank(tc.in, false)}
			before := showRanks(in.Standings)
			got := top(in, tc.top)
			if s := showRanks(got.Standings); s != tc.shown {
				t.Errorf("shown %q, want %q", s, tc.shown)
			}
			if got.Ranked != tc.ranked {
				t.Errorf("Ranked %d, want %d", got.Ranked, tc.ranked)
			}
			if got.Cut() != tc.cut {
				t.Errorf("Cut() %v, want %v", got.Cut(), tc.cut)
			}
			if tc.top > 0 && got.Standings == nil {
				t.Error("a cut board's standings are nil: the JSON would write null")
			}
			if s := showRanks(in.Standings); s != before {
				t.Errorf("the whole board changed: %q, was %q", s, before)
			}
		})
	}
}

// TestTopCountMatchesALoop: for random values (some undefined, many tied)
// and tops, the report's board holds the standings of rank 1..top, Ranked
// counts the standings with a value, and Cut says whether a standing with
// a value ranked past the top, all counted by a plain loop over the values.
func TestTopCountMatchesALoop(t *testing.T) {
	rapid.Check(t, func(rt *rapid.T) {
		vals := rapid.SliceOfN(rapid.IntRange(-1, 4), 0, 12).Draw(rt, "values") // -1: undefined
		n := rapid.IntRange(0, 14).Draw(rt, "top")
		var ss []Standing
		for i, v := range vals {
			s := Standing{Participant: fmt.Sprintf("p%02d", i)}
			if v >= 0 {
				s.Value = nd(fmt.Sprint(v))
			}
			ss = append(ss, s)
		}
		// rank by hand: 1 + the number of values above it.
		rank := func(v int) int {
			r := 1
			for _, w := range vals {
				if w > v {
					r++
				}
			}
			return r
		}
		valued, shown, past := 0, 0, false
		for _, v := range vals {
			if v < 0 {
				continue
			}
			valued++
			if n == 0 || rank(v) <= n {
				shown++
			} else {
				past = true
			}
		}
		if n == 0 {
			shown = len(vals)
		}
		got := top(Board{Standings: Rank(ss, false)}, n)
		if len(got.Standings) != shown {
			rt.Fatalf("%d standings shown, want %d", len(got.Standings), shown)
		}
		for _, s := range got.Standings {
			if n > 0 && (s.Rank == 0 || s.Rank > n) {
				rt.Fatalf("rank %d shown under top %d", s.Rank, n)
			}
		}
		want := valued
		if n == 0 {
			want = 0
		}
		if got.Ranked != want {
			rt.Fatalf("Ranked %d, want %d", got.Ranked, want)
		}
		if got.Cut() != past {
			rt.Fatalf("Cut() %v, want %v", got.Cut(), past)
		}
	})
}

// TestReportBoardSaysRanked: a report's board of a leaderboard with a top
// carries the count ("ranked" in the JSON); one without a top writes no
// such key, as before.
func TestReportBoardSaysRanked(t *testing.T) {
	cal := testCalendar(t)
	// March calls: a 10, b 6, c 3 (scores 100, 60, 30); d none (0).
	evs := makeEvents(t, cal, spec{"a", "call", 3, 10, ""}, spec{"b", "call", 3, 6, ""}, spec{"c", "call", 3, 3, ""})
	card := ScorecardDef{ID: "calls", Grain: period.Month, Participants: []string{"a", "b", "c", "d"},
		KPIs: []KPIDef{{Indicator: "calls", Target: decp("10"), Weight: dec("100")}}}
	s := compileOne(t, teamSet(t), Defs{
		Scorecards: []ScorecardDef{card},
		Leaderboards: []LeaderboardDef{
			{ID: "all", Scorecard: "calls"},
			{ID: "two", Scorecard: "calls", Top: 2},
			{ID: "five", Scorecard: "calls", Top: 5},
		},
	})
	out, err := s.Evaluate(context.Background(), eventsTable(cal, evs), Request{Request: kpi.Request{Calendar: cal},
		From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)})
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"all":  `"standings":[{"rank":1,"participant":"a","value":"100"},{"rank":2,"participant":"b","value":"60"},{"rank":3,"participant":"c","value":"30"},{"rank":4,"participant":"d","value":"0"}],"period_start"`,
		"two":  `"standings":[{"rank":1,"participant":"a","value":"100"},{"rank":2,"participant":"b","value":"60"}],"ranked":4,"period_start"`,
		"five": `"standings":[{"rank":1,"participant":"a","value":"100"},{"rank":2,"participant":"b","value":"60"},{"rank":3,"participant":"c","value":"30"},{"rank":4,"participant":"d","value":"0"}],"ranked":4,"period_start"`,
	}
	if len(out.Leaderboards) != len(want) {
		t.Fatalf("%d boards, want %d", len(out.Leaderboards), len(want))
	}
	for _, b := range out.Leaderboards {
		js, err := json.Marshal(b)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(js), want[b.Leaderboard]) {
			t.Errorf("board %s:\n got %s\nwant …%s…", b.Leaderboard, js, want[b.Leaderboard])
		}
		if cut := b.Leaderboard == "two"; b.Cut() != cut {
			t.Errorf("board %s: Cut() %v, want %v", b.Leaderboard, b.Cut(), cut)
		}
	}
}
