package goal

import (
	"context"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/period"
)

// A steady 2 leads every working day: the run rate by working days and the
// probabilistic forecast are exact at every point, and every target of 40
// was reached and forecast so.
func TestBacktestSteady(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	g := Def{ID: "leads", Indicator: "leads", Target: dp("40"),
		Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna", "boris"}}}
	g2 := Def{ID: "conv", Indicator: "conversion", Target: dp("0.5"),
		Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, g, g2)
	src := append(steadyLeads(cal, "anna", "2025-01-01", "2025-07-01", 2), steadyLeads(cal, "boris", "2025-01-01", "2025-07-01", 2)...)
	bt, err := s.Backtest(context.Background(), snapshot(s, src), BacktestRequest{From: d("2025-02-01"), To: d("2025-08-01"), End: enginetest.At(cal, "2025-07-01 00:00")})
	if err != nil {
		t.Fatal(err)
	}
	// February to June (July is not over), 2 participants, 3 points.
	// Run rate and probabilistic are both perfect; the run rate comes first.
	if bt.Best != string(RunRateWorkdays) || bt.Goals[0].Best != string(RunRateWorkdays) {
		t.Errorf("best %s, %s", bt.Best, bt.Goals[0].Best)
	}
	if bt.Cases != 5*2*3 || len(bt.Skipped) != 1 || len(bt.Methods) != 3 {
		t.Fatalf("cases %d, skipped %v, methods %d", bt.Cases, bt.Skipped, len(bt.Methods))
	}
	for _, m := range bt.Methods {
		if m.Method == string(SeasonalShare) {
			continue
		}
		// A perfect score is a defined 0, not an undefined one (null).
		if !m.MAE.Valid || !m.MAE.Decimal.IsZero() || !m.Brier.Valid || !m.Brier.Decimal.IsZero() || m.Judged != 30 || m.Reliability[9].Count != 30 || m.Reliability[9].Reached != 30 {
			t.Errorf("%s: MAE %v, Brier %v, judged %d, top bin %+v", m.Method, m.MAE, m.Brier, m.Judged, m.Reliability[9])
		}
		for _, b := range m.ByAt {
			if b.Forecasts != 10 || !b.MAE.Valid || !b.MAE.Decimal.IsZero() {
				t.Errorf("%s at %s: %d forecasts, MAE %v", m.Method, b.At, b.Forecasts, b.MAE)
			}
		}
	}
}

// The points are named as the percents they are: 7 % is "7%", not the
// 7.000000000000001 that 0.07 × 100 makes in floating point.
func TestBacktestPointLabels(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	g := Def{ID: "leads", Indicator: "leads", Target: dp("40"),
		Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
	s := mustCompile(t, cal, enginetest.SalesIndicators, g)
	bt, err := s.Backtest(context.Background(), snapshot(s, events(nil)), BacktestRequest{From: d("2025-02-01"), To: d("2025-03-01"),
		End: enginetest.At(cal, "2025-07-01 00:00"), At: []float64{0.07, 0.29, 0.57, 0.125, 0.5}})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := strings.Join(bt.At, " "), "7% 29% 57% 12.5% 50%"; got != want {
		t.Fatalf("points %q, want %q", got, want)
	}
}
