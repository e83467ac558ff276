package chart

import (
	"errors"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/go-analyze/charts"
	"github.com/goalkit/goalkit/goal"
	"github.com/goalkit/goalkit/score"
)

// ErrNoStandings is returned for a leaderboard without a ranked standing.
var ErrNoStandings = errors.New("chart: the leaderboard has no ranked standing")

// Leaderboard draws a board's ranked standings as horizontal bars, the
// first at the top, each labelled with its rank and participant (its name
// from o.Namer, of the kind o.Level says, or in o.Names, else its id) and its value. A label wider than two fifths of
// the image is cut short with "…", so that a long name leaves the bars
// their room. A value's label stands right of its bar, a negative one's
// left of it, the value axis starting far enough left to hold it; in a
// narrow image the participants' labels are cut shorter, and the values
// written short (-12.35B), so that the bars keep their room and their
// proportions.
// Unranked standings (no value) are left out; a standing ranked without a
// value (score.Standing.Best: a lower-is-better KPI met at zero, ranked by
// achievement above every value) has its row and label, without a bar. A
// board without a value to draw is ErrNoStandings. The rows are at least a
// label high: of more standings than the height holds, the first are
// drawn and a last row counts the others ("… +28"); a height that holds
// fewer than two rows of more than one standing is refused, naming the
// least height.
func Leaderboard(b score.Board, o Options) ([]byte, error) {
	p, err := o.painter()
	if err != nil {
		return nil, err
	}
	kind := goal.User
	if o.Level == score.LevelDepartments {
		kind = goal.Team
	}
	// labels and drawn are the rows, a bar's value or the library's null
	// (no bar) for a standing ranked without a value; values are the bars'.
	var labels []string
	var drawn, values []float64
	// The category axis runs from the bottom up: the last standing first.
	for i := len(b.Standings) - 1; i >= 0; i-- {
		st := b.Standings[i]
		if st.Rank == 0 {
			continue
		}
		label := fmt.Sprintf("%d. %s", st.Rank, o.who(kind, st.Participant))
		v := charts.GetNullValue() // ranked without a value: score.Standing.Best
		if st.Value.Valid {
			var ok bool
			if v, ok = value(st.Value); !ok {
				return nil, fmt.Errorf("chart: leaderboard: the value of %q %w", label, errUndrawable)
			}
			values = append(values, v)
		}
		labels = append(labels, label)
		drawn = append(drawn, v)
	}
	if len(values) == 0 {
		return nil, ErrNoStandings
	}
	number, padding, room, err := valueLabels(p, values)
	if err != nil {
		return nil, err
	}
	for i := range labels {
		if labels[i], err = o.fitLabel(p, labels[i], room); err != nil {
			return nil, err
		}
	}
	title, err := o.title(p)
	if err != nil {
		return nil, err
	}
	// The standings the height holds, the first at the top; the others
	// are counted in a last row without a bar ("… +28"). Rows thinner
	// than a label drew the labels over each other.
	rows, least, err := leaderboardRows(p, title)
	if err != nil {
		return nil, err
	}
	if len(labels) > 1 && rows < 2 {
		// What takes the room: the title only when there is one.
		beside := "the axis"
		if title != "" {
			beside = "the title and the axis"
		}
		return nil, fmt.Errorf("chart: leaderboard: a height of %d pixels holds fewer than two rows of bars beside %s; give at least %d", p.Height(), beside, least)
	}
	if len(labels) > max(rows, 1) {
		left := len(labels) - (rows - 1)
		labels = append([]string{fmt.Sprintf("… +%d", left)}, labels[left:]...)
		drawn = append([]float64{charts.GetNullValue()}, drawn[left:]...)
		values = slices.DeleteFunc(slices.Clone(drawn), func(v float64) bool { return v == charts.GetNullValue() })
		if len(values) == 0 {
			values = []float64{0} // the rows drawn have no bar: an axis at zero
		}
	}
	opt := charts.NewBarChartOptionWithData([][]float64{drawn})
	opt.Horizontal = true
	opt.CategoryAxis.Labels = labels
	opt.SeriesList[0].Label.Show = charts.Ptr(true)
	opt.SeriesList[0].Label.ValueFormatter = number
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
	opt.Padding = padding
	// A negative value's label stands left of its bar: the axis starts
	// far enough left of the longest bar to hold it; and its numbers stand
	// apart, where the library's ran into each other in a narrow image.
	if err := o.roomLeft(p, &opt, labels, values, number); err != nil {
		return nil, err
	}
	opt.Title.Text = title
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

// valueLabels is how a leaderboard drawn by p writes its values' labels,
// its padding and the room of a bar's label (labelRoom). The values not
// below zero have their labels right of their bars: the right padding
// holds the widest whole, with a margin before the image's edge (a fixed
// 60 pixels let a long number run to the edge, slid back over its bar).
// A negative value's label stands left of its bar, inside the bars' room
// (roomLeft): without a value right of zero, the right padding is the
// left one; it held the negative labels too, and in a narrow image took
// the bars' room. The labels are the values with at most four places,
// or, where the bars would not keep twice the room of the widest negative
// one beside the least room of the bars' labels, written short as the
// axis writes them (-12.35B): the bars were left a pixel or two, and no
// longer in proportion to their values.
func valueLabels(p *charts.Painter, values []float64) (number func(float64) string, padding charts.Box, room int, err error) {
	for _, number = range []func(float64) string{labelNumber, compactNumber} {
		right, err := valueLabelsWidth(p, slices.DeleteFunc(slices.Clone(values), func(v float64) bool { return v < 0 }), number)
		if err != nil {
			return nil, padding, 0, err
		}
		padding = charts.Box{Top: 20, Right: 20, Bottom: 20, Left: 20}
		if slices.Max(values) >= 0 {
			padding.Right = max(60, right+valueLabelGap+valueLabelMargin)
		}
		var fits bool
		if room, fits, err = labelRoom(p, padding, values, number); err != nil || fits {
			return number, padding, room, err
		}
	}
	return number, padding, room, nil
}

// valueLabelsWidth is the width of the widest of the values' labels, as
// the chart writes (number) and draws them.
func valueLabelsWidth(p *charts.Painter, values []float64, number func(float64) string) (int, error) {
	f, err := dejavu()
	if err != nil {
		return 0, err
	}
	style := charts.FontStyle{FontSize: valueLabelSize, Font: f, FontColor: charts.ColorBlack} // a colour: a transparent text measures nothing
	widest := 0
	for _, v := range values {
		widest = max(widest, p.MeasureText(number(v), 0, style).Width())
	}
	return widest, nil
}

// maxLabelShare is the largest share of the image's width a bar's label
// takes: the rest is the bars'; minLabelShare the least it is left where
// negative values' labels take the bars' room.
const maxLabelShare, minLabelShare = 0.4, 0.2

// labelRoom is the widest a bar's label may be in an image drawn by p
// with the padding given: maxLabelShare of its width, less where the bars
// would not keep twice the room of the widest negative value's label as
// number writes it (and its gap), which stands left of its bar inside the
// bars' room, so that the longest bar takes about half of it; a long name
// left the bars a few pixels. It is minLabelShare of the width at least;
// fits is false where that leaves the bars too little.
func labelRoom(p *charts.Painter, padding charts.Box, values []float64, number func(float64) string) (room int, fits bool, err error) {
	room = int(float64(p.Width()) * maxLabelShare)
	neg := slices.DeleteFunc(slices.Clone(values), func(v float64) bool { return v >= 0 })
	if len(neg) == 0 {
		return room, true, nil
	}
	widest, err := valueLabelsWidth(p, neg, number)
	if err != nil {
		return 0, false, err
	}
	least := int(float64(p.Width()) * minLabelShare)
	room = min(room, p.Width()-padding.Left-padding.Right-categoryAxisMargin-2*(widest+valueLabelGap+2))
	return max(least, room), room >= least, nil
}

// labelSize is the size of an axis label's type, in points: the chart
// library's default.
const labelSize = 12

// fitLabel is a bar's label as the chart sets it (text), cut short with
// "…" when it is wider than room (labelRoom) in the image drawn by p; a
// long unit name took the whole width, and the bars were drawn a few
// pixels wide beside it, their axis's numbers on top of each other.
func (o Options) fitLabel(p *charts.Painter, label string, room int) (string, error) {
	f, err := dejavu()
	if err != nil {
		return "", err
	}
	style := charts.FontStyle{FontSize: labelSize, Font: f, FontColor: charts.ColorBlack} // a colour: a transparent text measures nothing
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

// roomLeft sets the value axis of a leaderboard so that its numbers stand
// apart and each negative value's label, which the chart library stands left of
// its bar's end, fits between the axis and the bar: the axis started at
// the least value, the chart library pinned the label of that value to the
// axis, and it lay over its bar (and the axis's line). The axis runs over
// whole steps of a round number (1, 2 or 5 times a power of ten), zero
// among them, from a minimum found here to the first step at or past the
// greatest value (or zero), all set, so that the library pads neither end
// and a value's place is known. The bars' room is taken at its narrowest:
// the image less the paddings and the widest category label with the
// axis's margins.
func (o Options) roomLeft(p *charts.Painter, opt *charts.BarChartOption, labels []string, values []float64, number func(float64) string) error {
	f, err := dejavu()
	if err != nil {
		return err
	}
	catStyle := charts.FontStyle{FontSize: labelSize, Font: f, FontColor: charts.ColorBlack} // a colour: a transparent text measures nothing
	valStyle := charts.FontStyle{FontSize: valueLabelSize, Font: f, FontColor: charts.ColorBlack}
	widest := 0
	for _, l := range labels {
		widest = max(widest, p.MeasureText(l, 0, catStyle).Width())
	}
	room := float64(p.Width() - opt.Padding.Left - opt.Padding.Right - widest - categoryAxisMargin)
	// share is the share of the axis a negative value's label, its gap and
	// a pixel either side for rounding take: its bar's end stands at least
	// that share of the axis right of the axis's minimum.
	share := map[float64]float64{}
	for _, v := range values {
		if v < 0 {
			s := 0.9
			if room > 0 {
				s = min(s, float64(p.MeasureText(number(v), 0, valStyle).Width()+valueLabelGap+2)/room)
			}
			share[v] = s
		}
	}
	fits := func(lo, hi float64) bool {
		for v, s := range share {
			if v-lo < s*(hi-lo) {
				return false
			}
		}
		return true
	}
	hi := max(0, slices.Max(values))
	lo := min(0, slices.Min(values))
	if hi == lo {
		return nil // every value zero: the library's axis
	}
	for v, s := range share {
		lo = min(lo, (v-s*hi)/(1-s)) // v − lo = s × (hi − lo)
	}
	// The step, larger until each holds two of the axis's widest label
	// (the library pushes the last label left, by up to its width, to end
	// at the bars' edge) and a gap; where none does (a narrow image), the
	// first, its labels left out: each bar has its own.
	axis := func(step float64) (from, to float64, count int, fit bool) {
		from, to = math.Floor(lo/step)*step, math.Ceil(hi/step)*step
		for i := 0; i < 100 && !fits(from, to); i++ {
			from -= step
		}
		count = int(math.Round((to - from) / step))
		widest := 0
		for i := range count + 1 {
			widest = max(widest, p.MeasureText(compactNumber(from+float64(i)*step), 0, catStyle).Width())
		}
		return from, to, count, room/float64(count) >= float64(2*widest+axisLabelGap)
	}
	// An axis more than twice as long as the least that holds the
	// labels (lo to hi) is not taken: its bars would be less than half as
	// long (a negative value's label of about half the room pushed the
	// axis to a thousand times the values, its bars a pixel long).
	first := roundUp((hi - lo) / float64(max(1, int(room/axisStepWidth))))
	from, to, count, fit := axis(first)
	fit = fit && to-from <= 2*(hi-lo)
	for i, step := 0, first; i < 12 && !fit; i++ {
		step = roundUp(step * 1.5) // 1, 2, 5, 10 times a power of ten
		f, t, c, ok := axis(step)
		if t-f > 2*(hi-lo) {
			break
		}
		if fit = ok; fit {
			from, to, count = f, t, c
		}
	}
	if !fit {
		// No step holds its numbers: the axis has none, and runs from
		// the least minimum that holds the negative values' labels to
		// the greatest value (or zero), so that the bars take the room
		// rather than whole steps of a round number.
		opt.ValueAxis[0].ValueFormatter = func(float64) string { return "" }
		from, to, count = lo, hi, 1
	}
	opt.ValueAxis[0].Min, opt.ValueAxis[0].Max = &from, &to
	opt.ValueAxis[0].LabelCount = count + 1
	return nil
}

// axisLabelGap is the least room between two labels of the value axis,
// in pixels.
const axisLabelGap = 8

// categoryAxisMargin is at least the room the chart library's category
// axis takes besides its widest label (its line, ticks and margins), in
// pixels.
const categoryAxisMargin = 20

// axisStepWidth is the width of a step of the value axis tried first,
// in pixels: room for two of its labels ("-2.5B").
const axisStepWidth = 100

// roundUp is the least of 1, 2 and 5 times a power of ten at or above
// x > 0.
func roundUp(x float64) float64 {
	p := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 5} {
		if m*p >= x {
			return m * p
		}
	}
	return 10 * p
}

// leaderboardRows is how many rows of bars a leaderboard drawn by p with
// the title holds, each at least a category label's height and a gap: the
// image's height less its paddings, the title's lines and the value
// axis's labels, taken at their largest; and the least height that holds
// two rows.
func leaderboardRows(p *charts.Painter, title string) (rows, least int, err error) {
	f, err := dejavu()
	if err != nil {
		return 0, 0, err
	}
	line := p.MeasureText("Hgjy", 0, charts.FontStyle{FontSize: labelSize, Font: f, FontColor: charts.ColorBlack}).Height() + rowGap
	taken := 40 + line // the paddings and the value axis's labels
	if title != "" {
		tl := p.MeasureText("Hgjy", 0, charts.FontStyle{FontSize: titleSize, Font: f, FontColor: charts.ColorBlack}).Height()
		taken += (strings.Count(title, "\n")+1)*(tl+rowGap) + rowGap
	}
	return max(0, (p.Height()-taken)/line), taken + 2*line, nil
}

// rowGap is the least room between two rows' labels, and around a
// title's line and the axis's labels, in pixels.
const rowGap = 6
