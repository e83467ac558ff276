package kpi_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// TestExplainEveryCell explains every formula's cell of random reports
// (several periods of one grain, some with a gap between the last two,
// as of an instant) of random plans with running formulas (a formula that
// reads its own prev(), two that read each other's, one that reads a
// running one with prev()) and prev() of other indicators, and checks
// that each explanation's value is the report's, and so is the value of
// each input read in a reported period. The explanation of a running
// formula in a later period restarted its total there.
func TestExplainEveryCell(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		cal, periods := drawPeriods(t)
		span := slices.Clone(periods) // the periods events fall in
		if rapid.Bool().Draw(t, "gap") {
			last := periods[len(periods)-1]
			k := rapid.IntRange(2, 3).Draw(t, "after")
			for i := 1; i <= k; i++ {
				span = append(span, cal.Shift(last, i))
			}
			periods = append(periods, span[len(span)-1])
		}
		defs := append(genDefs(t),
			kpi.IndicatorDef{ID: "run", Formula: rapid.SampledFrom([]string{"coalesce(prev(run), 0) + i0", "coalesce(prev(run, 2), 1) * 2 - i0", "prev(run) + 1"}).Draw(t, "run formula")},
			kpi.IndicatorDef{ID: "even", Formula: "coalesce(prev(odd), 0) + i0"},
			kpi.IndicatorDef{ID: "odd", Formula: "coalesce(prev(even), 0) + 10 * coalesce(i0, 1)"},
			kpi.IndicatorDef{ID: "run_growth", Formula: "run - prev(run)"},
			kpi.IndicatorDef{ID: "i0_growth", Formula: "i0 - prev(i0)"})
		set, err := kpi.Compile(defs, kpi.Env{Attributes: propAttrs})
		if err != nil {
			t.Fatalf("compile: %v", err)
		}
		req := propRequest(cal, periods)
		stream := genStream(t, cal, span)
		if rapid.Bool().Draw(t, "as of") {
			start, _ := cal.Bounds(span[0])
			_, end := cal.Bounds(span[len(span)-1])
			req.AsOf = start.Add(time.Duration(rapid.Int64Range(0, int64(end.Sub(start))).Draw(t, "at")))
		}
		res := batchOf(t, set, req, stream)
		err = kpi.Snapshot(ctx, storeOf(t, req, stream), cal.Location(), kpi.Query{}, func(tab *kpi.Table) error {
			for _, ix := range set.Indicators() {
				if !ix.IsFormula() {
					continue
				}
				for _, part := range res.Participants() {
					for _, p := range periods {
						ex, err := set.Explain(ctx, tab, req, ix.ID(), part, p, nil, 1)
						if err != nil {
							t.Fatalf("explain %s for %s in %s: %v", ix.ID(), part, cal.Label(p), err)
						}
						want, _ := res.Value(ix.ID(), part, p)
						if !sameValue(ex.Value, want) {
							t.Fatalf("explanation of %s for %s in %s says %s, the report %s", ix.ID(), part, cal.Label(p), show(ex.Value), show(want))
						}
						for _, in := range ex.Inputs {
							if !slices.Contains(periods, in.Period) {
								continue
							}
							want, _ := res.Value(in.Indicator, part, in.Period)
							if !sameValue(in.Value, want) {
								t.Fatalf("explanation of %s for %s in %s reads %s (back %d) in %s as %s, the report %s", ix.ID(), part, cal.Label(p), in.Indicator, in.Back, in.Label, show(in.Value), show(want))
							}
						}
					}
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	})
}
