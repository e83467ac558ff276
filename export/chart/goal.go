package chart

import (
	"errors"
	"fmt"

	"github.com/go-analyze/charts"
	"github.com/goalkit/goalkit/goal"
	"github.com/shopspring/decimal"
)

// ErrNoSeries is returned for a goal row without a daily series: evaluate
// with goalkit.WithSeries to have one.
var ErrNoSeries = errors.New("chart: the goal row has no daily series (evaluate with goalkit.WithSeries)")

// BurnUp draws a goal row's burn-up: its cumulative actual day by day
// against the plan for the same day, and the target as a level line. Days
// without an actual (after the row's as-of date) are left blank.
func BurnUp(row goal.Row, o Options) ([]byte, error) {
	if len(row.Series) == 0 {
		return nil, ErrNoSeries
	}
	n := len(row.Series)
	labels := make([]string, n)
	plan, actual, target := make([]float64, n), make([]float64, n), make([]float64, n)
	t, ok := value(row.Target)
	if !ok {
		return nil, fmt.Errorf("chart: burn-up: the target %w", errUndrawable)
	}
	for i, p := range row.Series {
		labels[i] = p.Date.Format("02.01")
		target[i] = t
		if plan[i], ok = value(p.Plan); !ok {
			return nil, fmt.Errorf("chart: burn-up: the plan of %s %w", labels[i], errUndrawable)
		}
		if actual[i], ok = value(p.Actual); !ok {
			return nil, fmt.Errorf("chart: burn-up: the actual of %s %w", labels[i], errUndrawable)
		}
	}
	data, names := [][]float64{plan, actual}, []string{o.or(o.Words.Plan, "plan"), o.or(o.Words.Actual, "actual")}
	if row.Target.Valid {
		data, names = append(data, target), append(names, o.or(o.Words.Target, "target"))
	}
	opt := charts.NewLineChartOptionWithData(data)
	opt.XAxis.Labels = labels
	opt.XAxis.LabelCount = o.dayLabels(n)
	opt.Legend.SeriesNames = names
	opt.Legend.Offset = charts.OffsetRight
	opt.Symbol.Shape = charts.SymbolNone
	opt.LineStrokeWidth = 2
	opt.ValueFormatter = axisNumber
	f, err := dejavu()
	if err != nil {
		return nil, err
	}
	// The axes' labels in DejaVu Sans too: they do not take the painter's.
	opt.XAxis.LabelFontStyle.Font = f
	opt.YAxis = []charts.YAxisOption{{LabelFontStyle: charts.FontStyle{Font: f}}}
	p, err := o.painter()
	if err != nil {
		return nil, err
	}
	if opt.Title.Text, err = o.title(p, names...); err != nil {
		return nil, err
	}
	if err := p.LineChart(opt); err != nil {
		return nil, fmt.Errorf("chart: burn-up: %w", err)
	}
	return p.Bytes()
}

// Daily draws what each day added to a goal row's actual (the difference of
// its cumulative series from one day to the next) as bars. Days without an
// actual are left blank.
func Daily(row goal.Row, o Options) ([]byte, error) {
	if len(row.Series) == 0 {
		return nil, ErrNoSeries
	}
	n := len(row.Series)
	labels := make([]string, n)
	added := make([]float64, n)
	prev := decimal.Zero
	for i, p := range row.Series {
		labels[i] = p.Date.Format("02.01")
		added[i] = charts.GetNullValue()
		if p.Actual.Valid {
			var ok bool
			if added[i], ok = value(decimal.NewNullDecimal(p.Actual.Decimal.Sub(prev))); !ok {
				return nil, fmt.Errorf("chart: daily: what %s added %w", labels[i], errUndrawable)
			}
			prev = p.Actual.Decimal
		}
	}
	opt := charts.NewBarChartOptionWithData([][]float64{added})
	opt.CategoryAxis.Labels = labels
	opt.CategoryAxis.LabelCount = o.dayLabels(n)
	opt.Legend.SeriesNames = []string{o.or(o.Words.PerDay, "actual per day")}
	opt.Legend.Offset = charts.OffsetRight
	opt.ValueFormatter = axisNumber
	if err := barFonts(&opt, nil); err != nil {
		return nil, err
	}
	p, err := o.painter()
	if err != nil {
		return nil, err
	}
	if opt.Title.Text, err = o.title(p, opt.Legend.SeriesNames...); err != nil {
		return nil, err
	}
	if err := p.BarChart(opt); err != nil {
		return nil, fmt.Errorf("chart: daily: %w", err)
	}
	return p.Bytes()
}

// drawLimit is the largest magnitude a chart draws: a double's range, less
// the room its axis needs above the largest value (past about 1e306 the
// axis reads "+Inf").
var drawLimit = decimal.New(1, 300)

// errUndrawable ends the error of a number beyond drawLimit: such a number
// is refused rather than left out (a line that just stops) or drawn wrong;
// the exact numbers are in the report's tables.
var errUndrawable = errors.New("is beyond what a chart can draw (±1e300)")

// value is a decimal as a float for drawing; an undefined one is a gap.
// ok is false for one beyond drawLimit.
func value(v decimal.NullDecimal) (f float64, ok bool) {
	if !v.Valid {
		return charts.GetNullValue(), true
	}
	if v.Decimal.Abs().Cmp(drawLimit) > 0 {
		return 0, false
	}
	f, _ = v.Decimal.Float64()
	return f, true
}
