package chart_test

import (
	"bytes"
	"image/color"
	"image/png"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A leaderboard's long unit name is cut short with "…", and the bars keep
// most of the image: the label took the whole width (an 82-character
// department name in 800 pixels), the bars were drawn 6 pixels wide at
// its right edge and the numbers of their axis on top of each other; a
// longer name began past the image's left edge.
func TestLeaderboardLongName(t *testing.T) {
	long := "Northern Region Enterprise Sales and Strategic Key Accounts Department of Moscow"
	v := func(s string) decimal.NullDecimal { return decimal.NewNullDecimal(decimal.RequireFromString(s)) }
	board := score.Board{Leaderboard: "teams", Label: "2025-03", Standings: []score.Standing{
		{Rank: 1, Participant: "south", Value: v("132.88")}, {Rank: 2, Participant: "north", Value: v("120.82")}}}
	for _, name := range []string{long, strings.Repeat(long+" ", 20)} {
		svg, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG, Names: map[string]string{"north": name}})
		if err != nil {
			t.Fatal(err)
		}
		s := string(svg)
		label := regexp.MustCompile(`<text x="(-?\d+)"[^>]*>(2\. [^<]*)</text>`).FindStringSubmatch(s)
		if label == nil {
			t.Fatalf("no label of the second standing in %s", s)
		}
		if !strings.HasPrefix(label[2], "2. Northern Region") || !strings.HasSuffix(label[2], "…") || len(label[2]) >= len(name) {
			t.Errorf("label %q, want the name's start cut short with …", label[2])
		}
		if x, _ := strconv.Atoi(label[1]); x < 0 {
			t.Errorf("the label begins at x = %d, past the image's left edge", x)
		}
		// The bars: rectangles in the series' colour; the longer is the
		// first standing's, 132.88 of an axis that starts at 0.
		widest := 0
		for _, m := range svgBar.FindAllStringSubmatch(s, -1) {
			x0, _ := strconv.Atoi(m[1])
			x1, _ := strconv.Atoi(m[3])
			widest = max(widest, x1-x0)
		}
		if widest < 800*2/5 {
			t.Errorf("the longest bar is %d pixels wide of 800, want at least two fifths", widest)
		}
	}
}

// A leaderboard's value labels stand whole inside the image, right of their
// bars: the right padding was a fixed 60 pixels whatever the widest label,
// and "123 456 789 012.34" ran to the image's right edge, slid back over
// the end of its bar. Each label's width is measured here as the chart
// library measures the text it draws (DejaVu Sans, 10 points); in a PNG
// the last columns of the image are blank.
func TestLeaderboardValueLabelsInside(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "standings")
		board := score.Board{Leaderboard: "teams", Label: "2025-03"}
		for i := range n {
			// Up to 12 digits before the point and 2 after: what a
			// float64 holds exactly enough to print them back.
			units := rapid.Int64Range(0, 999_999_999_999).Draw(t, "units")
			cents := rapid.Int64Range(0, 99).Draw(t, "cents")
			board.Standings = append(board.Standings, score.Standing{Rank: i + 1, Participant: "p" + strconv.Itoa(i),
				Value: decimal.NewNullDecimal(decimal.New(units*100+cents, -2))})
		}
		width, w := drawWidth(t)
		svg, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG, Width: width})
		if err != nil {
			t.Fatal(err)
		}
		s := string(svg)
		var labels [][]string
		for _, m := range drawnText.FindAllStringSubmatch(s, -1) {
			if m[3] == "13.3" { // a value's 10 points
				labels = append(labels, m)
			}
		}
		if len(labels) != n {
			t.Fatalf("%d value labels, want %d:\n%s", len(labels), n, s)
		}
		bars := svgBar.FindAllStringSubmatch(s, -1)
		for _, l := range labels {
			x, _ := strconv.Atoi(l[1])
			y, _ := strconv.Atoi(l[2])
			wide, _ := textBox(l[4], 10)
			right := x + wide
			if right >= w {
				t.Errorf("the label %q spans x %d to %d, past the image's %d pixels", l[4], x, right, w)
			}
			for _, b := range bars {
				top, _ := strconv.Atoi(b[2])
				bottom, _ := strconv.Atoi(b[4])
				if tip, _ := strconv.Atoi(b[3]); top <= y && y <= bottom && x < tip {
					t.Errorf("the label %q begins at x %d, over its bar's end at %d", l[4], x, tip)
				}
			}
		}
		b, err := chart.Leaderboard(board, chart.Options{Format: chart.PNG, Width: width})
		if err != nil {
			t.Fatal(err)
		}
		img, err := png.Decode(bytes.NewReader(b))
		if err != nil {
			t.Fatal(err)
		}
		r := img.Bounds()
		for x := r.Max.X - 3; x < r.Max.X; x++ {
			for y := r.Min.Y; y < r.Max.Y; y++ {
				if c := color.RGBAModel.Convert(img.At(x, y)).(color.RGBA); c != (color.RGBA{255, 255, 255, 255}) {
					t.Fatalf("the PNG is drawn at (%d, %d) in %v, at its right edge", x, y, c)
				}
			}
		}
	})
}
