package goalkit_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/internal/isodate/isodatetest"
)

// Every date of a plan is read strictly: an impossible one is an error with
// its file, line and path, wherever it is.
func TestPlanImpossibleDates(t *testing.T) {
	const plan = `timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
leaderboards:
  - {id: top, scorecard: s}
competitions:
  - {id: cup, leaderboard: top, from: %[3]s, to: 2025-06-01}
goals:
  - id: fixed
    indicator: won
    target: 10
    period: {from: %[1]s, to: 2025-06-01}
    participants: {company: true}
  - id: monthly
    indicator: won
    target: 10
    period: {from: 2025-01-01, every: month, until: %[2]s}
    participants: {company: true}
report:
  grain: month
  from: %[1]s
  to: %[2]s
`
	for _, d := range isodatetest.Impossible {
		t.Run(d.In, func(t *testing.T) {
			_, err := goalkit.ParseDefinition("plan.yaml", fmt.Appendf(nil, plan, d.In, d.In, d.In))
			q := fmt.Sprintf("%q is not a real date: %s", d.In, d.Why)
			want := strings.Join([]string{
				"plan.yaml:7: competitions[0].from: " + q,
				"plan.yaml:12: goals[0].period.from: " + q,
				"plan.yaml:17: goals[1].period.until: " + q,
				"plan.yaml:21: report.from: " + q,
				"plan.yaml:22: report.to: " + q,
			}, "\n")
			if err == nil || err.Error() != want {
				t.Fatalf("got\n%v\nwant\n%s", err, want)
			}
		})
	}
}

// A date is written YYYY-MM-DD; other forms the date library reads (basic
// 20250101, ordinal 2025-032, a date-time) are errors that do not name the
// library.
func TestPlanDateForm(t *testing.T) {
	for _, in := range []string{"2025-1-01", "20250101", "2025-032", "2025-01-01T00:00:00Z", "+2025-01-01", "[2025-01-01]"} {
		t.Run(in, func(t *testing.T) {
			src := "timezone: UTC\nindicators: [{id: won, kinds: [deal.won], aggregate: count}]\nreport:\n  grain: month\n  from: " + in + "\n  to: 2026-01-01\n"
			_, err := goalkit.ParseDefinition("plan.yaml", []byte(src))
			want := fmt.Sprintf("plan.yaml:5: report.from: want a date YYYY-MM-DD, got %q", in)
			if in == "[2025-01-01]" {
				want = "plan.yaml:5: report.from: want a date YYYY-MM-DD, got a list"
			}
			if err == nil || err.Error() != want {
				t.Fatalf("got %v, want %s", err, want)
			}
		})
	}
}

// A plan without a report section has one problem, that says so; a zero
// date is never shown as 0001-01-01.
func TestPlanWithoutReport(t *testing.T) {
	tests := []struct{ name, report, want string }{
		{"no report", "", "plan.yaml: report: a plan needs a report section: its grain, from and to (such as {grain: month, from: 2025-01-01, to: 2026-01-01})"},
		{"no dates", "report: {grain: month}\n", "plan.yaml:4: report.from: the first day is required (a date YYYY-MM-DD)\n" +
			"plan.yaml:4: report.to: the end is required (a date YYYY-MM-DD, the day after the last)"},
		{"no to", "report:\n  grain: month\n  from: 2025-01-01\n", "plan.yaml:5: report.to: the end is required (a date YYYY-MM-DD, the day after the last)"},
		{"no grain", "report: {from: 2025-01-01, to: 2025-02-01}\n", "plan.yaml:4: report.grain: the grain is required (day, week, month, quarter, year, …)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := "timezone: UTC\nindicators:\n  - {id: won, kinds: [deal.won], aggregate: count}\n" + tt.report
			def, err := goalkit.ParseDefinition("plan.yaml", []byte(src))
			if err != nil {
				t.Fatal(err)
			}
			_, err = goalkit.Compile(def)
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got\n%v\nwant\n%s", err, tt.want)
			}
		})
	}
}

