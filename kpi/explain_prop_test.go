package kpi_test

import (
	"fmt"
	"math/big"
	"slices"
	"strings"
	"time"

	"testing"

	"github.com/goalkit/goalkit/kpi"
	"github.com/goalkit/goalkit/org"
	"github.com/goalkit/goalkit/period"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// fromContributions aggregates what an explanation lists as counted, the
// way its aggregate does: the value the explanation must add up to.
func fromContributions(t *rapid.T, ix *kpi.Indicator, ex *kpi.Explanation) decimal.NullDecimal {
	if ix.Aggregate == kpi.Count {
		return decimal.NewNullDecimal(decimal.NewFromInt(int64(len(ex.Included))))
	}
	var vals []decimal.Decimal
	seen := map[string]bool{}
	for _, c := range ex.Included {
		if c.Value == "" {
			t.Fatalf("contribution %s has no value", c.Event)
		}
		seen[c.Value] = true
		if ix.Aggregate != kpi.Distinct {
			vals = append(vals, decimal.RequireFromString(c.Value))
		}
	}
	sum := decimal.Zero
	for _, v := range vals {
		sum = sum.Add(v)
	}
	switch ix.Aggregate {
	case kpi.Distinct:
		return decimal.NewNullDecimal(decimal.NewFromInt(int64(len(seen))))
	case kpi.Sum:
		return decimal.NewNullDecimal(sum)
	}
	if len(vals) == 0 {
		return decimal.NullDecimal{}
	}
	switch ix.Aggregate {
	case kpi.Avg:
		q := ratDecimal(new(big.Rat).Quo(ratOf(sum), big.NewRat(int64(len(vals)), 1)))
		return decimal.NewNullDecimal(q)
	case kpi.Min:
		return decimal.NewNullDecimal(slices.MinFunc(vals, decimal.Decimal.Cmp))
	case kpi.Max:
		return decimal.NewNullDecimal(slices.MaxFunc(vals, decimal.Decimal.Cmp))
	}
	p := decimal.New(5, -1)
	if ix.Def.P != nil {
		p = *ix.Def.P
	}
	return decimal.NewNullDecimal(refPercentile(vals, p))
}

// TestExplanationAddsUp explains random cells (actors, teams with fixed or
// dated members, everyone; as of an instant, as known at one) of random
// indicators and checks that the explanation's value is the report's and
// that the events it counts, aggregated again here, give that value.
func TestExplanationAddsUp(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		set, req := drawTracking(t)
		cal, periods := req.Calendar, req.Periods
		stream := genStream(t, cal, periods)
		start, _ := cal.Bounds(periods[0])
		_, end := cal.Bounds(periods[len(periods)-1])
		pick := func(name string) time.Time {
			return start.Add(time.Duration(rapid.Int64Range(0, int64(end.Sub(start))).Draw(t, name)))
		}
		for i := range stream {
			if rapid.IntRange(0, 2).Draw(t, "known") == 0 {
				stream[i].Known = pick("known")
			}
		}
		if rapid.Bool().Draw(t, "as of") {
			req.AsOf = pick("as of")
		}
		if rapid.Bool().Draw(t, "known at") {
			req.KnownAt = pick("known at")
		}
		res := batchOf(t, set, req, stream)
		store := storeOf(t, req, stream)
		// The report of a period alone, for an input a formula reads with
		// prev() in a period before the report's: the participant of the
		// formula's row is one of it (a value of no event, not no row).
		// An explanation of a cell of the report is the report's, a
		// running formula's (genDefs' total) included.
		reportOf := func(p period.Period, part string) *kpi.Result {
			if slices.Contains(res.Periods(), p) {
				return res
			}
			r := req
			r.Periods = []period.Period{p}
			if !res.IsGroup(part) && part != org.Everyone {
				r.Participants = append(slices.Clip(r.Participants), part)
			}
			return batchOf(t, set, r, stream)
		}
		for range 4 {
			ix := rapid.SampledFrom(set.Indicators()).Draw(t, "indicator")
			part := rapid.SampledFrom(res.Participants()).Draw(t, "participant")
			p := rapid.SampledFrom(periods).Draw(t, "period")
			ex, err := explainOver(set, store, req, ix.ID(), part, p, nil)
			if err != nil {
				t.Fatalf("explain %s %s %s: %v", ix.ID(), part, cal.Label(p), err)
			}
			addsUp(t, set, periods[0], reportOf, ex, true)
		}
		// A breakdown row: its value, and the events of its combination.
		var rows []kpi.Row
		for _, r := range res.Rows() {
			if r.By != nil {
				rows = append(rows, r)
			}
		}
		if len(rows) == 0 {
			return
		}
		r := rapid.SampledFrom(rows).Draw(t, "row")
		ex, err := explainOver(set, store, req, r.Indicator, r.Participant, r.Period, r.By)
		if err != nil {
			t.Fatalf("explain %s %s %s %v: %v", r.Indicator, r.Participant, cal.Label(r.Period), r.By, err)
		}
		if !sameValue(ex.Value, r.Value) {
			t.Fatalf("explanation of %s for %s in %s by %v says %s, the report %s", r.Indicator, r.Participant, cal.Label(r.Period), r.By, show(ex.Value), show(r.Value))
		}
		addsUp(t, set, periods[0], reportOf, ex, false)
	})
}

