package goalkittest_test

import (
	"slices"
	"testing"

	"github.com/goalkit/goalkit"
	"github.com/goalkit/goalkit/goalkittest"
	"github.com/goalkit/goalkit/period"
)

// TestPlansDraw checks what Plans promises of the plans it draws, over
// fixed seeds: a zone of Zones, one to five indicators (a ratio formula only
// over two others), a report of months, weeks or quarters starting in
// 2025, sometimes a scorecard with a bonus; each compiles.
func TestPlansDraw(t *testing.T) {
	seen := map[any]int{}
	for i := range 500 {
		def := goalkittest.Plans().Example(i)
		plan, err := goalkit.Compile(def)
		if err != nil {
			t.Fatalf("plan %d: %v", i, err)
		}
		if !slices.Contains(goalkittest.Zones, def.Timezone) {
			t.Errorf("plan %d: zone %s", i, def.Timezone)
		}
		n := len(def.Indicators)
		if n < 1 || n > 5 {
			t.Errorf("plan %d: %d indicators", i, n)
		}
		seen[n]++
		for _, d := range def.Indicators {
			if d.Formula != "" && n < 3 {
				t.Errorf("plan %d: formula %q over fewer than two indicators", i, d.Formula)
			}
			seen[string(d.Aggregate)]++
		}
		if g := def.Report.Grain; g != period.Month && g != period.Week && g != period.Quarter {
			t.Errorf("plan %d: grain %s", i, g)
		}
		seen[def.Report.Grain]++
		for _, p := range plan.Periods() {
			if start, _ := plan.Calendar().Bounds(p); start.Year() != 2025 {
				t.Errorf("plan %d: period %s starts in %d", i, p, start.Year())
			}
		}
		if len(def.Scorecards) > 0 {
			if len(def.Bonuses) == 0 {
				t.Errorf("plan %d: a scorecard without a bonus", i)
			}
			seen["scorecard"]++
		}
	}
	for _, want := range []any{1, 2, 3, 4, 5, "count", "sum", "avg", "min", "max", "distinct", period.Month, period.Week, period.Quarter, "scorecard"} {
		if seen[want] == 0 {
			t.Errorf("no plan with %v: %v", want, seen)
		}
	}
}
