package dashboard_test

import (
	"context"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/score"
)

// A leaderboard cut to its top says so under its table, as the exports
// do: a reader took the rows of a board of `top: 2` for everyone ranked.
// A board whose top keeps every standing, one of exactly its top's three
// ranked (which said "top 3 shown", though no one was left out), and one
// without a top, say nothing.
func TestRankingSaysABoardIsCutToItsTop(t *testing.T) {
	data := callsBoards(t, `
  - {id: cut, name: Cut board, scorecard: people, top: 2}
  - {id: whole, name: Whole board, scorecard: people, top: 5}
  - {id: exact, name: Exact board, scorecard: people, top: 3}
  - {id: all, name: All board, scorecard: people}`)
	get := pagesOf(t, data, goal.Viewer{Admin: true})
	for lang, want := range map[string]string{"en": "top 2 shown", "ru": "показаны первые 2"} {
		body := get("/ranking?lang=" + lang)
		if n := strings.Count(body, `<p class="note">`); n != 1 {
			t.Errorf("%s: %d notes on the page, want 1 (the cut board's):\n%s", lang, n, body)
		}
		i := strings.Index(body, "Cut board")
		j := strings.Index(body, "Whole board")
		k := strings.Index(body, `<p class="note">`+want+`</p>`)
		if i < 0 || j < 0 || k < i || (j > i && k > j) {
			t.Errorf("%s: want %q under the cut board's table, before the next board:\n%s", lang, want, body)
		}
	}
}

// scopedStandings is a Data whose reports keep of each board only the
// standings of the participant seen, as serve cuts a board to a viewer's
// scope without public standings: the board's count of those ranked is
// still the whole board's.
type scopedStandings struct {
	*trackerData
	seen string
}

func (d *scopedStandings) Report(ctx context.Context, v goal.Viewer, asOf time.Time) (*goalkit.Report, error) {
	rep, err := d.trackerData.Report(ctx, v, asOf)
	if err != nil || rep.Scores == nil {
		return rep, err
	}
	out, sco := *rep, *rep.Scores
	sco.Leaderboards = slices.Clone(sco.Leaderboards)
	for i := range sco.Leaderboards {
		b := &sco.Leaderboards[i]
		b.Standings = slices.DeleteFunc(slices.Clone(b.Standings), func(st score.Standing) bool { return st.Participant != d.seen })
	}
	out.Scores = &sco
	return &out, nil
}

// A board that a host cut to the viewer's scope, of fewer standings than
// its top, says nothing of a top: of three ranked, c's board of top 2
// holds c alone, and was cut by the scope, not by its top.
func TestRankingScopedBoardSaysNoTop(t *testing.T) {
	data := callsBoards(t, `
  - {id: cut, name: Cut board, scorecard: people, top: 2}`)
	body := pagesOf(t, &scopedStandings{trackerData: data, seen: "c"}, goal.Viewer{Admin: true})("/ranking?lang=en")
	if !strings.Contains(body, "Cut board") {
		t.Fatalf("no board on the page:\n%s", body)
	}
	if strings.Contains(body, `<p class="note">`) {
		t.Errorf("a board cut to the viewer's scope says it is cut to its top:\n%s", body)
	}
}

// callsBoards is the data of a month's calls by a (1), b (2) and c (3),
// scored on a card of 2 calls, with the leaderboards given (YAML list
// items) over it.
func callsBoards(t *testing.T, leaderboards string) *trackerData {
	at := asOf.Add(-48 * time.Hour)
	var events []kpi.Event
	for i, who := range []string{"a", "b", "b", "c", "c", "c"} {
		events = append(events, kpi.Event{ID: "e" + string(rune('0'+i)), Kind: "call", Time: at, Actor: who})
	}
	return yamlTrackerData(t, `
timezone: UTC
indicators:
  - {id: calls, kinds: [call], aggregate: count}
report: {grain: month, from: 2026-12-01, to: 2027-01-01}
scorecards:
  - id: people
    grain: month
    kpis:
      - {indicator: calls, target: 2, weight: 100}
leaderboards:`+leaderboards+"\n", nil, nil, events...)
}
