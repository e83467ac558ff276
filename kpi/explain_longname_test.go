package kpi_test

import (
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// Explain's refusal of an unknown indicator or participant quotes the name
// it was asked for cut to 64 bytes, and the actor it suggests so too: a
// name of 100 KB (a request's parameter) made an error of 100 KB, and the
// suggestion, from every actor's full distance to it, took about 35 s for
// an actor as long and quoted it whole.
func TestExplainQuotesUnknownNamesCut(t *testing.T) {
	set, err := kpi.Compile([]kpi.IndicatorDef{{ID: "n", Kinds: []string{"call"}, Aggregate: kpi.Count}}, kpi.Env{})
	if err != nil {
		t.Fatal(err)
	}
	cal, _ := period.LoadCalendar("UTC")
	long := strings.Repeat("q", 100_000)
	events := kpi.Events{{ID: "1", Kind: "call", Actor: "anna", Time: time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)},
		{ID: "2", Kind: "call", Actor: long + "y", Time: time.Date(2025, 3, 3, 12, 0, 0, 0, time.UTC)}}
	mar := cal.Containing(period.Month, date.New(2025, 3, 1))
	req := kpi.Request{Calendar: cal, Periods: []period.Period{mar}}
	quoted := `"` + strings.Repeat("q", 64) + `…"`
	for _, c := range []struct {
		indicator, participant, want string
	}{
		{long, "anna", "unknown indicator " + quoted},
		{"n", long, "unknown participant " + quoted + ": no event of the indicator's kinds in 2025-03 and not a participant of the request (did you mean " + quoted + "?)"},
		{"n", long + "yy", "unknown participant " + quoted + ": no event of the indicator's kinds in 2025-03 and not a participant of the request (did you mean " + quoted + "?)"},
		{"n", long + "zzz", "unknown participant " + quoted + ": no event of the indicator's kinds in 2025-03 and not a participant of the request"},
	} {
		_, err := explainOver(set, events, req, c.indicator, c.participant, mar, nil)
		if err == nil || err.Error() != c.want {
			t.Errorf("%.300v, want %s", err, c.want)
		}
	}
}
