package forecast

import (
	"testing"

	"github.com/shopspring/decimal"
)

// The scores of four hand-made cases.
func TestBacktestScores(t *testing.T) {
	sc := NewScorer([]string{"run_rate_workdays", "seasonal", "probabilistic"}, []string{"25%", "75%"})
	// final, target, run-rate point, seasonal point, probabilistic point and P.
	add := func(i int, final, target, rr, se, pp, p string) {
		c := Case{Final: dec(final), Points: []decimal.Decimal{dec(rr), dec(se), dec(pp)}, Reached: dec(final).Cmp(dec(target)) >= 0}
		for m := range 2 {
			if c.Points[m].Cmp(dec(target)) >= 0 {
				c.P = append(c.P, decimal.NewNullDecimal(dec("1")))
			} else {
				c.P = append(c.P, decimal.NewNullDecimal(dec("0")))
			}
		}
		c.P = append(c.P, decimal.NewNullDecimal(dec(p)))
		sc.Add(i, c)
	}
	add(0, "100", "90", "80", "95", "92", "0.75") // reached; run rate said no
	add(0, "50", "90", "60", "100", "70", "0.15") // missed; seasonal said yes
	add(1, "120", "90", "110", "130", "118", "0.95")
	add(1, "80", "90", "85", "79", "81", "0.35")
	cases, ms := sc.Result()
	if cases != 4 {
		t.Fatalf("cases %d", cases)
	}
	// Run rate: |80-100|+|60-50|+|110-120|+|85-80| = 45, MAE 11.25; over
	// 350 of final values 0.1286; P 0,0,1,0 against outcomes 1,0,1,0:
	// Brier 1/4.
	// Seasonal: 5+50+10+1 = 66, MAE 16.5, 0.1886; P 1,1,1,0: Brier 1/4.
	// Probabilistic: 8+20+2+1 = 31, MAE 7.75, 0.0886; (0.25² + 0.15² +
	// 0.05² + 0.35²)/4 = 0.2100/4 = 0.0525.
	want := []struct{ mae, rel, brier string }{{"11.25", "0.1286", "0.25"}, {"16.5", "0.1886", "0.25"}, {"7.75", "0.0886", "0.0525"}}
	for m, w := range want {
		s := ms[m]
		if s.MAE.String() != w.mae || s.RelativeMAE.String() != w.rel || s.Brier.String() != w.brier {
			t.Errorf("%s: MAE %s rel %s Brier %s, want %s %s %s", s.Method, s.MAE, s.RelativeMAE, s.Brier, w.mae, w.rel, w.brier)
		}
	}
	// The probabilistic method at 25%: |92-100| + |70-50| = 28 over 2.
	if got := ms[2].ByAt[0]; got.MAE.String() != "14" || got.At != "25%" {
		t.Errorf("at 25%%: %+v", got)
	}
	// Its reliability: 0.15 in [0.1, 0.2) missed, 0.35 in [0.3, 0.4)
	// missed, 0.75 in [0.7, 0.8) reached, 0.95 in [0.9, 1] reached.
	rel := ms[2].Reliability
	for k, w := range map[int][2]int{1: {1, 0}, 3: {1, 0}, 7: {1, 1}, 9: {1, 1}, 0: {0, 0}, 5: {0, 0}} {
		if rel[k].Count != w[0] || rel[k].Reached != w[1] {
			t.Errorf("bin %d: %+v, want count %d reached %d", k, rel[k], w[0], w[1])
		}
	}
	if rel[7].MeanP.String() != "0.75" {
		t.Errorf("bin 7 mean %s", rel[7].MeanP)
	}
	// The lowest Brier score wins; run rate and seasonal tie on it, and
	// the run rate's relative MAE is lower.
	if b, b2 := Best(ms), Best(ms[:2]); b != "probabilistic" || b2 != "run_rate_workdays" {
		t.Errorf("best %s, of the point methods %s", b, b2)
	}
	// Without a target a case is scored for its error only.
	sc = NewScorer([]string{"a"}, []string{"50%"})
	sc.Add(0, Case{Final: dec("10"), Points: []decimal.Decimal{dec("12")}, P: []decimal.NullDecimal{{}}})
	if _, ms := sc.Result(); ms[0].Forecasts != 1 || ms[0].Judged != 0 || ms[0].MAE.String() != "2" || !ms[0].Brier.IsZero() {
		t.Errorf("without a target: %+v", ms[0].Score)
	}
}
