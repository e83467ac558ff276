package goalkit

import (
	"testing"
	"time"

	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/kpi"
)

// A tracker's report keeps the goals' work of the last report only when
// its own options add participants and nothing else, and reads the live
// values only when they leave the rates alone.
func TestReportOptionsThatKeepWork(t *testing.T) {
	for _, c := range []struct {
		name           string
		opts           []EvalOption
		memo, sameRate bool
	}{
		{"none", nil, true, true},
		{"participants", []EvalOption{WithParticipants("anna")}, true, true},
		{"series", []EvalOption{WithSeries()}, false, true},
		{"records", []EvalOption{WithRecords(goal.Record{Goal: "g"})}, false, true},
		{"marks", []EvalOption{WithMarks(goal.Mark{Goal: "g"})}, false, true},
		{"known at", []EvalOption{WithKnownAt(time.Unix(1, 0))}, false, true},
		{"rates", []EvalOption{WithRates(kpi.FixedRates(nil))}, false, false},
	} {
		if got := participantsOnly(c.opts); got != c.memo {
			t.Errorf("%s: participantsOnly = %v, want %v", c.name, got, c.memo)
		}
		if got := sameRates(c.opts); got != c.sameRate {
			t.Errorf("%s: sameRates = %v, want %v", c.name, got, c.sameRate)
		}
	}
}
