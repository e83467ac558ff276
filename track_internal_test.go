package goalkit

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// A tracker's report keeps the goals' work of the last report only when
// its own options add participants and nothing else, and reads the live
// values only when they leave the indicators' request alone (participants
// aside).
func TestReportOptionsThatKeepWork(t *testing.T) {
	for _, c := range []struct {
		name       string
		opts       []EvalOption
		memo, live bool
	}{
		{"none", nil, true, true},
		{"participants", []EvalOption{WithParticipants("anna")}, true, true},
		{"series", []EvalOption{WithSeries()}, false, true},
		{"records", []EvalOption{WithRecords(goal.Record{Goal: "g"})}, false, true},
		{"marks", []EvalOption{WithMarks(goal.Mark{Goal: "g"})}, false, true},
		{"known at", []EvalOption{WithKnownAt(time.Unix(1, 0))}, false, false},
		{"rates", []EvalOption{WithRates(kpi.FixedRates(nil))}, false, false},
		{"periods", []EvalOption{WithPeriods(period.Period{})}, false, false},
	} {
		if got := participantsOnly(added(c.opts)); got != c.memo {
			t.Errorf("%s: participantsOnly = %v, want %v", c.name, got, c.memo)
		}
		if got := sameRequest(added(c.opts)); got != c.live {
			t.Errorf("%s: sameRequest = %v, want %v", c.name, got, c.live)
		}
	}
}
