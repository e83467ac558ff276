package goalkit_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goal"
)

// Lint lays the goals' spans out in the plan's calendar: a weekly goal
// from Sunday 2 March 2025 runs 2–8 March under Sunday weeks (so a goal of
// 4–5 March overlaps it) and 24 February – 2 March under Monday weeks (no
// overlap). A plan that does not compile keeps its calendar too.
func TestLintUsesThePlansCalendar(t *testing.T) {
	for _, tc := range []struct {
		name, weekStart, extra string
		overlap                bool
	}{
		{"monday weeks", "monday", "", false},
		{"sunday weeks", "sunday", "", true},
		{"sunday weeks, a plan that does not compile", "sunday", "  - id: broken\n    indicator: nosuch\n    target: 1\n    period: {from: 2025-03-01, to: 2025-04-01}\n    participants: {users: [bob]}\n", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			def := parseDef(t, `timezone: UTC
week_start: `+tc.weekStart+`
report: {grain: month, from: 2025-03-01, to: 2025-04-01}
indicators:
  - id: calls
    kinds: [call]
    aggregate: count
goals:
  - id: weekly
    indicator: calls
    target: 5
    period: {from: 2025-03-02, every: week, count: 1}
    participants: {users: [ann]}
  - id: short
    indicator: calls
    target: 2
    period: {from: 2025-03-04, to: 2025-03-06}
    participants: {users: [ann]}
`+tc.extra)
			fs, err := goalkit.Lint(context.Background(), def, nil, time.Date(2025, 3, 1, 0, 0, 0, 0, time.UTC))
			if err != nil {
				t.Fatal(err)
			}
			overlap := false
			for _, f := range fs {
				if f.Code == goal.RuleOverlap {
					overlap = true
				}
			}
			if overlap != tc.overlap {
				var msgs []string
				for _, f := range fs {
					msgs = append(msgs, f.String())
				}
				t.Fatalf("overlap found %v, want %v:\n%s", overlap, tc.overlap, strings.Join(msgs, "\n"))
			}
		})
	}
}
