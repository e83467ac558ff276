package chart_test

import (
	"math"
	"regexp"
	"slices"
	"strconv"
	"testing"

	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A leaderboard's labels, with negative values among them, stand inside
// the image and each clear of the others, of the axis's line and of the
// bars (the value axis's labels too, in round steps wide enough for two): a negative value's label stands left of its bar's end, and the
// axis started at the least value, so the chart library pinned that
// value's label to the axis, over its bar and the axis's line (seen with
// −5 000 000 000.25). Each text's box is measured here as the chart
// library measures the text it draws (DejaVu Sans, 10 points for a value,
// 12 for the axes' labels).
func TestLeaderboardNegativeLabelsClear(t *testing.T) {
	axis := regexp.MustCompile(`<path d="M (\d+) (\d+)\nL (\d+) (\d+)" style="stroke-width:1;stroke:rgb\(110,112,121\);fill:none"/>`)
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 6).Draw(t, "standings")
		board := score.Board{Leaderboard: "teams", Label: "2025-03"}
		negative := false
		for i := range n {
			// Up to 12 digits before the point and 2 after, either sign.
			digits := rapid.IntRange(0, 12).Draw(t, "digits")
			top := int64(1)
			for range digits {
				top *= 10
			}
			units := rapid.Int64Range(0, top-1).Draw(t, "units")
			cents := rapid.Int64Range(0, 99).Draw(t, "cents")
			v := decimal.New(units*100+cents, -2)
			if rapid.Bool().Draw(t, "negative") && !v.IsZero() {
				v, negative = v.Neg(), true
			}
			board.Standings = append(board.Standings, score.Standing{Rank: i + 1, Participant: "p" + strconv.Itoa(i), Value: decimal.NewNullDecimal(v)})
		}
		if !negative {
			board.Standings[0].Value = decimal.NewNullDecimal(decimal.RequireFromString("-5000000000.25"))
		}
		width, w := drawWidth(t)
		svg, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG, Width: width})
		if err != nil {
			t.Fatal(err)
		}
		s := string(svg)
		type box struct {
			text                     string
			value                    bool
			left, right, top, bottom int
		}
		var boxes []box
		for _, m := range drawnText.FindAllStringSubmatch(s, -1) {
			x, _ := strconv.Atoi(m[1])
			y, _ := strconv.Atoi(m[2])
			size := 12.0
			if m[3] == "13.3" {
				size = 10
			}
			bw, bh := textBox(m[4], size)
			boxes = append(boxes, box{m[4], size == 10, x, x + bw, y - bh, y})
		}
		axisX := -1
		for _, m := range axis.FindAllStringSubmatch(s, -1) {
			if m[1] == m[3] && m[2] != m[4] {
				axisX, _ = strconv.Atoi(m[1])
				break
			}
		}
		if axisX < 0 {
			t.Fatalf("no axis line in %s", s)
		}
		values := 0
		for i, b := range boxes {
			if !b.value {
				continue
			}
			values++
			if b.left <= axisX || b.right >= w {
				t.Errorf("the label %q spans x %d to %d, outside the bars' room from the axis at %d to the image's edge at %d", b.text, b.left, b.right, axisX, w)
			}
			for _, m := range svgBar.FindAllStringSubmatch(s, -1) {
				left, _ := strconv.Atoi(m[1])
				top, _ := strconv.Atoi(m[2])
				right, _ := strconv.Atoi(m[3])
				bottom, _ := strconv.Atoi(m[4])
				if top < b.bottom && b.top < bottom && left < b.right && b.left < right {
					t.Errorf("the label %q (x %d to %d) lies over a bar (x %d to %d)", b.text, b.left, b.right, left, right)
				}
			}
			for j, o := range boxes {
				if j != i && o.top < b.bottom && b.top < o.bottom && o.left < b.right && b.left < o.right {
					t.Errorf("the label %q (x %d to %d, y %d to %d) lies over %q (x %d to %d, y %d to %d)",
						b.text, b.left, b.right, b.top, b.bottom, o.text, o.left, o.right, o.top, o.bottom)
				}
			}
		}
		// The value axis's labels, and the participants', clear of each
		// other too, the library pushing the last one left to end inside.
		for i, b := range boxes {
			for _, o := range boxes[i+1:] {
				if !b.value && !o.value && o.top < b.bottom && b.top < o.bottom && o.left < b.right+2 && b.left < o.right+2 {
					t.Errorf("the label %q (x %d to %d) lies over or against %q (x %d to %d)", b.text, b.left, b.right, o.text, o.left, o.right)
				}
			}
			if b.right >= w {
				t.Errorf("the label %q ends at x %d, past the image's %d pixels", b.text, b.right, w)
			}
		}
		if values != n {
			t.Fatalf("%d value labels, want %d:\n%s", values, n, s)
		}
	})
}

// A narrow leaderboard with long negative values keeps its bars in
// proportion to the values and long enough to compare (a sixth of the
// image's width for the longest at least), whatever the labels: the
// negative values' labels, which stand left of their bars inside the
// bars' room, and the right padding, which held them too, left bars of a
// pixel or two, the axis running to many times the least value.
func TestLeaderboardNarrowBarsInProportion(t *testing.T) {
	names := []string{"Anna Petrova-Vodkina", "Boris Sokolov", "Vera Sokolova-Lebedeva", "Nadia Orlova"}
	for _, c := range []struct {
		width  int
		values []string
	}{
		{300, []string{"-1234567.89", "-617283.94", "-123456.79"}},
		{300, []string{"250000", "-1234567.89", "-617283.94"}},
		{260, []string{"-12345678901.5", "-6172839450.75", "1000"}},
		{400, []string{"-98765432.1", "-50000000", "-1", "-25000000.5"}},
		{240, []string{"-5000000000.25", "-2500000000"}},
		{800, []string{"-1234567.89", "-617283.94", "-123456.79"}},
	} {
		board := score.Board{Leaderboard: "teams", Label: "2025-03"}
		var want []float64 // the values from the top bar down
		for i, v := range c.values {
			d := decimal.RequireFromString(v)
			board.Standings = append(board.Standings, score.Standing{Rank: i + 1, Participant: names[i], Value: decimal.NewNullDecimal(d)})
			f, _ := d.Abs().Float64()
			want = append(want, f)
		}
		svg, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG, Width: c.width, Height: 300, Title: "Profit, 2025-03"})
		if err != nil {
			t.Fatal(err)
		}
		var got []float64
		for _, m := range svgBar.FindAllStringSubmatch(string(svg), -1) {
			left, _ := strconv.Atoi(m[1])
			right, _ := strconv.Atoi(m[3])
			got = append(got, float64(right-left))
		}
		// The bars are drawn from the bottom up: the last standing first.
		slices.Reverse(got)
		if len(got) != len(want) {
			t.Fatalf("%d pixels, %v: %d bars, want %d", c.width, c.values, len(got), len(want))
		}
		longest, most := slices.Max(got), slices.Max(want)
		if longest < float64(c.width)/6 {
			t.Errorf("%d pixels, %v: the longest bar is %v pixels, under a sixth of the width", c.width, c.values, longest)
		}
		for i := range got {
			// Each bar within two pixels (the rounding of both ends) of
			// its share of the longest.
			if exact := want[i] / most * longest; math.Abs(got[i]-exact) > 2 {
				t.Errorf("%d pixels, %v: the bar of %s is %v pixels, want %.1f (in proportion to the longest, %v pixels)", c.width, c.values, c.values[i], got[i], exact, longest)
			}
		}
	}
}
