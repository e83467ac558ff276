package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/forecast"
	"github.com/shopspring/decimal"
)

// A method that judged no forecast printed Brier 0, and a point of no
// forecasts MAE 0: both read as perfect scores of what was never
// measured. The table prints "-" for them.
func TestBacktestTableUnmeasured(t *testing.T) {
	sc := forecast.NewScorer([]string{"run_rate", "chance"}, []string{"25%", "50%"})
	// One case at 25%: run_rate gives no probability, chance gives 1 and
	// the target is reached (Brier 0, a real perfect score); both forecast
	// the final value 10 as 12 (MAE 2). No case at 50%.
	err := sc.Add(0, forecast.Case{Final: decimal.NewFromInt(10),
		Points: []decimal.Decimal{decimal.NewFromInt(12), decimal.NewFromInt(12)},
		P:      []decimal.NullDecimal{{}, decimal.NewNullDecimal(decimal.NewFromInt(1))}, Reached: true})
	if err != nil {
		t.Fatal(err)
	}
	_, ms := sc.Result()
	var b bytes.Buffer
	if err := writeBacktest(&b, &forecast.Backtest{At: []string{"25%", "50%"}, Cases: 1, Methods: ms,
		Goals: []forecast.GoalBacktest{{Goal: "g", Cases: 1, Methods: ms}}}); err != nil {
		t.Fatal(err)
	}
	var rows [][]string
	for _, l := range strings.Split(b.String(), "\n") {
		if f := strings.Fields(l); len(f) > 0 && (f[0] == "g" || f[0] == "25%" || f[0] == "50%") {
			rows = append(rows, f)
		}
	}
	// goal method at forecasts MAE relative-MAE with-target Brier, the
	// first two columns blank on the rows of a point.
	want := [][]string{
		{"g", "run_rate", "all", "1", "2", "0.2", "0", "-"},
		{"25%", "1", "2", "0.2", "0", "-"},
		{"50%", "0", "-", "-", "0", "-"},
		{"g", "chance", "all", "1", "2", "0.2", "1", "0"},
		{"25%", "1", "2", "0.2", "1", "0"},
		{"50%", "0", "-", "-", "0", "-"},
	}
	if len(rows) != len(want) {
		t.Fatalf("rows %q, want %q\n%s", rows, want, b.String())
	}
	for i := range want {
		if strings.Join(rows[i], " ") != strings.Join(want[i], " ") {
			t.Errorf("row %d: %q, want %q", i, rows[i], want[i])
		}
	}
}
