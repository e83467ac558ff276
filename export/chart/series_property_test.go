package chart_test

import (
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// randomSeries is base cut to its first days (one to ten), its plans,
// actuals and target random: each undefined now and then, else c×10^exp,
// c below 10^digits in size, of either sign or zero, or one value
// everywhere.
func randomSeries(t *rapid.T, base goal.Row, digits, exp int) goal.Row {
	row := base
	row.Series = append(row.Series[:0:0], base.Series[:rapid.IntRange(1, 10).Draw(t, "days")]...)
	top := int64(math.Pow10(digits))
	same := rapid.Bool().Draw(t, "same")
	c := rapid.Int64Range(-top, top).Draw(t, "c")
	num := func() decimal.NullDecimal {
		if rapid.IntRange(0, 8).Draw(t, "undefined") == 0 {
			return decimal.NullDecimal{}
		}
		if !same {
			c = rapid.Int64Range(-top, top).Draw(t, "value")
		}
		return decimal.NewNullDecimal(decimal.New(c, int32(exp)))
	}
	for i := range row.Series {
		row.Series[i].Plan, row.Series[i].Actual = num(), num()
	}
	row.Target = num()
	return row
}

// span is the least and the greatest of the defined values (±Inf when
// none is).
func span(vs ...decimal.NullDecimal) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, v := range vs {
		if v.Valid {
			f, _ := v.Decimal.Float64()
			lo, hi = min(lo, f), max(hi, f)
		}
	}
	return lo, hi
}

// Property: a burn-up's value axis covers its plan, actuals and target,
// and the daily chart's covers what each day added, whatever their signs
// and sizes (all equal, zero, negative): the least of the axis's numbers
// is at most the least value, the greatest at least the greatest. The
// values stay below a billion, where the axis writes its numbers in full.
func TestSeriesAxisCoversTheValues(t *testing.T) {
	base := rowOf(t, "revenue_plan", "vera")
	dates := map[string]bool{}
	for _, p := range base.Series {
		dates[p.Date.Format("02.01")] = true
	}
	rapid.Check(t, func(t *rapid.T) {
		row := randomSeries(t, base, rapid.IntRange(0, 8).Draw(t, "digits"), 0)
		var all []decimal.NullDecimal
		var added []decimal.NullDecimal
		prev := decimal.Zero
		for _, p := range row.Series {
			all = append(all, p.Plan, p.Actual)
			if p.Actual.Valid {
				added = append(added, decimal.NewNullDecimal(p.Actual.Decimal.Sub(prev)))
				prev = p.Actual.Decimal
			}
		}
		check := func(name string, svg []byte, err error, vs []decimal.NullDecimal) {
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			lo, hi := span(vs...)
			if math.IsInf(lo, 0) {
				return // nothing drawn
			}
			alo, ahi := math.Inf(1), math.Inf(-1)
			for _, m := range drawnText.FindAllStringSubmatch(string(svg), -1) {
				if dates[m[4]] {
					continue
				}
				if f, err := strconv.ParseFloat(strings.ReplaceAll(m[4], " ", ""), 64); err == nil {
					alo, ahi = min(alo, f), max(ahi, f)
				}
			}
			if alo > lo || ahi < hi {
				t.Fatalf("%s: the axis runs from %g to %g, the values from %g to %g", name, alo, ahi, lo, hi)
			}
		}
		svg, err := chart.BurnUp(row, chart.Options{Format: chart.SVG})
		check("burn-up", svg, err, append(all, row.Target))
		svg, err = chart.Daily(row, chart.Options{Format: chart.SVG})
		check("daily", svg, err, added)
	})
}

// Property: values of any size a chart draws (from 10^-330, below a
// double's least, to 10^299, so that a day's addition stays within
// ±1e300) draw a burn-up and a daily chart, neither of which writes a
// number that is not one (NaN, ±Inf).
func TestSeriesOfAnySizeDrawn(t *testing.T) {
	base := rowOf(t, "revenue_plan", "vera")
	rapid.Check(t, func(t *rapid.T) {
		row := randomSeries(t, base, 1, rapid.IntRange(-330, 298).Draw(t, "exponent"))
		for name, draw := range map[string]func(goal.Row, chart.Options) ([]byte, error){"burn-up": chart.BurnUp, "daily": chart.Daily} {
			svg, err := draw(row, chart.Options{Format: chart.SVG})
			if err != nil {
				t.Fatalf("%s: %v", name, err)
			}
			if s := string(svg); strings.Contains(s, "NaN") || strings.Contains(s, "Inf") {
				t.Fatalf("%s: %s", name, s)
			}
		}
	})
}
