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
	if got := nullStr(ms[0].MAE); got != "1000000000000" {
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
	if ms[0].RelativeMAE.Valid || nullStr(ms[0].MAE) != "5" {
		t.Errorf("MAE %s, relative %v; want 5 and undefined", nullStr(ms[0].MAE), ms[0].RelativeMAE)
	}
	b, err := json.Marshal(ms[0])
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"relative_mae":null`) {
		t.Errorf("JSON %s, want relative_mae null", b)
	}
	// Ties of Brier score: a defined relative error comes first.
	brier := decimal.NewNullDecimal(dec("0.25"))
	undefined := MethodScore{Method: "u", Score: Score{Judged: 1, Brier: brier}}
	defined := MethodScore{Method: "d", Score: Score{Judged: 1, Brier: brier, RelativeMAE: decimal.NewNullDecimal(dec("0.5"))}}
	if got := Best([]MethodScore{undefined, defined}); got != "d" {
		t.Errorf("Best = %s, want d (a defined relative error before an undefined one)", got)
	}
}

// A mean of nothing is no score: the MAE of a point where no forecast was
// made and the Brier score of a method that gave no probability are
// undefined (null in JSON). Both read 0, a perfect score.
func TestEmptyScoresAreNull(t *testing.T) {
	sc := NewScorer([]string{"a"}, []string{"25%", "75%"})
	// One case at 25 %, none at 75 %; no target, so nothing is judged.
	if err := sc.Add(0, Case{Final: dec("10"), Points: []decimal.Decimal{dec("7")}, P: []decimal.NullDecimal{{}}}); err != nil {
		t.Fatal(err)
	}
	_, ms := sc.Result()
	m := ms[0]
	// |7 − 10| = 3 over one forecast; 3 over the final 10.
	if nullStr(m.MAE) != "3" || nullStr(m.RelativeMAE) != "0.3" || nullStr(m.Brier) != "null" {
		t.Errorf("over every point: MAE %s, relative %s, Brier %s; want 3, 0.3 and null", nullStr(m.MAE), nullStr(m.RelativeMAE), nullStr(m.Brier))
	}
	if at := m.ByAt[1]; at.Forecasts != 0 || at.MAE.Valid || at.RelativeMAE.Valid || at.Brier.Valid {
		t.Errorf("at 75%%, no forecast: %+v; want every score undefined", at)
	}
	b, err := json.Marshal(m)
	if err != nil {
		t.Fatal(err)
	}
	var got struct {
		MAE   *string `json:"mae"`
		Brier *string `json:"brier"`
		ByAt  []struct {
			MAE   *string `json:"mae"`
			Brier *string `json:"brier"`
		} `json:"by_at"`
	}
	if err := json.Unmarshal(b, &got); err != nil {
		t.Fatal(err)
	}
	if got.MAE == nil || *got.MAE != "3" || got.Brier != nil || len(got.ByAt) != 2 || got.ByAt[1].MAE != nil || got.ByAt[1].Brier != nil {
		t.Errorf("JSON %s: want mae 3 and brier null, and both null at 75%%", b)
	}
}
