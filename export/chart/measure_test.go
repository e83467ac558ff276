package chart_test

import (
	"regexp"

	"codeberg.org/go-fonts/dejavu/dejavusans"
	"github.com/go-analyze/charts"
	"github.com/goalkit/goalkit/export/chart"
	"github.com/golang/freetype/truetype"
	"pgregory.net/rapid"
)

// drawnText matches a text an SVG chart draws: its x, the y of its
// baseline, its font's size in pixels (16 for the axes' 12 points, 13.3
// for a value's 10) and the text.
var drawnText = regexp.MustCompile(`<text x="(-?\d+)" y="(-?\d+)" style="[^"]*font-size:([\d.]+)px[^"]*">([^<]*)</text>`)

// svgBar matches a bar of a leaderboard's SVG, a rectangle in the
// series' colour: its left, top, right and bottom.
var svgBar = regexp.MustCompile(`<path d="M (\d+) (\d+)\nL (\d+) \d+\nL \d+ (\d+)\nL \d+ \d+\nL \d+ \d+" style="stroke:none;fill:rgb\(84,112,198\)"/>`)

// dejavu is the font the charts draw their texts in.
var dejavu = func() *truetype.Font {
	f, err := truetype.Parse(dejavusans.TTF)
	if err != nil {
		panic(err)
	}
	return f
}()

// measurer measures texts as the chart library measures those it draws.
var measurer = charts.NewPainter(charts.PainterOptions{OutputFormat: charts.ChartOutputSVG, Width: chart.DefaultWidth, Height: chart.DefaultHeight, Font: dejavu})

// textBox is the width and height of a text as the chart library measures
// it in DejaVu Sans of size points.
func textBox(s string, size float64) (width, height int) {
	b := measurer.MeasureText(s, 0, charts.FontStyle{FontSize: size, Font: dejavu, FontColor: charts.ColorBlack}) // a colour: a transparent text measures nothing
	return b.Width(), b.Height()
}

// drawWidth draws a chart's width option (0, the default, or a narrow or
// wide image) and the width in pixels it stands for.
func drawWidth(t *rapid.T) (option, pixels int) {
	option = rapid.SampledFrom([]int{0, 400, 1200}).Draw(t, "width")
	if option == 0 {
		return option, chart.DefaultWidth
	}
	return option, option
}
