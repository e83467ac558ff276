package forecast

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
)

// The mean absolute error and the relative one are rounded once, from the
// exact quotient, as the Brier score is: an error of 3 000 000 000 000.01499
// over 3 forecasts is a mean of 1 000 000 000 000.0049966…, 0.00 past the
// whole; rounded first to 16 digits (…000.005) it became 0.01.
func TestBacktestMAERoundedOnce(t *testing.T) {
	sc := NewScorer([]string{"m"}, []string{"50%"})
	for _, f := range []string{"1000000000000", "1000000000000", "1000000000000.01499"} {
		sc.Add(0, Case{Final: dec(f), Points: []decimal.Decimal{dec("0")}, P: []decimal.NullDecimal{{}}})
	}
	_, ms := sc.Result()
	if got := ms[0].MAE.String(); got != "1000000000000" {
		t.Errorf("MAE %s, want 1000000000000 (1 000 000 000 000.0049966… to 2 places)", got)
	}
	if got := ms[0].RelativeMAE.Decimal.String(); got != "1" || !ms[0].RelativeMAE.Valid {
		t.Errorf("relative MAE %s, want 1", got)
	}
}

// Where every final value is 0 the relative error is undefined (null in
// JSON), not 0: it read as a perfect forecast beside a MAE of 5, and Best
// preferred it to any method with a defined relative error.
func TestRelativeMAEOfFinalsOfZeroIsUndefined(t *testing.T) {
	sc := NewScorer([]string{"a"}, []string{"50%"})
	for _, p := range []string{"5", "-5"} {
		if err := sc.Add(0, Case{Final: dec("0"), Points: []decimal.Decimal{dec(p)}, P: []decimal.NullDecimal{{}}}); err != nil {
			t.Fatal(err)
		}
	}
	_, ms := sc.Result()
	if ms[0].RelativeMAE.Valid || ms[0].MAE.String() != "5" {
		t.Errorf("MAE %s, relative %v; want 5 and undefined", ms[0].MAE, ms[0].RelativeMAE)
	}
	b, err := json.Marshal(ms[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"relative_mae":null`) {
		t.Errorf("JSON %s, want relative_mae null", b)
	}
	// Ties of Brier score: a defined relative error comes first.
	undefined := MethodScore{Method: "u", Score: Score{Judged: 1}}
	defined := MethodScore{Method: "d", Score: Score{Judged: 1, RelativeMAE: decimal.NewNullDecimal(dec("0.5"))}}
	if got := Best([]MethodScore{undefined, defined}); got != "d" {
		t.Errorf("Best = %s, want d (a defined relative error before an undefined one)", got)
	}
}
