package chart_test

import (
	"testing"

	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// A number a chart cannot draw (beyond ±1e300: a double's range, and the
// room its axis needs) is refused with an error naming where it is, rather
// than left out (a burn-up line that just stops) or drawn on an axis of
// "+Inf"; up to the limit, a chart is drawn.
func TestChartsRefuseUndrawable(t *testing.T) {
	big := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	series := func(field, s string) func(*testing.T) ([]byte, []byte, error) {
		return func(t *testing.T) ([]byte, []byte, error) {
			row := rowOf(t, "revenue_plan", "vera")
			switch field {
			case "actual":
				row.Series[4].Actual = big(s)
			case "plan":
				row.Series[4].Plan = big(s)
			case "target":
				row.Target = big(s)
			}
			b, err := chart.BurnUp(row, chart.Options{Format: chart.SVG})
			d, _ := chart.Daily(row, chart.Options{Format: chart.SVG})
			return b, d, err
		}
	}
	cases := []struct {
		name string
		draw func(*testing.T) ([]byte, []byte, error)
		want string
	}{
		{"actual", series("actual", "1e400"), "chart: burn-up: the actual of 05.03 is beyond what a chart can draw (±1e300)"},
		{"actual-negative", series("actual", "-1e309"), "chart: burn-up: the actual of 05.03 is beyond what a chart can draw (±1e300)"},
		{"actual-edge", series("actual", "1e301"), "chart: burn-up: the actual of 05.03 is beyond what a chart can draw (±1e300)"},
		{"plan", series("plan", "1e308"), "chart: burn-up: the plan of 05.03 is beyond what a chart can draw (±1e300)"},
		{"target", series("target", "-2e308"), "chart: burn-up: the target is beyond what a chart can draw (±1e300)"},
		{"actual-limit", series("actual", "1e300"), ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			b, _, err := c.draw(t)
			if c.want == "" {
				if err != nil || len(b) == 0 {
					t.Fatalf("at the limit: %v", err)
				}
				return
			}
			if err == nil || err.Error() != c.want {
				t.Fatalf("got %v, want %s", err, c.want)
			}
		})
	}
	// What a day added is the difference of two drawable numbers, which
	// need not be drawable itself.
	row := rowOf(t, "revenue_plan", "vera")
	row.Series[3].Actual = big("-1e300")
	row.Series[4].Actual = big("1e300")
	if _, err := chart.Daily(row, chart.Options{Format: chart.SVG}); err == nil || err.Error() != "chart: daily: what 05.03 added is beyond what a chart can draw (±1e300)" {
		t.Errorf("daily: %v", err)
	}
	board := score.Board{Leaderboard: "b", Label: "2025-03", Standings: []score.Standing{
		{Rank: 1, Participant: "north", Value: big("1e310")}, {Rank: 2, Participant: "south", Value: big("5")}}}
	if _, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG}); err == nil || err.Error() != "chart: leaderboard: the value of \"1. north\" is beyond what a chart can draw (±1e300)" {
		t.Errorf("leaderboard: %v", err)
	}
}

// A chart's width or height below zero or above 8192 pixels is refused,
// naming it: a negative one was drawn at the default size without a word,
// and a PNG of 100 000 × 100 000 pixels took 40 GB and the process with
// them (a size from a query's parameter, in a host's page).
func TestChartSizeRefused(t *testing.T) {
	v := decimal.NewNullDecimal(decimal.NewFromInt(5))
	board := score.Board{Leaderboard: "teams", Label: "2025-03", Standings: []score.Standing{{Rank: 1, Participant: "north", Value: v}}}
	for _, tt := range []struct {
		o    chart.Options
		want string
	}{
		{chart.Options{Width: 100_000, Height: 100_000}, "chart: width 100000 is not 0 (the default) to 8192 pixels"},
		{chart.Options{Width: -1}, "chart: width -1 is not 0 (the default) to 8192 pixels"},
		{chart.Options{Format: chart.SVG, Height: 8193}, "chart: height 8193 is not 0 (the default) to 8192 pixels"},
	} {
		if _, err := chart.Leaderboard(board, tt.o); err == nil || err.Error() != tt.want {
			t.Errorf("%+v: error %v, want %q", tt.o, err, tt.want)
		}
	}
	if _, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG, Width: 8192, Height: 1}); err != nil {
		t.Errorf("8192 × 1: %v", err)
	}
}
