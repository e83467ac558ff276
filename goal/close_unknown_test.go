package goal

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/period"
	"github.com/rickb777/date/v2"
)

// Close of a goal the set does not have names the id it was given quoted
// and cut to 64 bytes: a host's id of 10,000 bytes (a path of its API)
// made an error as long, and one with a newline broke the log line.
func TestCloseUnknownGoalQuotesItCut(t *testing.T) {
	s, cal := salesPlan(t, nil)
	jan := cal.Containing(period.Month, date.New(2025, 1, 1))
	for _, c := range []struct{ id, want string }{
		{"nosuch", `goal: unknown goal "nosuch"`},
		{"sales\nboris", `goal: unknown goal "sales\nboris"`},
		{strings.Repeat("s", 10_000), `goal: unknown goal "` + strings.Repeat("s", 64) + `…"`},
	} {
		_, err := s.Close(context.Background(), snapshot(s, events{}), Request{AsOf: enginetest.At(cal, "2025-02-01 09:00")}, c.id, jan)
		if err == nil || err.Error() != c.want {
			t.Errorf("Close: %.300v, want %s", err, c.want)
		}
	}
}
