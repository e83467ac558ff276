package score

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// The errors of scoring name a participant (an actor of the host's events,
// a group of its request) quoted and cut to 64 bytes, as kpi's do: an
// actor of 10,000 bytes made an error of 10,000 bytes, and one with a
// newline broke the log line it was written on. The card's curve of
// "actual × 10^1000" fails on any count (a number past formula's 1000
// digits).
func TestScoringErrorsQuoteTheParticipantCut(t *testing.T) {
	cal := testCalendar(t)
	long := strings.Repeat("p", 10_000)
	cut := `"` + strings.Repeat("p", 64) + `…"`
	card := ScorecardDef{ID: "calls", Grain: period.Month, KPIs: []KPIDef{{Indicator: "calls", Target: decp("10"), Weight: dec("100"),
		Curve: &CurveDef{Formula: "actual * 1e999 * 10"}}}}
	s := compileOne(t, teamSet(t), Defs{Scorecards: []ScorecardDef{card}})
	sc, _ := s.Scorecard("calls")
	march := cal.Containing(period.Month, date.New(2025, 3, 1))
	// An event's actor has no control character (kpi refuses one); a
	// group's id and a participant a host asks Score for may.
	for _, c := range []struct {
		actor, quoted string
		events        bool
	}{{long, cut, true}, {`anna, "boris"`, `"anna, \"boris\""`, true}, {"anna\nboris", `"anna\nboris"`, false}} {
		req := Request{Request: kpi.Request{Calendar: cal}, From: date.New(2025, 3, 1), To: date.New(2025, 4, 1)}
		tab := eventsTable(cal, nil)
		if c.events {
			tab = eventsTable(cal, makeEvents(t, cal, spec{c.actor, "call", 3, 2, ""}))
			want := "scorecard calls, KPI calls, participant " + c.quoted + ", period 2025-03: number out of range (limit: 1000 digits) (1:16)"
			if _, err := s.Evaluate(context.Background(), tab, req); err == nil || err.Error() != want {
				t.Errorf("Evaluate: %.300v\nwant %s", err, want)
			}
		}
		want := "scorecard calls: no result to read the values of participant " + c.quoted + " from"
		if _, err := sc.Score(nil, c.actor, march); err == nil || err.Error() != want {
			t.Errorf("Score without a result: %.300v\nwant %s", err, want)
		}
		res, err := teamSet(t).Evaluate(context.Background(), eventsSource(nil), kpi.Request{Calendar: cal, Periods: []period.Period{march}})
		if err != nil {
			t.Fatal(err)
		}
		want = "scorecard calls: the result has no values for participant " + c.quoted + " in month [2025-03-01, 2025-04-01)"
		if _, err := sc.Score(res, c.actor, march); err == nil || err.Error() != want {
			t.Errorf("Score of no row: %.300v\nwant %s", err, want)
		}
		req.Groups = []org.Group{{ID: c.actor, Members: []string{"a"}}, {ID: c.actor, Members: []string{"b"}}}
		want = "scoring: group " + c.quoted + " is given twice"
		if _, err := s.Evaluate(context.Background(), tab, req); err == nil || err.Error() != want {
			t.Errorf("Evaluate with a group twice: %.300v\nwant %s", err, want)
		}
	}
}
