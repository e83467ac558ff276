package dashboard_test

import (
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
)

// A leaderboard cut to its top says so under its table, as the exports
// do: a reader took the rows of a board of `top: 2` for everyone ranked.
// A board whose top keeps every standing, one of exactly its top's three
// ranked (which said "top 3 shown", though no one was left out), and one
// without a top, say nothing.
func TestRankingSaysABoardIsCutToItsTop(t *testing.T) {
	at := asOf.Add(-48 * time.Hour)
	var events []kpi.Event
	for i, who := range []string{"a", "b", "b", "c", "c", "c"} {
		events = append(events, kpi.Event{ID: "e" + string(rune('0'+i)), Kind: "call", Time: at, Actor: who})
	}
	data := yamlTrackerData(t, `
timezone: UTC
indicators:
  - {id: calls, kinds: [call], aggregate: count}
report: {grain: month, from: 2026-12-01, to: 2027-01-01}
scorecards:
  - id: people
    grain: month
    kpis:
      - {indicator: calls, target: 2, weight: 100}
leaderboards:
  - {id: cut, name: Cut board, scorecard: people, top: 2}
  - {id: whole, name: Whole board, scorecard: people, top: 5}
  - {id: exact, name: Exact board, scorecard: people, top: 3}
  - {id: all, name: All board, scorecard: people}
`, nil, nil, events...)
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
