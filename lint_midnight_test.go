package goalkit_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
)

// The UTC-midnight warning needs at least 20 events, most of them (more
// than half) at exactly 00:00 UTC, and a plan in a zone that is not UTC.
func TestLintUTCMidnightEdges(t *testing.T) {
	for _, c := range []struct {
		zone             string
		events, midnight int
		warn             bool
	}{
		{"Europe/Moscow", 19, 19, false},
		{"Europe/Moscow", 20, 10, false}, // half is not most
		{"Europe/Moscow", 20, 11, true},
		{"Europe/Moscow", 21, 11, true},
		{"Europe/Moscow", 21, 10, false},
		{"Europe/London", 20, 20, true}, // UTC in winter, not in summer
		{"UTC", 20, 20, false},
	} {
		t.Run(fmt.Sprintf("%s %d of %d", c.zone, c.midnight, c.events), func(t *testing.T) {
			def := parseDef(t, fmt.Sprintf(`
timezone: %s
indicators:
  - {id: deals, kinds: [deal.won], aggregate: count}
report: {grain: month, from: 2025-01-01, to: 2025-04-01}
`, c.zone))
			var events []kpi.Event
			for i := range c.events {
				at := time.Date(2025, 1, 1+i, 0, 0, 0, 0, time.UTC)
				if i >= c.midnight {
					at = at.Add(9 * time.Hour)
				}
				events = append(events, kpi.Event{ID: fmt.Sprint(i), Kind: "deal.won", Actor: "a", Time: at})
			}
			got, err := goalkit.Lint(context.Background(), def, kpi.Events(events), time.Date(2025, 4, 1, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			warned := false
			for _, p := range got {
				warned = warned || p.Code == goalkit.RuleUTCMidnight
			}
			if warned != c.warn {
				t.Errorf("warned %v, want %v: %v", warned, c.warn, got)
			}
		})
	}
}
