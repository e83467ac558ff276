package kpi_test

import (
	"context"
	"fmt"
	"testing"
	"time"

	"github.com/goalkit/goalkit/adapters/memory"
	"github.com/goalkit/goalkit/kpi"
	"pgregory.net/rapid"
)

// drawFormula draws a formula over the indicators ids: the functions of
// formulas over indicators, prev() some periods back, and a running one.
func drawFormula(t *rapid.T, ids []string) string {
	x := func(name string) string { return rapid.SampledFrom(ids).Draw(t, name) }
	switch rapid.IntRange(0, 11).Draw(t, "shape") {
	case 0:
		return fmt.Sprintf("%s / days()", x("x"))
	case 1:
		return fmt.Sprintf("%s / elapsed()", x("x"))
	case 2:
		return fmt.Sprintf("%s - prev(%s, %d)", x("x"), x("y"), rapid.IntRange(1, 3).Draw(t, "n"))
	case 3:
		return fmt.Sprintf("coalesce(%s, 0) + coalesce(%s, 0)", x("x"), x("y"))
	case 4:
		return fmt.Sprintf("round(%s / 3, %d)", x("x"), rapid.IntRange(-1, 3).Draw(t, "places"))
	case 5:
		return fmt.Sprintf("clamp(%s, 0, 100)", x("x"))
	case 6:
		return fmt.Sprintf("defined(%s) ? %s : -1", x("x"), x("y"))
	case 7:
		return fmt.Sprintf("max(%s, %s)", x("x"), x("y"))
	case 8:
		return fmt.Sprintf("%s * elapsed() + days()", x("x"))
	case 9:
		return fmt.Sprintf("sum([%s, %s, prev(%s)])", x("x"), x("y"), x("z"))
	case 10:
		return fmt.Sprintf("abs(%s) / (%s ?? 1)", x("x"), x("y"))
	default:
		return fmt.Sprintf("%s / workdays()", x("x"))
	}
}

// TestTrackerFormulasMatchBatch compares the tracker's values of formulas
// over indicators (prev() some periods back, days(), elapsed(), running
// formulas, conditions and the undefined) with a batch evaluation of the
// same versions, now and as of instants inside the periods.
func TestTrackerFormulasMatchBatch(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		ctx := context.Background()
		cal, periods := drawPeriods(t)
		defs := genDefs(t)
		var ids []string
		for _, d := range defs {
			ids = append(ids, d.ID)
		}
		for i := range rapid.IntRange(1, 3).Draw(t, "formulas") {
			defs = append(defs, kpi.IndicatorDef{ID: fmt.Sprintf("f%d", i), Formula: drawFormula(t, ids)})
		}
		if rapid.Bool().Draw(t, "running") {
			defs = append(defs, kpi.IndicatorDef{ID: "run", Formula: fmt.Sprintf("coalesce(prev(run), 0) + coalesce(%s, 0)", rapid.SampledFrom(ids).Draw(t, "run of"))})
		}
		set, err := kpi.Compile(defs, kpi.Env{Attributes: propAttrs, Calendar: cal})
		if err != nil {
			t.Fatalf("compile: %v", err)
		}
		req := propRequest(cal, periods)
		tr, err := set.Track(ctx, req, memory.NewTrackStore())
		if err != nil {
			t.Fatal(err)
		}
		defer tr.Close()
		stream := genStream(t, cal, periods)
		start, _ := cal.Bounds(periods[0])
		_, end := cal.Bounds(periods[len(periods)-1])
		var applied []kpi.Event
		for len(stream) > 0 {
			n := rapid.IntRange(1, min(5, len(stream))).Draw(t, "batch")
			if err := tr.Apply(ctx, stream[:n]...); err != nil {
				t.Fatal(err)
			}
			applied, stream = append(applied, stream[:n]...), stream[n:]
			asOf := time.Time{}
			if rapid.Bool().Draw(t, "as of") {
				asOf = start.Add(time.Duration(rapid.Int64Range(0, int64(end.Sub(start))).Draw(t, "at")))
			}
			r := req
			r.AsOf = asOf
			live, liveErr := tr.Result(ctx, asOf)
			batch, batchErr := set.Evaluate(ctx, storeOf(t, r, applied), r)
			if liveErr != nil || batchErr != nil {
				// The extreme amounts can take a formula past the
				// digits' limit (1e600 + 1e-600): live fails as batch does.
				if liveErr == nil || batchErr == nil || liveErr.Error() != batchErr.Error() {
					t.Fatalf("as of %v: live error %v, batch error %v", asOf, liveErr, batchErr)
				}
				continue
			}
			sameResult(t, fmt.Sprintf("as of %v", asOf), live, batch)
		}
	})
}
