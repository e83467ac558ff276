package chart

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/go-analyze/charts"
	"github.com/goalkit/goalkit/export/internal/format"
	"github.com/goalkit/goalkit/score"
)

// ErrNoStandings is returned for a leaderboard without a ranked standing.
var ErrNoStandings = errors.New("chart: the leaderboard has no ranked standing")

// Leaderboard draws a board's ranked standings as horizontal bars, the
// first at the top, each labelled with its rank and participant (its name
// in o.Names, else its id) and its value. A label wider than two fifths of
// the image is cut short with "…", so that a long name leaves the bars
// their room. Unranked standings (no value) are left out.
func Leaderboard(b score.Board, o Options) ([]byte, error) {
	p, err := o.painter()
	if err != nil {
		return nil, err
	}
	var labels []string
	var values []float64
	// The category axis runs from the bottom up: the last standing first.
	for i := len(b.Standings) - 1; i >= 0; i-- {
		st := b.Standings[i]
		if st.Rank == 0 || !st.Value.Valid {
			continue
		}
		label := fmt.Sprintf("%d. %s", st.Rank, format.Named(o.Names, st.Participant))
		v, ok := value(st.Value)
		if !ok {
			return nil, fmt.Errorf("chart: leaderboard: the value of %q %w", label, errUndrawable)
		}
		if label, err = o.fitLabel(p, label); err != nil {
			return nil, err
		}
		labels = append(labels, label)
		values = append(values, v)
	}
	if len(values) == 0 {
		return nil, ErrNoStandings
	}
	opt := charts.NewBarChartOptionWithData([][]float64{values})
	opt.Horizontal = true
	opt.CategoryAxis.Labels = labels
	opt.SeriesList[0].Label.Show = charts.Ptr(true)
	opt.SeriesList[0].Label.ValueFormatter = labelNumber
	opt.SeriesList[0].Label.Distance = valueLabelGap
	opt.SeriesLabelPosition = charts.PositionRight
	opt.ValueFormatter = axisNumber
	// Bars start at zero, so their lengths compare as the values do.
	if err := barFonts(&opt, charts.Ptr(min(0, slices.Min(values)))); err != nil {
		return nil, err
	}
	// The value axis runs across, its last label pushed to the left:
	// short numbers (250k), so that they do not run into each other.
	opt.ValueAxis[0].ValueFormatter = compactNumber
	// The value labels stand right of their bars: the right padding holds
	// the widest whole, with a margin before the image's edge. A fixed 60
	// pixels let a long number run to the edge, slid back over its bar.
	right, err := valueLabelsWidth(p, values)
	if err != nil {
		return nil, err
	}
	opt.Padding = charts.Box{Top: 20, Right: max(60, right+valueLabelGap+valueLabelMargin), Bottom: 20, Left: 20}
	if opt.Title.Text, err = o.title(p); err != nil {
		return nil, err
	}
	if err := p.BarChart(opt); err != nil {
		return nil, fmt.Errorf("chart: leaderboard: %w", err)
	}
	return p.Bytes()
}

// barFonts sets DejaVu Sans on a bar chart's axes and labels, which do not
// take the painter's font, and the value axis's minimum when given.
func barFonts(opt *charts.BarChartOption, minimum *float64) error {
	f, err := dejavu()
	if err != nil {
		return err
	}
	opt.CategoryAxis.LabelFontStyle.Font = f
	opt.ValueAxis = []charts.ValueAxisOption{{Min: minimum, LabelFontStyle: charts.FontStyle{Font: f}}}
	for i := range opt.SeriesList {
		opt.SeriesList[i].Label.FontStyle.Font = f
		opt.SeriesList[i].Label.FontStyle.FontSize = valueLabelSize
	}
	return nil
}

// valueLabelSize is the size of a bar's value label, in points: the chart
// library's default, set so that what is measured is what is drawn.
const valueLabelSize = 10

// valueLabelGap is the room between a bar's end and its value label, in
// pixels: the chart library's default, set for the same reason.
const valueLabelGap = 5

// valueLabelMargin is the room between the widest value label and the
// image's right edge, in pixels.
const valueLabelMargin = 10

// valueLabelsWidth is the width of the widest of the values' labels, as
// the chart writes and draws them.
func valueLabelsWidth(p *charts.Painter, values []float64) (int, error) {
	f, err := dejavu()
	if err != nil {
		return 0, err
	}
	style := charts.FontStyle{FontSize: valueLabelSize, Font: f, FontColor: charts.ColorBlack} // a colour: a transparent text measures nothing
	widest := 0
	for _, v := range values {
		widest = max(widest, p.MeasureText(labelNumber(v), 0, style).Width())
	}
	return widest, nil
}

// maxLabelShare is the largest share of the image's width a bar's label
// takes: the rest is the bars'.
const maxLabelShare = 0.4

// labelSize is the size of an axis label's type, in points: the chart
// library's default.
const labelSize = 12

// fitLabel is a bar's label as the chart sets it (text), cut short with
// "…" when it is wider than maxLabelShare of the image drawn by p; a long
// unit name took the whole width, and the bars were drawn a few pixels
// wide beside it, their axis's numbers on top of each other.
func (o Options) fitLabel(p *charts.Painter, label string) (string, error) {
	f, err := dejavu()
	if err != nil {
		return "", err
	}
	style := charts.FontStyle{FontSize: labelSize, Font: f, FontColor: charts.ColorBlack} // a colour: a transparent text measures nothing
	room := int(float64(p.Width()) * maxLabelShare)
	width := func(s string) int { return p.MeasureText(o.text(s), 0, style).Width() }
	if width(label) <= room {
		return o.text(label), nil
	}
	r := []rune(label)
	r = r[:min(len(r), 200)] // more than the room holds of any script
	for len(r) > 1 && width(string(r)+"…") > room {
		r = r[:len(r)-1]
	}
	return o.text(strings.TrimRight(string(r), " ") + "…"), nil
}