// A syntax error names the line the problem is on, and the problem.
func TestPlanSyntaxErrorLines(t *testing.T) {
	tests := []struct{ name, src, want string }{
		{"tab on line 4", "timezone: UTC\nindicators:\n  - id: won\n\tkinds: [deal.won]\n    aggregate: count\n",
			"plan.yaml:4: a tab in the indentation: YAML indents with spaces only"},
		{"unclosed [ on line 4", "timezone: UTC\nindicators:\n  - id: won\n    kinds: [deal.won\n    aggregate: count\nreport: {grain: month, from: 2025-01-01, to: 2025-02-01}\n",
			`plan.yaml:4: the list opened with "[" here is not closed: a "," or "]" is missing`},
		{"unclosed [ on line 1", "timezone: [unclosed\n",
			`plan.yaml:1: the list opened with "[" here is not closed: a "," or "]" is missing`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := goalkit.ParseDefinition("plan.yaml", []byte(tt.src))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got %v, want %s", err, tt.want)
			}
		})
	}
}

// A number too large for a decimal is an error in the plan's words, not the
// decimal library's (which names its MaxDecodeExponent).
func TestPlanNumberOutOfRange(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1e99999", `plan.yaml:5: budget_rates.USD/RUB: "1e99999" is out of range: too large an exponent or too many decimal places`},
		{`"1e99999"`, `plan.yaml:5: budget_rates.USD/RUB: "1e99999" is out of range: too large an exponent or too many decimal places`},
		{"ninety", `plan.yaml:5: budget_rates.USD/RUB: want a number such as 1234.50, got "ninety"`},
		{"[90]", `plan.yaml:5: budget_rates.USD/RUB: want a number, got a list`},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			src := "timezone: UTC\nindicators: [{id: won, kinds: [deal.won], aggregate: count}]\nreport: {grain: month, from: 2025-01-01, to: 2025-02-01}\nbudget_rates:\n  USD/RUB: " + tt.in + "\n"
			_, err := goalkit.ParseDefinition("plan.yaml", []byte(src))
			if err == nil || err.Error() != tt.want {
				t.Fatalf("got %v, want %s", err, tt.want)
			}
		})
	}
}

// Period labels in a plan (a goal's target_by_period, a cascade node's
// period) are checked too: a label that is an impossible day is an error
// with its file, line and path.
func TestPlanImpossibleDayLabels(t *testing.T) {
	const plan = `timezone: UTC
indicators:
  - {id: won, kinds: [deal.won], aggregate: count}
goals:
  - id: daily
    indicator: won
    target: 10
    target_by_period: {"%[1]s": 5}
    period: {from: 2025-01-01, every: day}
    participants: {company: true}
cascades:
  - id: c
    indicator: won
    root: {period: "%[1]s", target: 10}
report: {grain: month, from: 2025-01-01, to: 2026-01-01}
`
	for _, d := range isodatetest.Impossible {
		t.Run(d.In, func(t *testing.T) {
			def, err := goalkit.ParseDefinition("plan.yaml", fmt.Appendf(nil, plan, d.In))
			if err != nil {
				t.Fatal(err)
			}
			_, err = goalkit.Compile(def)
			label := fmt.Sprintf("label %q: not a real date: %s", d.In, d.Why)
			want := strings.Join([]string{
				"plan.yaml:14: cascades[0].root.period: " + label,
				"plan.yaml:8: goals[0].target_by_period." + d.In + ": " + label,
			}, "\n")
			if err == nil || err.Error() != want {
				t.Fatalf("got\n%v\nwant\n%s", err, want)
			}
		})
	}
}

// A JSON plan is read the same way.
func TestPlanImpossibleDatesJSON(t *testing.T) {
	src := `{
  "timezone": "UTC",
  "indicators": [{"id": "won", "kinds": ["deal.won"], "aggregate": "count"}],
  "report": {"grain": "month", "from": "2025-02-30", "to": "2026-01-01"}
}`
	_, err := goalkit.ParseDefinition("plan.json", []byte(src))
	if want := `plan.json:4: report.from: "2025-02-30" is not a real date: February 2025 has 28 days`; err == nil || err.Error() != want {
		t.Fatalf("got %v, want %s", err, want)
	}
}
