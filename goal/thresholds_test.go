package goal

import (
	"strings"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/period"
)

// A default threshold gives way to an explicit one: on_track 0.7 alone
// puts at_risk at 0.7 too (not the default 0.8 above it), at_risk 1.2
// alone puts on_track at 1.2; two explicit thresholds out of order are
// refused.
func TestThresholdDefaultsGiveWay(t *testing.T) {
	cal := enginetest.Calendar(t, "UTC")
	for _, tc := range []struct {
		name            string
		th              Thresholds
		onTrack, atRisk string
		err             string
	}{
		{"defaults", Thresholds{}, "1", "0.8", ""},
		{"on_track below the default at_risk", Thresholds{OnTrack: dp("0.7")}, "0.7", "0.7", ""},
		{"on_track above the default at_risk", Thresholds{OnTrack: dp("0.9")}, "0.9", "0.8", ""},
		{"at_risk above the default on_track", Thresholds{AtRisk: dp("1.2")}, "1.2", "1.2", ""},
		{"at_risk below the default on_track", Thresholds{AtRisk: dp("0.5")}, "1", "0.5", ""},
		{"both, out of order", Thresholds{OnTrack: dp("0.5"), AtRisk: dp("0.7")}, "", "", "goals[0].thresholds.at_risk: at_risk (0.7) must not be above on_track (0.5)"},
		// Long numbers are quoted shortened, as formula's errors quote
		// one: 10,000 places made a message of 10,000 characters.
		{"long, out of order", Thresholds{OnTrack: dp("0.5" + strings.Repeat("0", 48) + "1"), AtRisk: dp("0.7")}, "", "",
			"goals[0].thresholds.at_risk: at_risk (0.7) must not be above on_track (5.000000000000000…e-1)"},
		{"long on_track", Thresholds{OnTrack: dp("-1e-10000")}, "", "", "goals[0].thresholds.on_track: on_track must be above 0, got -1e-10000"},
		{"long at_risk", Thresholds{AtRisk: dp("-2e-10000")}, "", "", "goals[0].thresholds.at_risk: at_risk must be above 0, got -2e-10000"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			def := Def{ID: "leads", Indicator: "leads", Target: dp("10"), Thresholds: tc.th,
				Period: PeriodDef{From: d("2025-03-01"), Every: period.Month}, Participants: ParticipantsDef{Users: []string{"anna"}}}
			s, err := Compile([]Def{def}, Env{Calendar: cal, Indicators: enginetest.SalesIndicators})
			if tc.err != "" {
				if err == nil || !strings.Contains(err.Error(), tc.err) {
					t.Fatalf("error %v, want one with %q", err, tc.err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			g := s.byID["leads"]
			if g.onTrack.String() != tc.onTrack || g.atRisk.String() != tc.atRisk {
				t.Fatalf("on_track %s, at_risk %s; want %s, %s", g.onTrack, g.atRisk, tc.onTrack, tc.atRisk)
			}
		})
	}
}
