package chart_test

import (
	"fmt"
	"regexp"
	"strconv"
	"testing"

	"github.com/goalkit/goalkit/export/chart"
	"github.com/goalkit/goalkit/score"
	"github.com/shopspring/decimal"
	"pgregory.net/rapid"
)

// A leaderboard of more standings than its height holds draws the first
// ones, each row a label high, and counts the others in a last row ("…
// +28"): 40 standings in 400 pixels drew rows of 8 pixels, their values'
// labels over each other and the participants' labels thinned out and
// over each other at the bottom. Every standing is either drawn, in rank
// order from the first, or counted.
func TestLeaderboardRowsHoldTheirLabels(t *testing.T) {
	standing := regexp.MustCompile(`^(\d+)\. p\d+$`)
	more := regexp.MustCompile(`^… \+(\d+)$`)
	rapid.Check(t, func(t *rapid.T) {
		n := rapid.IntRange(1, 80).Draw(t, "standings")
		board := score.Board{Leaderboard: "teams", Label: "2025-03"}
		for i := range n {
			v := rapid.Int64Range(-1_000_000, 1_000_000).Draw(t, "value")
			board.Standings = append(board.Standings, score.Standing{Rank: i + 1, Participant: "p" + strconv.Itoa(i), Value: decimal.NewNullDecimal(decimal.NewFromInt(v))})
		}
		height := rapid.SampledFrom([]int{0, 150, 250, 1000}).Draw(t, "height")
		title := rapid.SampledFrom([]string{"", "Sales total, 2025-03"}).Draw(t, "title")
		svg, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG, Height: height, Title: title})
		if err != nil {
			t.Fatal(err)
		}
		s := string(svg)
		h := height
		if h == 0 {
			h = chart.DefaultHeight
		}
		type box struct {
			text                     string
			left, right, top, bottom int
		}
		var boxes []box
		var ranks []int
		counted := 0
		values := 0
		for _, m := range drawnText.FindAllStringSubmatch(s, -1) {
			size := 12.0
			switch {
			case m[3] == "13.3":
				size = 10
				values++
			case standing.MatchString(m[4]):
				r, _ := strconv.Atoi(standing.FindStringSubmatch(m[4])[1])
				ranks = append(ranks, r)
			case more.MatchString(m[4]):
				counted, _ = strconv.Atoi(more.FindStringSubmatch(m[4])[1])
			default:
				continue // the title, the value axis's labels
			}
			x, _ := strconv.Atoi(m[1])
			y, _ := strconv.Atoi(m[2])
			bw, bh := textBox(m[4], size)
			boxes = append(boxes, box{m[4], x, x + bw, y - bh, y})
		}
		for i, b := range boxes {
			for _, o := range boxes[i+1:] {
				if o.top < b.bottom && b.top < o.bottom && o.left < b.right && b.left < o.right {
					t.Errorf("the label %q (x %d to %d, y %d to %d) lies over %q (x %d to %d, y %d to %d)",
						b.text, b.left, b.right, b.top, b.bottom, o.text, o.left, o.right, o.top, o.bottom)
				}
			}
		}
		// The participants' labels are written from the top down.
		for i, r := range ranks {
			if r != i+1 {
				t.Fatalf("the labels' ranks from the top are %v, want the first %d from 1", ranks, len(ranks))
			}
		}
		if len(ranks)+counted != n || values != len(ranks) || (counted == 1) {
			t.Errorf("%d standings drawn with %d values and %d counted, of %d", len(ranks), values, counted, n)
		}
	})
}

// A leaderboard of more than one standing in a height that holds no row
// of bars beside its title (when it has one) and axis is refused, naming
// what takes the room and the least height; its labels were drawn over
// each other. Without a title the error said "beside the title" too.
func TestLeaderboardTooLow(t *testing.T) {
	v := decimal.NewNullDecimal(decimal.NewFromInt(5))
	for _, c := range []struct{ title, beside string }{
		{"Sales total, 2025-03", "the title and the axis"},
		{"", "the axis"},
	} {
		board := score.Board{Leaderboard: "teams", Label: "2025-03", Standings: []score.Standing{
			{Rank: 1, Participant: "north", Value: v}, {Rank: 2, Participant: "south", Value: v}}}
		_, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG, Height: 90, Title: c.title})
		want := regexp.MustCompile(`^chart: leaderboard: a height of 90 pixels holds fewer than two rows of bars beside ` + c.beside + `; give at least (\d+)$`)
		m := want.FindStringSubmatch(fmt.Sprint(err))
		if m == nil {
			t.Errorf("title %q: got %v, want %s", c.title, err, want)
			continue
		}
		least, _ := strconv.Atoi(m[1])
		if _, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG, Height: least, Title: c.title}); err != nil {
			t.Errorf("title %q: at the least height %d: %v", c.title, least, err)
		}
		if _, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG, Height: least - 1, Title: c.title}); err == nil {
			t.Errorf("title %q: a height of %d, under the least %d, is taken", c.title, least-1, least)
		}
		board.Standings = board.Standings[:1]
		if _, err := chart.Leaderboard(board, chart.Options{Format: chart.SVG, Height: 90, Title: c.title}); err != nil {
			t.Errorf("title %q: one standing: %v", c.title, err)
		}
	}
}
