package goal

import (
	"context"
	"testing"

	"github.com/goalkit/goalkit/period"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
)

// A steady 2 leads every working day: the run rate by working days and the
// probabilistic forecast are exact at every point, and every target of 40
// was reached and forecast so.
func TestBacktestSteady(t *testing.T) {
	cal := mustCal(t, "UTC")
	g := Def{ID: "leads", Indicator: "leads", Target: dp("40"),
		Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna", "boris"}}}
	g2 := Def{ID: "conv", Indicator: "conversion", Target: dp("0.5"),
		Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
	s := mustCompile(t, cal, salesInds, g, g2)
	src := append(steadyLeads(cal, "anna", "2025-01-01", "2025-07-01", 2), steadyLeads(cal, "boris", "2025-01-01", "2025-07-01", 2)...)
	bt, err := s.Backtest(context.Background(), snapshot(s, src), BacktestRequest{From: d("2025-02-01"), To: d("2025-08-01"), End: at(cal, "2025-07-01 00:00")})
	if err != nil {
		t.Fatal(err)
	}
	// February to June (July is not over), 2 participants, 3 points.
	// Run rate and probabilistic are both perfect; the run rate comes first.
	if bt.Best != RunRateWorkdays || bt.Goals[0].Best != RunRateWorkdays {
		t.Errorf("best %s, %s", bt.Best, bt.Goals[0].Best)
	}
	if bt.Cases != 5*2*3 || len(bt.Skipped) != 1 || len(bt.Methods) != 3 {
		t.Fatalf("cases %d, skipped %v, methods %d", bt.Cases, bt.Skipped, len(bt.Methods))
	}
	for _, m := range bt.Methods {
		if m.Method == SeasonalShare {
			continue
		}
		if !m.MAE.IsZero() || !m.Brier.IsZero() || m.Judged != 30 || m.Reliability[9].Count != 30 || m.Reliability[9].Reached != 30 {
			t.Errorf("%s: MAE %s, Brier %s, judged %d, top bin %+v", m.Method, m.MAE, m.Brier, m.Judged, m.Reliability[9])
		}
		for _, b := range m.ByAt {
			if b.Forecasts != 10 || !b.MAE.IsZero() {
				t.Errorf("%s at %s: %d forecasts, MAE %s", m.Method, b.At, b.Forecasts, b.MAE)
			}
		}
	}
}

// The scores of four hand-made cases.
func TestBacktestScores(t *testing.T) {
	sc := newScorer(2)
	// final, target, run-rate point, seasonal point, probabilistic point and P.
	add := func(i int, final, target, rr, se, pp, p string) {
		c := btCase{final: nd(final), target: nd(target), dir: score.HigherIsBetter}
		c.point = [3]decimal.NullDecimal{nd(rr), nd(se), nd(pp)}
		for m := range 2 {
			if score.Achieve(c.dir, c.point[m], c.target).Met {
				c.p[m] = nd("1")
			} else {
				c.p[m] = nd("0")
			}
		}
		c.p[2] = nd(p)
		sc.add(i, c)
	}
	add(0, "100", "90", "80", "95", "92", "0.75") // reached; run rate said no
	add(0, "50", "90", "60", "100", "70", "0.15") // missed; seasonal said yes
	add(1, "120", "90", "110", "130", "118", "0.95")
	add(1, "80", "90", "85", "79", "81", "0.35")
	cases, ms := sc.result([]string{"25%", "75%"})
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
}
