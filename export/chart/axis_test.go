package chart_test

import (
	"strconv"
	"testing"

	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A leaderboard's value axis writes its numbers apart and inside the
// image, whatever the values' signs and sizes: in 400 pixels the chart
// library's axis of 0 to 0.32 wrote "0.24" and "0.32" over each other,
// its last number pushed left to end inside. Each number's width is
// measured here as the library measures it (DejaVu Sans, 12 points).
func TestLeaderboardAxisNumbersApart(t *testing.T) {
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "standings")
		board := score.Board{Leaderboard: "teams", Label: "2025-03"}
		for i := range n {
			v := rapid.Int64Range(-2_000_000_000, 2_000_000_000).Draw(t, "value")
			exp := rapid.IntRange(-4, 0).Draw(t, "exponent")
			board.Standings = append(board.Standings, score.Standing{Rank: i + 1, Participant: "p" + strconv.Itoa(i),
				Value: decimal.NewNullDecimal(decimal.New(v, int32(exp)))})
		}
		width, w := drawWidth(t)
		svg, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG, Width: width})
		if err != nil {
			t.Fatal(err)
		}
		type number struct {
			text        string
			left, right int
		}
		var axis []number
		bottom := 0
		for _, m := range drawnText.FindAllStringSubmatch(string(svg), -1) {
			if m[3] != "16" { // the axes' 12 points
				continue
			}
			x, _ := strconv.Atoi(m[1])
			y, _ := strconv.Atoi(m[2])
			wide, _ := textBox(m[4], 12)
			nb := number{m[4], x, x + wide}
			switch {
			case y > bottom: // the axis's numbers are the lowest texts
				bottom, axis = y, []number{nb}
			case y == bottom:
				axis = append(axis, nb)
			}
		}
		for i := 1; i < len(axis); i++ {
			if axis[i].left < axis[i-1].right+2 {
				t.Errorf("the axis's numbers %q (x %d to %d) and %q (x %d to %d) run into each other",
					axis[i-1].text, axis[i-1].left, axis[i-1].right, axis[i].text, axis[i].left, axis[i].right)
			}
		}
		for _, a := range axis {
			if a.left < 0 || a.right >= w {
				t.Errorf("the axis's number %q spans x %d to %d, outside the image's %d pixels", a.text, a.left, a.right, w)
			}
		}
	})
}