// addsUp checks that the events an explanation counts give its value, and
// those of its inputs theirs; of a total (not a breakdown row), that each
// input's value is the report's (of its period: an input read with prev()
// may be of a period before the report's, whose first period is first).
func addsUp(t *rapid.T, set *kpi.Set, first period.Period, reportOf func(period.Period, string) *kpi.Result, ex *kpi.Explanation, total bool) {
	ix, _ := set.Lookup(ex.Indicator)
	res := reportOf(ex.Period, ex.Participant)
	if total {
		want, _ := res.Value(ex.Indicator, ex.Participant, ex.Period)
		if ex.Back > 0 && ex.Formula != "" && strings.Contains(ex.Formula, "prev("+ex.Indicator) {
			// A running formula read with prev(): given with its value,
			// not explained again; before the report's first period, it
			// is undefined.
			if ex.Period.Start < first.Start {
				want = decimal.NullDecimal{}
			}
			if len(ex.Inputs) > 0 {
				t.Fatalf("running formula %s for %s in %s explained again: %+v", ex.Indicator, ex.Participant, ex.Label, ex.Inputs)
			}
		}
		if !sameValue(ex.Value, want) {
			t.Fatalf("explanation of %s for %s in %s says %s, the report %s", ex.Indicator, ex.Participant, ex.Label, show(ex.Value), show(want))
		}
	}
	if ix.IsFormula() {
		for _, in := range ex.Inputs {
			addsUp(t, set, first, reportOf, in, total)
		}
		return
	}
	if warned(res, ex.Indicator, ex.Participant, ex.Label) {
		return
	}
	if got := fromContributions(t, ix, ex); !sameValue(got, ex.Value) {
		var ids []string
		for _, c := range ex.Included {
			ids = append(ids, fmt.Sprintf("%s=%s", c.Event, c.Value))
		}
		t.Fatalf("%s for %s in %s by %v is %s, its explanation's events (%s) give %s; left out %v", ex.Indicator, ex.Participant, ex.Label, ex.By,
			show(ex.Value), strings.Join(ids, " "), show(got), ex.ExcludedCounts)
	}
}

// warned reports whether the result left a cell undefined on purpose (a
// mix of currencies).
func warned(res *kpi.Result, indicator, participant, label string) bool {
	return slices.ContainsFunc(res.Warnings, func(w kpi.Warning) bool {
		return w.Indicator == indicator && w.Participant == participant && w.Period == label
	})
}
