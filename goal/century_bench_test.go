package goal

import (
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/period"
)

// BenchmarkCenturyGoal evaluates a goal of a century that learns from its
// earlier periods (a seasonal pace, a chance), with and without its chart,
// beside a monthly goal of the same events: what a goal's history and
// chart cost against its days.
func BenchmarkCenturyGoal(b *testing.B) {
	cal, inds, src := centuryLeads(b)
	century := PeriodDef{From: d("2000-01-01"), To: d("2100-01-01")}
	month := PeriodDef{From: d("2024-01-01"), Every: period.Month}
	anna := ParticipantsDef{Users: []string{"anna"}}
	req := Request{AsOf: enginetest.At(cal, "2025-03-20 12:00"), From: d("2025-03-01"), To: d("2025-04-01")}
	ytd := []kpi.IndicatorDef{{ID: "leads", Kinds: []string{"lead.created"}, Aggregate: "count", ToDate: "year"}}
	for _, c := range []struct {
		name   string
		def    Def
		series bool
		inds   []kpi.IndicatorDef // nil: inds
	}{
		{"seasonal_1", Def{Pace: PaceSeasonal, PaceHistory: 1, Period: century}, false, nil},
		{"seasonal_3", Def{Pace: PaceSeasonal, Period: century}, false, nil},
		{"chance_1", Def{Chance: &ChanceDef{History: 1, Seed: 1, Samples: 10}, Period: century}, false, nil},
		{"series", Def{Period: century}, true, nil},
		{"month_seasonal_series", Def{Pace: PaceSeasonal, Period: month}, true, nil},
		// A chart of a year to date over seventy years: 9,211 points.
		{"window_series", Def{Period: PeriodDef{From: d("2000-01-01"), To: d("2070-01-01")}}, true, ytd},
	} {
		g := c.def
		g.ID, g.Indicator, g.Target, g.Participants = "g", "leads", dp("100"), anna
		if c.inds == nil {
			c.inds = inds
		}
		s := mustCompile(b, cal, c.inds, g)
		tab := snapshot(s, src)
		r := req
		r.Series = c.series
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Evaluate(b.Context(), tab, r); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
