package goal

import (
	"fmt"
	"testing"

	"github.com/goalkit/goalkit/internal/enginetest"
	"github.com/goalkit/goalkit/period"
)

// BenchmarkChanceReport evaluates a monthly leads goal for 200 users with
// 6 months of history, with and without the chance: the ratio is what the
// probabilistic forecast costs a report.
func BenchmarkChanceReport(b *testing.B) {
	cal := enginetest.Calendar(b, "UTC")
	var users []string
	var src events
	for i := range 200 {
		u := fmt.Sprintf("u%03d", i)
		users = append(users, u)
		src = append(src, steadyLeads(cal, u, "2025-01-01", "2025-07-16", 1+i%3)...)
	}
	req := Request{AsOf: enginetest.At(cal, "2025-07-16 00:00"), From: d("2025-07-01"), To: d("2025-08-01")}
	for _, c := range []struct {
		name   string
		chance *ChanceDef
	}{{"run_rate", nil}, {"chance", &ChanceDef{History: 6, Seed: 1}}} {
		g := Def{ID: "leads", Indicator: "leads", Target: dp("40"), Chance: c.chance,
			Period: PeriodDef{From: d("2025-01-01"), Every: period.Month}, Participants: ParticipantsDef{Users: users}}
		s := mustCompile(b, cal, enginetest.SalesIndicators, g)
		tab := snapshot(s, src)
		b.Run(c.name, func(b *testing.B) {
			for b.Loop() {
				if _, err := s.Evaluate(b.Context(), tab, req); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
