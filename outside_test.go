package goalkit_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// TestOutsideTheCalendar: an engine asked for the working days of a date
// outside the plan's calendar fails with an error that names the place, the
// date and the calendar, and reaches the caller as a *period.OutsideError.
func TestOutsideTheCalendar(t *testing.T) {
	ctx := context.Background()
	const plan = `timezone: Europe/Moscow
holidays: RU
indicators:
  - {id: tickets, kinds: [ticket], aggregate: count}
%s
report: {grain: month, from: 2024-01-01, to: 2024-02-01}
`
	moscow, err := time.LoadLocation("Europe/Moscow")
	if err != nil {
		t.Fatal(err)
	}
	asOf := time.Date(2024, 1, 20, 0, 0, 0, 0, moscow)
	src := storeOf(t, moscow, kpi.Event{ID: "e1", Kind: "ticket", Actor: "u1", Time: time.Date(2024, 1, 10, 10, 0, 0, 0, moscow)})
	outside := func(day string) string {
		return day + " is outside the working-day calendar RU (years 2024-2026): add the year to the calendar, or declare outside: weekends"
	}
	tests := []struct {
		name, extra, want string
	}{
		{"workdays() of the month a year ago", "  - {id: per_day, formula: \"tickets / workdays() - prev(tickets, 12) / workdays()\"}",
			"indicator per_day, period 2023-01: workdays(): " + outside("2023-01-01")},
		{"a goal's period", `goals:
  - {id: g, indicator: tickets, target: 10, period: {from: 2023-12-15, to: 2024-01-15}, participants: {users: [u1]}}`,
			"goals[0], period 2023-12-15/P31D: " + outside("2023-12-15")},
		{"a cascade split by working days", `cascades:
  - id: c
    indicator: tickets
    root: {period: "2023-Q4", target: 90, split: {by: working_days, into: month}}`,
			"cascades[0].root.split: the working days of 2023-10: " + outside("2023-10-01")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := parsePlan(t, strings.Replace(plan, "%s", tt.extra, 1))
			_, err := p.Evaluate(ctx, src, asOf)
			var oe *period.OutsideError
			if err == nil || err.Error() != tt.want || !errors.As(err, &oe) || oe.Calendar != "RU" {
				t.Fatalf("Evaluate = %v\nwant %s", err, tt.want)
			}
		})
	}
	// Without working days, dates outside the calendar are no problem.
	p := parsePlan(t, strings.Replace(plan, "%s", "  - {id: per_day, formula: \"tickets / days() - prev(tickets, 12)\"}", 1))
	if _, err := p.Evaluate(ctx, src, asOf); err != nil {
		t.Fatalf("Evaluate without working days: %v", err)
	}
}

// TestLintHistoryOutsideTheCalendar: goal lint reads the 12 periods before
// the goal's; with workdays() they must be in the calendar, and the error
// says which.
func TestLintHistoryOutsideTheCalendar(t *testing.T) {
	def := parseDef(t, `timezone: Europe/Moscow
holidays: RU
indicators:
  - {id: tickets, kinds: [ticket], aggregate: count}
  - {id: per_day, formula: tickets / workdays()}
goals:
  - {id: g, indicator: per_day, target: 10, period: {from: 2024-06-01, every: month}, participants: {users: [u1]}}
report: {grain: month, from: 2024-06-01, to: 2024-07-01}
`)
	moscow := compile(t, def).Calendar().Location()
	src := storeOf(t, moscow, kpi.Event{ID: "e1", Kind: "ticket", Actor: "u1", Time: time.Date(2024, 6, 10, 10, 0, 0, 0, moscow)})
	_, err := goalkit.Lint(context.Background(), def, src, time.Date(2024, 6, 20, 0, 0, 0, 0, moscow))
	var oe *period.OutsideError
	if err == nil || !errors.As(err, &oe) || oe.Date.String() != "2023-06-01" || !strings.HasPrefix(err.Error(), "goal lint: the 12 periods before each goal's: indicator per_day, period 2023-06: workdays(): 2023-06-01 is outside the working-day calendar RU") {
		t.Fatalf("Lint = %v", err)
	}
	// The same goal in 2025 reads its history in 2024: no error.
	def.Goals[0].Period.From = day(t, "2025-06-01")
	if _, err := goalkit.Lint(context.Background(), def, src, time.Date(2025, 6, 20, 0, 0, 0, 0, moscow)); err != nil {
		t.Fatalf("Lint in 2025: %v", err)
	}
}
